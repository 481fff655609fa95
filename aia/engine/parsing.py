"""Numbers and dates as people type them. One function reads each, and the form's validator
and the check of a stored answer both call it, so that the two always agree.

A number is read as the questionnaire's language writes numbers. A mark that language does
not use that way is refused with a message, never guessed at: in English "1,5" is refused
(a comma separates thousands, in groups of three: "125,000"), in French "1,5" is one and a
half and "1.5" is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .messages import N_, Message

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
MINUS = "\u2212"


@dataclass(frozen=True)
class NumberFormat:
    decimal_mark: str
    group_separators: str
    display_group: str  # the separator numbers are shown with
    confusable_mark: str  # a mark other languages write decimals with
    wrong_mark_message: str  # why a number holding that mark the wrong way is refused
    # Where the decimal mark is another language's thousands separator, why a whole number
    # written with it ("12,000": twelve in French, twelve thousand in English) is refused.
    whole_with_mark_message: str | None = None

    def pattern(self) -> re.Pattern[str]:
        group = f"[{re.escape(self.group_separators)}]"
        whole = rf"(?:\d+|\d{{1,3}}(?P<sep>{group})\d{{3}}(?:(?P=sep)\d{{3}})*)"
        return re.compile(
            rf"(?P<sign>[-+{MINUS}]?)(?P<whole>{whole})?"
            rf"(?:{re.escape(self.decimal_mark)}(?P<fraction>\d+))?"
        )


NUMBER_FORMATS: dict[str, NumberFormat] = {
    "en": NumberFormat(
        ".",
        "," + SPACES,
        ",",
        ",",
        N_(
            "Write decimals with a point, as in 1.5; a comma only separates "
            "thousands, in groups of three, as in 125,000."
        ),
    ),
    "fr": NumberFormat(
        ",",
        SPACES,
        "\u202f",
        ".",
        N_("Write decimals with a comma, as in 1,5; thousands are separated by a space, as in 125 000."),
        N_("Enter a whole number without a comma; thousands are separated by a space, as in 12 000."),
    ),
}
_PATTERNS = {language: written.pattern() for language, written in NUMBER_FORMATS.items()}
NOT_A_NUMBER = N_("Enter a number, for example 1200.")
NOT_A_DATE = N_("Enter a real date as YYYY-MM-DD, for example 2025-03-31.")
_ISO_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")


def primary_language(tag: str) -> str:
    """ "fr" for "fr", "fr-CA" or "fr_CA"."""
    return re.split(r"[-_]", tag, maxsplit=1)[0].lower()


def number_format(language: str) -> NumberFormat:
    return NUMBER_FORMATS[primary_language(language)]


def parse_number(text: str, language: str) -> Decimal:
    """The number ``text`` stands for in ``language``; ValueError with a message for the
    person who typed it when it is not one."""
    text = text.strip()
    wanted = number_format(language)
    match = _PATTERNS[primary_language(language)].fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        if wanted.confusable_mark in text and any(c.isdigit() for c in text):
            raise ValueError(Message(wanted.wrong_mark_message))
        raise ValueError(Message(NOT_A_NUMBER))
    sign = "-" if match["sign"] in ("-", MINUS) else ""
    digits = re.sub(r"\D", "", match["whole"] or "0")
    fraction = f".{match['fraction']}" if match["fraction"] else ""
    return Decimal(sign + digits + fraction)


def format_number(value: int | float | Decimal, language: str, grouped: bool = False) -> str:
    """``value`` written as ``language`` writes it: ungrouped for a form field (which
    parse_number reads back to the same value), grouped with two decimals for reading."""
    wanted = number_format(language)
    if grouped:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
        return text.translate({ord(","): wanted.display_group, ord("."): wanted.decimal_mark})
    number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    return format(number, "f").replace(".", wanted.decimal_mark)


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (and nothing else); ValueError with a message otherwise."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise ValueError(Message(NOT_A_DATE))
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ValueError(Message(NOT_A_DATE)) from None


DATE_PARTS = ("day", "month", "year")
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
FRENCH_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_WHOLE = re.compile(r"[0-9]{1,4}")


# The month names as messages say them (parsing reads MONTH_NAMES, in any case).
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
MISSING_PARTS = {
    ("day",): N_("The date must include a day."),
    ("month",): N_("The date must include a month."),
    ("year",): N_("The date must include a year."),
    ("day", "month"): N_("The date must include a day and a month."),
    ("day", "year"): N_("The date must include a day and a year."),
    ("month", "year"): N_("The date must include a month and a year."),
}


def _missing_parts(missing: tuple[str, ...]) -> Message:
    return Message(MISSING_PARTS[missing])


class DatePartsError(ValueError):
    """Why three boxes do not make a date, and which boxes are at fault."""

    def __init__(self, message: str, parts: tuple[str, ...]):
        super().__init__(message)
        self.parts = parts


def date_from_parts(day: str, month: str, year: str) -> dt.date | None:
    """A date typed as day, month and year in three boxes (the GOV.UK pattern): None when all
    three are empty, else the date, or DatePartsError naming the boxes to correct. The month
    may be a number or its name in English or French, whole or its first three letters ("Mar")."""
    typed = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
    missing = tuple(p for p in DATE_PARTS if not typed[p])
    if len(missing) == len(DATE_PARTS):
        return None
    if missing:
        raise DatePartsError(_missing_parts(missing), missing)
    if not _WHOLE.fullmatch(typed["day"]) or not 1 <= int(typed["day"]) <= 31:
        raise DatePartsError(Message(N_("Enter the day as a number from 1 to 31.")), ("day",))
    month_number = _month(typed["month"])
    if month_number is None:
        raise DatePartsError(
            Message(N_("Enter the month as a number from 1 to 12, or its name.")), ("month",)
        )
    if not re.fullmatch(r"[0-9]{4}", typed["year"]):
        raise DatePartsError(Message(N_("Enter the year with four digits, for example 2026.")), ("year",))
    try:
        return dt.date(int(typed["year"]), month_number, int(typed["day"]))
    except ValueError:
        raise DatePartsError(
            Message(
                N_("Enter a real date: %(month)s %(year)s has no day %(day)s."),
                month=Message(MONTHS[month_number - 1]),
                year=typed["year"],
                day=int(typed["day"]),
            ),
            ("day",),
        ) from None


def _month(text: str) -> int | None:
    """A month typed as its number or its name in English or French, whole or its first three
    letters or more (accents optional); a start that fits two months ("jui") is none."""
    if _WHOLE.fullmatch(text):
        return int(text) if 1 <= int(text) <= 12 else None
    name = _plain(text.lower().rstrip("."))
    if len(name) < 3:
        return None
    fits = {
        number
        for names in (MONTH_NAMES, FRENCH_MONTH_NAMES)
        for number, month in enumerate(names, start=1)
        if _plain(month).startswith(name)
    }
    return fits.pop() if len(fits) == 1 else None


def _plain(text: str) -> str:
    """``text`` without its accents (février, fevrier)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def date_parts(value: str | None) -> dict[str, str]:
    """A stored ISO date as the three boxes show it (``{"day": "1", "month": "3", ...}``)."""
    try:
        date = parse_date(value or "")
    except ValueError:
        return dict.fromkeys(DATE_PARTS, "")
    return {"day": str(date.day), "month": str(date.month), "year": str(date.year)}
