"""Signed-in sessions: deny by default, end after inactivity or when revoked, and keep a step
form posted after the session ended until its author signs in again."""

from __future__ import annotations

import datetime as dt
import secrets
import time

import sqlalchemy as sa
from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import ValidationError, validate_csrf
from werkzeug.datastructures import MultiDict

from ..db import Session, now_utc
from ..extensions import db, limiter, login_manager
from ..i18n import _l
from .models import PendingForm, User
from .passwords import hasher_for

# Pages anyone may open; every other endpoint needs a signed-in person.
PUBLIC_ENDPOINTS = frozenset({"static", "accounts.login"})
PUBLIC_BLUEPRINTS = frozenset({"register", "i18n"})
# Endpoints whose posted form is kept when the session has ended (see stash_form).
KEPT_ON_EXPIRY = frozenset({"assessments.step"})
PENDING_FORM_HOURS = 24


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
    app.permanent_session_lifetime = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    app.before_request(require_session)


def load_user(session_user_id: str) -> User | None:
    """The person of a session ``"<id>:<generation>"``; None once the generation moved on."""
    user_id, _, generation = session_user_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def is_public(endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404 / 405 through
        return True
    return endpoint in PUBLIC_ENDPOINTS or endpoint.partition(".")[0] in PUBLIC_BLUEPRINTS


def start(user: User) -> None:
    """Mark a fresh sign-in (called right after login_user)."""
    session.permanent = True
    session["seen"] = int(time.time())


def require_session():
    if is_public(request.endpoint):
        return None
    owner = _session_user_id()  # before signing out below clears it
    if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
        now = int(time.time())
        if now - session.get("seen", 0) <= idle:
            session["seen"] = now
            return None
        logout_user()
        flash(
            _(
                "You were signed out after %(num)d minutes without activity.",
                num=current_app.config["SESSION_IDLE_MINUTES"],
            ),
            "info",
        )
    if request.method == "POST" and request.endpoint in KEPT_ON_EXPIRY and stash_form(owner):
        flash(_("Your answers are kept: they will be saved as soon as you sign in again."), "info")
    return login_manager.unauthorized()


def _session_user_id() -> int | None:
    """The person this browser's (ended) session belonged to, if it says."""
    user_id = str(session.get("_user_id", "")).partition(":")[0]
    return int(user_id) if user_id.isdigit() else None


def stash_form(owner: int | None) -> bool:
    """Keep the posted form for replay after sign-in; only a form carrying this browser
    session's CSRF token is kept, so no other site can plant answers."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    token = secrets.token_urlsafe(32)
    too_old = now_utc() - dt.timedelta(hours=PENDING_FORM_HOURS)
    db.session.execute(sa.delete(PendingForm).where(PendingForm.created_dt < too_old))
    db.session.add(
        PendingForm(token=token, user_id=owner, path=request.path, form=list(request.form.items(multi=True)))
    )
    session["pending_form"] = token
    return True


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
    too_old = now_utc() - dt.timedelta(hours=PENDING_FORM_HOURS)
    if pending is None or pending.created_dt < too_old or pending.user_id not in (None, user.id):
        session.pop("pending_form", None)
        return None
    return pending
