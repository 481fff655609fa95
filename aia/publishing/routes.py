"""Thin views: publish an approved revision, withdraw a published one."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import require, viewer
from ..accounts.models import User
from ..assessments import lifecycle
from ..assessments import queries as assessment_queries
from ..assessments.forms import ReasonForm
from ..assessments.models import Revision
from ..db import Session
from ..extensions import csrf, db
from . import bp, services


def _act(
    uid: str, number: int, action: str, apply: Callable[[Session, User, Revision, str], Revision]
) -> Response:
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    user = require(action, system)
    revision = assessment_queries.revision_or_404(db.session, system, number)
    # Whatever happens, the revision's page says it (a flash message), and the person's
    # browser goes back there.
    back = redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    if not ReasonForm().validate_on_submit():
        flash(_("The form expired: nothing was done. Please try again."), "error")
        return back
    try:
        apply(db.session, user, revision, ReasonForm().reason.data or "")
    except lifecycle.NotPermitted:
        abort(403)
    except lifecycle.TransitionRefused as refused:
        flash(str(refused), "error")
        return back
    flash(f"Revision {revision.number} {lifecycle.PAST[action]}.", "success")
    return back


@bp.route("/systems/<uid>/revisions/<int:number>/publish", methods=["POST"])
@csrf.exempt  # checked by ReasonForm, which says what happened on the revision's page
def publish(uid: str, number: int):
    return _act(uid, number, "publish", services.publish)


@bp.route("/systems/<uid>/revisions/<int:number>/withdraw", methods=["POST"])
@csrf.exempt  # checked by ReasonForm, which says what happened on the revision's page
def withdraw(uid: str, number: int):
    return _act(uid, number, "withdraw", services.withdraw)
