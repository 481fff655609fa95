"""``aia verify``: the audit chain and its anchors (see anchors), every revision's hash, every
stored PDF, every register entry (its seal, its state, its report), and that each revision's
state is the one its events lead to. Each check
returns what it looked at and exactly what does not match."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..assessments.models import Revision
from ..audit.models import GENESIS_HASH, AuditEvent
from ..audit.queries import Anchor
from ..db import Session
from ..engine import content_hash
from ..register.models import RegisterEntry
from ..report.models import ReportFile
from .anchors import verify_anchors
from .checks import Check, StoredFiles

_BATCH = 500


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


# The state of a register entry for each state of its revision.
ENTRY_STATE = {"published": "current", "superseded": "superseded", "withdrawn": "withdrawn"}


def verify_register(session: Session, report_dir: str | Path, files: StoredFiles | None = None) -> Check:
    """Every register entry still reads as it was published (its seal), its seal is the one
    the publication event names, its state follows its revision's, it names its revision's
    report, and the stored files the public downloads hash to the hashes on the entry."""
    check = Check("register entries")
    files = files or StoredFiles(report_dir)
    published_seals = {
        revision_id: (details or {}).get("register_seal")
        for revision_id, details in session.execute(
            sa.select(AuditEvent.revision_id, AuditEvent.details).where(
                AuditEvent.action == "revision.published"
            )
        )
    }
    rows = session.execute(
        sa.select(RegisterEntry, Revision.pdf_sha256, Revision.status)
        .join(Revision, Revision.id == RegisterEntry.revision_id)
        .order_by(RegisterEntry.id)
        .execution_options(yield_per=_BATCH)
    )
    stored_copies: dict[int, dict[str, str]] = {}
    for revision_id, language, sha256 in session.execute(
        sa.select(ReportFile.revision_id, ReportFile.language, ReportFile.sha256)
    ):
        stored_copies.setdefault(revision_id, {})[language] = sha256
    for entry, revision_sha256, revision_status in rows:
        check.checked += 1
        label = f"register entry of system {entry.system_uid} revision {entry.revision_number}"
        _check_seal(check, label, entry, published_seals.get(entry.revision_id))
        if ENTRY_STATE.get(revision_status) != entry.state:
            check.problems.append(
                f"{label}: the entry is {entry.state}, but its revision is {revision_status}"
            )
        entry_sha256 = entry.pdf_sha256
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
        listed = (entry.details or {}).get("reports") or []
        if listed and listed[0].get("sha256") != entry_sha256:
            check.problems.append(f"{label}: its first listed report is not the one it names")
        revision_copies = stored_copies.get(entry.revision_id, {})
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


def _check_seal(check: Check, label: str, entry: RegisterEntry, named: str | None) -> None:
    sealed = content_hash(entry.sealed_document())
    if entry.seal_sha256 != sealed:
        check.problems.append(
            f"{label}: what the public reads was changed after publication (its name, contact "
            f"point, summary, level or report): it hashes to {sealed}, sealed {entry.seal_sha256}"
        )
    if named and named != entry.seal_sha256:
        check.problems.append(f"{label}: sealed {entry.seal_sha256}, but its publication event names {named}")


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


def verify_all(session: Session, report_dir: str | Path, anchors: Iterable[Anchor] = ()) -> list[Check]:
    """Every check; ``anchors``, heads of the trail an auditor kept, are checked with those
    the stored reports and the register print."""
    files = StoredFiles(report_dir)
    return [
        verify_chain(session),
        verify_anchors(session, files, anchors),
        verify_revisions(session),
        verify_reports(session, report_dir, files),
        verify_register(session, report_dir, files),
        verify_lifecycle(session),
    ]
