"""Views beside the step pages: the draft's task list and the score panel's fragment, which
the step page's script fetches after each autosave."""

from __future__ import annotations

from flask import redirect, render_template, url_for

from ..accounts.access import require, viewer
from ..engine import resolve
from ..extensions import db, questionnaires
from . import bp, live_score, queries, tasks
from .models import Draft, System


def _draft_of(uid: str) -> tuple[System, Draft | None]:
    system = queries.system_or_404(db.session, uid, viewer())
    require("edit", system)
    return system, system.draft


@bp.route("/systems/<uid>/tasks")
def task_list(uid: str):
    system, draft = _draft_of(uid)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    definition = questionnaires().get(draft.questionnaire_key, draft.questionnaire_version)
    if definition is None:
        return redirect(url_for(".system", uid=uid))
    resolution = resolve(definition, draft.answers)
    return render_template(
        "assessments/tasks.html",
        system=system,
        draft=draft,
        definition=definition,
        tasks=tasks.task_list(definition, resolution, draft.answers, draft.step_key),
        score=live_score.provisional(definition, draft.answers),
    )


@bp.route("/systems/<uid>/score")
def score_panel(uid: str):
    """The score panel alone (HTML), as the step page shows it, from the answers saved now."""
    system, draft = _draft_of(uid)
    definition = questionnaires().get(draft.questionnaire_key, draft.questionnaire_version) if draft else None
    if draft is None or definition is None:
        return "", 404
    return render_template(
        "assessments/_score_panel.html",
        system=system,
        score=live_score.provisional(definition, draft.answers),
    )
