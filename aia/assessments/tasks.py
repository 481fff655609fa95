"""The task list of a draft: each step on the respondent's path with its state, and, for a step
that earlier answers added (triage), the answers that added it.

States, in the words of the page:
- not started: no question of the step has an answer yet;
- in progress: the step being filled in (the draft's current step) still misses a required answer;
- needs attention: an answer that does not pass its question's checks, or a required answer
  missing on a step the person has left;
- completed: every question shown has a valid answer or is optional.
Reviewers' comments are shown beside the state by the template (assessments knows no review).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import Definition, Resolution, Step, is_answered
from ..engine.conditions import Condition, referenced_flags, referenced_questions

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
NEEDS_ATTENTION = "needs_attention"
COMPLETED = "completed"


@dataclass(frozen=True)
class Reason:
    """An answer that put a step on the path: the question's label and the answer as text."""

    question: str
    label: str
    answer: str


@dataclass
class Task:
    step: Step
    number: int  # its position on the path, from 1
    state: str
    missing: list[str] = field(default_factory=list)  # required questions without an answer
    invalid: list[str] = field(default_factory=list)  # answers that fail their question's checks
    added_because: list[Reason] = field(default_factory=list)


def is_conditional(step: Step) -> bool:
    """Whether earlier answers decide if the step is on the path at all."""
    return step.show_if is not None or (
        bool(step.questions) and all(q.show_if is not None for q in step.questions)
    )


def added_because(definition: Definition, resolution: Resolution, step: Step) -> list[Reason]:
    """The answers that put a conditional step on the path (empty for a step always there)."""
    if not is_conditional(step) or step not in resolution.steps:
        return []
    conditions: list[Condition] = (
        [step.show_if]
        if step.show_if is not None
        else [q.show_if for q in step.questions if q.key in resolution.visible and q.show_if is not None]
    )
    keys: list[str] = []
    for condition in conditions:
        keys.extend(referenced_questions(condition))
        for flag in referenced_flags(condition):
            keys.extend(resolution.flags.get(flag, []))
    reasons = []
    for key in dict.fromkeys(keys):  # in order, once each
        if key in resolution.answers:
            question = definition.questions[key]
            reasons.append(Reason(key, question.label, question.display(resolution.answers[key])))
    return reasons


def step_state(
    step: Step, resolution: Resolution, answers: Mapping[str, Any], current_step: str | None
) -> tuple[str, list[str], list[str]]:
    """The state of one step on the path, with its missing and invalid answers."""
    shown = [q for q in step.questions if q.key in resolution.visible]
    answered = [q for q in shown if is_answered(answers.get(q.key))]
    invalid = [q.key for q in answered if q.key not in resolution.answers]
    missing = [
        q.key for q in shown if q.required and q.key not in resolution.answers and q.key not in invalid
    ]
    if invalid:
        return NEEDS_ATTENTION, missing, invalid
    if not answered:
        return NOT_STARTED, missing, invalid
    if missing:
        return (IN_PROGRESS if step.key == current_step else NEEDS_ATTENTION), missing, invalid
    return COMPLETED, missing, invalid


def task_list(
    definition: Definition, resolution: Resolution, answers: Mapping[str, Any], current_step: str | None
) -> list[Task]:
    tasks = []
    for number, step in enumerate(resolution.steps, start=1):
        state, missing, invalid = step_state(step, resolution, answers, current_step)
        tasks.append(Task(step, number, state, missing, invalid, added_because(definition, resolution, step)))
    return tasks
