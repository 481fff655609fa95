"""A publication handed to the job queue: one row per revision, which says how it went."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..assessments.models import Revision
from ..db import Base, UTCDateTime, now_utc

# queued: waiting for a worker (again, after a failed attempt that will be retried);
# running: a worker is rendering it; done: published; failed: every attempt failed, the
# revision is still approved and ``error`` says why.
JOB_STATES = ("queued", "running", "done", "failed")


class PublicationJob(Base):
    __tablename__ = "publication_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), unique=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[str] = mapped_column(sa.String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    finished_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    revision: Mapped[Revision] = relationship()
    requested_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"state IN {JOB_STATES!r}", name="state_known"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
