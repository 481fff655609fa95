"""Beside the step pages: the task list (each step's state, reachable from every step and the
system page), the score so far (the questionnaire's own scorer, also on the review page, no
JavaScript needed), and a step that answers added, named with the answers that added it."""

from __future__ import annotations

import re

import pytest

from aia.assessments import live_score, tasks
from aia.engine import resolve, score

from .answers import STARTER_COMPLETE


def states(page: str) -> dict[str, str]:
    """step title -> its state, as the task list shows them."""
    found = re.findall(
        r'class="task-link"[^>]*>Step \d+: ([^<]+)</a>\s*<span class="task-state[^"]*"[^>]*>([^<]+)', page
    )
    return dict(found)


@pytest.fixture
def author_draft(login, make_draft, make_system, make_agency, db_session):
    agency = make_agency()
    login("author", agency)

    def make(answers, step_key: str = "about"):
        draft = make_draft(system=make_system(agency=agency))
        # As saved: an answer that no longer passes its check (one made with an earlier
        # release, or read from an answer file) stays in the draft until corrected.
        draft.answers, draft.step_key = dict(answers), step_key
        db_session.flush()
        return draft

    return make


def test_the_task_list_gives_each_step_its_state(client, author_draft, db_session):
    answers = {k: STARTER_COMPLETE[k] for k in ("decision", "purpose", "decision_area")}
    answers.update(affects_rights="yes", people_per_year="many")  # not a number: to correct
    answers.update(harm_likelihood="probable")  # risks started, required answers missing
    draft = author_draft(answers, step_key="risks")
    page = client.get(f"/systems/{draft.system.uid}/tasks").get_data(as_text=True)
    assert states(page) == {
        "About the system": "Needs attention",  # the number of people fails its check
        "Triage": "Needs attention",  # left with required answers missing
        "Risk and impact": "In progress",  # the step being filled in
        "Measures": "Not started",
        "Sign-off": "Not started",
    }
    assert "1 answer to correct." in page and "2 required answers missing." in page
    for key in ("about", "triage", "risks", "mitigation", "signoff"):
        assert f'href="/systems/{draft.system.uid}/draft/{key}"' in page
    assert f'href="/systems/{draft.system.uid}/review"' in page

    complete = author_draft(dict(STARTER_COMPLETE))
    page = client.get(f"/systems/{complete.system.uid}/tasks").get_data(as_text=True)
    assert set(states(page).values()) == {"Completed"}
    assert "5 of 5 steps completed." in page


def test_every_step_the_review_and_the_system_page_link_to_the_task_list(client, author_draft):
    draft = author_draft(dict(STARTER_COMPLETE))
    uid = draft.system.uid
    link = f'href="/systems/{uid}/tasks"'
    for path in ("about", "triage", "risks", "mitigation", "signoff"):
        assert link in client.get(f"/systems/{uid}/draft/{path}").get_data(as_text=True), path
    assert link in client.get(f"/systems/{uid}/review").get_data(as_text=True)
    assert link in client.get(f"/systems/{uid}").get_data(as_text=True)


def test_the_score_so_far_is_the_scorers_on_each_step_and_the_review(client, author_draft, registry):
    answers = dict(STARTER_COMPLETE)
    draft = author_draft(answers)
    definition = registry.get(draft.questionnaire_key, draft.questionnaire_version)
    expected = score(definition, draft.answers)
    uid = draft.system.uid
    for path in (f"/systems/{uid}/draft/risks", f"/systems/{uid}/review", f"/systems/{uid}/score"):
        page = client.get(path).get_data(as_text=True)
        assert f"Level {expected['impact_level_numeral']}" in page, path
        risk = f"{expected['risk']['points']} of {expected['risk']['max']}"
        mitigation = f"{expected['mitigation']['points']} of {expected['mitigation']['max']}"
        assert f"<dd data-score-risk>{risk}</dd>" in page, path
        assert f"<dd data-score-mitigation>{mitigation}</dd>" in page, path
        assert f"<dd data-score-final>{expected['final_score']}</dd>" in page, path


def test_how_far_the_mitigation_line_is(registry):
    definition = registry.latest("starter")
    # starter: mitigation maximum 10 (3 + 2 + 2 + 1 + 2), the line at 80 %: 8 points
    assert definition.max_points("mitigation") == 10
    weak = {**STARTER_COMPLETE, "human_review": "yes", "appeal": "no", "measures": []}
    scores = score(definition, weak)
    assert scores["mitigation"]["points"] == 3
    assert live_score.mitigation_points_needed(definition, scores) == 5
    strong = {**weak, "appeal": "yes", "measures": ["bias_tests", "logging"]}
    assert live_score.mitigation_points_needed(definition, score(definition, strong)) == 0
    panel = live_score.provisional(definition, weak)
    assert panel["kind"] == "score" and panel["more_mitigation"] == 5


def test_the_panel_says_5_more_points_reach_the_line(client, author_draft):
    draft = author_draft({**STARTER_COMPLETE, "human_review": "yes", "appeal": "no", "measures": []})
    page = client.get(f"/systems/{draft.system.uid}/score").get_data(as_text=True)
    assert "5 more mitigation points reach the 80 % line, which reduces the score by 15 %." in page


def test_the_threshold_check_shows_its_outcome_not_a_score(
    client, login, make_draft, make_system, make_agency
):
    agency = make_agency()
    login("author", agency)
    draft = make_draft({}, system=make_system(agency=agency), key="threshold")
    page = client.get(f"/systems/{draft.system.uid}/score").get_data(as_text=True)
    assert "Outcome so far" in page and "So far no answer raises" in page and "Risk points" not in page


def test_the_scorers_own_method_for_canadas_questionnaire():
    from .canada.conftest import converted

    definition = converted("survey-enfr-v1.0.1.json")
    panel = live_score.provisional(definition, {})
    assert panel["kind"] == "score" and panel["canada"] is True
    # Canada's line: 80 % of one phase's maximum (154 / 2 = 77): 61.6, so 62 points
    assert panel["more_mitigation"] == 62


def test_a_step_added_by_an_answer_names_that_answer():
    from .canada.conftest import converted

    definition = converted("survey-enfr-v1.0.1.json")
    phase = definition.questions["project_details_phase"]
    design = phase.options[0].value
    resolution = resolve(definition, {"project_details_phase": design})
    step = definition.step("consultation_design")
    reasons = tasks.added_because(definition, resolution, step)
    assert [(r.question, r.label, r.answer) for r in reasons] == [
        ("project_details_phase", phase.label, phase.display(design))
    ]
    always = definition.step("project_details")
    assert tasks.added_because(definition, resolution, always) == []
    listed = tasks.task_list(definition, resolution, {"project_details_phase": design}, "project_details")
    by_key = {t.step.key: t for t in listed}
    assert by_key["consultation_design"].added_because == reasons
    assert "consultation_implementation" not in by_key


def test_the_task_list_counts_the_reviewers_comments_of_each_step(
    client, login, make_agency, make_system, make_revision, make_draft, make_user, db_session
):
    from aia.review.models import Comment

    agency = make_agency()
    login("author", agency)
    system = make_system(agency=agency)
    revision = make_revision(system=system, status="changes_requested")
    auditor = make_user("auditor")
    for key, body in (
        ("affects_rights", "Which rights?"),
        ("affects_rights", "And whose?"),
        (None, "Overall."),
    ):
        db_session.add(Comment(revision_id=revision.id, question_key=key, author_id=auditor.id, body=body))
    db_session.flush()
    make_draft(dict(revision.answers), system=system)
    page = client.get(f"/systems/{system.uid}/tasks").get_data(as_text=True)
    triage = page.split("Step 2: Triage", 1)[1].split("</li>", 1)[0]
    assert "2 reviewer comments" in triage
    assert page.count("reviewer comment") == 1  # only Triage's; the overall one is not a step's
