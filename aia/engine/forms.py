"""Build a WTForms class for one step, new for every request.

A field's name is its question's key with a prefix, so that no key, however it is spelled,
can shadow an attribute of the form (``meta``, ``validate``, ``data``, ``process``...) or one
of the wizard's own fields (``action``, ``shown``, ``lock_version``, ``csrf_token``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar, overload

from wtforms import Form

from .definition import Definition, Step

FIELD_PREFIX = "q_"

FormT = TypeVar("FormT", bound=Form)


def field_name(question_key: str) -> str:
    """The form field (and HTML name and id) of a question."""
    return FIELD_PREFIX + question_key


@overload
def build_step_form(step: Step, keys: Iterable[str]) -> type[Form]: ...
@overload
def build_step_form(step: Step, keys: Iterable[str], base: type[FormT]) -> type[FormT]: ...
def build_step_form(step: Step, keys: Iterable[str], base: type[Form] = Form) -> type[Form]:
    """A form class holding a field for each listed question of the step, in step order."""
    wanted = set(keys)
    form_class = type("StepForm", (base,), {})
    for question in step.questions:
        if question.key in wanted:
            setattr(form_class, field_name(question.key), question.field())
    return form_class


def form_data(definition: Definition, keys: Iterable[str], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers as the data of a step form's fields."""
    return {field_name(k): definition.questions[k].to_form(answers.get(k)) for k in keys}


def answers_from_form(step: Step, form: Any) -> dict[str, Any]:
    """Typed answers from the form's valid fields; fields in error are left out."""
    answers = {}
    for question in step.questions:
        name = field_name(question.key)
        if name not in form or form[name].errors:
            continue
        answers[question.key] = question.from_form(form[name].data)
    return answers
