"""The agency side of register feedback: its queue of questions and complaints, answered or
closed by the agency's staff. Signed-in pages (not part of the public register)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..accounts.access import PERMISSIONS, READS_EVERY_AGENCY, viewer
from ..assessments.models import System
from ..audit.services import record
from ..extensions import db
from . import services
from .forms import AnswerFeedbackForm
from .models import Feedback

bp = Blueprint("feedback_queue", __name__)


def _visible(user) -> sa.ColumnElement[bool]:
    if user.role in READS_EVERY_AGENCY:
        return sa.true()
    if user.role in PERMISSIONS["read"] and user.agency_id is not None:
        return Feedback.agency_id == user.agency_id
    return sa.false()


@bp.route("/feedback")
def queue():
    user = viewer()
    if user.role not in PERMISSIONS["read"]:
        abort(403)
    state = request.args.get("state", "open")
    state = state if state in ("open", "answered", "closed") else "open"
    rows = db.session.execute(
        sa.select(Feedback, System).join(System, System.id == Feedback.system_id)
        .where(_visible(user), Feedback.state == state)
        .order_by(Feedback.received_dt.desc(), Feedback.id.desc()).limit(200)).all()
    counts = dict(db.session.execute(sa.select(Feedback.state, sa.func.count())
                                     .where(_visible(user)).group_by(Feedback.state)).all())
    forms = {f.id: AnswerFeedbackForm(prefix=f"f{f.id}") for f, _ in rows}
    return render_template("register/queue.html", rows=rows, state=state, counts=counts,
                           forms=forms, may_answer=user.role in PERMISSIONS["edit"])


@bp.route("/feedback/<int:feedback_id>", methods=["POST"])
def handle(feedback_id: int):
    user = viewer()
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None or not db.session.scalar(
            sa.select(sa.literal(True)).where(_visible(user), Feedback.id == feedback_id)):
        abort(404)
    if user.role not in PERMISSIONS["edit"]:
        abort(403)
    form = AnswerFeedbackForm(prefix=f"f{feedback_id}")
    if not form.validate_on_submit():
        flash("The answer could not be saved: " + " ".join(
            e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for(".queue"))
    answer = form.answer.data if request.form.get("action") == "answer" else None
    if request.form.get("action") == "answer" and not (answer or "").strip():
        flash("Write an answer, or choose Close without answering.", "error")
        return redirect(url_for(".queue"))
    try:
        services.handle_feedback(db.session, feedback, answer)
    except services.RegisterError as error:
        flash(str(error), "error")
        return redirect(url_for(".queue"))
    system = db.session.get(System, feedback.system_id)
    record(db.session, f"feedback.{feedback.state}", user, system=system,
           details={"feedback": feedback.id, "kind": feedback.kind})
    db.session.commit()
    flash("Answer saved." if feedback.state == "answered" else "Message closed.", "success")
    return redirect(url_for(".queue"))
