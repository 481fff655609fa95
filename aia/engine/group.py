"""A repeatable group of questions (type ``group``): a table of rows, each row answering the
same few questions, as many rows as the respondent needs (a risk register, a list of data
sources...). Stored as a list of rows, each row a mapping of its questions' keys to their
answers as those questions store them.

In the step form the group is a ``FieldList`` of row forms: a row's fields are named
``q_<group>-<row>-q_<question>`` (``q_risks-0-q_right``), so that errors stay at the row's own
field. Rows are added, removed and moved by buttons that post the step (``row_action``), so
that it all works without a script; the page's script does the same in place."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Form, fields

from .conditions import is_answered
from .forms import field_name
from .questions import QUESTION_TYPES, Question, _text, register

ROW_TYPES = ("single_choice", "multiple_choice", "yes_no_unsure", "short_text", "long_text", "number", "date")
ROW_MARK = "row"  # a hidden field each row posts, so that a row with nothing chosen yet is kept
MAX_ROWS_LIMIT = 200
ACTIONS = ("add", "remove", "up", "down")


class RowForm(Form):
    """The fields of one row; a new subclass is made for each group (Group.row_form)."""


@register
class Group(Question):
    type_name = "group"
    extra_keys = {"questions", "row_label", "add_label", "min_rows", "max_rows"}

    def __init__(
        self, raw: Mapping[str, Any], step_key: str, fail: Callable[[str], Exception], language: str = "en"
    ):
        super().__init__(raw, step_key, fail, language)
        self.row_label = _text(raw, "row_label", fail, language, required=True)
        self.add_label = _text(raw, "add_label", fail, language)
        self.min_rows = _whole(raw.get("min_rows", 0), "min_rows", fail)
        self.max_rows = _whole(raw.get("max_rows", 50), "max_rows", fail)
        if self.max_rows < 1 or self.max_rows > MAX_ROWS_LIMIT:
            raise fail(f"'max_rows' must be from 1 to {MAX_ROWS_LIMIT}")
        if self.min_rows > self.max_rows:
            raise fail("'min_rows' is above 'max_rows'")
        items = raw.get("questions")
        if not isinstance(items, list) or not items:
            raise fail("a group needs 'questions': the questions of each row")
        self.questions: list[Question] = []
        for i, item in enumerate(items):
            self.questions.append(self._row_question(item, i, step_key, fail, language))
        keys = [q.key for q in self.questions]
        duplicate = next((k for k in keys if keys.count(k) > 1), None)
        if duplicate is not None:
            raise fail(f"the row question '{duplicate}' is given twice")

    @staticmethod
    def _row_question(
        item: Any, index: int, step_key: str, fail: Callable[[str], Exception], language: str
    ) -> Question:
        if not isinstance(item, Mapping):
            raise fail(f"row question {index + 1} must be a mapping")
        key = item.get("key")
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", key):
            raise fail(f"row question {index + 1}: key must be lowercase letters, digits, '-' or '_'")
        kind = item.get("type")
        if kind not in ROW_TYPES:
            raise fail(f"row question {key}: type must be one of {', '.join(ROW_TYPES)}, not {kind!r}")
        for field_ in ("show_if", "scoring", "flag", "flag_on", "points"):
            if field_ in item:
                raise fail(f"row question {key}: '{field_}' is not available in a group's row")
        return QUESTION_TYPES[kind](
            item, step_key, lambda reason: fail(f"row question {key}: {reason}"), language
        )

    # -- form ------------------------------------------------------------------------------
    def row_form(self) -> type[Form]:
        form_class = type("RowForm", (RowForm,), {ROW_MARK: fields.HiddenField(default="1")})
        for question in self.questions:
            setattr(form_class, field_name(question.key), question.field())
        return form_class

    def field(self) -> fields.Field:
        return fields.FieldList(
            fields.FormField(self.row_form()),
            label=self.label,
            description=self.help or "",
            min_entries=0,
            max_entries=self.max_rows,
        )

    def from_form(self, data: Any) -> Any:
        rows = []
        for entry in data or []:
            row = {}
            for question in self.questions:
                value = question.from_form(entry.get(field_name(question.key)))
                if value is not None:
                    row[question.key] = value
            rows.append(row)
        return rows or None

    def to_form(self, value: Any) -> Any:
        if not isinstance(value, list):
            return []
        return [
            {ROW_MARK: "1", **{field_name(q.key): q.to_form(row.get(q.key)) for q in self.questions}}
            for row in value
            if isinstance(row, Mapping)
        ]

    # -- stored answers ----------------------------------------------------------------------
    def check_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
            return "expected a list of rows, each a mapping of its questions to answers"
        if len(value) > self.max_rows:
            return f"more than {self.max_rows} rows"
        known = {q.key: q for q in self.questions}
        for number, row in enumerate(value, start=1):
            unknown = set(row) - set(known)
            if unknown:
                return f"row {number} has unknown question(s) {sorted(unknown)}"
            for key, answer in row.items():
                reason = known[key].check_value(answer)
                if reason is not None:
                    return f"row {number}, {key}: {reason}"
        return None

    def missing_in_rows(self, value: Any) -> list[tuple[int, str]]:
        """(row index, question key) of each required row question left unanswered."""
        if not isinstance(value, list):
            return []
        return [
            (index, question.key)
            for index, row in enumerate(value)
            for question in self.questions
            if question.required
            and not is_answered(row.get(question.key) if isinstance(row, Mapping) else None)
        ]

    def complete(self, value: Any) -> bool:
        """Enough rows, each with its required answers."""
        rows = value if isinstance(value, list) else []
        return len(rows) >= self.min_rows and not self.missing_in_rows(rows)

    def rows(self, value: Any) -> list[list[dict[str, str]]]:
        """Each row as (label, answer text) cells, in the questions' order, for tables."""
        if not isinstance(value, list):
            return []
        return [
            [{"key": q.key, "label": q.label, "answer": q.display(row.get(q.key))} for q in self.questions]
            for row in value
            if isinstance(row, Mapping)
        ]

    def display(self, value: Any) -> str:
        """The rows as one text: "Risk 1: Right: ...; Likelihood: ... | Risk 2: ..."."""
        parts = []
        for number, cells in enumerate(self.rows(value), start=1):
            given = "; ".join(f"{c['label']}: {c['answer']}" for c in cells if c["answer"])
            parts.append(f"{self.row_label} {number}: {given}" if given else f"{self.row_label} {number}")
        return " | ".join(parts)


def _whole(value: Any, name: str, fail: Callable[[str], Exception]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise fail(f"'{name}' must be a whole number, 0 or more")
    return value


# -- adding, removing and moving rows from a posted step ------------------------------------------
def row_action(action: str) -> tuple[str, str, int | None] | None:
    """``add:<group>``, ``remove:<group>:<row>``, ``up:<group>:<row>``, ``down:<group>:<row>``
    as (what, group key, row index); None for any other action."""
    match = re.fullmatch(r"(add|remove|up|down):([a-z][a-z0-9_-]{0,100})(?::(\d{1,3}))?", action or "")
    if match is None or (match[1] == "add") != (match[3] is None):
        return None
    return match[1], match[2], None if match[3] is None else int(match[3])


def apply_row_action(
    group: Group, posted: MultiDict[str, Any], what: str, index: int | None
) -> MultiDict[str, Any]:
    """The posted step with the group's rows added to, removed from or reordered: the fields
    of the group's rows are renumbered 0, 1, 2... in their new order."""
    prefix = field_name(group.key) + "-"
    pattern = re.compile(re.escape(prefix) + r"(\d{1,3})-(.+)")
    rows: dict[int, list[tuple[str, Any]]] = {}
    others: list[tuple[str, Any]] = []
    for name, value in posted.items(multi=True):
        match = pattern.fullmatch(name)
        if match is None:
            others.append((name, value))
        else:
            rows.setdefault(int(match[1]), []).append((match[2], value))
    order = [rows[i] for i in sorted(rows)]
    if what == "add" and len(order) < group.max_rows:
        order.append([(ROW_MARK, "1")])
    elif index is not None and 0 <= index < len(order):
        if what == "remove":
            del order[index]
        elif what == "up" and index > 0:
            order[index - 1], order[index] = order[index], order[index - 1]
        elif what == "down" and index < len(order) - 1:
            order[index + 1], order[index] = order[index], order[index + 1]
    result: MultiDict[str, Any] = MultiDict(others)
    for number, cells in enumerate(order):
        for name, value in cells:
            result.add(f"{prefix}{number}-{name}", value)
    return result
