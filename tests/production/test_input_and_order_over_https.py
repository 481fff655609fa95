"""Hostile input and the one-revision-awaiting rule, tried over HTTPS against the production
set-up (see conftest.py): every answer is checked for a 5xx by ``Visitor``."""

from __future__ import annotations

import base64
import re
from xml.dom import minidom  # parses the site's own feed

import pytest

from ..test_wizard import STEP_ANSWERS
from ..webform import as_fields, form_values, submit_data
from .site import Visitor
from .test_over_https import login_token, published_entry, sign_in

pytestmark = pytest.mark.production


def cursor(document: str) -> str:
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def test_hostile_addresses_and_bodies_get_an_answer_not_a_server_error(site):
    visitor = site.visitor("127.0.0.31")
    entry = published_entry(visitor)
    for path in (
        "/register/?after=" + cursor('["9999-12-31T00:00:00+00:00", ' + "9" * 25 + "]"),
        "/register/?after=" + cursor('["a\\u0000b", 1]') + "&sort=name",
        "/register/?to=9999-12-31&from=0001-01-01",
        "/register/?q=%00&agency=%00",
        f"{entry}/revisions/{'9' * 25}/report.pdf",
        "/register/%00",
    ):
        # nginx itself refuses a NUL in a path (400); the app answers the rest.
        assert visitor.get(path).status in (200, 400, 404), path
    # A NUL in a public message, which PostgreSQL refuses in text: removed, and the message sent.
    page = visitor.get(entry).body
    data = submit_data(page, {"kind": "question", "message": "Who checks\x00 this?", "reply_to": ""})
    assert visitor.post(f"{entry}/feedback", form=data).status == 302
    # JSON nested deeper than a form: refused with a message.
    deep: list = []
    for _ in range(60):
        deep = [deep]
    answer = visitor.post("/login", json_body={"email": deep}, headers={"X-CSRFToken": login_token(visitor)})
    assert answer.status == 400 and "nested deeper than 20 levels" in answer.body
    minidom.parseString(visitor.get("/register/feed.atom").body)  # noqa: S318  # the site's own feed


def test_signed_in_hostile_numbers_are_not_found(site):
    visitor = site.visitor("127.0.0.32")
    email, password = site.accounts["author"]
    assert sign_in(visitor, email, password).status == 302
    systems = re.findall(r'href="/systems/(sys-[0-9a-f]+)"', visitor.get("/").body)
    assert systems
    assert visitor.get(f"/systems/{systems[0]}/revisions/{'9' * 25}").status == 404
    # A number no revision can have is no number: the comparison falls back to its default.
    assert visitor.get(f"/systems/{systems[0]}/compare?from={'9' * 25}&to=1").status in (302, 404)


def test_no_second_revision_awaits_a_decision_by_choosing_another_questionnaire(site):
    visitor: Visitor = site.visitor("127.0.0.33")
    email, password = site.accounts["author"]
    assert sign_in(visitor, email, password).status == 302
    page = visitor.get("/systems/new").body
    agency = form_values(page)["agency"][0]
    created = visitor.post(
        "/systems/new",
        form=submit_data(page, {"name": "Permit triage", "agency": agency, "questionnaire": "starter:4"}),
    )
    assert created.status == 302
    location = created.header("Location")
    uid = re.search(r"/systems/(sys-[0-9a-f]+)/", location).group(1)
    page = visitor.get(location).body
    for step, answers in STEP_ANSWERS.items():
        saved = visitor.post(
            f"/systems/{uid}/draft/{step}", form=submit_data(page, as_fields(answers), "next")
        )
        assert saved.status == 302, (step, saved.body[:500])
        page = visitor.get(saved.header("Location")).body
    review = visitor.get(f"/systems/{uid}/review").body
    assert visitor.post(f"/systems/{uid}/review", form=submit_data(review)).status == 302
    token = form_values(visitor.get(f"/systems/{uid}").body)["csrf_token"][0]
    for questionnaire in ("threshold:4", "ads-impact:5"):
        refused = visitor.post(
            f"/systems/{uid}/draft", form={"csrf_token": token, "questionnaire": questionnaire}
        )
        assert refused.status == 409, questionnaire
    assert "Revision 1 awaits a decision" in visitor.get(f"/systems/{uid}").body
