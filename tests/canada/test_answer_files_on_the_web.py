"""An answer file of Canada's tool uploaded on a system's page becomes a draft, with a summary of
what was read and left out, recorded with the file's SHA-256; a revision of the imported
questionnaire downloads as an answer file that reads back to the same answers."""

from __future__ import annotations

import hashlib
import io
import json

import sqlalchemy as sa

from aia.assessments.models import Draft, Revision, StepSave
from aia.audit.models import AuditEvent

from ..webform import submit_data
from .conftest import ANSWERS


def upload(client, uid: str, content: bytes, name: str = "answers.json"):
    page = client.get(f"/systems/{uid}").get_data(as_text=True)
    data = submit_data(page, {})
    data["answer_file"] = (io.BytesIO(content), name)
    return client.post(f"/systems/{uid}/answer-file", data=data, content_type="multipart/form-data")


def test_an_answer_file_becomes_a_draft_then_a_revision_that_downloads_back(
    client, login, make_system, import_survey, db_session
) -> None:
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    author = login("author")
    system = make_system(agency=author.agency)
    content = (ANSWERS / "hidden-answers.json").read_bytes()
    digest = hashlib.sha256(content).hexdigest()

    response = upload(client, system.uid, content, "hidden-answers.json")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert "“hidden-answers.json” (version v1.0.1 of Canada's tool) gave" in page
    assert digest in page
    assert "<code>aboutAlgorithm8A</code>" in page and "<code>consultationImplementation1</code>" in page
    assert "MIT licence" in page  # the notice of the questionnaire's source
    draft = db_session.scalars(sa.select(Draft).filter_by(system_id=system.id)).one()
    assert draft.questionnaire_key == "canada-aia" and draft.answer_file_sha256 == digest
    event = db_session.scalars(sa.select(AuditEvent).filter_by(action="draft.answer_file_read")).one()
    assert event.details["sha256"] == digest and event.details["hidden"] == [
        "aboutAlgorithm8A",
        "consultationImplementation1",
    ]

    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert "MIT licence" in review
    submitted = client.post(f"/systems/{system.uid}/review", data=submit_data(review))
    assert submitted.status_code == 302, submitted.get_data(as_text=True)[:2000]
    revision = db_session.scalars(sa.select(Revision).filter_by(system_id=system.id)).one()
    # Submitted, the hidden answers are dropped, as the Canadian tool's Complete does.
    assert revision.scores["canada"] == {
        "raw_impact": 50,
        "mitigation": 61,
        "strong": False,
        "final": 50,
        "level": 2,
    }
    submit_event = db_session.scalars(
        sa.select(AuditEvent).filter_by(action="revision.submitted", revision_id=revision.id)
    ).one()
    assert submit_event.details["answer_file_sha256"] == digest
    # Whoever uploaded the file wrote its answers (the four-eyes rule, see test_four_eyes).
    [writer] = submit_event.details["writers"]
    assert writer["id"] == submit_event.actor_id
    kinds = db_session.scalars(sa.select(StepSave.kind).filter_by(revision_id=revision.id)).all()
    assert "answer_file" in kinds

    results = client.get(f"/systems/{system.uid}/revisions/{revision.number}").get_data(as_text=True)
    assert "Scores by area" in results and "Risk Profile" in results
    table = results.split('id="areas-title"')[1].split("</table>")[0]
    # Reasons for Automation was on the path with nothing scored answered: no empty row.
    assert "Risk Profile" in table and "Reasons for Automation" not in table
    assert "Open Government Licence - Canada" in results

    download = client.get(f"/systems/{system.uid}/revisions/{revision.number}/answer-file.json")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    written = json.loads(download.get_data())
    original = json.loads(content)["data"]
    assert written["version"] == "v1.0.1"
    assert written["data"] == {
        k: v for k, v in original.items() if k not in ("aboutAlgorithm8A", "consultationImplementation1")
    }

    # Read back, on another system: the same answers.
    other = make_system("Other", agency=author.agency)
    again = upload(client, other.uid, download.get_data())
    assert again.status_code == 200
    db_session.expire_all()  # the first draft, gone, may have had the same id
    draft = db_session.scalars(sa.select(Draft).filter_by(system_id=other.id)).one()
    assert draft.answers == revision.answers


def test_a_file_that_cannot_be_read_is_refused_with_the_reason_and_no_draft(
    client, login, make_system, import_survey, db_session
) -> None:
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    author = login("author")
    system = make_system(agency=author.agency)
    for name, said in [
        ("bad-not-json.json", "not a JSON file"),
        ("bad-version-not-imported.json", "version v2.0.0 of Canada&#39;s AIA is not imported here"),
        ("bad-unknown-value.json", "riskProfile1: &#39;item9-3&#39; is not one of the options"),
    ]:
        response = upload(client, system.uid, (ANSWERS / name).read_bytes(), name)
        assert response.status_code == 422, name
        assert "This file cannot be read: " in response.get_data(as_text=True)
        assert said in response.get_data(as_text=True), name
    assert (
        db_session.scalar(sa.select(sa.func.count()).select_from(Draft).filter_by(system_id=system.id)) == 0
    )


def test_the_upload_is_offered_only_once_a_version_of_canadas_tool_is_imported(
    client, login, make_system, import_survey
) -> None:
    author = login("author")
    system = make_system(agency=author.agency)
    assert "answer_file" not in client.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    assert 'name="answer_file"' in client.get(f"/systems/{system.uid}").get_data(as_text=True)


def test_the_imported_questionnaire_shows_in_the_page_language(
    client, login, make_system, import_survey, db_session
) -> None:
    """The survey's French texts on French pages: a step, the review page, the results with
    its per-area table; the revision itself is stored in the questionnaire's own words."""
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    author = login("author")
    system = make_system(agency=author.agency)
    assert upload(client, system.uid, (ANSWERS / "hidden-answers.json").read_bytes()).status_code == 200
    step = client.get(f"/systems/{system.uid}/draft/risk_profile?lang=fr").get_data(as_text=True)
    assert "Profil de risque" in step and "examen public approfondi" in step.replace("&#39;", "'")
    assert "licence MIT" in step
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert "Profil de risque" in review
    submitted = client.post(f"/systems/{system.uid}/review", data=submit_data(review))
    assert submitted.status_code == 302
    revision = db_session.scalars(sa.select(Revision).filter_by(system_id=system.id)).one()
    assert {a["title"] for a in revision.scores["areas"]} >= {"Risk Profile"}  # stored in English
    results = client.get(f"/systems/{system.uid}/revisions/{revision.number}").get_data(as_text=True)
    table = results.split('id="areas-title"')[1].split("</table>")[0]
    assert "Profil de risque" in table and "Risk Profile" not in table
    english = client.get(f"/systems/{system.uid}/revisions/{revision.number}?lang=en").get_data(as_text=True)
    assert "Risk Profile" in english.split('id="areas-title"')[1].split("</table>")[0]
