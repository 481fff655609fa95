"""Build a WTForms class for one step, new for every request, field names = question keys."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from wtforms import Form

from .definition import Step

FormT = TypeVar("FormT", bound=Form)


@overload
def build_step_form(step: Step, keys: list[str]) -> type[Form]: ...
@overload
def build_step_form(step: Step, keys: list[str], base: type[FormT]) -> type[FormT]: ...
def build_step_form(step: Step, keys: list[str], base: type[Form] = Form) -> type[Form]:
    """A form class holding a field for each listed question of the step, in step order."""
    form_class = type("StepForm", (base,), {})
    for question in step.questions:
        if question.key in keys:
            setattr(form_class, question.key, question.field())
    return form_class


def answers_from_form(step: Step, form: Any) -> dict[str, Any]:
    """Typed answers from the form's valid fields; fields in error are left out."""
    answers = {}
    for question in step.questions:
        field = getattr(form, question.key, None)
        if field is None or field.errors:
            continue
        answers[question.key] = question.from_form(field.data)
    return answers
