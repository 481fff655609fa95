"""Which steps and questions a respondent sees, given their answers. The one place this is
decided: the wizard, the validator, the scorer and the report all call ``resolve``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import Condition, evaluate, expand_flags, is_answered
from .definition import Definition, Step


@dataclass
class Resolution:
    visible: set[str] = field(default_factory=set)
    answers: dict[str, Any] = field(default_factory=dict)  # answers of visible questions only
    flags: dict[str, list[str]] = field(default_factory=dict)  # flag -> questions that raised it
    steps: list[Step] = field(default_factory=list)  # steps with at least one visible question

    def step_keys(self) -> list[str]:
        return [s.key for s in self.steps]


def resolve(definition: Definition, answers: Mapping[str, Any]) -> Resolution:
    """Walk the questions in order; a hidden question's answer is as if never given."""
    result = Resolution()
    for step in definition.steps:
        step_shown = step.show_if is None or evaluate(step.show_if, result.answers, set(result.flags))
        any_visible = False
        for question in step.questions:
            if not step_shown:
                continue
            if question.show_if is not None and not evaluate(
                question.show_if, result.answers, set(result.flags)
            ):
                continue
            any_visible = True
            result.visible.add(question.key)
            value = answers.get(question.key)
            if not is_answered(value) or question.check_value(value) is not None:
                continue
            result.answers[question.key] = value
            if question.flag and value in question.flag_on:
                result.flags.setdefault(question.flag, []).append(question.key)
        if any_visible:
            result.steps.append(step)
    return result


def client_condition(definition: Definition, cond: Condition) -> Condition:
    """The condition with flags spelled out as the answers that raise them, for the browser."""
    raisers = {
        flag: {"any": [{"q": q.key, "in": list(q.flag_on)} for q in definition.flag_raisers(flag)]}
        for flag in definition.flags
    }
    return expand_flags(cond, raisers)


def missing_required(
    definition: Definition, resolution: Resolution, step_key: str | None = None
) -> list[str]:
    """Visible required questions without an answer, in order (of one step, or of all)."""
    return [
        q.key
        for s in definition.steps
        if step_key in (None, s.key)
        for q in s.questions
        if q.key in resolution.visible
        and (
            (q.required and q.key not in resolution.answers)
            or (q.key in resolution.answers and not q.complete(resolution.answers[q.key]))
        )
    ]


def answers_by_step(
    definition: Definition, answers: dict[str, Any], resolution: Resolution | None = None
) -> list[dict[str, Any]]:
    """The visible questions of each visible step with their answers as text."""
    resolution = resolution or resolve(definition, answers)
    steps = []
    for step in resolution.steps:
        rows = [
            {
                "key": q.key,
                "label": q.label,
                "type": q.type_name,
                "answer": q.display(resolution.answers.get(q.key)),
            }
            for q in step.questions
            if q.key in resolution.visible
        ]
        steps.append({"key": step.key, "title": step.title, "questions": rows})
    return steps
