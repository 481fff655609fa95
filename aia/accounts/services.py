"""The write side of accounts: agencies, people, passwords. Each function flushes and writes its
audit event; the caller commits."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.services import record
from ..db import Session, now_utc
from ..security_log import security_event
from .models import AGENCY_ROLES, ROLES, Agency, User
from .passwords import WeakPassword, check_strength, hash_password, needs_rehash, verify_password

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A request that cannot be done, with a message for the person who made it."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def agency_by_slug(session: Session, slug: str) -> Agency | None:
    return session.scalar(sa.select(Agency).where(Agency.slug == slug))


def create_agency(session: Session, actor: User | None, slug: str, name: str) -> Agency:
    slug, name = slug.strip(), name.strip()
    if not slug or not name:
        raise AccountError(_("An agency needs a short name (slug) and a name."))
    if agency_by_slug(session, slug) is not None:
        raise AccountError(_("There is already an agency %(slug)s.", slug=slug))
    agency = Agency(slug=slug, name=name)
    session.add(agency)
    session.flush()
    record(session, "agency.created", actor, agency_id=agency.id, details={"slug": slug, "name": name})
    security_event("admin.agency_created", "done", user=actor, agency=slug)
    return agency


def create_user(
    session: Session,
    actor: User | None,
    email: str,
    name: str,
    role: str,
    agency: Agency | None,
    password: str,
    must_change_password: bool | None = None,
) -> User:
    """A new account. A password chosen by an administrator (``actor`` is one) must be
    changed at first sign-in, unless ``must_change_password`` says otherwise."""
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(_("Give an email address."))
    if role not in ROLES:
        raise AccountError(
            _("Unknown role %(role)s: choose one of %(roles)s.", role=role, roles=", ".join(ROLES))
        )
    if (role in AGENCY_ROLES) != (agency is not None):
        raise AccountError(
            _("An %(role)s must belong to an agency.", role=role)
            if role in AGENCY_ROLES
            else _("An %(role)s works across agencies and belongs to none.", role=role)
        )
    if user_by_email(session, email) is not None:
        raise AccountError(_("There is already an account for %(email)s.", email=email))
    check_strength(password, current_app.config["PASSWORD_MIN_LENGTH"], email)
    user = User(
        email=email,
        name=(name or "").strip() or email.split("@")[0],
        role=role,
        agency_id=agency.id if agency else None,
        password_hash=hash_password(password),
        must_change_password=(actor is not None) if must_change_password is None else must_change_password,
    )
    session.add(user)
    session.flush()
    record(
        session,
        "user.created",
        actor,
        agency_id=user.agency_id,
        details={"user_id": user.id, "email": email, "role": role},
    )
    if actor is not None:
        security_event("admin.user_created", "done", user=actor, account=email, account_role=role)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, or None (the same time either way)."""
    user = user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_sign_in(session: Session, user: User) -> None:
    """Both factors passed (or the only one the person has)."""
    record(session, "user.signed_in", user, agency_id=user.agency_id)


def end_sessions(user: User) -> None:
    """Every session of this person stops working at its next request."""
    user.session_generation += 1


def sign_out(session: Session, user: User) -> None:
    end_sessions(user)
    session.flush()
    record(session, "user.signed_out", user, agency_id=user.agency_id)


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not right."))
    check_strength(new, current_app.config["PASSWORD_MIN_LENGTH"], user.email)
    if verify_password(user.password_hash, new):
        raise WeakPassword("Choose a password other than the one you have now.")
    user.password_hash = hash_password(new)
    user.password_changed_dt = now_utc()
    user.must_change_password = False
    end_sessions(user)
    session.flush()
    record(session, "user.password_changed", user, agency_id=user.agency_id)


def set_active(session: Session, actor: User | None, user: User, active: bool, reason: str = "") -> None:
    if actor is not None and actor.id == user.id and not active:
        raise AccountError(_("You cannot disable your own account."))
    user.active = active
    if not active:
        end_sessions(user)
    session.flush()
    record(
        session,
        "user.enabled" if active else "user.disabled",
        actor,
        reason=reason,
        agency_id=user.agency_id,
        details={"user_id": user.id, "email": user.email},
    )
    log.info("user %s %s", user.email, "enabled" if active else "disabled")
    security_event(
        "admin.user_enabled" if active else "admin.user_disabled", "done", user=actor, account=user.email
    )
