"""The fundamental rights impact assessment's documents: the notification to the market
surveillance authority and the EU database registration of a public deployer, as JSON, and the
date the notification was sent, recorded beside the revision (see fria.py)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _

from ..accounts.access import require
from ..db import now_utc
from ..extensions import db, questionnaire
from . import bp, fria, queries
from .forms import FriaNotifiedForm
from .models import Revision, System
from .routes import _system, revision_page

REV = "/systems/<uid>/revisions/<int:number>/fria"


def _fria_revision(uid: str, number: int, action: str = "read") -> tuple[System, Revision, Any]:
    system = _system(uid, action)
    revision = queries.revision_or_404(db.session, system, number)
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version)
    if definition is None or not fria.is_fria(revision):
        abort(404)
    return system, revision, definition


def _json(document: dict[str, Any], name: str) -> Response:
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route(REV + "/notification.json")
def fria_notification(uid: str, number: int):
    system, revision, definition = _fria_revision(uid, number)
    document = fria.notification(db.session, revision, definition)
    return _json(document, f"{system.uid}-revision-{revision.number}-fria-notification.json")


@bp.route(REV + "/registration.json")
def fria_registration(uid: str, number: int):
    system, revision, definition = _fria_revision(uid, number)
    if not fria.registers(revision):
        abort(404)  # only a public deployer registers its use (Article 49(3))
    document = fria.registration(revision, definition)
    return _json(document, f"{system.uid}-revision-{revision.number}-eu-database-registration.json")


@bp.route(REV + "/notified", methods=["POST"])
def fria_notified(uid: str, number: int):
    system, revision, _definition = _fria_revision(uid, number, "edit")
    user = require("edit", system)
    form = FriaNotifiedForm()
    sent_on = form.sent_on.data if form.validate_on_submit() else None
    if sent_on is not None:
        if sent_on > now_utc().date():
            form.sent_on.errors = [_("The date cannot be in the future.")]
        elif sent_on < revision.submitted_dt.date():
            form.sent_on.errors = [_("The date cannot be before the revision was submitted.")]
        else:
            fria.record_notified(db.session, revision, sent_on, user)
            db.session.commit()
            flash(_("The date the notification was sent is recorded."), "success")
            return redirect(url_for(".revision", uid=uid, number=number, _anchor="fria-notification"))
    return revision_page(system, revision, status=422, fria_form=form)
