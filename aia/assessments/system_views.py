"""Views of a system's own record: its name and description, which its authors may correct."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.access import viewer
from ..extensions import db, questionnaire
from . import bp, services
from .forms import SystemForm
from .models import System
from .routes import _system


def published_name(system: System) -> str | None:
    """The name the public register shows: that of the latest published revision, as its
    questionnaire's name question answered it."""
    published = next((r for r in reversed(system.revisions) if r.status == "published"), None)
    if published is None:
        return None
    definition = questionnaire(published.questionnaire_key, published.questionnaire_version)
    return (definition.text_for("system_name", published.answers) if definition else "") or None


@bp.route("/systems/<uid>/edit", methods=["GET", "POST"])
def edit_system(uid: str):
    system = _system(uid, "edit")
    form = SystemForm(obj=system)
    if form.validate_on_submit():
        draft = system.draft
        definition = (
            questionnaire(draft.questionnaire_key, draft.questionnaire_version) if draft is not None else None
        )
        changes = services.edit_system(
            db.session,
            system,
            form.name.data or "",
            form.description.data or "",
            draft_definition=definition,
            actor=viewer(),
        )
        flash(_("Name and description saved.") if changes else _("Nothing was changed."), "success")
        return redirect(url_for(".system", uid=uid))
    if "csrf_token" in form.errors:
        flash(_("The form had expired: nothing was changed. Please save again."), "error")
    status = 422 if form.errors else 200
    return render_template(
        "assessments/edit_system.html", system=system, form=form, published_name=published_name(system)
    ), status
