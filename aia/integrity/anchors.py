"""The audit trail checked against its anchors, kept outside the database.

An anchor is the trail's head at one moment (the newest event's number and hash). Each
published report prints the one of its publication, and carries it in its keywords; the
register shows it on the entry and in open data; an auditor may keep any they were given
(`aia verify --anchor SEQ:HASH`). The chain check alone cannot see events removed from the
end of the trail, nor a trail rewritten and hashed again from some event on: both leave a
chain that holds together. An anchor can: its event must still be there, with its hash.
Events after the newest anchor remain unanchored until the next publication.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from ..assessments.models import Revision
from ..audit.models import AuditEvent
from ..audit.queries import Anchor
from ..db import Session
from ..register.models import RegisterEntry
from ..report.store import anchor_in
from .checks import Check, StoredFiles


@dataclass(frozen=True)
class Sighting:
    anchor: Anchor
    where: str  # where it was read, for the operator


def report_anchor(files: StoredFiles, sha256: str) -> Anchor | None:
    """The anchor a stored report carries in its keywords, if it is there and readable (a
    missing file is the reports check's to report)."""
    return anchor_in(files.path(sha256))


def sightings(session: Session, files: StoredFiles, given: Iterable[Anchor]) -> list[Sighting]:
    """Every anchor in view: those given, those of the stored reports of published revisions,
    those on register entries."""
    seen = [Sighting(anchor, "given with --anchor") for anchor in given]
    for sha256, system_uid, number in session.execute(
        sa.select(Revision.pdf_sha256, RegisterEntry.system_uid, Revision.number)
        .join(RegisterEntry, RegisterEntry.revision_id == Revision.id, isouter=True)
        .where(Revision.pdf_sha256.is_not(None))
        .order_by(Revision.id)
    ):
        anchor = report_anchor(files, sha256 or "")
        if anchor is not None:
            seen.append(Sighting(anchor, f"the report {sha256}.pdf of system {system_uid} revision {number}"))
    for system_uid, number, event_id, event_hash in session.execute(
        sa.select(
            RegisterEntry.system_uid,
            RegisterEntry.revision_number,
            RegisterEntry.anchor_event_id,
            RegisterEntry.anchor_hash,
        ).where(RegisterEntry.anchor_event_id.is_not(None))
    ):
        seen.append(
            Sighting(
                Anchor(event_id or 0, event_hash or ""),
                f"the register entry of system {system_uid} revision {number}",
            )
        )
    return seen


def verify_anchors(session: Session, files: StoredFiles, given: Iterable[Anchor] = ()) -> Check:
    """Each anchor's event is still in the trail with the anchor's hash; the newest one
    bounds what can go unnoticed."""
    check = Check("audit trail anchors")
    seen = sightings(session, files, given)
    if not seen:
        return check
    last = session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    hashes = dict(
        session.execute(
            sa.select(AuditEvent.id, AuditEvent.hash).where(
                AuditEvent.id.in_({s.anchor.event_id for s in seen})
            )
        ).all()
    )
    for sighting in sorted(seen, key=lambda s: -s.anchor.event_id):
        check.checked += 1
        anchor = sighting.anchor
        recorded = hashes.get(anchor.event_id)
        if recorded is None:
            check.problems.append(
                f"anchor {anchor.text} ({sighting.where}): event {anchor.event_id} is no longer in "
                f"the audit trail, which now ends at event {last}: events were removed"
            )
        elif recorded != anchor.hash:
            check.problems.append(
                f"anchor {anchor.text} ({sighting.where}): event {anchor.event_id} now has the hash "
                f"{recorded}: the trail was rewritten up to it"
            )
    newest = max(seen, key=lambda s: s.anchor.event_id)
    check.name = f"audit trail anchors (newest: event {newest.anchor.event_id}, from {newest.where})"
    return check
