"""Thin views: publish an approved revision, withdraw a published one."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import require, viewer
from ..accounts.models import User
from ..assessments import lifecycle
from ..assessments import queries as assessment_queries
from ..assessments.forms import ReasonForm
from ..assessments.models import Revision
from ..db import Session
from ..engine.messages import N_
from ..extensions import csrf, db
from ..jobs import jobs
from ..report.store import report_languages
from . import bp, services
from .jobs import ACTIVE, job_of, request_publication

# What a revision's page says once the action is done: whole sentences, so that each language
# can put the words in its own order and agree them with "revision".
DONE = {"withdraw": N_("Revision %(number)s withdrawn.")}


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
    flash(_(DONE[action], number=revision.number), "success")  # noqa: INT001  # marked in DONE
    return back


@bp.route("/systems/<uid>/revisions/<int:number>/publish", methods=["GET"])
def confirm(uid: str, number: int):
    """Before anything becomes public: what will be, and one button to go ahead. Reached from
    the revision's page by a link, so it needs no script."""
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    user = require("publish", system)
    revision = assessment_queries.revision_or_404(db.session, system, number)
    if "publish" not in lifecycle.allowed_actions(db.session, user, revision):
        flash(
            lifecycle.publication_refusal(revision)
            or _("Revision %(number)s cannot be published now.", number=revision.number),
            "error",
        )
        return redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    published = next((r for r in system.revisions if r.status == "published"), None)
    return render_template(
        "publishing/confirm.html",
        system=system,
        revision=revision,
        replaces=published,
        languages=report_languages(db.session, revision),
        reason_form=ReasonForm(),
    )


@bp.route("/systems/<uid>/revisions/<int:number>/publish", methods=["POST"])
@csrf.exempt  # checked by ReasonForm, which says what happened on the revision's page
def publish(uid: str, number: int):
    """Hand the publication to the job queue and show its progress: the render never holds
    this request."""
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    user = require("publish", system)
    revision = assessment_queries.revision_or_404(db.session, system, number)
    if not ReasonForm().validate_on_submit():
        flash(_("The form expired: nothing was done. Please try again."), "error")
        return redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    try:
        job, new = request_publication(db.session, user, revision, ReasonForm().reason.data or "")
    except lifecycle.NotPermitted:
        abort(403)
    except lifecycle.TransitionRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    # The worker reads the job from the database: it must be there before the queue has it.
    db.session.commit()
    if new:
        jobs.enqueue("publish", job_id=job.id, attempts_allowed=int(current_app.config["PUBLISH_ATTEMPTS"]))
    return redirect(url_for("publishing.progress", uid=uid, number=number), 303)


def _job_of(uid: str, number: int):
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    require("publish", system)
    revision = assessment_queries.revision_or_404(db.session, system, number)
    return system, revision, job_of(db.session, revision)


@bp.route("/systems/<uid>/revisions/<int:number>/publication")
def progress(uid: str, number: int):
    """Where a publication stands: waiting or rendering (the page offers to check again, and
    a small script checks by itself), failed (with the reason, and a way to try again), or
    done (on to the revision, now published)."""
    system, revision, job = _job_of(uid, number)
    if job is None:  # never handed to the queue (published before there was one, or not yet)
        return redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    if job.state == "done":
        flash(_("Revision %(number)s published.", number=revision.number), "success")
        return redirect(url_for("assessments.revision", uid=uid, number=number), 303)
    return render_template(
        "publishing/progress.html", system=system, revision=revision, job=job, waiting=job.state in ACTIVE
    )


@bp.route("/systems/<uid>/revisions/<int:number>/publication.json")
def progress_status(uid: str, number: int):
    _, _, job = _job_of(uid, number)
    if job is None:
        response = jsonify(state="none", attempts=0, waiting=False)
    else:
        response = jsonify(state=job.state, attempts=job.attempts, waiting=job.state in ACTIVE)
    response.cache_control.no_store = True
    return response


@bp.route("/systems/<uid>/revisions/<int:number>/withdraw", methods=["POST"])
@csrf.exempt  # checked by ReasonForm, which says what happened on the revision's page
def withdraw(uid: str, number: int):
    return _act(uid, number, "withdraw", services.withdraw)
