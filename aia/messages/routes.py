"""Thin views: the agency's queue of messages from the public, and answering one."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.access import PERMISSIONS, viewer, visible_to
from ..assessments.models import System
from ..extensions import db
from ..register.models import Feedback
from ..register.services import RegisterError
from . import bp, services
from .forms import AnswerFeedbackForm

STATES = ("open", "answered", "closed")


@bp.route("/feedback")
def queue():
    user = viewer()
    if user.role not in PERMISSIONS["read"]:
        abort(403)
    state = request.args.get("state", "open")
    state = state if state in STATES else "open"
    visible = visible_to(user, Feedback.agency_id)
    rows = db.session.execute(
        sa.select(Feedback, System)
        .join(System, System.id == Feedback.system_id)
        .where(visible, Feedback.state == state)
        .order_by(Feedback.received_dt.desc(), Feedback.id.desc())
        .limit(200)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(Feedback.state, sa.func.count()).where(visible).group_by(Feedback.state)
        ).all()
    )
    forms = {f.id: AnswerFeedbackForm(prefix=f"f{f.id}") for f, _ in rows}
    return render_template(
        "messages/queue.html",
        rows=rows,
        state=state,
        counts=counts,
        forms=forms,
        may_answer=user.role in PERMISSIONS["edit"],
    )


@bp.route("/feedback/<int:feedback_id>", methods=["POST"])
def handle(feedback_id: int):
    user = viewer()
    feedback = db.session.scalar(
        sa.select(Feedback).where(Feedback.id == feedback_id, visible_to(user, Feedback.agency_id))
    )
    if feedback is None:
        abort(404)
    if user.role not in PERMISSIONS["edit"]:
        abort(403)
    form = AnswerFeedbackForm(prefix=f"f{feedback_id}")
    if not form.validate_on_submit():
        flash(
            "The answer could not be saved: "
            + " ".join(e for errors in form.errors.values() for e in errors),
            "error",
        )
        return redirect(url_for(".queue"))
    answering = request.form.get("action") == "answer"
    answer = form.answer.data if answering else None
    if answering and not (answer or "").strip():
        flash(_("Write an answer, or choose Close without answering."), "error")
        return redirect(url_for(".queue"))
    try:
        services.handle_feedback(db.session, user, feedback, answer, bool(form.publish.data))
    except RegisterError as error:
        flash(str(error), "error")
        return redirect(url_for(".queue"))
    flash("Answer saved." if feedback.state == "answered" else "Message closed.", "success")
    return redirect(url_for(".queue"))
