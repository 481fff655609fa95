"""Help in choosing a questionnaire: what each is for, about how long it takes, what becomes of
the answers already given, and which check to start with when unsure."""

from __future__ import annotations

from typing import Any

from flask_babel import ngettext

from ..engine import Definition, Registry
from .models import Revision


def value_of(definition: Definition) -> str:
    return f"{definition.key}:{definition.version}"


def first_check(registry: Registry) -> Definition | None:
    """The questionnaire to start with when unsure: a check that leads to another one."""
    return next((d for d in registry.latest_all() if d.follow_up is not None), None)


def ordered(registry: Registry) -> list[Definition]:
    """The latest questionnaires, the check to start with first."""
    check = first_check(registry)
    rest = [d for d in registry.latest_all() if d is not check]
    return ([check] if check is not None else []) + rest


def about(registry: Registry, previous: Revision | None = None) -> dict[str, dict[str, Any]]:
    """choice value -> what the page says of that questionnaire; with ``previous`` (the
    revision a new draft starts from), how many of its answers each one keeps."""
    described: dict[str, dict[str, Any]] = {}
    for definition in ordered(registry):
        carried = None
        if previous is not None:
            answered = [k for k in previous.answers if previous.answers[k] not in (None, "", [])]
            kept = [k for k in answered if k in definition.questions]
            if definition.key == previous.questionnaire_key:
                carried = ngettext(
                    "Starts from the %(num)d answer of revision %(number)s.",
                    "Starts from the %(num)d answers of revision %(number)s.",
                    len(kept),
                    number=previous.number,
                )
            else:
                carried = ngettext(
                    "%(num)d answer of revision %(number)s carries over to it; the others stay in "
                    "that revision.",
                    "%(num)d answers of revision %(number)s carry over to it; the others stay in "
                    "that revision.",
                    len(kept),
                    number=previous.number,
                )
        described[value_of(definition)] = {
            "title": definition.title,
            "use_when": definition.use_when,
            "minutes": definition.minutes,
            "carried": carried,
        }
    return described
