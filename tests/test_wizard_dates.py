"""Dates on the step page: a next-review date already past is pointed out (through the role
next_review, whatever the question's key), and a past date of another role is not."""

from __future__ import annotations

import datetime as dt

import pytest

from aia.assessments import services
from aia.engine import Registry, parse_definition
from aia.questionnaires import FOLDER

from .named_questionnaire import NAMED
from .webform import submit_data

WARNING = "This date has already passed: the review is overdue."


@pytest.fixture
def named(app, monkeypatch):
    definition = parse_definition(NAMED, "named-v1.yaml")
    monkeypatch.setitem(
        app.extensions, "aia.questionnaires", Registry([*Registry.from_folder(FOLDER).all(), definition])
    )
    return definition


@pytest.fixture
def identity_step(named, client, login, make_agency, make_system, db_session):
    agency = make_agency()
    login("author", agency)
    system = make_system(agency=agency)
    services.start_draft(db_session, system, named)
    return f"/systems/{system.uid}/draft/identity"


def boxes(key: str, date: dt.date) -> dict[str, str]:
    return {f"q_{key}-day": str(date.day), f"q_{key}-month": str(date.month), f"q_{key}-year": str(date.year)}


def test_a_past_next_review_date_is_pointed_out_and_saved(identity_step, client):
    today = dt.date.today()
    page = client.get(identity_step).get_data(as_text=True)
    assert WARNING not in page
    past = {
        **boxes("review_on", today - dt.timedelta(days=3)),
        **boxes("approved_on", today - dt.timedelta(days=90)),
    }
    response = client.post(identity_step, data=submit_data(page, {"q_called": "Named", **past}, "save"))
    assert response.status_code == 302  # a warning, not an error: the answer is saved
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count(WARNING) == 1  # the approval date, in the past as it should be, is not
    assert 'aria-describedby="q_review_on-past q_review_on-example"' in page  # read with the field
    future = boxes("review_on", today + dt.timedelta(days=30))
    response = client.post(identity_step, data=submit_data(page, future, "save"))
    assert WARNING not in client.get(response.headers["Location"]).get_data(as_text=True)
