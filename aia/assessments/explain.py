"""Questions in words, from the questionnaire's definition: why each is asked, how its answer
counts towards the level (its scoring), when it is asked (its condition), what kind of answer
it takes. Read by the step pages, the search and the blank questionnaire to print."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..engine import Definition
from ..engine.conditions import Condition
from ..engine.questions import ChoiceQuestion, Question
from ..presentation import in_language, quoted


def option_effects(question: Question) -> list[dict[str, Any]]:
    """Each choice with what it does to the score: [{label, points, effect}]."""
    if not isinstance(question, ChoiceQuestion):
        return []
    effects = []
    for option in question.options:
        effect = ""
        if question.scoring == "risk" and option.points:
            effect = ngettext("adds %(num)d risk point", "adds %(num)d risk points", option.points)
        elif question.scoring == "mitigation" and option.points:
            effect = ngettext(
                "counts %(num)d point towards mitigation",
                "counts %(num)d points towards mitigation",
                option.points,
            )
        effects.append({"label": in_language(option.label), "points": option.points, "effect": effect})
    return effects


def scoring_effect(question: Question, definition: Definition) -> str:
    """How the answer counts towards the level and the flags, in one sentence or two; "" for a
    question that does not count."""
    sentences = []
    scored = [o for o in option_effects(question) if o["effect"]]
    if scored:
        effects = (_("“%(answer)s” %(effect)s", answer=o["label"], effect=o["effect"]) for o in scored)
        parts = _("; ").join(effects)
        if question.scoring == "risk":
            sentences.append(
                _(
                    "This answer adds to the risk score (at most %(max)s points of %(total)s): %(parts)s.",
                    max=question.max_points(),
                    total=definition.max_points("risk"),
                    parts=parts,
                )
            )
        else:
            sentences.append(
                _(
                    "This answer counts towards mitigation, which can lower the level (at most %(max)s "
                    "points of %(total)s): %(parts)s.",
                    max=question.max_points(),
                    total=definition.max_points("mitigation"),
                    parts=parts,
                )
            )
    if question.flag and question.flag in definition.flags:
        labels = {o.value: in_language(o.label) for o in getattr(question, "options", [])}
        answers = _(" or ").join(quoted(labels.get(v, v)) for v in question.flag_on)
        sentences.append(
            _(
                "%(answers)s raises the flag “%(flag)s”, which brings the questions about that concern.",
                answers=answers,
                flag=in_language(definition.flags[question.flag].label),
            )
        )
    if definition.charter and question.key in definition.charter.values():
        sentences.append(_("This answer places the system on the charter's likelihood × impact matrix."))
    return " ".join(sentences)


def condition_words(condition: Condition | None, definition: Definition) -> str:
    """When a question or step is asked, in words ("" when it always is)."""
    if not condition:
        return ""
    if "all" in condition:
        return _(" and ").join(condition_words(c, definition) for c in condition["all"])
    if "any" in condition:
        return _(" or ").join(condition_words(c, definition) for c in condition["any"])
    if "not" in condition:
        return _("not (%(condition)s)", condition=condition_words(condition["not"], definition))
    if "flag" in condition:
        flag = definition.flags.get(condition["flag"])
        return _(
            "the flag “%(flag)s” is raised",
            flag=in_language(flag.label) if flag else condition["flag"],
        )
    question = definition.questions.get(condition["q"])
    label = in_language(question.label) if question else condition["q"]
    labels = {o.value: in_language(o.label) for o in getattr(question, "options", [])}
    if "answered" in condition:
        if condition["answered"]:
            return _("“%(question)s” is answered", question=label)
        return _("“%(question)s” is not answered", question=label)
    if "has" in condition:
        return _(
            "the answer to “%(question)s” includes “%(value)s”",
            question=label,
            value=labels.get(condition["has"], condition["has"]),
        )
    values = _(" or ").join(quoted(labels.get(v, v)) for v in condition["in"])
    return _("the answer to “%(question)s” is %(values)s", question=label, values=values)


def asked_when(condition: Condition | None, definition: Definition) -> str:
    words = condition_words(condition, definition)
    return _("Asked only when %(condition)s.", condition=words) if words else ""


def answer_kind(question: Question) -> str:
    kinds = {
        "short_text": _("A short text."),
        "long_text": _("A text of a few sentences or more."),
        "number": _("A number."),
        "date": _("A date (day, month, year)."),
        "single_choice": _("One choice."),
        "yes_no_unsure": _("Yes, no or not sure."),
        "multiple_choice": _("Any number of choices."),
    }
    return kinds.get(question.type_name, "")
