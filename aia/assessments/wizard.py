"""What the step pages need from the engine: which questions a step renders, where Next and
Back lead, and the conditions the browser evaluates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..engine import Definition, Resolution, Step, client_condition
from ..engine.conditions import referenced_questions
from ..engine.forms import field_name
from ..engine.group import ROW_MARK, Group, apply_row_action, row_action
from ..engine.parsing import parse_date

REVIEW = "review"  # the loader refuses a step of this key (engine.loader.RESERVED_STEP_KEYS)


def browser_conditions(definition: Definition, step: Step) -> dict[str, Any]:
    """question key -> its condition, for the questions whose visibility depends on this step."""
    on_step = {q.key for q in step.questions}
    conditions = {}
    for question in step.questions:
        if question.show_if is None:
            continue
        expanded = client_condition(definition, question.show_if)
        if set(referenced_questions(expanded)) & on_step:
            conditions[question.key] = expanded
    return conditions


def rendered_keys(step: Step, resolution: Resolution, conditions: dict[str, Any]) -> list[str]:
    """Visible questions, plus those that answers on this very step may reveal."""
    return [q.key for q in step.questions if q.key in resolution.visible or q.key in conditions]


def known_answers(
    definition: Definition, step: Step, resolution: Resolution, conditions: dict[str, Any]
) -> dict[str, Any]:
    """Answers from earlier steps that this step's conditions read."""
    on_step = {q.key for q in step.questions}
    wanted = {k for c in conditions.values() for k in referenced_questions(c)} - on_step
    return {k: resolution.answers[k] for k in sorted(wanted) if k in resolution.answers}


def neighbour(definition: Definition, resolution: Resolution, step_key: str, offset: int) -> str:
    """The visible step after (offset 1) or before (-1) this one; REVIEW after the last."""
    order = [s.key for s in definition.steps]
    here = order.index(step_key)
    visible = set(resolution.step_keys())
    candidates = order[here + 1 :] if offset > 0 else list(reversed(order[:here]))
    for key in candidates:
        if key in visible:
            return key
    return REVIEW if offset > 0 else step_key


def progress(resolution: Resolution, step_key: str) -> tuple[int, int]:
    keys = resolution.step_keys()
    position = keys.index(step_key) + 1 if step_key in keys else 1
    return position, len(keys)


def with_field_names(posted: MultiDict[str, Any], keys: list[str]) -> MultiDict[str, Any]:
    """A step posted from a page rendered before question fields carried their prefix (a tab
    left open across an update, a form kept while its session had ended) names its fields by
    the bare question keys: read them under today's names rather than as empty answers."""
    if any(field_name(key) in posted for key in keys) or not any(key in posted for key in keys):
        return posted
    renamed: MultiDict[str, Any] = MultiDict()
    for name, value in posted.items(multi=True):
        renamed.add(field_name(name) if name in keys else name, value)
    return renamed


# The wizard's own fields a kept step form may carry, with the longest value each may have.
KEPT_WIZARD_FIELDS = {"lock_version": 20, "action": 120}  # a row button names its group and row
# A value of a question without a length of its own (a number, a date or its parts).
OTHER_VALUE_LIMIT = 100


def kept_step_fields(step: Step, posted: MultiDict[str, Any]) -> list[tuple[str, str]] | None:
    """The fields of a step form worth keeping across an ended session: only the step's own
    (its questions' fields, with the bare keys of an older page too, and the wizard's), each
    no larger than its question takes. None when any field is larger than that: a browser
    showing this step cannot have sent it."""
    limits: dict[str, tuple[int, int]] = {}  # field name -> (values allowed, characters each)
    rows: dict[str, Group] = {}  # a group's field name -> the group, whose rows are kept too
    for question in step.questions:
        if isinstance(question, Group):
            rows[field_name(question.key)] = question
            continue
        limits[field_name(question.key)] = limits[question.key] = _kept_size(question)
    limits["shown"] = (1, sum(len(q.key) + 1 for q in step.questions))
    for name, length in KEPT_WIZARD_FIELDS.items():
        limits[name] = (1, length)
    kept: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    for name, value in posted.items(multi=True):
        if name == "csrf_token":  # checked already; a secret, never stored
            continue
        row_field = _row_field(rows, name)
        if row_field is not None:  # a field of a group's row: q_<group>-<row>-<its field>
            group, sub_name = row_field
            size = _row_field_size(group, sub_name)
            counts[name] = counts.get(name, 0) + 1
            if size is None or counts[name] > size[0] or len(value.replace("\r\n", "\n")) > size[1]:
                return None
            kept.append((name, value))
            continue
        base = name if name in limits else name.rpartition("-")[0]  # a date's day, month, year
        if base not in limits or not isinstance(value, str):
            continue
        allowed, length = limits[base]
        if base != name:
            allowed, length = 3, OTHER_VALUE_LIMIT
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > allowed or len(value.replace("\r\n", "\n")) > length:
            return None
        kept.append((name, value))
    return kept


def _kept_size(question: Any) -> tuple[int, int]:
    """(values allowed, characters each) of a question's field in a kept form."""
    options = getattr(question, "options", None)
    if options is not None:
        return (
            len(options) if question.type_name == "multiple_choice" else 1,
            max(len(o.value) for o in options),
        )
    return (1, getattr(question, "max_length", OTHER_VALUE_LIMIT))


def _row_field(rows: dict[str, Group], name: str) -> tuple[Group, str] | None:
    for prefix, group in rows.items():
        head, _, rest = name.partition("-")
        number, _, sub_name = rest.partition("-")
        if head == prefix and number.isdigit() and int(number) < group.max_rows and sub_name:
            return group, sub_name
    return None


def _row_field_size(group: Group, sub_name: str) -> tuple[int, int] | None:
    """The size of a row's field (its row mark, a question, a date's part), None if unknown."""
    if sub_name == ROW_MARK:
        return (1, 1)
    for question in group.questions:
        own = field_name(question.key)
        if sub_name == own:
            return _kept_size(question)
        if question.type_name == "date" and sub_name in (f"{own}-day", f"{own}-month", f"{own}-year"):
            return (1, OTHER_VALUE_LIMIT)
    return None


def past_review_dates(
    definition: Definition, step: Step, answers: dict[str, Any], today: dt.date
) -> set[str]:
    """The questions of this step declared as the next review's date (role next_review) whose
    saved answer is already past."""
    on_step = {q.key for q in step.questions}
    past = set()
    for key in definition.roles.questions.get("next_review", ()):
        value = answers.get(key)
        if key in on_step and isinstance(value, str) and definition.questions[key].check_value(value) is None:
            if parse_date(value) < today:
                past.add(key)
    return past


# -- a group's rows: added, removed and moved by the buttons of the step ----------------------
RowChange = tuple[Group, str, int | None]  # the group, what (add, remove, up, down), the row


def row_change(step: Step, keys: list[str], action: str) -> RowChange | None:
    """The change to a group's rows that the pressed button asks for, if it is one of a group
    rendered on this step."""
    asked = row_action(action)
    if asked is None:
        return None
    what, key, index = asked
    question = next((q for q in step.questions if q.key == key and key in keys), None)
    if not isinstance(question, Group):
        return None
    return question, what, index


def changed_rows(posted: MultiDict[str, Any], change: RowChange) -> MultiDict[str, Any]:
    group, what, index = change
    return apply_row_action(group, posted, what, index)


def row_id(group: Group, index: int) -> str:
    """The id of a row's fieldset on the step page."""
    return f"{field_name(group.key)}-{index}"


def row_change_said(definition: Definition, change: RowChange, answers: dict[str, Any]) -> tuple[str, str]:
    """What the page says after the change, and the id of the place to show (the row moved
    or added, or the group when a row is removed)."""
    group, what, index = change
    shown = definition.questions.get(group.key, group)
    label = str(getattr(shown, "row_label", group.row_label))
    rows = answers.get(group.key) or []
    count = len(rows) if isinstance(rows, list) else 0
    if what == "add":
        return _("%(row)s %(number)s added: fill it in below.", row=label, number=count), row_id(
            group, count - 1
        )
    assert index is not None  # only "add" names no row (engine.group.row_action)
    if what == "remove":
        return _("%(row)s %(number)s removed.", row=label, number=index + 1), field_name(group.key)
    moved_to = max(index - 1, 0) if what == "up" else min(index + 1, max(count - 1, 0))
    return (
        _("%(row)s moved to place %(number)s.", row=label, number=moved_to + 1),
        row_id(group, moved_to),
    )


def mark_missing(definition: Definition, form: Any, key: str, value: Any) -> None:
    """Put "answer this" at a missing answer: at the question, or, in a group, at each row's
    unanswered required field (and at the group when it has too few rows)."""
    question = definition.questions[key]
    field = form[field_name(key)]
    if not isinstance(question, Group):
        field.errors = [_("Answer this question to go on.")]
        return
    rows = value if isinstance(value, list) else []
    for index, sub_key in question.missing_in_rows(rows):
        if index < len(field.entries):
            sub = field.entries[index].form[field_name(sub_key)]
            sub.errors = [_("Answer this question to go on.")]
    if len(rows) < max(question.min_rows, 1 if question.required else 0):
        field.errors = [_("Add at least %(count)s: use the button below.", count=max(question.min_rows, 1))]
