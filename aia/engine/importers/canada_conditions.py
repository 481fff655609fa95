"""The ``visibleIf`` expressions of Canada's AIA survey files, turned into our ``show_if``.

The six released files use ``{name} = "value"``, ``{name} contains "value"`` (or a list of
values), ``and``, ``or`` and parentheses; anything else is refused with the expression and the
place it is in. The meaning is SurveyJS's, which the Canadian tool runs:
- ``=`` holds when the answer is that value;
- ``contains`` on a multiple choice holds when every listed value is ticked; on a single
  choice it holds when the chosen value contains the text (SurveyJS compares as text), so
  ``{q} contains "item1"`` holds for ``item1-0`` and for ``item10-2`` alike.
A comparison that can never hold (a value that is not an option) becomes a condition that never
holds, so the question stays as hidden as it is in the Canadian tool.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<name>\{[^{}]*\})|(?P<string>\"[^\"]*\"|'[^']*')|(?P<list>\[[^\[\]]*\])"
    r"|(?P<word>[A-Za-z]+)|(?P<op>=|\(|\)))"
)


@dataclass(frozen=True)
class Target:
    """What a condition may compare: an earlier question's key, and its options if it has."""

    key: str
    options: tuple[str, ...] | None  # None: a text question
    multiple: bool


def convert(
    expression: str,
    targets: Mapping[str, Target],
    fail: Callable[[str], Exception],
) -> dict[str, Any]:
    """The show_if (as a file writes it) for a visibleIf ``expression``; ``targets`` are the
    earlier questions by their name in the survey."""
    tokens = _tokens(expression, fail)
    parser = _Parser(tokens, targets, lambda why: fail(f"visibleIf {expression!r}: {why}"))
    condition = parser.expression()
    if parser.position != len(tokens):
        raise parser.fail(f"unexpected {tokens[parser.position][1]!r}")
    return condition


def _tokens(expression: str, fail: Callable[[str], Exception]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = expression.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise fail(f"visibleIf {expression!r}: cannot read {text[position:].strip()!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "word":
            if value.lower() not in ("and", "or", "contains"):
                raise fail(
                    f"visibleIf {expression!r}: {value!r} is not supported "
                    "(only =, contains, and, or and parentheses)"
                )
            kind, value = "op", value.lower()
        tokens.append((kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(
        self, tokens: list[tuple[str, str]], targets: Mapping[str, Target], fail: Callable[[str], Exception]
    ):
        self.tokens = tokens
        self.targets = targets
        self.fail = fail
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise self.fail("ends too early")
        self.position += 1
        return token

    def expression(self) -> dict[str, Any]:
        parts = [self.conjunction()]
        while self.peek() == ("op", "or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def conjunction(self) -> dict[str, Any]:
        parts = [self.factor()]
        while self.peek() == ("op", "and"):
            self.take()
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def factor(self) -> dict[str, Any]:
        kind, value = self.take()
        if (kind, value) == ("op", "("):
            inner = self.expression()
            if self.take() != ("op", ")"):
                raise self.fail("a parenthesis is not closed")
            return inner
        if kind != "name":
            raise self.fail(f"expected a {{question}}, found {value!r}")
        name = value[1:-1].strip()
        target = self.targets.get(name)
        if target is None:
            raise self.fail(f"{{{name}}} is not an earlier question")
        operator = self.take()
        if operator not in (("op", "="), ("op", "contains")):
            raise self.fail(f"expected = or contains after {{{name}}}, found {operator[1]!r}")
        kind, literal = self.take()
        if kind == "string":
            wanted = [literal[1:-1]]
        elif kind == "list":
            wanted = [v.strip().strip("\"'") for v in literal[1:-1].split(",") if v.strip()]
        else:
            raise self.fail(f"expected a value after {operator[1]}, found {literal!r}")
        if target.options is None:
            raise self.fail(f"{{{name}}} is a text answer; only choices can be compared")
        if operator[1] == "=":
            return self._equals(target, wanted)
        return self._contains(target, wanted)

    def _equals(self, target: Target, wanted: list[str]) -> dict[str, Any]:
        assert target.options is not None
        if len(wanted) != 1 or target.multiple or wanted[0] not in target.options:
            return never(target.key)
        return {"question": target.key, "equals": wanted[0]}

    def _contains(self, target: Target, wanted: list[str]) -> dict[str, Any]:
        assert target.options is not None
        if target.multiple:
            if not wanted or any(v not in target.options for v in wanted):
                return never(target.key)
            parts = [{"question": target.key, "includes": v} for v in wanted]
            return parts[0] if len(parts) == 1 else {"all": parts}
        text = ",".join(wanted)  # how SurveyJS writes a list as text
        matching = [o for o in target.options if text and text in o]
        if not matching:
            return never(target.key)
        return {"question": target.key, "in": matching}


def never(key: str) -> dict[str, Any]:
    """A condition that never holds (answered and not answered at once)."""
    return {"all": [{"question": key, "answered": True}, {"question": key, "answered": False}]}
