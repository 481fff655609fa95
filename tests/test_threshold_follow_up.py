"""The threshold check leads to the full assessment (its latest version), which starts with
the shared answers; a check answered on version 1 still does."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from aia.assessments import services
from aia.assessments.models import Draft
from aia.engine import DefinitionError, Registry, parse_definition

from .webform import submit_data


def threshold_answers(registry, version: int = 1, **changes) -> dict:
    """Every visible question of the threshold check answered "no", or as given."""
    definition = registry.get("threshold", version)
    answers = {}
    for question in definition.questions.values():
        if question.type_name == "yes_no_unsure":
            answers[question.key] = "no"
        elif question.type_name in ("short_text", "long_text"):
            answers[question.key] = "Because it only sorts letters."
        elif hasattr(question, "values"):
            answers[question.key] = question.values[0]
    answers.update(changes)
    return answers


@pytest.fixture
def threshold_revision(db_session, make_system, registry):
    def make(system, version: int = 1, **changes):
        definition = registry.get("threshold", version)
        draft = services.start_draft(
            db_session, system, definition, threshold_answers(registry, version, **changes)
        )
        return services.submit(db_session, draft, definition, draft.lock_version)

    return make


@pytest.mark.parametrize("version", [1, 2, 3])
def test_yes_leads_to_the_full_assessment_with_shared_answers(
    app, login, make_agency, make_system, threshold_revision, db_session, registry, version
):
    agency = make_agency()
    system = make_system(agency=agency)
    revision = threshold_revision(system, version, personal_data="yes")
    assert revision.status == "submitted"
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "Full assessment needed." in page
    assert "Start the full impact assessment" in page
    assert "Obligations at level" not in page
    response = author.post(f"/systems/{system.uid}/draft", data=submit_data(page))
    assert response.status_code == 302
    draft = db_session.scalar(sa.select(Draft).where(Draft.system_id == system.id))
    full = registry.latest("ads-impact")
    assert (draft.questionnaire_key, draft.questionnaire_version) == ("ads-impact", full.version)
    shared = set(registry.get("threshold", version).questions) & set(full.questions)
    assert "personal_data" in shared
    assert {k: draft.answers.get(k) for k in shared} == {k: revision.answers.get(k) for k in shared}
    assert set(draft.answers) <= set(full.questions)


def test_all_no_says_the_full_assessment_is_not_needed(
    app, login, make_agency, make_system, threshold_revision
):
    agency = make_agency()
    system = make_system(agency=agency)
    threshold_revision(system)
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "is not needed" in page
    assert "Start the full impact assessment" not in page


def test_follow_up_must_name_a_flag_and_an_installed_questionnaire():
    base = (
        "schema: 1\nkey: check\nversion: 1\ntitle: Check\n"
        "flags: [{key: go, label: Go}]\n"
        "levels: [{level: 1, name: a}, {level: 2, name: b}, {level: 3, name: c}, "
        "{level: 4, name: d}]\n"
        "steps:\n  - key: s\n    title: S\n    questions:\n"
        "      - {key: q, type: yes_no_unsure, label: Q, flag: go}\n"
    )
    with pytest.raises(DefinitionError, match="follow_up.when_flag: unknown flag 'stop'"):
        parse_definition(
            base + "follow_up: {questionnaire: other, when_flag: stop, label: Go on}\n", "check.yaml"
        )
    definition = parse_definition(
        base + "follow_up: {questionnaire: other, when_flag: go, label: Go on}\n", "check.yaml"
    )
    with pytest.raises(DefinitionError, match="no questionnaire 'other' is installed"):
        Registry([definition])


def test_lists_show_a_check_by_its_outcome_and_offer_the_full_assessment(
    app, login, make_agency, make_system, threshold_revision
):
    agency = make_agency()
    system = make_system(agency=agency)
    threshold_revision(system, personal_data="unsure")
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert "Threshold check: full assessment needed" in page
    assert "Level I" not in page
    assert re.search(r'<input [^>]*checked[^>]*value="ads-impact:5"', page)  # starts the full assessment
    assert "Threshold check: full assessment needed" in author.get("/").get_data(as_text=True)
