"""Appending to the audit trail, inside the caller's transaction."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import sqlalchemy as sa

from ..db import Session, now_utc
from ..engine import content_hash
from .models import GENESIS_HASH, AuditEvent

log = logging.getLogger(__name__)

COMMAND_LINE = "command line"
# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x61696161


class Actor(Protocol):
    """Who did it: a signed-in person (the trail keeps their id and, as shown then, email)."""

    id: int
    email: str


def record(
    session: Session,
    action: str,
    actor: Actor | None,
    *,
    reason: str | None = None,
    agency_id: int | None = None,
    system_id: int | None = None,
    revision_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event about whatever the ids name (the trail knows ids, not what they are).
    ``actor`` None means the command line (an operator on the server)."""
    if session.get_bind().dialect.name == "postgresql":
        # Appends wait for each other, so the chain never forks (prev_hash is unique too).
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK)))
    last = session.execute(
        sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        created_dt=now_utc(),
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else COMMAND_LINE,
        agency_id=agency_id,
        system_id=system_id,
        revision_id=revision_id,
        reason=(reason or "").strip() or None,
        details=details or {},
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = content_hash(event.hashed_document())
    session.add(event)
    session.flush()
    log.info("audit event %s: %s by %s", event.id, action, event.actor)
    return event
