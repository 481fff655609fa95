"""Choosing one's password through a mailed link (a reset asked for at sign-in, an
invitation), and one's choice of notifications."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db, limiter
from . import bp, services, sessions, tokens
from .forms import ForgotPasswordForm, NewPasswordForm, NotificationsForm
from .models import User
from .passwords import WeakPassword


def _asked_account() -> str:
    """The account a reset request names: a limit per account, whoever asks."""
    return "reset:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], key_func=_asked_account, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(db.session, form.email.data or "")
        # The same answer whether or not the address has an account.
        flash(
            _(
                "If an account uses this address, a link to choose a new password is on its way. "
                "It works once, for %(hours)s hours.",
                hours=f"{tokens.max_age(tokens.RESET) / 3600:g}",
            ),
            "info",
        )
        return redirect(url_for(".login"))
    return render_template("accounts/forgot.html", form=form), 422 if form.errors else 200


def _choose_password(user: User, purpose: str, template: str):
    form = NewPasswordForm()
    form.new.description = form.new.description % {"min": current_app.config["PASSWORD_MIN_LENGTH"]}
    if form.validate_on_submit():
        try:
            if purpose == tokens.RESET:
                services.reset_password(db.session, user, form.new.data or "")
            else:
                services.accept_invitation(db.session, user, form.new.data or "")
        except WeakPassword as error:
            form.new.errors = [str(error)]
        else:
            kept = sessions.sign_in(user)
            if purpose == tokens.RESET:
                flash(_("Password changed. Every other session of yours has been signed out."), "success")
            else:
                flash(_("Welcome. Your account is ready."), "success")
            return redirect(kept or url_for("assessments.index"))
    return render_template(template, form=form, user=user), 422 if form.errors else 200


def _link_refused():
    return render_template(
        "errors/error.html",
        code=404,
        title=_("This link does not work"),
        message=_("It was used already, or it expired. Ask for a new one."),
    ), 404


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = tokens.user_for_token(db.session, token, tokens.RESET)
    if user is None:
        return _link_refused()
    return _choose_password(user, tokens.RESET, "accounts/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    user = tokens.user_for_token(db.session, token, tokens.INVITATION)
    if user is None or user.invited_dt is None:
        return _link_refused()
    return _choose_password(user, tokens.INVITATION, "accounts/invitation.html")


@bp.route("/account/notifications", methods=["GET", "POST"])
def notifications():
    user: User = current_user._get_current_object()
    form = NotificationsForm(data={"mail_notifications": user.mail_notifications})
    if form.validate_on_submit():
        services.set_notifications(db.session, user, bool(form.mail_notifications.data))
        flash(_("Your choice is saved."), "success")
        return redirect(url_for(".notifications"))
    return render_template("accounts/notifications.html", form=form)
