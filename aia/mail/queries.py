"""The read side of the outbox, for the administrator's page."""

from __future__ import annotations

import sqlalchemy as sa

from ..db import Session
from .models import STATES, OutboxMessage


def counts(session: Session) -> dict[str, int]:
    found = dict(
        session.execute(sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)).all()
    )
    return {state: int(found.get(state, 0)) for state in STATES}


def messages(session: Session, state: str | None = None, limit: int = 200) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if state:
        query = query.where(OutboxMessage.state == state)
    return list(session.scalars(query))


def message_or_none(session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)
