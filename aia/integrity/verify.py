"""``aia verify``: the audit chain, every revision's hash, every stored PDF, every register
entry's report, and that each revision's state is the one its events lead to. Each check
returns what it looked at and exactly what does not match."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..assessments.models import Revision
from ..audit.models import GENESIS_HASH, AuditEvent
from ..db import Session
from ..engine import content_hash
from ..register.models import RegisterEntry
from ..report.models import ReportFile

_BATCH = 500
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session) -> Check:
    """Each event hashes to its recorded hash and names its predecessor's hash; ids follow
    each other, so a deleted event shows as a gap or a broken link."""
    check = Check("audit trail")
    previous_id, previous_hash = 0, GENESIS_HASH
    events = session.scalars(
        sa.select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=_BATCH)
    )
    for event in events:
        check.checked += 1
        if event.id != previous_id + 1:
            check.problems.append(
                f"events {previous_id + 1} to {event.id - 1} are missing "
                f"(event {previous_id} is followed by event {event.id})"
            )
        if event.prev_hash != previous_hash:
            check.problems.append(
                f"event {event.id} names {event.prev_hash} as the previous "
                f"hash, but the event before it hashes to {previous_hash}"
            )
        computed = content_hash(event.hashed_document())
        if computed != event.hash:
            check.problems.append(
                f"event {event.id} ({event.action}) was changed: its content "
                f"hashes to {computed}, recorded {event.hash}"
            )
        previous_id, previous_hash = event.id, event.hash
    return check


def _revisions(session: Session):
    return session.scalars(
        sa.select(Revision)
        .options(selectinload(Revision.system))
        .order_by(Revision.id)
        .execution_options(yield_per=_BATCH)
    )


def verify_revisions(session: Session) -> Check:
    check = Check("revisions")
    for revision in _revisions(session):
        check.checked += 1
        computed = content_hash(revision.hashed_document())
        if computed != revision.sha256:
            check.problems.append(
                f"system {revision.system.uid} revision {revision.number}: "
                f"its content hashes to {computed}, recorded "
                f"{revision.sha256}"
            )
    return check


class StoredFiles:
    """The SHA-256 of each stored report, each file read once in a run of the checks."""

    def __init__(self, report_dir: str | Path):
        self.folder = Path(report_dir)
        self._digests: dict[str, str | None] = {}

    def path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.pdf"

    def digest(self, sha256: str) -> str | None:
        """What the file stored under ``sha256`` hashes to; None if there is no such file."""
        if sha256 not in self._digests:
            path = self.path(sha256)
            if not path.is_file():
                self._digests[sha256] = None
            else:
                digest = hashlib.sha256()
                with path.open("rb") as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(chunk)
                self._digests[sha256] = digest.hexdigest()
        return self._digests[sha256]

    def problem(self, label: str, sha256: str) -> str | None:
        """What is wrong with the file stored under ``sha256``, if anything."""
        if not _SHA256.fullmatch(sha256):
            return f"{label}: the recorded report hash {sha256[:80]!r} is not a SHA-256"
        digest = self.digest(sha256)
        if digest is None:
            return f"{label}: {self.path(sha256)} is missing"
        if digest != sha256:
            return f"{label}: {self.path(sha256)} hashes to {digest}, recorded {sha256}"
        return None


def verify_reports(session: Session, report_dir: str | Path, files: StoredFiles | None = None) -> Check:
    """Every published PDF is in the store, and its bytes hash to the hash on the revision."""
    check = Check("stored PDF reports")
    files = files or StoredFiles(report_dir)
    revisions = session.scalars(
        sa.select(Revision)
        .where(Revision.pdf_sha256.is_not(None))
        .options(selectinload(Revision.system))
        .order_by(Revision.id)
    )
    copies: dict[int, dict[str, str]] = {}
    for revision_id, language, sha256 in session.execute(
        sa.select(ReportFile.revision_id, ReportFile.language, ReportFile.sha256).order_by(ReportFile.id)
    ):
        copies.setdefault(revision_id, {})[language] = sha256
    for revision in revisions:
        check.checked += 1
        label = f"system {revision.system.uid} revision {revision.number}"
        problem = files.problem(label, revision.pdf_sha256 or "")
        if problem:
            check.problems.append(problem)
        stored = copies.pop(revision.id, {})
        if stored and revision.pdf_sha256 not in stored.values():
            check.problems.append(f"{label}: its report {revision.pdf_sha256} is not among its stored copies")
        # Every copy in another language is checked as the reference is.
        for language, sha256 in sorted(stored.items()):
            if sha256 != revision.pdf_sha256:
                check.checked += 1
                problem = files.problem(f"{label} in {language}", sha256)
                if problem:
                    check.problems.append(problem)
    for revision_id, stored in sorted(copies.items()):
        check.problems.append(
            f"revision {revision_id} has stored reports ({', '.join(sorted(stored))}) but no report hash"
        )
    return check


def verify_register(session: Session, report_dir: str | Path, files: StoredFiles | None = None) -> Check:
    """Every register entry names its revision's report, and the stored file the public
    downloads hashes to the hash on the entry."""
    check = Check("register entries")
    files = files or StoredFiles(report_dir)
    rows = session.execute(
        sa.select(
            RegisterEntry.system_uid,
            RegisterEntry.revision_number,
            RegisterEntry.pdf_sha256,
            Revision.pdf_sha256,
            Revision.id,
            RegisterEntry.details,
        )
        .join(Revision, Revision.id == RegisterEntry.revision_id)
        .order_by(RegisterEntry.id)
        .execution_options(yield_per=_BATCH)
    )
    stored_copies: dict[int, dict[str, str]] = {}
    for revision_id, language, sha256 in session.execute(
        sa.select(ReportFile.revision_id, ReportFile.language, ReportFile.sha256)
    ):
        stored_copies.setdefault(revision_id, {})[language] = sha256
    for system_uid, number, entry_sha256, revision_sha256, revision_id, details in rows:
        check.checked += 1
        label = f"register entry of system {system_uid} revision {number}"
        if not entry_sha256:
            check.problems.append(f"{label}: names no report")
            continue
        if entry_sha256 != revision_sha256:
            check.problems.append(
                f"{label}: names report {entry_sha256}, but its revision names {revision_sha256}"
            )
        problem = files.problem(label, entry_sha256)
        if problem:
            check.problems.append(problem)
        # The copy in each language the entry lists: the revision's, and in the store.
        listed = (details or {}).get("reports") or []
        if listed and listed[0].get("sha256") != entry_sha256:
            check.problems.append(f"{label}: its first listed report is not the one it names")
        revision_copies = stored_copies.get(revision_id, {})
        for copy in listed:
            language, sha256 = str(copy.get("language")), str(copy.get("sha256"))
            if revision_copies.get(language) != sha256:
                check.problems.append(
                    f"{label}: lists report {sha256} in {language}, "
                    f"but its revision's copy in {language} is {revision_copies.get(language)}"
                )
            elif sha256 != entry_sha256:
                problem = files.problem(f"{label} in {language}", sha256)
                if problem:
                    check.problems.append(problem)
    return check


def verify_lifecycle(session: Session) -> Check:
    """Each revision has its submission event, and its state is the last one its events set:
    a state changed behind the app's back, or a removed event, shows here."""
    check = Check("revision states")
    last_state: dict[int, str] = {}
    submitted: set[int] = set()
    rows = session.execute(
        sa.select(AuditEvent.revision_id, AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.revision_id.is_not(None))
        .order_by(AuditEvent.id)
        .execution_options(yield_per=_BATCH)
    )
    for revision_id, action, details in rows:
        if action == "revision.submitted":
            submitted.add(revision_id)
        if isinstance(details, dict) and "to" in details:
            last_state[revision_id] = details["to"]
    for revision in _revisions(session):
        check.checked += 1
        label = f"system {revision.system.uid} revision {revision.number}"
        if revision.id not in submitted:
            check.problems.append(f"{label}: no submission event in the audit trail")
        expected = last_state.get(revision.id, "submitted")
        if revision.status != expected:
            check.problems.append(
                f"{label}: state is {revision.status}, but its last audit event sets {expected}"
            )
    return check


def verify_all(session: Session, report_dir: str | Path) -> list[Check]:
    files = StoredFiles(report_dir)
    return [
        verify_chain(session),
        verify_revisions(session),
        verify_reports(session, report_dir, files),
        verify_register(session, report_dir, files),
        verify_lifecycle(session),
    ]
