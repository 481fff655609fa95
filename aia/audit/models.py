"""The audit trail: one row per event, each carrying the hash of the one before it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, JSONType, UTCDateTime, now_utc

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    """Who did what, when and why. Written once; the database refuses UPDATE and DELETE.

    ``id`` is given by the writer (previous id + 1), so a gap in the ids is a deleted event.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    action: Mapped[str] = mapped_column(sa.String(48))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # The actor as shown at the time (email, or "command line"), kept with the event.
    actor: Mapped[str] = mapped_column(sa.String(254))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    system_id: Mapped[int | None] = mapped_column(sa.ForeignKey("system.id"), index=True)
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    def hashed_document(self) -> dict[str, Any]:
        """What ``hash`` is the SHA-256 of (canonical JSON of this)."""
        return {
            "id": self.id,
            "at": self.created_dt.astimezone(dt.UTC).isoformat(),
            "action": self.action,
            "actor_id": self.actor_id,
            "actor": self.actor,
            "agency_id": self.agency_id,
            "system_id": self.system_id,
            "revision_id": self.revision_id,
            "reason": self.reason,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }


# What each action is called on the pages.
EVENT_LABELS = {
    "agency.created": "Agency created",
    "user.created": "Account created",
    "user.enabled": "Account enabled",
    "user.disabled": "Account disabled",
    "user.signed_in": "Signed in",
    "user.signed_out": "Signed out",
    "user.password_changed": "Password changed",
    "system.created": "System created",
    "draft.started": "Draft started",
    "revision.submitted": "Submitted revision",
    "revision.commented": "Commented",
    "revision.changes_requested": "Requested changes",
    "revision.approved": "Approved",
    "revision.published": "Published",
    "revision.superseded": "Superseded by a later publication",
    "revision.withdrawn": "Withdrawn",
}
