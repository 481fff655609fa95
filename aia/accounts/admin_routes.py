"""The administrator's pages beyond the lists of people and agencies: inviting (an agency's
approver may too, for their agency), changing a person, renaming and closing an agency, and
the outbox of mail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2

from ..extensions import db
from ..mail import queries as mail_queries
from ..mail import services as mail_services
from ..mail.kinds import FAILURE_LABELS, KIND_LABELS, STATE_LABELS
from ..mail.models import STATES as MAIL_STATES
from . import bp, queries, services
from .access import require, viewer
from .forms import CloseAgencyForm, ConfirmForm, EditUserForm, InviteForm, RenameAgencyForm
from .models import AGENCY_ROLES, ROLE_LABELS, Agency
from .passwords import WeakPassword


def _agency_choices(agencies: list[Agency], with_none: bool = True) -> list[SelectChoice]:
    open_agencies = [SelectChoice(a.id, a.name) for a in agencies if not a.closed]
    return ([SelectChoice(0, _("No agency"))] if with_none else []) + open_agencies


@bp.route("/invitations", methods=["GET", "POST"])
def invite():
    actor = viewer()
    if actor.role not in ("admin", "approver"):
        abort(403)
    form = InviteForm()
    agencies = queries.agencies(db.session)
    if actor.role == "admin":
        form.role.choices = [SelectChoice(k, v) for k, v in ROLE_LABELS.items()]
        form.agency.choices = _agency_choices(agencies)
    else:
        form.role.choices = [SelectChoice(k, ROLE_LABELS[k]) for k in AGENCY_ROLES]
        form.agency.choices = [SelectChoice(a.id, a.name) for a in agencies if a.id == actor.agency_id]
    if form.validate_on_submit():
        agency = next((a for a in agencies if a.id == form.agency.data), None)
        try:
            user = services.invite(
                db.session, actor, form.email.data or "", form.name.data or "", form.role.data, agency
            )
        except services.AccountError as error:
            form[error.field or "email"].errors = [str(error)]
        else:
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for(".invite"))
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    actor = require("manage_accounts")
    user = queries.user_or_404(db.session, user_id)
    agencies = queries.agencies(db.session)
    form = EditUserForm(data={"name": user.name, "role": user.role, "agency": user.agency_id or 0})
    form.agency.choices = _agency_choices(agencies)
    if form.validate_on_submit():
        agency = next((a for a in agencies if a.id == form.agency.data), None)
        was_approving = services.approving_for(user)
        try:
            changes = services.change_user(
                db.session, actor, user, form.name.data or "", form.role.data, agency
            )
        except services.AccountError as error:
            form[error.field or "role"].errors = [str(error)]
        except WeakPassword as error:
            form.role.errors = [str(error)]
        else:
            if changes:
                flash(_("%(email)s changed.", email=user.email), "success")
                warn_if_left_without_approver(was_approving)
            return redirect(url_for(".users"))
    return render_template("accounts/user_edit.html", form=form, user=user), 422 if form.errors else 200


def warn_if_left_without_approver(agency_id: int | None) -> None:
    """After a change to a person who could approve for ``agency_id``: say so when the agency
    has no one left who can."""
    agency = services.left_without_approver(db.session, agency_id)
    if agency is not None:
        flash(
            _(
                "%(agency)s has no approver now: its revisions cannot be approved or published "
                "until someone there is made an approver.",
                agency=agency.name,
            ),
            "warning",
        )


def _agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        abort(404)
    return agency


@bp.route("/admin/agencies/<int:agency_id>", methods=["GET", "POST"])
def edit_agency(agency_id: int):
    actor = require("manage_accounts")
    agency = _agency_or_404(agency_id)
    form = RenameAgencyForm(data={"name": agency.name})
    if form.validate_on_submit():
        try:
            services.rename_agency(db.session, actor, agency, form.name.data or "")
        except services.AccountError as error:
            form.name.errors = [str(error)]
        else:
            flash(_("Agency renamed %(name)s.", name=agency.name), "success")
            return redirect(url_for(".agencies"))
    return render_template(
        "accounts/agency_edit.html", form=form, close_form=CloseAgencyForm(), agency=agency
    ), 422 if form.errors else 200


@bp.route("/admin/agencies/<int:agency_id>/close", methods=["POST"])
def close_agency(agency_id: int):
    actor = require("manage_accounts")
    agency = _agency_or_404(agency_id)
    form = CloseAgencyForm()
    if form.validate_on_submit():
        try:
            disabled = services.close_agency(db.session, actor, agency, form.reason.data or "")
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            flash(
                _("Agency %(name)s closed; %(count)d accounts disabled.", name=agency.name, count=disabled),
                "success",
            )
    return redirect(url_for(".agencies"))


@bp.route("/admin/mail")
def mail_outbox():
    require("manage_accounts")
    state = request.args.get("state")
    state = state if state in MAIL_STATES else None
    return render_template(
        "accounts/mail_outbox.html",
        messages=mail_queries.messages(db.session, state),
        counts=mail_queries.counts(db.session),
        state=state,
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        failure_labels=FAILURE_LABELS,
        confirm=ConfirmForm(),
    )


@bp.route("/admin/mail/<int:message_id>/again", methods=["POST"])
def mail_again(message_id: int):
    require("manage_accounts")
    message = mail_queries.message_or_none(db.session, message_id)
    if message is None:
        abort(404)
    if ConfirmForm().validate_on_submit() and message.state == "failed":
        mail_services.queue_again(db.session, message)
        flash(_("The message will be tried again."), "success")
    return redirect(url_for(".mail_outbox"))
