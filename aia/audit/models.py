"""The audit trail: one row per event, each carrying the hash of the one before it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, JSONType, UTCDateTime, now_utc
from ..i18n import _l

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
    "agency.created": _l("Agency created"),
    "user.created": _l("Account created"),
    "user.enabled": _l("Account enabled"),
    "user.disabled": _l("Account disabled"),
    "user.signed_in": _l("Signed in"),
    "user.signed_out": _l("Signed out"),
    "user.password_changed": _l("Password changed"),
    "system.created": _l("System created"),
    "system.edited": _l("Name or description changed"),
    "draft.started": _l("Draft started"),
    "draft.answers_loaded": _l("Answers loaded from a file"),
    "revision.submitted": _l("Submitted revision"),
    "revision.commented": _l("Commented"),
    "comment.replied": _l("Replied to a comment"),
    "comment.resolved": _l("Marked a comment resolved"),
    "comment.reopened": _l("Reopened a comment"),
    "revision.changes_requested": _l("Requested changes"),
    "revision.approved": _l("Approved"),
    "revision.published": _l("Published"),
    "revision.superseded": _l("Superseded by a later publication"),
    "revision.withdrawn": _l("Withdrawn"),
    "fria.notified": _l("Notification to the market surveillance authority recorded"),
    "agency.renamed": _l("Agency renamed"),
    "agency.closed": _l("Agency closed"),
    "user.changed": _l("Account changed"),
    "user.invited": _l("Invited"),
    "user.invitation_resent": _l("Invitation sent again"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.password_reset_requested": _l("Password reset asked for"),
    "user.password_reset": _l("Password reset"),
    "user.mfa_enabled": _l("Second factor turned on"),
    "user.mfa_disabled": _l("Second factor turned off"),
    "user.recovery_code_used": _l("Recovery code used"),
    "user.notifications_changed": _l("Mail notifications changed"),
    "draft.answer_file_read": _l("Answer file read"),
    "questionnaire.imported": _l("Questionnaire imported"),
    "feedback.answered": _l("Message from the public answered"),
    "feedback.closed": _l("Message from the public closed without an answer"),
}
