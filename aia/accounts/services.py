"""The write side of accounts: agencies, people, passwords. Each function flushes and writes its
audit event; the caller commits."""

from __future__ import annotations

import logging
import re
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.services import record
from ..db import Session, now_utc
from ..i18n import _l
from ..mail.addresses import address_problem
from ..security_log import security_event
from . import tokens
from .models import AGENCY_ROLES, ROLES, SLUG_PATTERN, Agency, User
from .notify import notify
from .passwords import WeakPassword, check_strength, hash_password, needs_rehash, verify_password

log = logging.getLogger(__name__)


class AccountError(ValueError):
    """A request that cannot be done, with a message for the person who made it; ``field``
    names what the message is about (``role``, ``agency``), when a form should show it there."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise AccountError(_("Use only lower case letters, digits and hyphens, e.g. tax-office."))
    if agency_by_slug(session, slug) is not None:
        raise AccountError(_("There is already an agency %(slug)s.", slug=slug))
    agency = Agency(slug=slug, name=name)
    session.add(agency)
    session.flush()
    record(session, "agency.created", actor, agency_id=agency.id, details={"slug": slug, "name": name})
    security_event("admin.agency_created", "done", user=actor, agency=slug)
    return agency


# Why a role does not go with the agency chosen (one sentence a role, each translated whole).
ROLE_AND_AGENCY = {
    "author": _l("An author must belong to an agency."),
    "approver": _l("An approver must belong to an agency."),
    "auditor": _l("An auditor works across agencies and belongs to none."),
    "admin": _l("An administrator works across agencies and belongs to none."),
}


def approving_for(user: User) -> int | None:
    """The agency this person may approve for now, if any (before a change that may end it)."""
    return user.agency_id if user.role == "approver" and user.active else None


def left_without_approver(session: Session, agency_id: int | None) -> Agency | None:
    """The agency, when it is open and no active account of it may approve any more (after a
    person was moved, changed or disabled): its revisions would wait for no one."""
    if agency_id is None:
        return None
    agency = session.get(Agency, agency_id)
    if agency is None or agency.closed:
        return None
    approvers = session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.agency_id == agency_id, User.role == "approver", User.active)
    )
    return agency if not approvers else None


def _check_role_and_agency(role: str, agency: Agency | None) -> None:
    """Authors and approvers belong to one agency; auditors and administrators to none."""
    if role not in ROLES:
        raise AccountError(
            _("Unknown role %(role)s: choose one of %(roles)s.", role=role, roles=", ".join(ROLES)),
            field="role",
        )
    if (role in AGENCY_ROLES) != (agency is not None):
        raise AccountError(str(ROLE_AND_AGENCY[role]), field="agency")


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
    if address_problem(email) is not None:
        raise AccountError(_("Enter an email address like name@example.org."))
    _check_role_and_agency(role, agency)
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
    if active and user.agency is not None and user.agency.closed:
        raise AccountError(
            _(
                "The agency %(name)s is closed: move the person to another agency first.",
                name=user.agency.name,
            )
        )
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


def request_password_reset(session: Session, email: str) -> bool:
    """Mail a reset link to the account with this address, if there is an active one (the
    person who asked is told the same either way)."""
    user = user_by_email(session, email)
    if user is None or not user.active:
        security_event("password.reset_request", "ignored", email=normalise_email(email))
        return False
    notify(
        session,
        user,
        "password_reset",
        {"token": tokens.make_token(user, tokens.RESET), "hours": f"{tokens.max_age(tokens.RESET) / 3600:g}"},
    )
    record(session, "user.password_reset_requested", user, agency_id=user.agency_id)
    security_event("password.reset_request", "mailed", user=user)
    return True


def _set_own_password(session: Session, user: User, new: str) -> None:
    check_strength(new, current_app.config["PASSWORD_MIN_LENGTH"], user.email)
    user.password_hash = hash_password(new)
    user.password_changed_dt = now_utc()
    user.must_change_password = False
    end_sessions(user)
    session.flush()


def reset_password(session: Session, user: User, new: str) -> None:
    """A new password chosen through a reset link: every session of the person ends, and the
    link stops working (it was bound to the old password)."""
    _set_own_password(session, user, new)
    record(session, "user.password_reset", user, agency_id=user.agency_id)
    security_event("password.reset", "done", user=user)


def invite(session: Session, actor: User, email: str, name: str, role: str, agency: Agency | None) -> User:
    """Open an account for someone who chooses their own password through the link mailed to
    them. An approver invites authors and approvers of their own agency only."""
    if actor.role != "admin":
        if (
            actor.role != "approver"
            or agency is None
            or agency.id != actor.agency_id
            or role not in AGENCY_ROLES
        ):
            raise AccountError(_("You may invite authors and approvers of your own agency only."))
    _check_role_and_agency(role, agency)
    if agency is not None and agency.closed:
        raise AccountError(_("The agency %(name)s is closed.", name=agency.name), field="agency")
    pending = user_by_email(session, normalise_email(email))
    if pending is not None:
        user = _invite_again(session, actor, pending, role, agency)
    else:
        user = create_user(
            session, actor, email, name, role, agency, secrets.token_urlsafe(32), must_change_password=False
        )
        user.invited_dt = now_utc()
        session.flush()
        record(
            session,
            "user.invited",
            actor,
            agency_id=user.agency_id,
            details={"user_id": user.id, "email": user.email, "role": role},
        )
    notify(
        session,
        user,
        "invitation",
        {
            "token": tokens.make_token(user, tokens.INVITATION),
            "inviter": actor.name,
            # Keys, not words: the message is put into words in the invitee's language.
            "agency": agency.name if agency else "",
            "role": user.role,
            "days": f"{tokens.max_age(tokens.INVITATION) / 86400:g}",
        },
    )
    return user


def _invite_again(session: Session, actor: User, user: User, role: str, agency: Agency | None) -> User:
    """An invitation not taken up yet is sent again, with a new link (the one before stops
    working) and a new period to accept it in. Someone who already has an account is not
    invited: they can ask for a new password from the sign-in page."""
    if user.invited_dt is None or not user.active:
        raise AccountError(
            _(
                "There is already an account for %(email)s: they can ask for a new password "
                "from the sign-in page.",
                email=user.email,
            )
        )
    if user.role != role or user.agency_id != (agency.id if agency else None):
        raise AccountError(
            _(
                "%(email)s is already invited as %(role)s: invite them again with the same role "
                "and agency, or change the account once it is taken up.",
                email=user.email,
                role=str(user.role_label),
            )
        )
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.invited_dt = now_utc()
    session.flush()
    record(
        session,
        "user.invitation_resent",
        actor,
        agency_id=user.agency_id,
        details={"user_id": user.id, "email": user.email, "role": role},
    )
    return user


def accept_invitation(session: Session, user: User, password: str) -> None:
    _set_own_password(session, user, password)
    user.invited_dt = None
    session.flush()
    record(session, "user.invitation_accepted", user, agency_id=user.agency_id)


def change_user(
    session: Session, actor: User, user: User, name: str, role: str, agency: Agency | None
) -> dict:
    """An administrator changes a person's name, role or agency. A new role or agency ends
    the person's sessions (what they may do changed). Returns the changes."""
    _check_role_and_agency(role, agency)
    if agency is not None and agency.closed:
        raise AccountError(_("The agency %(name)s is closed.", name=agency.name), field="agency")
    if actor.id == user.id and role != user.role:
        raise AccountError(_("You cannot change your own role."), field="role")
    name = (name or "").strip() or user.name
    changes: dict = {}
    for field, value in (("name", name), ("role", role), ("agency_id", agency.id if agency else None)):
        if getattr(user, field) != value:
            changes[field] = {"from": getattr(user, field), "to": value}
            setattr(user, field, value)
    if not changes:
        return changes
    if "role" in changes or "agency_id" in changes:
        end_sessions(user)
    session.flush()
    record(
        session,
        "user.changed",
        actor,
        agency_id=user.agency_id,
        details={"user_id": user.id, "email": user.email, **changes},
    )
    security_event("admin.user_changed", "done", user=actor, account=user.email, changed=",".join(changes))
    return changes


def rename_agency(session: Session, actor: User, agency: Agency, name: str) -> None:
    name = name.strip()
    if not name:
        raise AccountError(_("Give the agency's name."))
    if name == agency.name:
        return
    before, agency.name = agency.name, name
    session.flush()
    record(session, "agency.renamed", actor, agency_id=agency.id, details={"from": before, "to": name})


def close_agency(session: Session, actor: User, agency: Agency, reason: str = "") -> int:
    """Close an agency: its people are disabled (their sessions end; an administrator may move
    one to another agency and enable them again); its published entries stay on the register.
    Returns how many accounts were disabled."""
    if agency.closed:
        raise AccountError(_("The agency %(name)s is closed already.", name=agency.name))
    agency.closed_dt = now_utc()
    people = session.scalars(sa.select(User).where(User.agency_id == agency.id, User.active)).all()
    for person in people:
        person.active = False
        end_sessions(person)
    session.flush()
    record(
        session,
        "agency.closed",
        actor,
        reason=reason,
        agency_id=agency.id,
        details={"slug": agency.slug, "disabled": [p.id for p in people]},
    )
    security_event("admin.agency_closed", "done", user=actor, agency=agency.slug)
    return len(people)


def set_notifications(session: Session, user: User, on: bool) -> None:
    if user.mail_notifications == on:
        return
    user.mail_notifications = on
    session.flush()
    record(session, "user.notifications_changed", user, agency_id=user.agency_id, details={"on": on})
