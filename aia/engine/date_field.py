"""The form field of a date question: three boxes, day, month and year (the GOV.UK pattern),
posted as ``<name>-day``, ``<name>-month`` and ``<name>-year``. Its data is the ISO date
(``2026-03-01``, as answers are stored) when the boxes make one, else None; what was typed
stays in ``parts`` to be shown again, and ``error_parts`` says which boxes are at fault.

A form posted with the whole date under the field's own name, as ``YYYY-MM-DD`` (a page opened
before the three boxes, a form kept while its session had ended), is read as before."""

from __future__ import annotations

import re
from typing import Any

from wtforms import fields
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from .messages import N_, Message
from .parsing import DATE_PARTS, DatePartsError, date_from_parts, date_parts, parse_date


class DatePartsField(fields.Field):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts: dict[str, str] = dict.fromkeys(DATE_PARTS, "")
        self.whole: str | None = None  # the date posted in one piece, if it was
        self.error_parts: tuple[str, ...] = ()

    def part_id(self, part: str) -> str:
        return f"{self.id}-{part}"

    def part_name(self, part: str) -> str:
        return f"{self.name}-{part}"

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.parts = date_parts(data if isinstance(data, str) else None)
        self.whole = None
        self.raw_data = None
        if formdata is not None:
            posted = {p: (formdata.get(self.part_name(p)) or "").strip() for p in DATE_PARTS}
            if self.name in formdata and not any(posted.values()):
                self.whole = (formdata.get(self.name) or "").strip()
                self.raw_data = [self.whole]
                self.parts = _split(self.whole) if self.whole else posted
            elif any(self.part_name(p) in formdata for p in DATE_PARTS):
                self.parts = posted
                # One piece of raw data, empty only when every box is: Optional() then stops the
                # checks for an unanswered date, and only for that.
                self.raw_data = ["".join(posted.values())]
        try:
            self.data = self.read()
        except ValueError:
            self.data = None

    def read(self) -> str | None:
        """The ISO date the field holds, None when unanswered; ValueError saying what to correct."""
        if self.whole is not None:
            return parse_date(self.whole).isoformat() if self.whole else None
        date = date_from_parts(**self.parts)
        return date.isoformat() if date else None

    def pre_validate(self, form: Any) -> None:
        self.error_parts = ()
        try:
            self.read()
        except DatePartsError as error:
            self.error_parts = error.parts
            raise ValidationError(error.args[0]) from None  # a Message, kept for the web layer
        except ValueError as error:
            self.error_parts = DATE_PARTS
            shown = _split(self.whole or "") != dict.fromkeys(DATE_PARTS, "")
            # What cannot be put back in the boxes is quoted, so that nothing typed is lost.
            reason = error.args[0]
            if not shown:
                reason = Message(N_("%(reason)s You wrote “%(typed)s”."), reason=reason, typed=self.whole)
            raise ValidationError(reason) from None

    def _value(self) -> str:
        return self.data or ""


def _split(whole: str) -> dict[str, str]:
    """A date written in one piece, year-month-day, into the boxes, even when it is no real date
    ("2025-02-30"), so that it is shown again as typed."""
    match = re.fullmatch(r"([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})", whole.strip())
    if match is None:
        return dict.fromkeys(DATE_PARTS, "")
    year, month, day = match.groups()
    return {"day": day, "month": month, "year": year}
