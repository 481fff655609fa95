"""Hostile input never makes a server error: every route of ``app.url_map``, with every method
it allows, signed out and signed in as each role, is sent hostile values (huge and long
numbers, far dates, control characters and NUL, crafted page cursors, deep or odd JSON, very
long text) in its path parameters, its query string and its form fields, with a valid CSRF
token so that the values reach the views. Each answer is below 500; afterwards no stored text
holds a control character, and the public feed is still XML.

Each route gets a fixed sweep of the worst values, then a few examples drawn by hypothesis
(kept modest: the whole runs in well under a minute). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote
from xml.dom import minidom  # parses our own feed

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aia.accounts import tokens
from aia.db import Base
from aia.engine import field_name
from aia.mail.models import OutboxMessage
from aia.publishing import services as publishing
from aia.register.models import Feedback
from aia.review.models import Comment

from .webform import form_values, submit_data

UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cursor(document: str) -> str:
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "name\x1b[31m\x07\x08",
    "\x0b\x0c\x1f\x7f\ufffe\uffff",
    "9" * 25,
    "-" + "9" * 25,
    str(2**63),
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "1e400",
    "NaN",
    "²",
    "' OR 1=1 --",
    '<script>alert("x")</script>',
    "../../etc/passwd",
    "%00",
    "\u202eevil",
    "A" * 3000,
    "",
    " ",
    cursor('["9999-12-31T00:00:00+00:00", ' + "9" * 25 + "]"),
    cursor('["2020-01-01T00:00:00", 1]'),
    cursor("[" * 3000 + "]" * 3000),
    cursor('["a\\u0000b", 1]'),
    cursor("[1e999, 1]"),
]
HOSTILE_INT = ["9" * 25, "2147483648", str(2**63), "0", "00001"]
FIELDS = [
    "name",
    "description",
    "agency",
    "questionnaire",
    "email",
    "password",
    "current",
    "new",
    "confirm",
    "code",
    "message",
    "kind",
    "reply_to",
    "reason",
    "decision",
    "overall",
    "lock_version",
    "action",
    "shown",
    "return_to",
    "answer",
    "role",
    "slug",
    "active",
    "lang",
    "next",
    field_name("decision"),
    field_name("people_per_year"),
    field_name("go_live"),
    field_name("go_live") + "-day",
    field_name("data_kinds"),
    field_name("purpose"),
    "comment-" + "decision",
]
ARGS = [
    "after",
    "q",
    "agency",
    "level",
    "rating",
    "state",
    "from",
    "to",
    "sort",
    "next",
    "lang",
    "return_to",
    "kind",
    "system",
    "before",
    "changes",
]
DEEP_JSON = "[" * 100_000 + "]" * 100_000
ODD_JSON = [
    DEEP_JSON,
    "[1, 2]",
    '{"email": {"a": 1}}',
    '{"email": [[1]]}',
    '"x"',
    "{",
    '{"email": "a\\u0000"}',
]
ROLES = [None, "author", "approver", "auditor", "admin"]


@pytest.fixture
def world(app, db_session, make_agency, make_user, make_system, make_draft, make_revision):
    """An agency with a draft, a published revision and a message from the public, its people
    in each role, and the values a path may name for real."""
    agency = make_agency()
    people = {
        role: make_user(role, agency if role in ("author", "approver") else None) for role in ROLES if role
    }
    drafting = make_system(agency=agency, name="Drafting")
    make_draft(system=drafting)
    published = make_system(agency=agency, name="Published")
    revision = make_revision(system=published, status="approved")
    with app.app_context():
        publishing.publish(db_session, make_user("approver", agency), revision)
    feedback = Feedback(
        system_id=published.id,
        agency_id=agency.id,
        kind="question",
        message="Why?",
        reference="MSG-TEST-0001",
    )
    db_session.add(feedback)
    failed_mail = OutboxMessage(
        kind="revision_approved", recipient="x@agency.example", language="en", values={}, state="failed"
    )
    db_session.add(failed_mail)
    db_session.flush()
    comment = Comment(revision_id=revision.id, author_id=people["auditor"].id, body="Why so?")
    db_session.add(comment)
    db_session.flush()
    with app.test_request_context():
        reset_token = tokens.make_token(people["author"], tokens.RESET)
    real = {
        "uid": [drafting.uid, published.uid],
        "number": ["1"],
        "step_key": ["about", "triage"],
        "user_id": [str(people["author"].id)],
        "feedback_id": [str(feedback.id)],
        "reference": [feedback.reference],
        "filename": ["app.css"],
        "lang": ["fr", "en"],
        "key": ["starter", "ads-impact"],
        "version": ["4", "3"],
        "token": [reset_token],
        "agency_id": [str(agency.id)],
        "message_id": [str(failed_mail.id)],
        "comment_id": [str(comment.id)],
    }
    return people, real


def signed_in(app, login, people, role: str | None):
    browser = app.test_client()
    if role is not None:
        login(people[role], on=browser)
    page = browser.get("/account/password" if role else "/login").get_data(as_text=True)
    return browser, form_values(page)["csrf_token"][0]


def routes(app) -> list[tuple[Any, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def url_for_values(rule, values: dict[str, str]) -> str:
    def part(match: re.Match) -> str:
        return quote(values[match.group(2)], safe="")

    return re.sub(r"<(?:(\w+):)?(\w+)>", part, rule.rule)


def path_values(rule, real: dict[str, list[str]]):
    """A strategy of values for each of the rule's parameters: real ones or hostile ones."""
    strategies = {}
    for name in rule.arguments:
        hostile = HOSTILE_INT if name in ("number", "user_id", "feedback_id") else HOSTILE_TEXT
        strategies[name] = st.sampled_from(real.get(name, []) + hostile)
    return st.fixed_dictionaries(strategies)


drawn_fields = st.dictionaries(
    st.sampled_from(FIELDS), st.sampled_from(HOSTILE_TEXT) | st.text(max_size=40), max_size=8
)
query_values = st.dictionaries(
    st.sampled_from(ARGS), st.sampled_from(HOSTILE_TEXT) | st.text(max_size=20), max_size=4
)


def attack(browser, token: str, rule, method: str, path: dict, query: dict, form: dict, body: str | None):
    url = url_for_values(rule, path)
    if method == "GET":
        response = browser.get(url, query_string=query)
    elif body is not None:
        response = browser.open(
            url, method=method, data=body, content_type="application/json", headers={"X-CSRFToken": token}
        )
    else:
        response = browser.open(url, method=method, query_string=query, data={"csrf_token": token, **form})
    assert response.status_code < 500, (method, url, query, form, body and body[:80], response.status_code)
    response.close()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "signed-out")
def test_no_route_answers_a_server_error_to_hostile_input(app, login, db_session, world, role):
    people, real = world
    browser, token = signed_in(app, login, people, role)
    pairs = routes(app)
    # Signing out last, so that the rest is tried signed in.
    pairs.sort(key=lambda pair: pair[0].endpoint == "accounts.logout")
    for rule, method in pairs:
        # The sweep: each hostile value in every parameter, query argument and field at once.
        for value in (HOSTILE_TEXT[1], "9" * 25, HOSTILE_TEXT[21], HOSTILE_TEXT[3], "9999-12-31"):
            path = {
                name: value
                if value.isdigit()
                or name not in ("number", "user_id", "feedback_id", "agency_id", "message_id")
                else "9" * 25
                for name in rule.arguments
            }
            attack(
                browser,
                token,
                rule,
                method,
                path,
                dict.fromkeys(ARGS, value),
                dict.fromkeys(FIELDS, value),
                None,
            )
            # The same with the real path values, so that the view itself reads the rest.
            if rule.arguments:
                path = {name: real[name][0] for name in rule.arguments}
                attack(
                    browser,
                    token,
                    rule,
                    method,
                    path,
                    dict.fromkeys(ARGS, value),
                    dict.fromkeys(FIELDS, value),
                    None,
                )
        if method != "GET":
            for body in ODD_JSON:
                attack(browser, token, rule, method, {n: real[n][0] for n in rule.arguments}, {}, {}, body)

        drawn_attack(browser, token, rule, method, real)
    assert_nothing_stored_holds_a_control_character(db_session)
    feed = app.test_client().get("/register/feed.atom")
    assert feed.status_code == 200
    minidom.parseString(feed.data)  # noqa: S318  # our own feed: still well-formed XML


def drawn_attack(browser, token: str, rule, method: str, real: dict[str, list[str]]) -> None:
    """A few examples drawn by hypothesis: values in the path, the query and the form at once."""

    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(path=path_values(rule, real), query=query_values, form=drawn_fields)
    def drawn(path, query, form):
        attack(browser, token, rule, method, path, query, form, None)

    drawn()


def assert_nothing_stored_holds_a_control_character(db_session) -> None:
    def texts(value: Any):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from texts(v)
        elif isinstance(value, list):
            for v in value:
                yield from texts(v)

    for table in Base.metadata.sorted_tables:
        for row in db_session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                for text in texts(value):
                    assert not UNWANTED.search(text), (table.name, column, text[:80])


def test_json_is_read_as_a_form_and_refused_with_a_message(client):
    token = form_values(client.get("/login").get_data(as_text=True))["csrf_token"][0]
    for body, message in (
        (DEEP_JSON, "nested deeper than 20 levels"),
        ("[1, 2]", "send an object of names and values"),
        ('{"email": {"a": 1}}', "its values are text, numbers or lists"),
        ("{", "not valid JSON"),
    ):
        response = client.post(
            "/login", data=body, content_type="application/json", headers={"X-CSRFToken": token}
        )
        assert response.status_code == 400, body[:20]
        assert message in response.get_data(as_text=True)


def test_control_characters_are_removed_before_they_are_stored(app, client, login, db_session, make_agency):
    from aia.assessments.models import System

    agency = make_agency()
    login("author", agency)
    page = client.get("/systems/new").get_data(as_text=True)
    response = client.post(
        "/systems/new",
        data=submit_data(
            page,
            {
                "name": "Tri\x00age\x1b\x07 of\tfiles",
                "agency": str(agency.id),
                "description": "Line one\r\nline two\x0c",
                "questionnaire": "starter:4",
            },
        ),
    )
    assert response.status_code == 302
    system = db_session.scalar(sa.select(System).where(System.agency_id == agency.id))
    assert (system.name, system.description) == ("Triage of\tfiles", "Line one\nline two")


def test_a_control_character_stored_before_does_not_break_the_feed(
    app, db_session, make_agency, make_user, make_system, make_revision
):
    agency = make_agency()
    system = make_system(agency=agency, name="Old name")
    revision = make_revision(system=system, status="approved")
    with app.app_context():
        publishing.publish(db_session, make_user("approver", agency), revision)
    from aia.register.models import RegisterEntry

    db_session.execute(
        sa.update(RegisterEntry)
        .where(RegisterEntry.system_id == system.id)
        .values(agency_name="Agency\x0b\x1f")
    )
    feed = app.test_client().get("/register/feed.atom")
    document = minidom.parseString(feed.data)  # noqa: S318  # our own feed, which must be XML
    assert "Agency" in document.toxml()


@pytest.mark.parametrize(
    "url",
    [
        "/register/?after=" + cursor('["9999-12-31T00:00:00+00:00", ' + "9" * 25 + "]"),
        "/register/?to=9999-12-31",
        "/register/?from=9999-12-31&to=0001-01-01",
        "/register/x/revisions/" + "9" * 25 + "/report.pdf",
        "/register/%00",
        "/register/?q=%00&agency=%00",
    ],
)
def test_the_reported_addresses_answer_without_a_server_error(client, url):
    assert client.get(url).status_code in (200, 404)
