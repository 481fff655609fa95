"""The outbox: one row per message to one address."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, JSONType, UTCDateTime, now_utc

# queued: waiting for its (next) attempt; sending: claimed by one worker; sent; failed: every
# attempt failed (an administrator may queue it again).
STATES = ("queued", "sending", "sent", "failed")


class OutboxMessage(Base):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(8))
    # The values the message shows, as the action knew them (plain JSON).
    values: Mapped[dict[str, Any]] = mapped_column(JSONType)
    state: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    # The kind of the last failure (a key of kinds.FAILURE_LABELS), and what the server or the
    # library said about it, in its own words.
    failure: Mapped[str | None] = mapped_column(sa.String(24))
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    next_attempt_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    claimed_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(f"state IN ({', '.join(repr(s) for s in STATES)})", name="state_known"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("(state = 'sent') = (sent_dt IS NOT NULL)", name="sent_when_sent_dt"),
        sa.Index("ix_mail_outbox_state_next_attempt_dt", "state", "next_attempt_dt"),
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.state}>"
