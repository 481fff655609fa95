"""Systems under assessment, their working draft, and their immutable submitted revisions."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Agency, User
from ..db import Base, JSONType, UTCDateTime, now_utc

REVISION_STATUSES = ("submitted", "changes_requested", "approved", "published", "superseded", "withdrawn")
# While the latest revision is in one of these, no new draft starts.
AWAITING_DECISION = ("submitted", "approved")
AWAITING_SQL = "status IN ('submitted', 'approved')"
# Revisions that were once on the register: none older may be published after them.
ONCE_PUBLISHED = ("published", "superseded", "withdrawn")
# What a revision is: none of these may change once written (the database holds this too).
REVISION_CONTENT = (
    "system_id",
    "number",
    "uid",
    "questionnaire_key",
    "questionnaire_version",
    "questionnaire_hash",
    "answers",
    "scores",
    "impact_level",
    "charter_rating",
    "sha256",
    "submitted_dt",
)


def new_uid(prefix: str) -> str:
    """A stable public identifier, for URLs and open data."""
    return f"{prefix}-{secrets.token_hex(5)}"


class System(Base):
    __tablename__ = "system"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True, default=lambda: new_uid("sys"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    agency: Mapped[Agency] = relationship()
    draft: Mapped[Draft | None] = relationship(back_populates="system", uselist=False)
    revisions: Mapped[list[Revision]] = relationship(back_populates="system", order_by="Revision.number")

    @property
    def latest_revision(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


class Draft(Base):
    """The answers being written, step by step. ``lock_version`` detects concurrent saves."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("system.id"), unique=True)
    questionnaire_key: Mapped[str] = mapped_column(sa.String(64))
    questionnaire_version: Mapped[int]
    questionnaire_hash: Mapped[str] = mapped_column(sa.String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    step_key: Mapped[str | None] = mapped_column(sa.String(64))
    lock_version: Mapped[int] = mapped_column(default=1)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The SHA-256 of the answer file the draft was started from, if it was (Canada's AIA).
    answer_file_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    system: Mapped[System] = relationship(back_populates="draft")

    __table_args__ = (sa.CheckConstraint("lock_version >= 1", name="lock_version_positive"),)


class Revision(Base):
    """One submission, frozen: its answers, the questionnaire it answered, its scores and hash."""

    __tablename__ = "revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True, default=lambda: new_uid("rev"))
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("system.id"), index=True)
    number: Mapped[int]
    questionnaire_key: Mapped[str] = mapped_column(sa.String(64))
    questionnaire_version: Mapped[int]
    questionnaire_hash: Mapped[str] = mapped_column(sa.String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType)
    scores: Mapped[dict[str, Any]] = mapped_column(JSONType)
    impact_level: Mapped[int]
    charter_rating: Mapped[str | None] = mapped_column(sa.String(16))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(24), default="submitted")
    submitted_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    system: Mapped[System] = relationship(back_populates="revisions")

    __table_args__ = (
        sa.UniqueConstraint("system_id", "number", name="uq_revision_system_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("impact_level BETWEEN 1 AND 4", name="impact_level_range"),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in REVISION_STATUSES) + ")", name="status_known"
        ),
        sa.CheckConstraint(
            "charter_rating IS NULL OR charter_rating IN ('low', 'moderate', 'high')",
            name="charter_rating_known",
        ),
        # One revision of a system awaits a decision at a time, whatever its questionnaire.
        sa.Index(
            "uq_revision_awaiting_decision",
            "system_id",
            unique=True,
            sqlite_where=sa.text(AWAITING_SQL),
            postgresql_where=sa.text(AWAITING_SQL),
        ),
    )

    def hashed_document(self) -> dict[str, Any]:
        """What the revision's SHA-256 is taken over (canonical JSON of this)."""
        return {
            "system": self.system.uid,
            "revision": self.number,
            "questionnaire": {
                "key": self.questionnaire_key,
                "version": self.questionnaire_version,
                "hash": self.questionnaire_hash,
            },
            "answers": self.answers,
            "scores": self.scores,
        }


# How a step's answers reached the draft (see StepSave).
SAVE_KINDS = ("form", "autosave", "kept_form", "answer_file", "start", "earlier_revision", "translation")


class StepSave(Base):
    """Someone saved answers into a system's draft: who, which step (None: the whole draft at
    once, such as an answer file), when and how. The rows of the draft being written have no
    revision; submission gives them the revision the draft became, so that a revision knows
    everyone who wrote its answers (the four-eyes rule: none of them may approve it).

    Answers a draft carries over from an earlier revision keep that revision's writers (a row
    per writer, kind ``earlier_revision``)."""

    __tablename__ = "step_save"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(sa.ForeignKey("system.id"), index=True)
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    step_key: Mapped[str | None] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    saved_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in SAVE_KINDS) + ")", name="kind_known"),
    )
