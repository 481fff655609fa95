"""A repeatable group on the step page, without a script: "Add a risk", "Remove" and "Move
up/down" post the step, which is saved and shown again with the rows changed; a row's mistake
is shown at the row's own field, and Next names each row's missing answer."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from aia.assessments import services
from aia.engine import Registry, parse_definition
from aia.questionnaires import FOLDER

from .group_questionnaire import LISTED
from .webform import assert_shown_escaped, submit_data


@pytest.fixture
def listed(app, monkeypatch):
    definition = parse_definition(LISTED, "listed-v1.yaml")
    monkeypatch.setitem(
        app.extensions, "aia.questionnaires", Registry([*Registry.from_folder(FOLDER).all(), definition])
    )
    return definition


@pytest.fixture
def risks_step(listed, client, login, make_agency, make_system, db_session):
    agency = make_agency()
    login("author", agency)
    system = make_system(agency=agency)
    draft = services.start_draft(db_session, system, listed)
    return f"/systems/{system.uid}/draft/risks", draft


def saved(draft) -> dict:
    session = inspect(draft).session
    session.refresh(draft)
    return draft.answers


def press(client, url: str, page: str, action: str, changes: dict | None = None) -> tuple[int, str, str]:
    response = client.post(url, data=submit_data(page, changes, action))
    if response.status_code != 302:
        return response.status_code, "", response.get_data(as_text=True)
    location = response.headers["Location"]
    return 302, location, client.get(location).get_data(as_text=True)


def test_rows_are_added_filled_moved_and_removed_without_a_script(risks_step, client, db_session):
    url, draft = risks_step
    page = client.get(url).get_data(as_text=True)
    assert "No rows yet." in page
    assert 'value="add:register"' in page and "Add a risk" in page

    status, location, page = press(client, url, page, "add:register", {"q_owner": "Ana"})
    assert status == 302 and location.endswith("#q_register-0")
    assert "Risk 1 added: fill it in below." in page
    assert saved(draft) == {"owner": "Ana", "register": [{}]}  # the step was saved with it
    assert "<legend>Risk <span data-row-number>1</span></legend>" in page

    filled = {"q_register-0-q_right": "equality", "q_register-0-q_measures": "<b>Asked</b> twice"}
    status, location, page = press(client, url, page, "add:register", filled)
    assert location.endswith("#q_register-1")
    status, location, page = press(client, url, page, "add:register", {"q_register-1-q_right": "dignity"})
    assert [row.get("right") for row in saved(draft)["register"]] == ["equality", "dignity", None]
    assert_shown_escaped(page, "<b>Asked</b> twice", "a row's text")

    status, location, page = press(client, url, page, "up:register:1")
    assert location.endswith("#q_register-0") and "Risk moved to place 1." in page
    assert [row.get("right") for row in saved(draft)["register"]] == ["dignity", "equality", None]
    status, location, page = press(client, url, page, "down:register:0")
    assert [row.get("right") for row in saved(draft)["register"]] == ["equality", "dignity", None]

    status, location, page = press(client, url, page, "remove:register:2")
    assert location.endswith("#q_register") and "Risk 3 removed." in page
    assert saved(draft)["register"] == [
        {"right": "equality", "measures": "<b>Asked</b> twice"},
        {"right": "dignity"},
    ]
    # The buttons name their row for a screen reader; the first row cannot go up, the last down.
    assert 'value="up:register:0"' not in page and 'value="down:register:1"' not in page
    assert '>Remove<span class="visually-hidden"> Risk <span data-row-number>2</span></span>' in page


def test_a_row_mistake_is_shown_at_its_field_and_the_rest_is_kept(risks_step, client):
    url, draft = risks_step
    page = client.get(url).get_data(as_text=True)
    _, _, page = press(client, url, page, "add:register")
    status, _, page = press(
        client, url, page, "add:register", {"q_owner": "Ana", "q_register-0-q_people": "lots"}
    )
    assert status == 422
    assert saved(draft)["owner"] == "Ana"  # the rest of the step is saved
    assert 'id="q_register-0-q_people-error"' in page
    assert 'href="#q_register-0-q_people">Risk 1: People affected each year:' in page  # in the summary
    assert 'value="lots"' in page  # what was typed is kept in the form, with the row added
    assert "<legend>Risk <span data-row-number>2</span></legend>" in page


def test_next_names_each_rows_missing_answer(risks_step, client):
    url, draft = risks_step
    page = client.get(url).get_data(as_text=True)
    status, _, page = press(client, url, page, "next")
    assert status == 422 and "Add at least 1: use the button below." in page  # a required group
    _, _, page = press(client, url, page, "add:register")
    status, _, page = press(client, url, page, "next", {"q_register-0-q_likelihood": "rare"})
    assert status == 422
    assert saved(draft)["register"] == [{"likelihood": "rare"}]
    assert 'id="q_register-0-q_right-error"' in page
    assert 'href="#q_register-0-q_right-0">Risk 1: Right at stake: Answer this question to go on.' in page
    status, location, _ = press(client, url, page, "next", {"q_register-0-q_right": "dignity"})
    assert status == 302 and location.endswith("/draft/end")


def test_enter_in_a_field_presses_next_not_a_rows_button(risks_step, client):
    url, _ = risks_step
    page = client.get(url).get_data(as_text=True)
    form = page[page.index("data-wizard") :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'value="next"' in first_button and 'tabindex="-1"' in first_button


def test_a_steps_rows_are_kept_across_an_ended_session_within_their_sizes(listed):
    from werkzeug.datastructures import MultiDict

    from aia.assessments.wizard import kept_step_fields

    step = listed.step("risks")
    posted = MultiDict(
        [
            ("csrf_token", "secret"),
            ("action", "remove:register:1"),
            ("q_owner", "Ana"),
            ("q_register-0-row", "1"),
            ("q_register-0-q_right", "dignity"),
            ("q_register-0-q_measures", "Asked twice."),
            ("q_register-1-row", "1"),
            ("q_elsewhere", "dropped"),
        ]
    )
    kept = kept_step_fields(step, posted)
    assert kept == [(k, v) for k, v in posted.items(multi=True) if k not in ("csrf_token", "q_elsewhere")]
    too_long = MultiDict([("q_register-0-q_measures", "x" * 301)])
    assert kept_step_fields(step, too_long) is None  # no page of this step sends that
    unknown = MultiDict([("q_register-0-q_colour", "red")])
    assert kept_step_fields(step, unknown) is None


def test_the_review_page_lists_each_row(risks_step, client, db_session):
    url, draft = risks_step
    draft.answers = {"register": [{"right": "dignity", "measures": "<i>Asked</i>"}, {"right": "equality"}]}
    db_session.flush()
    page = client.get(url.replace("/draft/risks", "/review")).get_data(as_text=True)
    assert '<ol class="group-answers">' in page
    assert 'Risk 1: Right at stake: <span class="answer" dir="auto">Human dignity</span>' in page
    assert_shown_escaped(page, "<i>Asked</i>", "a row on the review page")
    assert "Risk 2: Right at stake:" in page
