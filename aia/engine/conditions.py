"""``show_if`` conditions: parsed once from the file, evaluated by one function.

Written in a questionnaire file as::

    show_if: {question: uses_personal_data, equals: "yes"}
    show_if: {question: decision_type, in: [benefit, sanction]}
    show_if: {question: data_sources, includes: biometric}
    show_if: {question: contact_email, answered: true}
    show_if: {flag: harm_prevention}
    show_if: {all: [..., ...]}   # and
    show_if: {any: [..., ...]}   # or
    show_if: {not: ...}

Parsed into small plain dicts (``{"q": key, "in": [...]}``, ``{"q": key, "has": v}``,
``{"q": key, "answered": bool}``, ``{"flag": key}``, ``{"all": [...]}``, ``{"any": [...]}``,
``{"not": ...}``) that the browser script can evaluate too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Condition = dict[str, Any]


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != []


def parse_condition(raw: Any, fail: Callable[[str], Exception]) -> Condition:
    """Turn the file's form into the internal form; ``fail(reason)`` builds the error to raise."""
    if not isinstance(raw, Mapping) or not raw:
        raise fail("show_if must be a mapping such as {question: key, equals: value}")
    keys = set(raw)
    for group in ("all", "any"):
        if group in keys:
            if keys != {group}:
                raise fail(f"show_if '{group}' cannot be combined with other keys")
            items = raw[group]
            if not isinstance(items, list) or not items:
                raise fail(f"show_if '{group}' needs a non-empty list of conditions")
            return {group: [parse_condition(item, fail) for item in items]}
    if "not" in keys:
        if keys != {"not"}:
            raise fail("show_if 'not' cannot be combined with other keys")
        return {"not": parse_condition(raw["not"], fail)}
    if "flag" in keys:
        if keys != {"flag"} or not isinstance(raw["flag"], str):
            raise fail("show_if 'flag' takes one flag key and nothing else")
        return {"flag": raw["flag"]}
    if "question" not in keys:
        raise fail(f"show_if needs 'question', 'flag', 'all', 'any' or 'not', not {sorted(keys)}")
    question = raw["question"]
    if not isinstance(question, str):
        raise fail("show_if 'question' must be a question key")
    tests = keys - {"question"}
    if len(tests) != 1:
        raise fail("show_if needs exactly one of 'equals', 'in', 'includes', 'answered'")
    (test,) = tests
    value = raw[test]
    if test == "equals":
        return {"q": question, "in": [_scalar(value, fail)]}
    if test == "in":
        if not isinstance(value, list) or not value:
            raise fail("show_if 'in' needs a non-empty list of values")
        return {"q": question, "in": [_scalar(v, fail) for v in value]}
    if test == "includes":
        return {"q": question, "has": _scalar(value, fail)}
    if test == "answered":
        if not isinstance(value, bool):
            raise fail("show_if 'answered' must be true or false")
        return {"q": question, "answered": value}
    raise fail(f"unknown show_if test '{test}'")


def _scalar(value: Any, fail: Callable[[str], Exception]) -> str:
    if isinstance(value, bool):
        # YAML reads a bare yes/no as a boolean; the answers are the strings.
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    raise fail(f"show_if value {value!r} must be text or a number")


def referenced_questions(cond: Condition) -> list[str]:
    if "q" in cond:
        return [cond["q"]]
    if "not" in cond:
        return referenced_questions(cond["not"])
    if "all" in cond or "any" in cond:
        return [k for c in cond["all" if "all" in cond else "any"] for k in referenced_questions(c)]
    return []


def referenced_flags(cond: Condition) -> list[str]:
    if "flag" in cond:
        return [cond["flag"]]
    if "not" in cond:
        return referenced_flags(cond["not"])
    if "all" in cond or "any" in cond:
        return [k for c in cond["all" if "all" in cond else "any"] for k in referenced_flags(c)]
    return []


def evaluate(cond: Condition, answers: Mapping[str, Any], flags: set[str] | frozenset[str]) -> bool:
    """True when the condition holds. ``answers`` must hold only the answers of visible questions."""
    if "all" in cond:
        return all(evaluate(c, answers, flags) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, answers, flags) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], answers, flags)
    if "flag" in cond:
        return cond["flag"] in flags
    value = answers.get(cond["q"])
    if "answered" in cond:
        return is_answered(value) == bool(cond["answered"])
    values = value if isinstance(value, list) else ([] if value is None else [value])
    values = [str(v) for v in values]
    if "has" in cond:
        return cond["has"] in values
    return any(v in cond["in"] for v in values)


def expand_flags(cond: Condition, raisers: Mapping[str, Condition]) -> Condition:
    """Replace each ``{"flag": f}`` by the condition that raises it (for the browser script)."""
    if "flag" in cond:
        return raisers.get(cond["flag"], {"any": []})
    if "not" in cond:
        return {"not": expand_flags(cond["not"], raisers)}
    for group in ("all", "any"):
        if group in cond:
            return {group: [expand_flags(c, raisers) for c in cond[group]]}
    return cond
