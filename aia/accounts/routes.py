"""Signing in and out, one's own password, and the administrator's pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2

from ..extensions import db, limiter
from ..security_log import security_event
from . import (
    admin_routes,  # its views register on the blueprint
    bp,
    mfa,
    people_routes,  # noqa: F401  (its views register on the blueprint)
    queries,
    services,
    session_routes,  # noqa: F401  (its views register on the blueprint)
    sessions,
    throttle,
)
from .access import require
from .forms import (
    CodeForm,
    ConfirmForm,
    LoginForm,
    MfaDisableForm,
    MfaSetupForm,
    NewAgencyForm,
    NewUserForm,
    PasswordForm,
)
from .models import AGENCY_ROLES, User
from .passwords import WeakPassword, verify_password


def _person_key() -> str:
    """The person a limit counts for: the signed-in one, or the one halfway through signing in."""
    if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        return f"person:{current_user._get_current_object().id}"
    return f"person:{session.get('mfa_pending', {}).get('user', '')}"


def _failed(response) -> bool:
    """Only failed attempts count towards the limits: a success redirects."""
    return response.status_code != 302


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path of this site, else None. Browsers drop tabs and newlines
    and read a backslash as a slash, so ``/\t/evil.example`` would leave the site: any control
    character, space or backslash refuses the target."""
    if not target or any(ord(c) < 33 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _next() -> str | None:
    return safe_next(request.args.get("next"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        return redirect(_next() or url_for("assessments.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        # The form reads a posted form and a JSON body alike, so both are limited the same.
        account = services.normalise_email(form.email.data or "")
        try:
            if not throttle.admit(account):
                abort(429)
        except throttle.ThrottleUnavailable:
            return render_template(
                "errors/error.html",
                code=503,
                title=_("Sign-in is unavailable"),
                message=_(
                    "Sign-in cannot be checked just now, so no one can sign in. "
                    "The public register still works. Try again in a few minutes."
                ),
            ), 503
        user = services.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            throttle.succeeded(account)
        if user is not None and user.mfa_enabled:
            sessions.await_second_factor(user, _next())
            return redirect(url_for(".second_factor"))
        if user is not None:
            services.record_sign_in(db.session, user)
            kept = sessions.sign_in(user)
            return redirect(kept or _next() or url_for("assessments.index"))
        security_event("sign_in", "refused", email=services.normalise_email(form.email.data or ""))
        form.password.errors = [_("The email address or the password is not right.")]
        status = 401
    return render_template("accounts/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["MFA_LIMIT"], key_func=_person_key, methods=["POST"], deduct_when=_failed
)
def second_factor():
    user, target = sessions.awaiting_second_factor()
    if user is None:
        flash(_("Sign in again: the sign-in was not finished in time."), "info")
        return redirect(url_for(".login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        code = form.code.data or ""
        if mfa.accept_code(db.session, user, code) or mfa.use_recovery_code(db.session, user, code):
            services.record_sign_in(db.session, user)
            kept = sessions.sign_in(user)
            security_event("mfa.sign_in", "allowed", user=user)
            return redirect(kept or target or url_for("assessments.index"))
        security_event("mfa.sign_in", "refused", user=user, reason="wrong, used or old code")
        form.code.errors = [
            _("This code is not right, or was already used. Enter the code the app shows now.")
        ]
        status = 401
    return render_template("accounts/second_factor.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.sign_out(db.session, current_user._get_current_object())
    sessions.sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for(".login"))


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_CHANGE_LIMIT"],
    key_func=_person_key,
    methods=["POST"],
    deduct_when=_failed,
)
def password():
    user: User = current_user._get_current_object()
    form = PasswordForm()
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    form.new.description = form.new.description % {"min": min_length}
    if form.validate_on_submit():
        try:
            services.change_password(db.session, user, form.current.data or "", form.new.data or "")
        except WeakPassword as error:
            form.new.errors = [str(error)]
        except services.AccountError as error:
            security_event("password.change", "refused", user=user, reason="current password wrong")
            form.current.errors = [str(error)]
        else:
            kept = sessions.sign_in(user)  # this session goes on, renewed; every other one has ended
            security_event("password.change", "done", user=user)
            flash(_("Password changed. Your other sessions have been signed out."), "success")
            return redirect(kept or url_for("assessments.index"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200


@bp.route("/account/second-factor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["MFA_LIMIT"], key_func=_person_key, methods=["POST"], deduct_when=_failed
)
def mfa_setup():
    """Set up, or remove, one's second factor."""
    user: User = current_user._get_current_object()
    if user.mfa_enabled:
        disable_form = MfaDisableForm()
        if disable_form.validate_on_submit():
            if sessions.mfa_required(user):
                flash(_("Your role needs a second factor: it cannot be removed."), "error")
            elif verify_password(user.password_hash, disable_form.password.data or ""):
                mfa.disable(db.session, user)
                sessions.sign_in(user)  # the other sessions ended with it
                flash(_("Second factor removed."), "success")
                return redirect(url_for(".mfa_setup"))
            else:
                security_event("mfa.disable", "refused", user=user, reason="wrong password")
                disable_form.password.errors = [_("The password is not right.")]
        return render_template(
            "accounts/mfa.html",
            user=user,
            disable_form=disable_form,
            required=sessions.mfa_required(user),
            codes_left=mfa.recovery_codes_left(db.session, user),
        ), 422 if disable_form.errors else 200
    form = MfaSetupForm()
    secret = session.get("mfa_new_secret") or mfa.new_secret()
    session["mfa_new_secret"] = secret
    if form.validate_on_submit():
        codes = mfa.enable(db.session, user, secret, form.code.data or "")
        if codes is not None:
            session.pop("mfa_new_secret", None)
            return render_template(
                "accounts/recovery_codes.html", codes=codes, next=sessions.pending_form_path(user)
            )
        security_event("mfa.enable", "refused", user=user, reason="wrong code")
        form.code.errors = [
            _("This code is not right. Check the key in the app, then enter the 6 digits it shows now.")
        ]
    return render_template(
        "accounts/mfa_setup.html",
        form=form,
        secret=secret,
        uri=mfa.provisioning_uri(user, secret),
        required=sessions.mfa_required(user),
    ), 422 if form.errors else 200


@bp.route("/admin/users", methods=["GET", "POST"])
def users():
    actor = require("manage_accounts")
    form = NewUserForm()
    agencies = queries.agencies(db.session)
    form.agency.choices = [SelectChoice(0, _("No agency"))] + [SelectChoice(a.id, a.name) for a in agencies]
    if form.validate_on_submit():
        agency = next((a for a in agencies if a.id == form.agency.data), None)
        try:
            user = services.create_user(
                db.session,
                actor,
                form.email.data or "",
                form.name.data or "",
                form.role.data,
                agency,
                form.password.data or "",
            )
        except WeakPassword as error:
            form.password.errors = [str(error)]
        except services.AccountError as error:
            form[error.field or "email"].errors = [str(error)]
        else:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template(
        "accounts/users.html",
        form=form,
        users=queries.users(db.session),
        confirm=ConfirmForm(),
        agency_roles=AGENCY_ROLES,
    ), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):
    actor = require("manage_accounts")
    user = queries.user_or_404(db.session, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        was_approving = services.approving_for(user)
        try:
            services.set_active(db.session, actor, user, active)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            message = _("%(email)s enabled.") if active else _("%(email)s disabled and signed out.")
            flash(message % {"email": user.email}, "success")
            if not active:
                admin_routes.warn_if_left_without_approver(was_approving)
    return redirect(url_for(".users"))


@bp.route("/admin/users/<int:user_id>/second-factor", methods=["POST"])
def reset_second_factor(user_id: int):
    """For a person who lost their phone and their recovery codes: they set it up again."""
    actor = require("manage_accounts")
    user = queries.user_or_404(db.session, user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and user.mfa_enabled:
        mfa.disable(db.session, user, actor=actor)
        flash(
            _(
                "Second factor of %(email)s removed: they set it up again at their next sign-in.",
                email=user.email,
            ),
            "success",
        )
    return redirect(url_for(".users"))


@bp.route("/admin/agencies", methods=["GET", "POST"])
def agencies():
    actor = require("manage_accounts")
    form = NewAgencyForm()
    if form.validate_on_submit():
        try:
            agency = services.create_agency(db.session, actor, form.slug.data or "", form.name.data or "")
        except services.AccountError as error:
            form.slug.errors = [str(error)]
        else:
            flash(_("Agency %(name)s created.", name=agency.name), "success")
            return redirect(url_for(".agencies"))
    return render_template(
        "accounts/agencies.html", form=form, agencies=queries.agencies(db.session)
    ), 422 if form.errors else 200
