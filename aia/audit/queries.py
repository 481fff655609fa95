"""Reading the audit trail."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at one moment: the newest event's number and hash. Printed in
    each published report and on the register, it lets anyone who kept it check later that
    no event up to it was removed or rewritten (``aia verify --anchor``)."""

    event_id: int
    hash: str

    @property
    def text(self) -> str:
        return f"{self.event_id}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor | None:
        """``SEQ:HASH`` as printed, or None if ``text`` is not one."""
        match = re.fullmatch(r"\s*(\d{1,18}):([0-9a-f]{64})\s*", text or "")
        return cls(int(match.group(1)), match.group(2)) if match else None


def chain_head(session: Session) -> Anchor | None:
    """The newest event of the trail, as the caller's transaction sees it."""
    row = session.execute(
        sa.select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return Anchor(row.id, row.hash) if row else None
