"""Agencies, the people who use the app, and forms kept across a lost session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, JSONType, UTCDateTime, now_utc
from ..i18n import _l

ROLES = ("author", "approver", "auditor", "admin")
# Roles that work for one agency; the others (oversight, operation) belong to none.
AGENCY_ROLES = ("author", "approver")
ROLE_LABELS = {
    "author": _l("Author"),
    "approver": _l("Approver"),
    "auditor": _l("Auditor"),
    "admin": _l("Administrator"),
}
# An agency's short name (slug), as it appears in addresses: lower case letters and digits,
# hyphens between them.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    # A closed agency's people cannot sign in (their accounts are disabled as it closes); its
    # published entries stay on the register.
    closed_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def closed(self) -> bool:
        return self.closed_dt is not None

    def __repr__(self) -> str:
        return f"<Agency {self.slug}>"


class User(UserMixin, Base):
    """A person who signs in. ``session_generation`` is part of the session's user id: raising
    it (sign-out, new password, account disabled) ends every session the person has."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_generation: Mapped[int] = mapped_column(default=1)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    password_changed_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    # The interface language the person chose (a code of aia.i18n.LANGUAGES); None: the browser's.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # Set when an administrator chose the password: the person must choose their own first.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # The TOTP secret (base 32) once a second factor is set up, and the last time step whose
    # code was accepted: a code is accepted once, and never one older than the last.
    mfa_secret: Mapped[str | None] = mapped_column(sa.String(64))
    mfa_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # Mail about the work (a revision to decide on, a decision, a message from the public);
    # mail about one's own account is sent whatever this says.
    mail_notifications: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Set when the account was opened by an invitation not accepted yet.
    invited_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_sql_list(ROLES)})", name="role_known"),
        sa.CheckConstraint(
            f"(role IN ({_sql_list(AGENCY_ROLES)})) = (agency_id IS NOT NULL)", name="agency_when_agency_role"
        ),
        sa.CheckConstraint("session_generation >= 1", name="session_generation_positive"),
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_secret is not None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(Base):
    """A one-time code that stands in for the second factor (a lost phone). Only its SHA-256
    is stored: the codes are random (50 bits), so a fast hash is enough."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    code_sha256: Mapped[str] = mapped_column(sa.String(64))
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    used_dt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.UniqueConstraint("user_id", "code_sha256"),)


class PendingForm(Base):
    """A step form posted just after its session had ended, kept (one per person) until the
    same person signs in again in the same browser and it can be saved."""

    __tablename__ = "pending_form"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), unique=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    form: Mapped[list[Any]] = mapped_column(JSONType)
    created_dt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
