"""Question types: one class each, holding how it is read from a file, built into a form
field, validated, scored and shown. The registry refuses a duplicate or unknown type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal, overload

from babel.dates import format_date
from wtforms import fields, widgets
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2
from wtforms.validators import Optional, ValidationError

from .conditions import Condition, is_answered
from .date_field import DatePartsField
from .messages import N_, Message
from .parsing import NOT_A_NUMBER, format_number, number_format, parse_date, parse_number, primary_language
from .pictographs import emoji_count
from .texts import Text, read_text

QUESTION_TYPES: dict[str, type[Question]] = {}

SCORING_KINDS = ("risk", "mitigation")
COMMON_KEYS = {"key", "type", "label", "help", "why", "required", "show_if", "area"}


def register(cls: type[Question]) -> type[Question]:
    if cls.type_name in QUESTION_TYPES:
        raise RuntimeError(f"question type '{cls.type_name}' is registered twice")
    QUESTION_TYPES[cls.type_name] = cls
    return cls


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    points: int = 0


class Question:
    """A question as read from a questionnaire file. Subclasses say what their type adds."""

    type_name: ClassVar[str] = ""
    extra_keys: ClassVar[set[str]] = set()

    def __init__(
        self, raw: Mapping[str, Any], step_key: str, fail: Callable[[str], Exception], language: str = "en"
    ):
        unknown = set(raw) - COMMON_KEYS - self.extra_keys
        if unknown:
            raise fail(f"unknown field(s) {sorted(unknown)} for a {self.type_name} question")
        self.key: str = raw["key"]
        self.step_key = step_key
        self.language = language  # the questionnaire's: how numbers are written
        self.label = _text(raw, "label", fail, language, required=True)
        self.help = _text(raw, "help", fail, language)
        self.why = _text(raw, "why", fail, language)  # why the question is asked, shown with its help
        self.area = _text(raw, "area", fail, language)
        required = raw.get("required", False)
        if not isinstance(required, bool):
            raise fail("'required' must be true or false")
        self.required = required
        self.show_if: Condition | None = None  # set by the loader, which knows the order
        self.scoring: str | None = None
        self.flag: str | None = None
        self.flag_on: tuple[str, ...] = ()

    # -- form ------------------------------------------------------------------------------
    def field(self) -> fields.Field:
        raise NotImplementedError

    def from_form(self, data: Any) -> Any:
        """The JSON value to store for what the form field holds (None when unanswered)."""
        return data if is_answered(data) else None

    def to_form(self, value: Any) -> Any:
        """What to put in the form field for a stored value."""
        return value

    # -- stored answers ----------------------------------------------------------------------
    def check_value(self, value: Any) -> str | None:
        """Why a stored value is not a valid answer, or None when it is."""
        return None

    def complete(self, value: Any) -> bool:
        """Whether a valid, given answer is all the question asks (a group's rows may lack
        answers of their own)."""
        return True

    def points(self, value: Any) -> int:
        return 0

    def max_points(self) -> int:
        return 0

    def display(self, value: Any) -> str:
        return "" if value is None else str(value)

    def _field_kwargs(self) -> dict[str, Any]:
        return {"label": self.label, "description": self.help or "", "validators": [Optional()]}


class ChoiceQuestion(Question):
    """Shared behaviour of the questions answered by picking options."""

    extra_keys = {"options", "scoring"}
    multiple: ClassVar[bool] = False

    def __init__(
        self, raw: Mapping[str, Any], step_key: str, fail: Callable[[str], Exception], language: str = "en"
    ):
        super().__init__(raw, step_key, fail, language)
        self.options = self._read_options(raw, fail, language)
        self.scoring = _scoring(raw, fail)
        if self.scoring is None and any(o.points for o in self.options):
            raise fail("options carry points but the question has no 'scoring: risk|mitigation'")
        if self.scoring is not None and not any(o.points for o in self.options):
            raise fail(f"'scoring: {self.scoring}' but no option carries points")

    def _read_options(
        self, raw: Mapping[str, Any], fail: Callable[[str], Exception], language: str
    ) -> list[Option]:
        items = raw.get("options")
        if not isinstance(items, list) or len(items) < 2:
            raise fail("needs 'options': a list of at least two options")
        options: list[Option] = []
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise fail(f"option {i + 1} must be a mapping with value and label")
            extra = set(item) - {"value", "label", "points"}
            if extra:
                raise fail(f"option {i + 1} has unknown field(s) {sorted(extra)}")
            value = item.get("value")
            if not isinstance(value, str) or not value.strip():
                raise fail(f"option {i + 1} has no value (write it as text, in quotes if needed)")
            if item.get("label") is None:
                raise fail(f"option '{value}' has no label")
            label = read_text(item["label"], language, fail, f"label of option '{value}'")
            points = item.get("points", 0)
            if not isinstance(points, int) or isinstance(points, bool) or points < 0:
                raise fail(f"option '{value}' points must be a whole number, 0 or more")
            options.append(Option(value, label, points))
        values = [o.value for o in options]
        duplicate = next((v for v in values if values.count(v) > 1), None)
        if duplicate is not None:
            raise fail(f"option value '{duplicate}' is used twice")
        return options

    def choices(self) -> list[SelectChoice]:
        return [SelectChoice(o.value, o.label) for o in self.options]

    @property
    def values(self) -> list[str]:
        return [o.value for o in self.options]

    def label_of(self, value: str) -> str:
        return next((o.label for o in self.options if o.value == value), value)

    def check_value(self, value: Any) -> str | None:
        if value is None:
            return None
        chosen = value if self.multiple else [value]
        if self.multiple and not isinstance(value, list):
            return "expected a list of options"
        for v in chosen:
            if v not in self.values:
                return f"'{v}' is not one of the options"
        return None

    def points(self, value: Any) -> int:
        if self.check_value(value) is not None or value is None:
            return 0
        chosen = set(value) if self.multiple else {value}
        return sum(o.points for o in self.options if o.value in chosen)

    def max_points(self) -> int:
        if self.multiple:
            return sum(o.points for o in self.options)
        return max((o.points for o in self.options), default=0)

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(self.label_of(v) for v in chosen)


@register
class SingleChoice(ChoiceQuestion):
    type_name = "single_choice"

    def field(self) -> fields.Field:
        return fields.RadioField(choices=self.choices(), **self._field_kwargs())


class MultiCheckboxField(fields.SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


@register
class MultipleChoice(ChoiceQuestion):
    type_name = "multiple_choice"
    multiple = True

    def field(self) -> fields.Field:
        return MultiCheckboxField(choices=self.choices(), **self._field_kwargs())

    def from_form(self, data: Any) -> Any:
        # Keep the order of the options, whatever order the browser sent.
        chosen = set(data or [])
        picked = [v for v in self.values if v in chosen]
        return picked or None


YES_NO_UNSURE = (
    ("yes", Text({"en": "Yes", "fr": "Oui"}, "en")),
    ("no", Text({"en": "No", "fr": "Non"}, "en")),
    ("unsure", Text({"en": "Not sure", "fr": "Je ne sais pas"}, "en")),
)


@register
class YesNoUnsure(SingleChoice):
    """Yes / no / not sure; may carry points per answer and raise a triage flag."""

    type_name = "yes_no_unsure"
    extra_keys = {"points", "scoring", "flag", "flag_on"}

    def _read_options(
        self, raw: Mapping[str, Any], fail: Callable[[str], Exception], language: str
    ) -> list[Option]:
        points = raw.get("points", {}) or {}
        if not isinstance(points, Mapping):
            raise fail("'points' must map yes / no / unsure to whole numbers")
        points = {("yes" if k is True else "no" if k is False else k): v for k, v in points.items()}
        unknown = set(points) - {v for v, _ in YES_NO_UNSURE}
        if unknown:
            raise fail(f"'points' has unknown answer(s) {sorted(map(str, unknown))}")
        for answer, value in points.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise fail(f"points for '{answer}' must be a whole number, 0 or more")
        flag = raw.get("flag")
        if flag is not None and not isinstance(flag, str):
            raise fail("'flag' must be a flag key")
        self.flag = flag
        flag_on = raw.get("flag_on", ["yes", "unsure"])
        flag_on = ["yes" if v is True else "no" if v is False else v for v in flag_on]
        if not isinstance(flag_on, list) or not set(flag_on) <= {"yes", "no", "unsure"}:
            raise fail("'flag_on' must be a list of yes / no / unsure")
        if "flag_on" in raw and flag is None:
            raise fail("'flag_on' without 'flag'")
        self.flag_on = tuple(flag_on)
        return [Option(v, label, points.get(v, 0)) for v, label in YES_NO_UNSURE]


class TextQuestion(Question):
    extra_keys = {"max_length", "max_emoji"}
    default_max: ClassVar[int] = 200
    # Enough for any answer a person writes, few enough that the report of the longest
    # questionnaire with every text answer full of emoji still renders in seconds
    # (bench/report.py, worst case; aia/engine/pictographs.py says why emoji cost).
    default_max_emoji: ClassVar[int] = 50

    def __init__(
        self, raw: Mapping[str, Any], step_key: str, fail: Callable[[str], Exception], language: str = "en"
    ):
        super().__init__(raw, step_key, fail, language)
        max_length = raw.get("max_length", self.default_max)
        if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1:
            raise fail("'max_length' must be a whole number above 0")
        self.max_length = max_length
        max_emoji = raw.get("max_emoji", self.default_max_emoji)
        if not isinstance(max_emoji, int) or isinstance(max_emoji, bool) or max_emoji < 0:
            raise fail("'max_emoji' must be a whole number, 0 or more")
        self.max_emoji = max_emoji

    def _field_kwargs(self) -> dict[str, Any]:
        kwargs = super()._field_kwargs()
        kwargs["validators"].append(self._validate_length)
        return kwargs

    def _validate_length(self, form: Any, field: fields.Field) -> None:
        # A browser counts a line break as one character against maxlength, and sends it as
        # two (CR LF); the answer is stored with one (from_form), so it is counted as one.
        length = len((field.data or "").replace("\r\n", "\n"))
        if length > self.max_length:
            message = N_("Keep this under %(max)s characters (now %(length)s).")
            raise ValidationError(Message(message, max=self.max_length, length=length))
        emoji = emoji_count(field.data or "")
        if emoji > self.max_emoji:
            message = N_("Use at most %(max)s emoji in one answer (now %(count)s).")
            raise ValidationError(Message(message, max=self.max_emoji, count=emoji))

    def from_form(self, data: Any) -> Any:
        text = (data or "").replace("\r\n", "\n").strip()
        return text or None

    def check_value(self, value: Any) -> str | None:
        if value is not None and not isinstance(value, str):
            return "expected text"
        if isinstance(value, str) and len(value) > self.max_length:
            return f"longer than {self.max_length} characters"
        if isinstance(value, str) and emoji_count(value) > self.max_emoji:
            return f"more than {self.max_emoji} emoji"
        return None


@register
class ShortText(TextQuestion):
    type_name = "short_text"

    def field(self) -> fields.Field:
        return fields.StringField(**self._field_kwargs())


@register
class LongText(TextQuestion):
    type_name = "long_text"
    default_max = 10_000

    def field(self) -> fields.Field:
        return fields.TextAreaField(**self._field_kwargs())


@register
class Number(Question):
    type_name = "number"
    extra_keys = {"min", "max", "whole"}

    def __init__(
        self, raw: Mapping[str, Any], step_key: str, fail: Callable[[str], Exception], language: str = "en"
    ):
        super().__init__(raw, step_key, fail, language)
        for bound in ("min", "max"):
            value = raw.get(bound)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise fail(f"'{bound}' must be a number")
        self.min = raw.get("min")
        self.max = raw.get("max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise fail("'min' is above 'max'")
        whole = raw.get("whole", True)
        if not isinstance(whole, bool):
            raise fail("'whole' must be true or false")
        self.whole = whole

    def field(self) -> fields.Field:
        kwargs = self._field_kwargs()
        kwargs["validators"].append(self._validate)
        kwargs["render_kw"] = {"inputmode": "numeric" if self.whole else "decimal"}
        return fields.StringField(**kwargs)

    def _check(self, number: Decimal) -> Decimal:
        """The number, if it is one this question accepts; ValueError with a message if not."""
        if not number.is_finite():
            raise ValueError(Message(NOT_A_NUMBER))
        if self.whole and number != number.to_integral_value():
            raise ValueError(Message(N_("Enter a whole number, without decimals.")))
        if self.min is not None and number < Decimal(str(self.min)):
            raise ValueError(
                Message(N_("Enter a number of at least %(min)s."), min=format_number(self.min, self.language))
            )
        if self.max is not None and number > Decimal(str(self.max)):
            raise ValueError(
                Message(N_("Enter a number of at most %(max)s."), max=format_number(self.max, self.language))
            )
        return number

    def _read(self, text: str) -> Decimal:
        """The number typed, if this question accepts it; ValueError with a message if not."""
        number = parse_number(text, self.language)
        written = number_format(self.language)
        if (
            self.whole
            and written.whole_with_mark_message
            and written.decimal_mark in text
            and number == number.to_integral_value()
        ):
            # "12,000" is twelve here but twelve thousand elsewhere: asked for a whole
            # number, nobody means twelve by it, so it is refused rather than guessed at.
            raise ValueError(Message(written.whole_with_mark_message))
        return self._check(number)

    def _validate(self, form: Any, field: fields.Field) -> None:
        try:
            self._read(field.data or "")
        except ValueError as error:
            raise ValidationError(error.args[0]) from None  # a Message, kept for the web layer

    def from_form(self, data: Any) -> Any:
        if not is_answered((data or "").strip()):
            return None
        number = self._read(data)
        return int(number) if self.whole else float(number)

    def to_form(self, value: Any) -> Any:
        return None if value is None else format_number(value, self.language)

    def check_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "expected a number"
        try:
            self._check(Decimal(value) if isinstance(value, int) else Decimal(str(value)))
        except ValueError as error:
            return str(error)
        return None

    def display(self, value: Any) -> str:
        return "" if value is None else format_number(value, self.language, grouped=True)


@register
class Date(Question):
    """A date, typed as day, month and year in three boxes and stored as YYYY-MM-DD; a stored
    answer and the form accept the same dates (date_field.DatePartsField, parsing.parse_date)."""

    type_name = "date"

    def field(self) -> fields.Field:
        return DatePartsField(**self._field_kwargs())

    def from_form(self, data: Any) -> Any:
        return data or None

    def check_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            return "expected a date as YYYY-MM-DD"
        try:
            parse_date(value)
        except ValueError:
            return "expected a date as YYYY-MM-DD"
        return None

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        # Day, month's name and year as the language writes them: "5 March 2026", "5 mars 2026".
        return format_date(parse_date(value), "d MMMM y", locale=primary_language(self.language))


@overload
def _text(
    raw: Mapping[str, Any],
    name: str,
    fail: Callable[[str], Exception],
    language: str,
    required: Literal[True],
) -> str: ...
@overload
def _text(
    raw: Mapping[str, Any],
    name: str,
    fail: Callable[[str], Exception],
    language: str,
    required: bool = False,
) -> str | None: ...
def _text(
    raw: Mapping[str, Any],
    name: str,
    fail: Callable[[str], Exception],
    language: str,
    required: bool = False,
) -> str | None:
    value = raw.get(name)
    if value is None:
        if required:
            raise fail(f"needs a '{name}'")
        return None
    return read_text(value, language, fail, name)


def _scoring(raw: Mapping[str, Any], fail: Callable[[str], Exception]) -> str | None:
    scoring = raw.get("scoring")
    if scoring is not None and scoring not in SCORING_KINDS:
        raise fail(f"'scoring' must be one of {', '.join(SCORING_KINDS)}, not {scoring!r}")
    return scoring
