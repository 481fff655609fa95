"""The store of published PDFs: one file per document, named by its SHA-256.

A published report is rendered once. The app serves the stored bytes after checking them
against the recorded hash (the revision's for staff, the register entry's for the public); a
missing or altered file is an error for an operator, never a reason to render again.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..assessments.models import Revision
from ..audit.queries import Anchor, chain_head
from ..db import Session, now_utc, read_only_transaction
from ..extensions import questionnaire
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from .build import published_document
from .cache import cache_key
from .context import ANCHOR_KEYWORD
from .errors import ReportStoreUnavailable, StoredReportAltered, StoredReportMissing
from .models import ReportFile
from .render import DataAttachment, render_document

log = logging.getLogger(__name__)


def report_dir() -> Path:
    return Path(current_app.config["REPORT_DIR"])


def _path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise StoredReportAltered(f"The recorded report hash {sha256[:80]!r} is not a SHA-256.")
    return report_dir() / f"{sha256}.pdf"


def anchor_in(path: Path) -> Anchor | None:
    """The audit trail's head a stored report carries in its keywords (as a publication writes
    it), if the file is there and readable."""
    if not path.is_file():
        return None
    try:
        metadata = PdfReader(path).metadata
        keywords = str(metadata.get("/Keywords") or "") if metadata is not None else ""
    except (PyPdfError, OSError, ValueError) as error:
        log.warning("the keywords of %s cannot be read: %s", path.name, error)
        return None
    for keyword in keywords.split(","):
        keyword = keyword.strip()
        if keyword.startswith(ANCHOR_KEYWORD):
            return Anchor.parse(keyword[len(ANCHOR_KEYWORD) :])
    return None


def published_anchor(revision: Revision) -> Anchor | None:
    """The anchor printed in a published revision's reference report."""
    return anchor_in(_path_for(revision.pdf_sha256)) if revision.pdf_sha256 else None


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write to a temporary file in the same folder, then rename: readers see the whole file
    or none."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


# What the approver is told when the store refuses a report (in the operator's terms too).
STORE_PROBLEMS = {
    errno.ENOSPC: "The report store is full",
    errno.EDQUOT: "The report store is full (its quota is used up)",
    errno.EROFS: "The report store is read-only",
    errno.EACCES: "The report store may not be written to (permission denied)",
    errno.EPERM: "The report store may not be written to (permission denied)",
}


def store_report(folder: Path, name: str, data: bytes) -> Path:
    """write_atomically into the report store; a store that refuses the file raises
    ReportStoreUnavailable, which says what happened in plain words."""
    try:
        return write_atomically(folder, name, data)
    except OSError as error:
        problem = STORE_PROBLEMS.get(error.errno or 0, "The report store could not take the report")
        log.error("the report store %s refused %s: %s", folder, name, error)
        raise ReportStoreUnavailable(
            f"{problem}: the report could not be stored, so nothing was published. The operator "
            "must fix the report store (AIA_REPORT_DIR); then try again."
        ) from error


@dataclass(frozen=True)
class Source:
    """One register copy to render: its language, HTML and attachment, and the key that names
    this very document (cache.cache_key)."""

    language: str
    html: str
    attachments: tuple[DataAttachment, ...]

    @property
    def key(self) -> str:
        return cache_key(self.html, (a.data for a in self.attachments))


@dataclass(frozen=True)
class RenderedCopy:
    """A register copy rendered and stored ahead of its publication."""

    language: str
    key: str
    sha256: str


@dataclass(frozen=True)
class PreparedReports:
    """A revision's register copies rendered and stored before its publication took the
    database's write lock, with the audit trail's head they print (prepare_reports)."""

    revision_id: int
    anchor: Anchor | None
    copies: tuple[RenderedCopy, ...]


def published_sources(session: Session, revision: Revision, anchor: Anchor | None) -> list[Source]:
    """The register's copies of a revision as they would be published now, one per language
    of its questionnaire (report_languages), the reference copy first."""
    published_dt = now_utc()
    sources = []
    for language in report_languages(session, revision):
        with force_locale(language):
            html, attachments = published_document(session, revision, anchor, published_dt)
        sources.append(Source(language, html, attachments))
    return sources


def _render_and_store(source: Source) -> str:
    pdf = render_document(source.html, source.attachments)
    sha256 = hashlib.sha256(pdf).hexdigest()
    store_report(report_dir(), f"{sha256}.pdf", pdf)
    return sha256


def prepare_reports(session: Session, revision_id: int) -> PreparedReports | None:
    """Render and store a revision's register copies before its publication, holding no
    transaction while rendering: on SQLite a publication's transaction holds the write lock
    from its start, and every other writer would wait for the render. Reads what it renders in
    a read-only transaction (ended before rendering); the session must have none open.
    Returns None when the revision is not approved (publish then says why). A stored copy
    that the publication does not use (its revision changed meanwhile) is left unrecorded:
    nothing reads a report file that no record names."""
    with read_only_transaction(session):
        revision = session.get(Revision, revision_id)
        if revision is None or revision.status != "approved":
            return None
        anchor = chain_head(session)
        sources = published_sources(session, revision, anchor)
    copies = tuple(RenderedCopy(s.language, s.key, _render_and_store(s)) for s in sources)
    log.info("reports of revision id %s rendered ahead of publication: %d copies", revision_id, len(copies))
    return PreparedReports(revision_id, anchor, copies)


def reuse_prepared(
    session: Session, revision: Revision, prepared: PreparedReports | None
) -> list[ReportFile] | None:
    """Record the copies ``prepared`` rendered ahead (ReportFile rows and the revision's
    ``pdf_sha256``, in the caller's transaction) if they are still what publishing now would
    render: the same languages, each the same HTML and attachment, and each file still in the
    store. Else records nothing and returns None (the caller renders again)."""
    if prepared is None or prepared.revision_id != revision.id:
        return None
    sources = published_sources(session, revision, prepared.anchor)
    copies = prepared.copies
    same = [s.language for s in sources] == [c.language for c in copies] and all(
        s.key == c.key and _path_for(c.sha256).is_file() for s, c in zip(sources, copies, strict=True)
    )
    if not same:
        log.info("revision %s changed while its reports were rendered: rendering again", revision.number)
        return None
    return _record(session, revision, [(c.language, c.sha256) for c in copies])


def publish_reports(session: Session, revision: Revision, anchor: Anchor | None = None) -> list[ReportFile]:
    """Render the register's copies of a revision, one per language of its questionnaire
    (report_languages), store each under its SHA-256 and record them (ReportFile rows, in the
    caller's transaction, which also sets the status). The first, in the questionnaire's own
    language, is the reference copy: its hash goes on the revision (``pdf_sha256``). Whoever
    publishes, and in whichever language their pages are, the copies are the same. ``anchor``,
    the audit trail's head, is printed in each (by default, the head as this transaction sees
    it)."""
    anchor = anchor or chain_head(session)
    sources = published_sources(session, revision, anchor)
    return _record(session, revision, [(s.language, _render_and_store(s)) for s in sources])


def _record(session: Session, revision: Revision, stored: list[tuple[str, str]]) -> list[ReportFile]:
    files = [ReportFile(revision_id=revision.id, language=lang, sha256=sha256) for lang, sha256 in stored]
    for file in files:
        log.info(
            "report of revision %s of system %s in %s stored as %s",
            revision.number,
            revision.system.uid,
            file.language,
            file.sha256,
        )
    session.add_all(files)
    revision.pdf_sha256 = files[0].sha256
    session.flush()
    return files


def publish_pdf(session: Session, revision: Revision) -> str:
    """publish_reports, returning the reference copy's hash."""
    return publish_reports(session, revision)[0].sha256


def report_languages(session: Session, revision: Revision) -> list[str]:
    """The languages a revision's report is published in: its questionnaire's own first, then
    every other language the questionnaire is written in that the interface speaks (a
    questionnaire in one language gives one report)."""
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version, session)
    own = published_language(session, revision)
    written = definition.languages() if definition is not None else []
    others = sorted({code for tag in written if (code := interface_language(tag)) and code != own})
    return [own, *others]


def interface_language(tag: str) -> str | None:
    """The interface language (i18n.LANGUAGES) that speaks a language tag: fr-CA is fr."""
    code = tag.split("-")[0].lower()
    return code if code in LANGUAGES else None


def published_language(session: Session, revision: Revision) -> str:
    """The language of a revision's reference report: its questionnaire's (read with the
    caller's session, which may hold the publication's uncommitted work), as the interface
    speaks it."""
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version, session)
    return interface_language(definition.language if definition is not None else "") or DEFAULT_LANGUAGE


def report_files(session: Session, revision: Revision) -> list[ReportFile]:
    """The stored reports of a revision, the reference copy first, then by language."""
    files = session.scalars(sa.select(ReportFile).where(ReportFile.revision_id == revision.id))
    return sorted(files, key=lambda f: (f.sha256 != revision.pdf_sha256, f.language))


def stored_file_for(session: Session, revision: Revision, language: str | None) -> ReportFile | None:
    """The stored report of a revision in ``language``, else its reference copy (None if it
    has no stored report)."""
    files = report_files(session, revision)
    return next((f for f in files if f.language == language), files[0] if files else None)


def stored_pdf_bytes(revision: Revision) -> bytes:
    """The stored bytes of a published revision, checked against its recorded hash."""
    return stored_report_bytes(
        revision.pdf_sha256, f"revision {revision.number} of system {revision.system.uid}"
    )


def stored_report_bytes(sha256: str | None, label: str) -> bytes:
    """The stored bytes of the report recorded under ``sha256``, checked against it. ``label``
    names the record that holds the hash (a revision, a register entry), for the operator."""
    if not sha256:
        raise StoredReportMissing(f"There is no stored report for {label}.")
    path = _path_for(sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        log.error("stored report %s of %s is missing", path.name, label)
        raise StoredReportMissing(f"The stored report {path.name} is missing.") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        log.error("stored report %s of %s was altered (now %s)", path.name, label, actual)
        raise StoredReportAltered(f"The stored report {path.name} was altered: its SHA-256 is now {actual}.")
    return data


def stored_pdf(revision: Revision) -> Path:
    """The path of a published revision's PDF, after checking it exists and is unchanged."""
    stored_pdf_bytes(revision)
    return _path_for(revision.pdf_sha256 or "")


def download_name(system_uid: str, number: int, preview: bool) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", system_uid).strip(".-")[:60] or "system"
    return f"{stem}-revision-{number}{'-preview' if preview else ''}.pdf"
