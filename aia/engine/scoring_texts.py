"""Stored scores read in another language. A revision's scores are stored once, with the words
of the questionnaire's own language; the figures never change, but a reader of another
language the questionnaire is written in reads its words (the level's name, obligations, flags,
questions, answers and areas) in that language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .definition import Definition
from .scoring import level_details


def scores_in_language(
    definition: Definition, scores: Mapping[str, Any], answers: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """``scores`` with their words taken from ``definition`` (a questionnaire read in a
    language: Definition.in_language); points, levels and answers stay as stored. Words of a
    question, flag or step the definition does not have are kept. Given the revision's
    ``answers``, the answers that raised a flag are worded in that language too (the stored
    flags keep only their words)."""
    words: dict[str, Any] = dict(scores)
    number = scores.get("impact_level")
    if isinstance(number, int) and 1 <= number <= len(definition.levels):
        level = level_details(definition, number)
        words["impact_level_name"] = level["impact_level_name"]
        words["obligations"] = level["obligations"]
    words["flags"] = [_flag(definition, flag, answers or {}) for flag in scores.get("flags", [])]
    words["breakdown"] = [_row(definition, row) for row in scores.get("breakdown", [])]
    if "areas" in scores:
        words["areas"] = [
            {
                **area,
                "title": _step_title(definition, area.get("step"), area.get("title")),
                "rows": [_row(definition, row) for row in area.get("rows", [])],
            }
            for area in scores["areas"]
        ]
    return words


def _step_title(definition: Definition, key: Any, stored: Any) -> Any:
    return definition.step(key).title if isinstance(key, str) and definition.has_step(key) else stored


def _row(definition: Definition, row: Mapping[str, Any]) -> dict[str, Any]:
    question = definition.questions.get(row.get("question", ""))
    if question is None:
        return dict(row)
    area = question.area or _step_title(definition, row.get("step"), row.get("area"))
    return {**row, "label": question.label, "area": area, "answer_text": question.display(row.get("answer"))}


def _flag(definition: Definition, flag: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    known = definition.flags.get(flag.get("key", ""))
    if known is None:
        return dict(flag)
    raised_by = []
    for raiser in flag.get("raised_by", []):
        key = raiser.get("question", "")
        question = definition.questions.get(key)
        if question is None:
            raised_by.append(dict(raiser))
            continue
        worded = {**raiser, "label": question.label}
        if answers.get(key) is not None:
            worded["answer_text"] = question.display(answers[key])
        raised_by.append(worded)
    return {**flag, "label": known.label, "description": known.description, "raised_by": raised_by}
