"""Answers in and out: a draft's answers downloaded as an answer file (docs/answer-file.md)
and loaded into a draft after what the file would change is shown; a bad or malformed file
saves nothing and says why. The blank questionnaire to print, the search through a draft's
questionnaire, and each question's why and scoring in words."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa

from aia.audit.models import AuditEvent

from .answers import STARTER_COMPLETE
from .webform import submit_data


@pytest.fixture
def agency(make_agency):
    return make_agency(name="Water Board")


@pytest.fixture
def author(client, login, agency):
    login("author", agency)
    return client


def _download(client, system) -> dict:
    response = client.get(f"/systems/{system.uid}/draft/answers.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


def _read(client, system, content: bytes, name: str = "answers.json"):
    page = client.get(f"/systems/{system.uid}/draft/answers").get_data(as_text=True)
    data = {**submit_data(page), "answer_file": (io.BytesIO(content), name)}
    data.pop("content", None)
    return client.post(f"/systems/{system.uid}/draft/answers", data=data, content_type="multipart/form-data")


def _load(client, system, preview_html: str):
    return client.post(f"/systems/{system.uid}/draft/answers/load", data=submit_data(preview_html))


def test_download_then_load_into_another_draft(author, agency, make_system, make_draft, db_session, registry):
    first = make_system("First", agency=agency)
    make_draft(STARTER_COMPLETE, system=first)
    document = _download(author, first)
    definition = registry.latest("starter")
    assert document["format"] == "aia-answers" and document["format_version"] == 1
    assert document["questionnaire"] == {
        "key": "starter",
        "version": definition.version,
        "hash": definition.content_hash,
        "title": "Starter assessment",
    }
    assert document["answers"] == STARTER_COMPLETE

    second = make_system("Second", agency=agency)
    draft = make_draft({"decision": "Something else"}, system=second)
    content = json.dumps(document).encode()
    preview = _read(author, second, content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert f"{len(STARTER_COMPLETE)} answers will be loaded." in html
    assert "1 of them replaces a different answer the draft holds" in html
    assert "Something else" in html and "Who is invited to a review interview" in html
    db_session.refresh(draft)
    assert draft.answers == {"decision": "Something else"}  # nothing replaced before Load
    loaded = _load(author, second, html)
    assert loaded.status_code == 302 and loaded.headers["Location"].endswith(f"/systems/{second.uid}/review")
    db_session.refresh(draft)
    assert draft.answers == STARTER_COMPLETE
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "draft.answers_loaded"))
    assert event.details["answers_read"] == len(STARTER_COMPLETE) and len(event.details["sha256"]) == 64


def test_a_file_with_a_refused_answer_saves_nothing_and_lists_unknown_keys(
    author, agency, make_system, make_draft, db_session
):
    system = make_system(agency=agency)
    draft = make_draft({"decision": "Kept"}, system=system)
    document = _download(author, system)
    document["answers"].update(people_per_year="many", decision_area="nowhere", retired_question="x")
    response = _read(author, system, json.dumps(document).encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 answers are refused: nothing was loaded" in html
    assert "expected a number" in html and "&#39;nowhere&#39; is not one of the options" in html
    assert "retired_question" in html and "left out" in html
    assert "Load these answers into the draft" not in html
    db_session.refresh(draft)
    assert draft.answers == {"decision": "Kept"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "it is not valid JSON (line 1, column 2)"),
        (b"\xff\xfe\x00", "it is not text in UTF-8"),
        (b"[1, 2]", "it is not an answer file"),
        (
            json.dumps(
                {"format": "aia-answers", "format_version": 1, "questionnaire": {"key": "threshold"}}
            ).encode(),
            "it answers the questionnaire &#34;threshold&#34;, and this draft answers &#34;starter&#34;",
        ),
        (
            json.dumps(
                {"format": "aia-answers", "format_version": 1, "questionnaire": {"key": "starter"}}
            ).encode(),
            "its &#34;answers&#34; are not an object",
        ),
    ],
)
def test_a_malformed_file_gets_a_clear_message(author, agency, make_system, make_draft, content, message):
    system = make_system(agency=agency)
    make_draft({}, system=system)
    response = _read(author, system, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This file cannot be read:" in html and message in html


def test_a_save_between_reading_and_loading_loads_nothing(
    author, agency, make_system, make_draft, db_session
):
    system = make_system(agency=agency)
    draft = make_draft({"decision": "Mine"}, system=system)
    document = _download(author, system)
    document["answers"]["decision"] = "From the file"
    preview = _read(author, system, json.dumps(document).encode()).get_data(as_text=True)
    draft.answers = {"decision": "A colleague's"}
    draft.lock_version += 1
    db_session.flush()
    response = _load(author, system, preview)
    assert response.status_code == 303
    db_session.refresh(draft)
    assert draft.answers == {"decision": "A colleague's"}


def test_the_blank_questionnaire_says_everything_in_words(author):
    page = author.get("/questionnaires/starter/3/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (
        "Step 1: About the system",
        "Can a decision take away a benefit, a right or a freedom?",
        "Why it is asked:",
        "A system that can take away a benefit, a right or a freedom needs the closest look.",
        "Asked only when the answer to “Which kinds of data does the system use?” includes “Biometric data”.",
        "“Yes” adds 3 risk points; “Not sure” adds 2 risk points",
        "Biometric data",
    ):
        assert text in html, text
    assert author.get("/questionnaires/starter/99/print").status_code == 404


def test_search_finds_the_step_and_question_and_works_in_french(author, agency, make_system, make_draft):
    system = make_system(agency=agency)
    make_draft({}, system=system)
    step = author.get(f"/systems/{system.uid}/draft/about").get_data(as_text=True)
    assert 'role="search"' in step and f'action="/systems/{system.uid}/draft/search"' in step
    html = author.get(f"/systems/{system.uid}/draft/search?q=Biometric").get_data(as_text=True)
    assert "2 questions match “Biometric”" in html
    assert f'href="/systems/{system.uid}/draft/risks#q_data_kinds"' in html
    # the question it opens is not asked yet: no link, and why
    assert "On what legal basis are biometric data used?" in html
    assert "Not asked with the answers given so far." in html
    assert "0 questions match" in author.get(f"/systems/{system.uid}/draft/search?q=zebra").get_data(
        as_text=True
    )
    french = author.get(f"/systems/{system.uid}/draft/search?q=biom%C3%A9tric&lang=fr").get_data(as_text=True)
    assert "Rechercher dans le questionnaire" in french
    assert "2 questions correspondent à « biométric »" in french  # accents or not, the same matches


def test_each_question_says_why_it_is_asked_and_how_it_counts(author, agency, make_system, make_draft):
    system = make_system(agency=agency)
    make_draft({}, system=system)
    html = author.get(f"/systems/{system.uid}/draft/triage").get_data(as_text=True)
    assert "Why it is asked:</strong> A system that can take away a benefit" in html
    assert "This answer adds to the risk score (at most 3 points of" in html
    assert "raises the flag" in html
    assert 'aria-describedby="q_affects_rights-why q_affects_rights-effect"' in html
