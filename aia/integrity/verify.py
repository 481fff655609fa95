"""``aia verify``: the audit chain, every revision's hash, every stored PDF, and that each
revision's state is the one its events lead to. Each check returns what it looked at and
exactly what does not match."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..assessments.models import Revision
from ..audit.models import GENESIS_HASH, AuditEvent
from ..db import Session
from ..engine import content_hash

_BATCH = 500


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
    events = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)
                             .execution_options(yield_per=_BATCH))
    for event in events:
        check.checked += 1
        if event.id != previous_id + 1:
            check.problems.append(f"events {previous_id + 1} to {event.id - 1} are missing "
                                  f"(event {previous_id} is followed by event {event.id})")
        if event.prev_hash != previous_hash:
            check.problems.append(f"event {event.id} names {event.prev_hash} as the previous "
                                  f"hash, but the event before it hashes to {previous_hash}")
        computed = content_hash(event.hashed_document())
        if computed != event.hash:
            check.problems.append(f"event {event.id} ({event.action}) was changed: its content "
                                  f"hashes to {computed}, recorded {event.hash}")
        previous_id, previous_hash = event.id, event.hash
    return check


def _revisions(session: Session):
    return session.scalars(sa.select(Revision).options(selectinload(Revision.system))
                           .order_by(Revision.id).execution_options(yield_per=_BATCH))


def verify_revisions(session: Session) -> Check:
    check = Check("revisions")
    for revision in _revisions(session):
        check.checked += 1
        computed = content_hash(revision.hashed_document())
        if computed != revision.sha256:
            check.problems.append(f"system {revision.system.uid} revision {revision.number}: "
                                  f"its content hashes to {computed}, recorded "
                                  f"{revision.sha256}")
    return check


def verify_reports(session: Session, report_dir: str | Path) -> Check:
    """Every published PDF is in the store, and its bytes hash to the hash on the revision."""
    check = Check("stored PDF reports")
    folder = Path(report_dir)
    revisions = session.scalars(sa.select(Revision).where(Revision.pdf_sha256.is_not(None))
                                .options(selectinload(Revision.system)).order_by(Revision.id))
    for revision in revisions:
        check.checked += 1
        label = f"system {revision.system.uid} revision {revision.number}"
        path = folder / f"{revision.pdf_sha256}.pdf"
        if not path.is_file():
            check.problems.append(f"{label}: {path} is missing")
            continue
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != revision.pdf_sha256:
            check.problems.append(f"{label}: {path} hashes to {digest.hexdigest()}, recorded "
                                  f"{revision.pdf_sha256}")
    return check


def verify_lifecycle(session: Session) -> Check:
    """Each revision has its submission event, and its state is the last one its events set:
    a state changed behind the app's back, or a removed event, shows here."""
    check = Check("revision states")
    last_state: dict[int, str] = {}
    submitted: set[int] = set()
    rows = session.execute(sa.select(AuditEvent.revision_id, AuditEvent.action, AuditEvent.details)
                           .where(AuditEvent.revision_id.is_not(None)).order_by(AuditEvent.id)
                           .execution_options(yield_per=_BATCH))
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
            check.problems.append(f"{label}: state is {revision.status}, but its last audit "
                                  f"event sets {expected}")
    return check


def verify_all(session: Session, report_dir: str | Path) -> list[Check]:
    return [verify_chain(session), verify_revisions(session), verify_reports(session, report_dir),
            verify_lifecycle(session)]
