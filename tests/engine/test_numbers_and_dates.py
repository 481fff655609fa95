"""Numbers are read as the questionnaire's language writes them, or refused with a message,
never changed silently; dates are read by one function, so that the step form and the check of
a stored answer accept exactly the same dates. The form here is the real one: the step's
WTForms class, posted as a browser would post it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from aia.engine import answers_from_form, build_step_form, field_name, parse_definition
from aia.engine.questions import Question

FORM_RUNS = settings(max_examples=300, deadline=None)


def definition(language: str):
    return parse_definition(
        f"""\
schema: 1
key: numbers
version: 1
title: Numbers and dates
language: {language}
levels:
  - {{level: 1, name: One}}
  - {{level: 2, name: Two}}
  - {{level: 3, name: Three}}
  - {{level: 4, name: Four}}
steps:
  - key: only
    title: Only
    questions:
      - {{key: people, type: number, label: "How many people?", min: 0, max: 100000000}}
      - {{key: share, type: number, label: "Which share?", whole: false, min: -1000, max: 1000000}}
      - {{key: since, type: date, label: "Since when?"}}
""",
        f"numbers-{language}.yaml",
    )


ENGLISH, FRENCH = definition("en"), definition("fr")


def post(definition, key: str, text: str) -> tuple[list[str], dict]:
    """Post ``text`` into the question's field: the field's errors and the answers read."""
    step = definition.steps[0]
    form = build_step_form(step, [key])(MultiDict({field_name(key): text}))
    form.validate()
    return form[field_name(key)].errors, answers_from_form(step, form)


def accepted(definition, key: str, text: str):
    errors, answers = post(definition, key, text)
    assert errors == [], (text, errors)
    return answers[key]


def refused(definition, key: str, text: str) -> str:
    errors, answers = post(definition, key, text)
    assert errors and key not in answers, (text, answers)
    return errors[0]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,500", 1500),
        ("125,000", 125000),
        ("1,500,000", 1500000),
        ("1500", 1500),
        (" 5000 ", 5000),
        ("1 500", 1500),
        ("1\u202f500", 1500),
        ("0", 0),
    ],
)
def test_english_whole_numbers(text, value):
    assert accepted(ENGLISH, "people", text) == value


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.5", 1.5),
        ("1,500.25", 1500.25),
        (".5", 0.5),
        ("-2.75", -2.75),
        ("1.500", 1.5),
    ],
)
def test_english_decimals(text, value):
    assert accepted(ENGLISH, "share", text) == value


@pytest.mark.parametrize("text", ["1,5", "1,50", "12,34,567", "1500,000", ",5", "1,500,00"])
def test_english_refuses_a_comma_that_is_not_a_thousands_separator(text):
    message = refused(ENGLISH, "share", text)
    assert message.startswith("Write decimals with a point, as in 1.5")
    assert refused(ENGLISH, "people", text) == message


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,5", 1.5),
        ("1 500,25", 1500.25),
        ("1\u00a0500,25", 1500.25),
        ("1\u202f500", 1500),
        ("2500", 2500),
        ("1,500", 1.5),
        ("-0,5", -0.5),
    ],
)
def test_french_reads_a_decimal_comma(text, value):
    assert accepted(FRENCH, "share", text) == value


@pytest.mark.parametrize("text", ["1.5", "1.500", "1,500.5"])
def test_french_refuses_a_point(text):
    assert refused(FRENCH, "share", text).startswith("Write decimals with a comma, as in 1,5")


def test_french_one_comma_five_hundred_is_not_fifteen_hundred():
    """The reading of each language is kept: 1,500 is one and a half in French, so a question
    wanting a whole number refuses it instead of storing 1500."""
    assert refused(FRENCH, "people", "1,500") == "Enter a whole number, without decimals."
    assert accepted(FRENCH, "people", "1 500") == 1500
    assert accepted(ENGLISH, "people", "1,500") == 1500


@pytest.mark.parametrize(
    "text, message",
    [
        ("lots", "Enter a number, for example 1200."),
        ("1e3", "Enter a number, for example 1200."),
        ("NaN", "Enter a number, for example 1200."),
        ("-5", "Enter a number of at least 0."),
        ("1.5", "Enter a whole number, without decimals."),
        ("100,000,001", "Enter a number of at most 100000000."),
    ],
)
def test_english_refusals(text, message):
    assert refused(ENGLISH, "people", text) == message


def test_numbers_are_shown_as_the_language_writes_them():
    en, fr = ENGLISH.questions, FRENCH.questions
    assert en["people"].display(125000) == "125,000"
    assert fr["people"].display(125000) == "125\u202f000"
    assert en["share"].display(1500.25) == "1,500.25"
    assert fr["share"].display(1500.25) == "1\u202f500,25"
    assert en["share"].to_form(1500.25) == "1500.25"
    assert fr["share"].to_form(1500.25) == "1500,25"


@pytest.mark.parametrize("language_definition", [ENGLISH, FRENCH], ids=["en", "fr"])
@FORM_RUNS
@given(
    value=st.one_of(
        st.integers(-1000, 1_000_000), st.floats(-1000, 1_000_000, allow_nan=False, allow_infinity=False)
    )
)
def test_a_stored_number_goes_back_into_the_form_unchanged(language_definition, value):
    question = language_definition.questions["share"]
    assert question.check_value(value) is None
    assert accepted(language_definition, "share", question.to_form(value)) == value


NUMBER_TEXT = st.one_of(
    st.text(alphabet="0123456789,. -\u202f\u00a0e+", max_size=12),
    st.text(max_size=8),
    st.decimals(-1000, 1_000_000, allow_nan=False, places=3).map(str),
)


@pytest.mark.parametrize("language_definition", [ENGLISH, FRENCH], ids=["en", "fr"])
@FORM_RUNS
@given(text=NUMBER_TEXT)
def test_what_the_form_takes_as_a_number_the_store_takes(language_definition, text):
    question = language_definition.questions["share"]
    errors, answers = post(language_definition, "share", text)
    if not text.strip():
        assert errors == [] and answers["share"] is None
    elif not errors:
        assert question.check_value(answers["share"]) is None


# -- dates ------------------------------------------------------------------------------------

DATE_TEXT = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),  # read by date.fromisoformat since 3.11
    st.dates().map(lambda d: d.strftime("%G-W%V-%u")),  # ISO week date, also 10 characters
    st.dates().map(lambda d: f"{d.isoformat()}T00:00"),
    st.dates().map(lambda d: f" {d.isoformat()} "),
    st.text(max_size=12),
)


def form_takes_date(text: str) -> bool:
    errors, _ = post(ENGLISH, "since", text)
    return not errors


@FORM_RUNS
@given(text=DATE_TEXT)
def test_the_form_and_the_store_accept_the_same_dates(text):
    question: Question = ENGLISH.questions["since"]
    if not text.strip():
        return  # no answer: nothing to store
    assert form_takes_date(text) == (question.check_value(text.strip()) is None)
    if form_takes_date(text):
        stored = accepted(ENGLISH, "since", text)
        assert question.check_value(stored) is None
        assert stored == text.strip()
    if question.check_value(text) is None:
        assert form_takes_date(question.to_form(text))


@pytest.mark.parametrize(
    "text",
    ["20250331", "2025-W13-1", "2025-02-30", "2025-3-31", "31/03/2025", "2025-03-31T00:00", "٢٠٢٥-٠٣-٣١"],
)
def test_dates_both_refuse(text):
    question = ENGLISH.questions["since"]
    assert refused(ENGLISH, "since", text).startswith("Enter a real date as YYYY-MM-DD")
    assert question.check_value(text) == "expected a date as YYYY-MM-DD"


def test_a_date_is_stored_as_written():
    assert accepted(ENGLISH, "since", " 2025-03-31 ") == "2025-03-31"
    assert ENGLISH.questions["since"].display("2025-03-31") == "31 March 2025"


def test_a_questionnaire_read_in_french_reads_and_shows_numbers_and_dates_the_french_way():
    """A page in French reads and writes numbers the French way, whatever the file's language;
    what it stores is the same plain number, and the English reading is unchanged."""
    shown = ENGLISH.in_language("fr")
    assert accepted(shown, "share", "1 200,5") == accepted(ENGLISH, "share", "1,200.5") == 1200.5
    assert refused(shown, "share", "1.5").startswith("Write decimals with a comma, as in 1,5")
    assert refused(shown, "people", "12,000").startswith("Enter a whole number without a comma")
    assert accepted(ENGLISH, "people", "12,000") == 12000
    assert shown.questions["share"].display(1500.25) == "1\u202f500,25"
    assert shown.questions["share"].to_form(1500.25) == "1500,25"
    assert shown.questions["since"].display("2026-03-05") == "5 mars 2026"
    assert ENGLISH.questions["since"].display("2026-03-05") == "5 March 2026"
    assert FRENCH.in_language("en").questions["people"].display(125000) == "125,000"
