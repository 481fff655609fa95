"""Views beside the step pages: the draft's task list and the score panel's fragment, which
the step page's script fetches after each autosave; and what a step page says when the answers
just saved change the steps on the path."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.access import require, viewer
from ..engine import Definition, Resolution, resolve
from ..extensions import db, questionnaire
from ..i18n import current_language
from ..presentation import quoted
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
    definition = questionnaire(draft.questionnaire_key, draft.questionnaire_version)
    if definition is None:
        return redirect(url_for(".system", uid=uid))
    definition = definition.in_language(current_language())  # scored alike, worded for the page
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
    definition = questionnaire(draft.questionnaire_key, draft.questionnaire_version) if draft else None
    if draft is None or definition is None:
        abort(404)
    definition = definition.in_language(current_language())
    return render_template(
        "assessments/_score_panel.html",
        system=system,
        score=live_score.provisional(definition, draft.answers),
    )


def path_posted(definition: Definition, posted: str | None) -> list[str]:
    """The step keys a step page was shown with (its hidden field "path"), the unknown left out."""
    return [key for key in (posted or "").split(",") if definition.has_step(key)]


def say_changed_path(definition: Definition, before: list[str], resolution: Resolution) -> None:
    """Steps the answers just saved added to the path, or took off it, are named, so that
    "Step 2 of 10" never silently becomes "Step 3 of 11"."""
    added = [s for s in resolution.steps if s.key not in before]
    by_reasons: dict[str, list[str]] = {}
    for step in added:
        reasons = tasks.added_because(definition, resolution, step)
        because = _("; ").join(f"{quoted(r.label)} {r.answer}" for r in reasons)
        by_reasons.setdefault(because, []).append(step.title)
    for because, titles in by_reasons.items():
        names = ", ".join(titles)
        if because:
            message = ngettext(
                "A step was added because you said %(because)s: %(titles)s.",
                "%(num)d steps were added because you said %(because)s: %(titles)s.",
                len(titles),
                because=because,
                titles=names,
            )
        else:
            message = ngettext(
                "A step was added: %(titles)s.",
                "%(num)d steps were added: %(titles)s.",
                len(titles),
                titles=names,
            )
        flash(message, "info")
    kept = set(resolution.step_keys())
    removed = [definition.step(key).title for key in before if key not in kept]
    if removed:
        flash(
            ngettext(
                "A step no longer applies after your answers: %(titles)s.",
                "%(num)d steps no longer apply after your answers: %(titles)s.",
                len(removed),
                titles=", ".join(removed),
            ),
            "info",
        )
