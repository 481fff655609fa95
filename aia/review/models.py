"""Reviewers' comments on a submitted revision: on one answer, or on the whole."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import Base, UTCDateTime, now_utc


class Comment(Base):
    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    # The question commented on; None for a comment on the whole revision.
    question_key: Mapped[str | None] = mapped_column(sa.String(64))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    author: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("length(body) > 0", name="body_not_empty"),)


class CommentReply(Base):
    """An answer to a reviewer's comment, by an author or a reviewer. Written once: a reply
    is never edited, a change of mind is another reply."""

    __tablename__ = "review_comment_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("review_comment.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    author: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("length(body) > 0", name="body_not_empty"),)


class CommentState(Base):
    """A comment marked resolved, or reopened: one row per change, the latest says the state.
    The comment itself never changes."""

    __tablename__ = "review_comment_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("review_comment.id"), index=True)
    resolved: Mapped[bool] = mapped_column(sa.Boolean)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    actor: Mapped[User] = relationship()
