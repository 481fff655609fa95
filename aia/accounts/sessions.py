"""Signed-in sessions: deny by default, end after inactivity or when revoked, a fresh session
at every sign-in and sign-out, and a step form posted just after the session ended kept until
its author signs in again.

The browser keeps the session cookie for the idle limit plus ``KEPT_FORM_HOURS``; the server
ends the session after the idle limit. So a form posted after the idle limit still reaches the
server with the ended session, which tells whose it was. It is kept only when:

- the ended session names an active account (a signed cookie: nobody else can make one);
- it ended no longer ago than ``KEPT_FORM_HOURS``;
- it carries that session's CSRF token (no other site can post it);
- the page registered a keeper (``keeps_form_on_expiry``), and the keeper accepts it: for a
  step, a real step of a draft this person may edit, with only that step's fields, each no
  larger than its question allows;
- this person has not kept more than ``KEPT_FORM_LIMIT`` forms lately.

One form is kept per person (a new one replaces the last). It is saved when that person signs
in again in the same browser, and dropped after ``KEPT_FORM_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import ValidationError, validate_csrf
from limits import parse_many
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from ..db import Session, now_utc
from ..extensions import db, limiter, login_manager
from ..i18n import _l
from ..security_log import security_event
from .access import may
from .models import ROLE_LABELS, PendingForm, User
from .passwords import hasher_for

# Pages anyone may open; every other endpoint needs a signed-in person.
PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "accounts.login",
        "accounts.second_factor",
        "accounts.session_status",
        "accounts.forgot_password",
        "accounts.reset_password",
        "accounts.accept_invitation",
    }
)
PUBLIC_BLUEPRINTS = frozenset({"register", "i18n", "ops"})  # ops: probes; /metrics asks its token
# Pages a signed-in person may use while the app waits for them to set up a second factor or
# to choose their own password.
WHILE_SETTING_UP = frozenset({"accounts.logout", "accounts.password", "accounts.mfa_setup"})

# endpoint -> a function that, given the person whose session just ended, returns the posted
# fields worth keeping for them, or None when nothing may be kept. Registered by the packages
# that own the pages (the wizard's steps).
FormKeeper = Callable[[User], list[tuple[str, str]] | None]
FORM_KEEPERS: dict[str, FormKeeper] = {}


def keeps_form_on_expiry(endpoint: str) -> Callable[[FormKeeper], FormKeeper]:
    def register(keeper: FormKeeper) -> FormKeeper:
        FORM_KEEPERS[endpoint] = keeper
        return keeper

    return register


def init_app(app: Flask) -> None:
    app.extensions["aia.password_hasher"] = hasher_for(app.config["PASSWORD_HASH_PROFILE"])
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to go on.")
    login_manager.localize_callback = str  # in the language of the page that asked
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.config["PERMANENT_SESSION_LIFETIME"] = cookie_lifetime(app)
    app.before_request(require_session)
    app.jinja_env.globals.update(
        session_idle_seconds=idle_seconds,
        session_warning_seconds=warning_seconds,
        session_idle_words=idle_words,
        may_do=may_do,
        ROLE_LABELS=ROLE_LABELS,
    )


def may_do(action: str, system=None) -> bool:
    """For templates: whether the signed-in person may do ``action`` (to ``system``), so that
    a page offers only the links that lead somewhere for them."""
    user = current_user._get_current_object()
    return isinstance(user, User) and bool(user.is_authenticated) and may(user, action, system)


def idle_seconds() -> float:
    return float(current_app.config["SESSION_IDLE_MINUTES"]) * 60


def idle_words() -> str:
    """The idle limit as people read it: "30 minutes" (or seconds, when it is that short)."""
    seconds = idle_seconds()
    if seconds < 60:
        return _("%(count)s seconds", count=f"{seconds:g}")
    return _("%(count)s minutes", count=f"{seconds / 60:g}")


def warning_seconds() -> float:
    """How long before the idle limit the page warns: SESSION_WARNING_MINUTES, or half the
    limit when that is shorter."""
    return min(float(current_app.config["SESSION_WARNING_MINUTES"]) * 60, idle_seconds() / 2)


def kept_seconds() -> float:
    return float(current_app.config["KEPT_FORM_HOURS"]) * 3600


def cookie_lifetime(app: Flask) -> dt.timedelta:
    """The browser keeps the cookie past the idle limit, for the server to see it ended."""
    return dt.timedelta(
        minutes=float(app.config["SESSION_IDLE_MINUTES"]), hours=float(app.config["KEPT_FORM_HOURS"])
    )


def load_user(session_user_id: str) -> User | None:
    """The person of a session ``"<id>:<generation>"``; None once the generation moved on."""
    user_id, _, generation = session_user_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    # The agency comes in the same statement: every signed-in page names it.
    user = db.session.get(User, int(user_id), options=[joinedload(User.agency)])
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def is_public(endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404 / 405 through
        return True
    return endpoint in PUBLIC_ENDPOINTS or endpoint.partition(".")[0] in PUBLIC_BLUEPRINTS


# What a new session keeps of the one before: preferences, nothing that grants or carries data.
CARRIED_OVER = ("lang",)


def renew() -> None:
    """A new session: nothing of the one before (its CSRF token, a kept form, a half-done
    sign-in) carries over, so a cookie planted before sign-in is worth nothing after it; only
    the visitor's choice of language does."""
    kept = {key: session[key] for key in CARRIED_OVER if key in session}
    session.clear()
    session.update(kept)
    g.pop("csrf_token", None)  # Flask-WTF's copy of the old token for this request


def sign_in(user: User) -> str | None:
    """Start a fresh session for ``user`` (password and, where needed, second factor checked).
    Returns the page of a form kept for this person in this browser, to be saved there."""
    kept = _pending(db.session, user)
    renew()
    login_user(user)
    session.permanent = True
    session["seen"] = time.time()
    if kept is not None:
        session["pending_form"] = kept.token
        return kept.path
    return None


# Seconds between the password and the code of one sign-in.
SECOND_FACTOR_SECONDS = 300


def await_second_factor(user: User, target: str | None) -> None:
    """The password was right; the person now owes a code. A fresh session holds only that
    (and a form kept for them), not a signed-in person."""
    kept = _pending(db.session, user)
    renew()
    session["mfa_pending"] = {"user": user.get_id(), "at": int(time.time()), "next": target}
    if kept is not None:
        session["pending_form"] = kept.token


def awaiting_second_factor() -> tuple[User | None, str | None]:
    """The person halfway through signing in, and where they were going."""
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SECOND_FACTOR_SECONDS:
        return None, None
    user = load_user(str(pending.get("user", "")))
    if user is None or not user.mfa_enabled:
        return None, None
    return user, pending.get("next")


def sign_out() -> None:
    logout_user()
    renew()


def require_session():
    if is_public(request.endpoint):
        return None
    if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        user: User = current_user._get_current_object()
        now = time.time()
        if now - session.get("seen", 0) <= idle_seconds():
            session["seen"] = now
            return _setting_up(user)
        logout_user()
        flash(_("You were signed out after %(limit)s without activity.", limit=idle_words()), "info")
        ended: User | None = user
    else:
        ended = _ended_session_owner()
    if request.method == "POST" and ended is not None and keep_form(ended):
        flash(_("Your answers are kept: they will be saved as soon as you sign in again."), "info")
    return login_manager.unauthorized()


def _setting_up(user: User):
    """Until a person has chosen their own password and, where their role requires one, set
    up a second factor, that is all the app lets them do."""
    if request.endpoint in WHILE_SETTING_UP:
        return None
    if user.must_change_password:
        flash(
            _("Choose your own password to go on: the one you were given was set by an administrator."),
            "info",
        )
        return redirect(url_for("accounts.password"))
    if mfa_required(user) and not user.mfa_enabled:
        flash(_("Your role needs a second factor: set one up to go on."), "info")
        return redirect(url_for("accounts.mfa_setup"))
    return None


def mfa_required(user: User) -> bool:
    return user.role in current_app.config["MFA_REQUIRED_ROLES"]


def _ended_session_owner() -> User | None:
    """The active person whose session this browser held until lately (revoked on another
    device, or ended while the app was restarted), if the session says so."""
    user_id = str(session.get("_user_id", "")).partition(":")[0]
    if not user_id.isdigit() or time.time() - session.get("seen", 0) > idle_seconds() + kept_seconds():
        return None
    # The agency comes in the same statement: every signed-in page names it.
    user = db.session.get(User, int(user_id), options=[joinedload(User.agency)])
    return user if user is not None and user.active else None


def keep_form(owner: User) -> bool:
    """Keep the posted form for ``owner`` if its page allows it (see the module's rules)."""
    keeper = FORM_KEEPERS.get(request.endpoint or "")
    if keeper is None:
        return False
    try:
        validate_csrf(request.form.get("csrf_token"), time_limit=int(idle_seconds() + kept_seconds()))
    except ValidationError:
        security_event("kept_form", "refused", user=owner, reason="CSRF token missing or not this session's")
        return False
    fields = keeper(owner)
    if fields is None:
        security_event("kept_form", "refused", user=owner, reason="not a step this person may edit")
        return False
    if not all(limiter.limiter.hit(limit, "kept-form", str(owner.id)) for limit in _kept_form_limits()):
        security_event("kept_form", "refused", user=owner, reason="rate limited")
        return False
    too_old = now_utc() - dt.timedelta(seconds=kept_seconds())
    db.session.execute(
        sa.delete(PendingForm).where(
            sa.or_(PendingForm.created_dt < too_old, PendingForm.user_id == owner.id)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(PendingForm(token=token, user_id=owner.id, path=request.path, form=fields))
    session["pending_form"] = token
    return True


def _kept_form_limits():
    return parse_many(current_app.config["KEPT_FORM_LIMIT"])


def pending_form_path(user: User) -> str | None:
    """Where to go after sign-in to save a kept form, if there is one for this person."""
    pending = _pending(db.session, user)
    return pending.path if pending else None


def take_pending_form(db_session: Session, user: User, path: str) -> MultiDict | None:
    """The form kept for this person and page, removed from the store (used once)."""
    pending = _pending(db_session, user)
    if pending is None or pending.path != path:
        return None
    session.pop("pending_form", None)
    db_session.execute(sa.delete(PendingForm).where(PendingForm.token == pending.token))
    return MultiDict([tuple(pair) for pair in pending.form])


def _pending(db_session: Session, user: User) -> PendingForm | None:
    token = session.get("pending_form")
    if not token:
        return None
    pending = db_session.get(PendingForm, token)
    too_old = now_utc() - dt.timedelta(seconds=kept_seconds())
    if pending is None or pending.created_dt < too_old or pending.user_id != user.id:
        session.pop("pending_form", None)
        return None
    return pending
