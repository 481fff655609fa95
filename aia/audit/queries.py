"""Reading the audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from ..db import Session
from .models import AuditEvent


def system_trail(session: Session, system_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            sa.select(AuditEvent).where(AuditEvent.system_id == system_id).order_by(AuditEvent.id)
        )
    )


def first_actor_id(session: Session, action: str, revision_id: int) -> int | None:
    """Who did ``action`` to the revision first (e.g. who submitted it)."""
    return session.scalar(
        sa.select(AuditEvent.actor_id)
        .where(AuditEvent.action == action, AuditEvent.revision_id == revision_id)
        .order_by(AuditEvent.id)
        .limit(1)
    )
