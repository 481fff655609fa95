"""A questionnaire as a whole: the blank questionnaire to print (or save as PDF) and prepare
the answers with colleagues, and the search through a draft's questionnaire, which finds the
step and the question whose words match, in the person's language."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import abort, redirect, render_template, request, url_for

from ..engine import Definition, field_name, resolve
from ..extensions import questionnaire
from ..i18n import current_language
from . import bp, explain
from .routes import _draft_or_redirect, _system, definition_of

MAX_QUERY = 200
MAX_RESULTS = 50


def _folded(text: str) -> str:
    """Lower case without accents, so that "decision" finds "décision"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _localized(definition: Definition) -> Definition:
    return definition.in_language(current_language())


def blank_steps(definition: Definition) -> list[dict[str, Any]]:
    """Every step and question in words (definition already in the page's language)."""
    steps = []
    for step in definition.steps:
        questions = []
        for question in step.questions:
            questions.append(
                {
                    "key": question.key,
                    "label": question.label,
                    "required": question.required,
                    "help": question.help,
                    "why": question.why,
                    "kind": explain.answer_kind(question),
                    "options": explain.option_effects(question),
                    "asked_when": explain.asked_when(question.show_if, definition),
                    "effect": explain.scoring_effect(question, definition),
                    "long": question.type_name == "long_text",
                }
            )
        steps.append(
            {
                "key": step.key,
                "title": step.title,
                "intro": step.intro,
                "asked_when": explain.asked_when(step.show_if, definition),
                "questions": questions,
            }
        )
    return steps


@bp.app_template_global("scoring_effect")
def scoring_effect(question: Any, definition: Definition) -> str:
    """For the step pages: how a question's answer counts towards the level, in words."""
    return explain.scoring_effect(question, definition)


@bp.route("/questionnaires/<key>/<int:version>/print")
def blank_questionnaire(key: str, version: int):
    definition = questionnaire(key, version)
    if definition is None:
        abort(404)
    definition = _localized(definition)
    return render_template(
        "assessments/blank_questionnaire.html", definition=definition, steps=blank_steps(definition)
    )


def search(definition: Definition, query: str) -> list[dict[str, Any]]:
    """The questions whose texts (label, help, why, choices) or whose step's title and intro
    hold every word of ``query``; the label's matches first."""
    words = [_folded(w) for w in query.split() if w.strip()]
    if not words:
        return []
    found = []
    for position, step in enumerate(definition.steps):
        step_text = _folded(" ".join(filter(None, [step.title, step.intro or ""])))
        for question in step.questions:
            options = [o["label"] for o in explain.option_effects(question)]
            texts = [question.label, question.help or "", question.why or "", *options]
            text = _folded(" ".join(texts))
            if all(w in text or w in step_text for w in words):
                in_label = all(w in _folded(question.label) for w in words)
                found.append((0 if in_label else 1, position, step, question))
    found.sort(key=lambda f: (f[0], f[1]))
    return [
        {
            "step": step,
            "question": question,
            "anchor": field_name(question.key),
            "why": question.why,
        }
        for _rank, _position, step, question in found[:MAX_RESULTS]
    ]


@bp.route("/systems/<uid>/draft/search")
def search_draft(uid: str):
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    definition = _localized(definition_of(draft))
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    resolution = resolve(definition, draft.answers)
    results = search(definition, query)
    for result in results:
        result["reachable"] = result["step"].key in resolution.step_keys()
        result["shown"] = result["question"].key in resolution.visible
        result["asked_when"] = explain.asked_when(
            result["question"].show_if, definition
        ) or explain.asked_when(result["step"].show_if, definition)
    return render_template(
        "assessments/search.html",
        system=system,
        draft=draft,
        definition=definition,
        query=query,
        results=results,
        total=len(results),
    )
