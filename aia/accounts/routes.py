"""Signing in and out, one's own password, and the administrator's pages."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2

from ..extensions import db
from . import bp, queries, services, sessions, throttle
from .access import require
from .forms import ConfirmForm, LoginForm, NewAgencyForm, NewUserForm, PasswordForm
from .models import AGENCY_ROLES, User
from .passwords import WeakPassword


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
        return redirect(_safe_next() or url_for("assessments.index"))
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
            login_user(user)
            sessions.start(user)
            return redirect(sessions.pending_form_path(user) or _safe_next() or url_for("assessments.index"))
        form.password.errors = [_("The email address or the password is not right.")]
        status = 401
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.sign_out(db.session, current_user._get_current_object())
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for(".login"))


@bp.route("/account/password", methods=["GET", "POST"])
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
            form.current.errors = [str(error)]
        else:
            login_user(user)  # this session goes on; every other one has ended
            sessions.start(user)
            flash(_("Password changed. Your other sessions have been signed out."), "success")
            return redirect(url_for("assessments.index"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200


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
            form.email.errors = [str(error)]
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
        try:
            services.set_active(db.session, actor, user, active)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            message = _("%(email)s enabled.") if active else _("%(email)s disabled and signed out.")
            flash(message % {"email": user.email}, "success")
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
