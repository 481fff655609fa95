"""Answer sets for trying the report on any questionnaire: a rich one (every flag raised, long
answers with awkward text) and a minimal one (only what is required). Used by the report's
tests, its benchmark and the page images in the docs. Deterministic: no randomness."""

from __future__ import annotations

import itertools
from typing import Any

from ..engine import Definition, missing_required, resolve
from ..engine.group import Group
from ..engine.questions import ChoiceQuestion, Question, SingleChoice

PARAGRAPHS = (
    "The system reads the application form and the agency's own records, and gives each case "
    "a score from 0 to 100. Caseworkers see the cases with the highest scores first. The score "
    "never decides a case on its own: a caseworker opens every case, reads the file and takes "
    "the decision, and the letter the person receives names the caseworker's team.",
    "Awkward text kept on purpose: emoji 👪📋🚗, Arabic مراجعة شهرية لطلبات السكن, Hebrew "
    "בדיקה חודשית, a very long word "
    + "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
    * 3
    + ", and text "
    "that looks like markup: <b>bold</b> & <script>alert(1)</script>.",
    "We looked at a year of past cases before the system went live. In that year, people who "
    "applied on paper waited on average eleven days longer than people who applied online; the "
    "system must not make that gap larger. Every quarter an analyst outside the project team "
    "compares waiting times and outcomes by age band, region and the way people applied, and "
    "writes a short note that goes to the programme board.",
    "People can ask for their case to be looked at again by a different caseworker, who sees "
    "the file but not the score. They can also complain to the ombudsman. The decision letter "
    "explains both routes in plain words, in the five languages most used by applicants.",
)
# The charter rating of the rich answers: a likely and serious harm, so that every question
# about harm shows.
PREFERRED_CHARTER = {"likelihood": "occasional", "impact": "high"}
COMMITMENT_STATUSES = ("met", "partly", "not_yet", "not_applicable")


def long_text(key: str, chars: int) -> str:
    """About ``chars`` characters of paragraphs, opening with the question's key."""
    parts = [f"Answer to “{key.replace('_', ' ')}”."]
    for paragraph in itertools.cycle(PARAGRAPHS):
        if sum(len(p) + 2 for p in parts) >= chars:
            break
        parts.append(paragraph)
    return "\n\n".join(parts)


def _choice(definition: Definition, question: ChoiceQuestion, commitments: itertools.cycle) -> Any:
    values = [o.value for o in question.options]
    for part, key in (definition.charter or {}).items():
        if question.key == key and PREFERRED_CHARTER[part] in values:
            return PREFERRED_CHARTER[part]
    statuses = {c.status for c in definition.commitments}
    if question.key in statuses and set(COMMITMENT_STATUSES) <= set(values):
        return next(commitments)
    if question.multiple:
        return values
    if question.type_name == "yes_no_unsure":
        return "yes"
    return max(question.options, key=lambda o: o.points).value


def _value(definition: Definition, question: Question, chars: int, commitments: itertools.cycle) -> Any:
    if isinstance(question, ChoiceQuestion):
        return _choice(definition, question, commitments)
    if isinstance(question, Group):  # two full rows, the second with the lowest options
        first = {q.key: _value(definition, q, chars // 4, commitments) for q in question.questions}
        second = {
            q.key: min(q.options, key=lambda o: o.points).value if isinstance(q, SingleChoice) else value
            for q in question.questions
            if (value := _value(definition, q, 40, commitments)) is not None
        }
        return [{k: v for k, v in row.items() if v is not None} for row in (first, second)][
            : question.max_rows
        ]
    limit = getattr(question, "max_length", None) or 10**9
    if question.type_name == "long_text":
        return long_text(question.key, min(chars, limit))
    if question.type_name == "short_text":
        return f"Answer to “{question.key.replace('_', ' ')}” 📬 team@agency.example"[:limit]
    if question.type_name == "number":
        return 125000
    if question.type_name == "date":
        return "2025-03-31"
    return None


def rich_answers(definition: Definition, chars: int = 1800) -> dict[str, Any]:
    """An answer for every question, raising every flag, with long texts."""
    commitments = itertools.cycle(COMMITMENT_STATUSES)
    answers = {}
    for step in definition.steps:
        for question in step.questions:
            value = _value(definition, question, chars, commitments)
            if value is not None and question.check_value(value) is None:
                answers[question.key] = value
    return answers


def minimal_answers(definition: Definition) -> dict[str, Any]:
    """Only the required answers, choosing options that raise nothing where it can."""
    return with_required_answered(definition, {}, "x")


def with_required_answered(definition: Definition, answers: dict[str, Any], text: str) -> dict[str, Any]:
    """``answers`` with every required question still open answered plainly: the choice of
    fewest points ("no" for yes/no/unsure), the fewest rows a group allows, 1, 1 January 2025,
    or ``text``. Answering one may make others required (show_if): it goes on until none is
    open."""
    answers = dict(answers)
    for _ in range(len(definition.questions) + 1):
        missing = missing_required(definition, resolve(definition, answers))
        if not missing:
            break
        for key in missing:
            question = definition.questions[key]
            if isinstance(question, ChoiceQuestion):
                low = min(question.options, key=lambda o: o.points)
                value = "no" if question.type_name == "yes_no_unsure" else low.value
                answers[key] = [value] if question.multiple else value
            elif isinstance(question, Group):
                answers[key] = [minimal_row(question)] * max(question.min_rows, 1)
            elif question.type_name == "number":
                answers[key] = 1
            elif question.type_name == "date":
                answers[key] = "2025-01-01"
            else:
                answers[key] = text
    return answers


def minimal_row(group: Group) -> dict[str, Any]:
    """A row of a group with only its required answers."""
    row: dict[str, Any] = {}
    for question in group.questions:
        if not question.required:
            continue
        if isinstance(question, ChoiceQuestion):
            low = min(question.options, key=lambda o: o.points).value
            row[question.key] = [low] if question.multiple else low
        else:
            row[question.key] = {"number": 1, "date": "2025-01-01"}.get(question.type_name, "x")
    return row
