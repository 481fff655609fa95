"""Any valid question key works as a question, end to end: keys that are also names of a
WTForms form's own attributes (meta, process, validate, data) or of the wizard's own fields
(action, shown, lock_version, csrf_token) load, render, refuse a wrong answer with its message
and save a right one, with CSRF on. The app serves a questionnaire written here, added to the
installed ones for the test."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict
from wtforms import Field

from aia.assessments import services
from aia.assessments.models import Draft
from aia.assessments.wizard import REVIEW
from aia.engine import Registry, build_step_form, field_name, parse_definition
from aia.engine.loader import RESERVED_STEP_KEYS
from aia.questionnaires import FOLDER
from aia.review.models import Comment

from .awkward_keys import AWKWARD, AWKWARD_KEYS, SAVED, VALID_ANSWERS
from .webform import answers_in, as_fields, form_values, submit_data


@pytest.fixture
def awkward(app, monkeypatch):
    """The awkward questionnaire, installed beside the shipped ones for this test."""
    definition = parse_definition(AWKWARD, "awkward-keys-v1.yaml")
    shipped = Registry.from_folder(FOLDER).all()
    monkeypatch.setitem(app.extensions, "aia.questionnaires", Registry([*shipped, definition]))
    return definition


@pytest.fixture
def on_first_step(awkward, client, login, make_agency, make_system, db_session):
    agency = make_agency()
    login("author", agency)
    system = make_system(agency=agency)
    draft = services.start_draft(db_session, system, awkward)
    url = f"/systems/{system.uid}/draft/first"
    return draft, url, client.get(url).get_data(as_text=True)


def saved(db_session, draft) -> dict:
    db_session.expire_all()
    return db_session.get(Draft, draft.id).answers


def test_a_form_keeps_its_own_attributes_whatever_the_keys(awkward):
    step = awkward.step("first")
    form = build_step_form(step, AWKWARD_KEYS)()
    assert callable(form.validate) and callable(form.process)
    assert isinstance(form.data, dict) and not isinstance(form.meta, Field)
    for key in AWKWARD_KEYS:
        assert form[field_name(key)].label.text == awkward.questions[key].label
    assert set(form.data) == {field_name(k) for k in AWKWARD_KEYS}
    form = build_step_form(step, AWKWARD_KEYS)(MultiDict({field_name("process"): "lots"}))
    assert form.validate() is False  # validate is the form's, not a question's field
    assert form[field_name("process")].errors == ["Enter a number, for example 1200."]


def test_every_key_renders_beside_the_wizards_own_fields(on_first_step):
    _, _, page = on_first_step
    wizard_form = re.search(r"<form[^>]*data-wizard.*?</form>", page, re.S).group(0)
    values = form_values(wizard_form)
    # Every question's field is there, unanswered (choices with nothing to send).
    answers = answers_in(wizard_form)
    # A date's field is three boxes, named after it (validate-day, validate-month, validate-year).
    dates = {k for k in AWKWARD_KEYS if f"{k}-day" in answers}
    assert dates == {"validate"}
    for key in dates:
        assert all(answers.pop(f"{key}-{part}") == [""] for part in ("day", "month", "year"))
        answers[key] = []
    assert set(answers) == set(AWKWARD_KEYS)
    assert answers["action"] == answers["shown"] == answers["lock_version"] == []
    for own in ("csrf_token", "lock_version", "shown"):
        assert len(values[own]) == 1, own  # the wizard's field, once, not a question's
    for key in AWKWARD_KEYS:
        assert f'data-question="{key}" data-field="{field_name(key)}"' in page
        assert f'name="{field_name(key)}{"-day" if key in dates else ""}"' in page


def test_a_wrong_answer_is_refused_with_its_message(on_first_step, client, db_session):
    draft, url, page = on_first_step
    response = client.post(
        url,
        data=submit_data(
            page, as_fields({**VALID_ANSWERS, "process": "lots", "validate": "2025-02-30"}), "next"
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a number, for example 1200." in html
    assert "Enter a real date as YYYY-MM-DD" in html
    assert f'href="#{field_name("process")}"' in html  # the error summary links to the field
    assert answers_in(html)["process"] == ["lots"]  # what was typed is shown again
    answers = saved(db_session, draft)
    assert "process" not in answers and "validate" not in answers
    assert answers["meta"] == "A name" and answers["action"] == "back"
    assert answers["lock_version"] == "yes"  # an answer, not the draft's lock


def test_a_missing_required_answer_stops_next(on_first_step, client, db_session):
    draft, url, page = on_first_step
    response = client.post(
        url, data=submit_data(page, as_fields({**VALID_ANSWERS, "data": "", "meta": ""}), "next")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for label in ("Meta label", "Data count"):  # in the error summary, and by the field
        assert f"{label}: Answer this question to go on." in html
    assert f'id="{field_name("data")}-error"' in html and f'id="{field_name("meta")}-error"' in html


def test_right_answers_are_saved_and_next_goes_on(on_first_step, client, db_session):
    draft, url, page = on_first_step
    response = client.post(url, data=submit_data(page, as_fields(VALID_ANSWERS), "next"))
    # The answer "back" of the question keyed action does not press the wizard's Back.
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"/systems/{draft.system.uid}/draft/second")
    assert saved(db_session, draft) == SAVED
    assert db_session.get(Draft, draft.id).lock_version == draft.lock_version


def test_a_question_keyed_csrf_token_leaves_the_check_on(on_first_step, client, db_session):
    draft, url, page = on_first_step
    data = submit_data(page, {**as_fields(VALID_ANSWERS), "csrf_token": "forged"}, "save")
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Your session expired" in response.get_data(as_text=True)
    assert saved(db_session, draft) == {}


def test_review_pages_and_comments_on_awkward_keys(awkward, on_first_step, client, login, db_session, app):
    draft, url, page = on_first_step
    client.post(url, data=submit_data(page, as_fields(VALID_ANSWERS), "next"))
    review = client.get(f"/systems/{draft.system.uid}/review").get_data(as_text=True)
    assert f'/draft/first?return_to=review#{field_name("validate")}"' in review
    db_session.expire_all()
    revision = services.submit(db_session, draft, awkward, draft.lock_version)
    reviewer = app.test_client()
    login("auditor", on=reviewer)
    url = f"/systems/{draft.system.uid}/revisions/{revision.number}/review"
    page = reviewer.get(url).get_data(as_text=True)
    response = reviewer.post(
        url,
        data=submit_data(
            page, {"comment__validate": "Which calendar?", "comment__data": "Three what?", "decision": ""}
        ),
    )
    assert response.status_code == 302
    comments = db_session.scalars(sa.select(Comment).where(Comment.revision_id == revision.id)).all()
    assert {(c.question_key, c.body) for c in comments} == {
        ("validate", "Which calendar?"),
        ("data", "Three what?"),
    }


def test_the_wizards_review_page_is_a_reserved_step_key():
    assert REVIEW in RESERVED_STEP_KEYS  # and the loader refuses those (test_loader_refusals)
