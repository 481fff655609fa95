"""The register's own tables. An entry row is written only when a revision is published, so
nothing unpublished can ever reach a public page or an export."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, JSONType, UTCDateTime, now_utc

ENTRY_STATES = ("current", "superseded", "withdrawn")
FEEDBACK_KINDS = ("question", "complaint")
FEEDBACK_STATES = ("open", "answered", "closed")


class RegisterEntry(Base):
    """One published revision of a system, as the public sees it (a snapshot at publication)."""

    __tablename__ = "register_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), unique=True)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("system.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    system_uid: Mapped[str] = mapped_column(sa.String(32), index=True)
    revision_uid: Mapped[str] = mapped_column(sa.String(32), unique=True)
    revision_number: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    name_sort: Mapped[str] = mapped_column(sa.String(200))
    agency_slug: Mapped[str] = mapped_column(sa.String(64))
    agency_name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    impact_level: Mapped[int]
    charter_rating: Mapped[str | None] = mapped_column(sa.String(16))
    search_text: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(16), default="current")
    published_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    ended_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Everything else a page or an export shows, frozen at publication (see services).
    details: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # The audit trail's head when the entry was published (the report prints it too).
    anchor_event_id: Mapped[int | None]
    anchor_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # SHA-256 of sealed_document(): what the public reads, as published (`aia verify`).
    seal_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.CheckConstraint("state IN ('current', 'superseded', 'withdrawn')", name="state_known"),
        sa.CheckConstraint("impact_level BETWEEN 1 AND 4", name="impact_level_range"),
        sa.CheckConstraint("(state = 'current') = (ended_dt IS NULL)", name="ended_when_not_current"),
        sa.CheckConstraint(
            "state <> 'withdrawn' OR withdrawal_reason IS NOT NULL", name="withdrawal_has_reason"
        ),
        sa.Index("ix_register_entry_listing", "state", "published_dt", "id"),
        sa.Index("ix_register_entry_by_name", "state", "name_sort", "id"),
        sa.Index("ix_register_entry_by_level", "state", "impact_level", "published_dt", "id"),
    )

    def sealed_document(self) -> dict[str, Any]:
        """What the entry's seal is the SHA-256 of (canonical JSON): every part of the entry
        the public reads that is fixed at publication. Its state, end date and withdrawal
        reason change afterwards; `aia verify` checks them against the revision's state."""
        return {
            "system": self.system_uid,
            "revision": self.revision_uid,
            "number": self.revision_number,
            "name": self.name,
            "agency": {"slug": self.agency_slug, "name": self.agency_name},
            "description": self.description,
            "impact_level": self.impact_level,
            "charter_rating": self.charter_rating,
            "published": self.published_dt.astimezone(dt.UTC).isoformat(),
            "pdf_sha256": self.pdf_sha256,
            "details": self.details,
            "anchor": [self.anchor_event_id, self.anchor_hash],
        }


class Feedback(Base):
    """A question or complaint from anyone about a register entry, in its agency's queue."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("system.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    message: Mapped[str] = mapped_column(sa.Text)
    reply_to: Mapped[str | None] = mapped_column(sa.String(254))
    # What the sender can quote (services.new_reference), and the key of its sending
    # (services.sending_key): the same message sent again is the one already received.
    reference: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The language the sender wrote in (of the register's page): an answer is mailed in it.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    state: Mapped[str] = mapped_column(sa.String(16), default="open")
    answer: Mapped[str | None] = mapped_column(sa.Text)
    # The agency chose to show the message and its answer on the public entry (never the
    # sender's address).
    answer_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    received_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    handled_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint("kind IN ('question', 'complaint')", name="kind_known"),
        sa.CheckConstraint("state IN ('open', 'answered', 'closed')", name="state_known"),
        sa.CheckConstraint("state <> 'answered' OR answer IS NOT NULL", name="answered_has_answer"),
        sa.CheckConstraint("(state = 'open') = (handled_dt IS NULL)", name="handled_when_not_open"),
    )
