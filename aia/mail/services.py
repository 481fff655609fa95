"""The write side of the outbox: queue a message in the caller's transaction, and queue a
failed one again. The caller commits; the commit hands the outbox to the job queue
(``delivery.init_app``)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from ..db import Session, now_utc
from .kinds import SUBJECTS
from .models import OutboxMessage

log = logging.getLogger(__name__)

# session.info key: this transaction wrote to the outbox (delivery starts after its commit).
PENDING = "aia.mail.pending"


def queue(
    session: Session, kind: str, recipient: str, language: str, values: dict[str, Any]
) -> OutboxMessage:
    """A message of ``kind`` to ``recipient``, in ``language``, showing ``values`` (plain
    JSON). Nothing is sent unless the caller's transaction commits."""
    if kind not in SUBJECTS:
        raise ValueError(f"unknown kind of mail {kind!r}")
    message = OutboxMessage(kind=kind, recipient=recipient, language=language, values=values)
    session.add(message)
    session.flush()
    session.info[PENDING] = True
    log.info("mail %s (%s) queued", message.id, kind)
    return message


def queue_again(session: Session, message: OutboxMessage) -> None:
    """A message that failed every attempt is tried again from the first (an administrator's
    choice, once the mail server works again)."""
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.state == "failed")
        .values(
            state="queued",
            attempts=0,
            next_attempt_dt=now_utc(),
            claimed_dt=None,
            failure=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(message)
    session.info[PENDING] = True
