"""The EU fundamental rights impact assessment (eu-fria): its file, whether a FRIA is required,
each risk's rating, the assessment's rating (its worst remaining risk), the risk matrix and the
duties that follow, with the worked examples of docs/eu-fria.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from aia.engine import load_file, resolve, score
from aia.engine.group import Group
from aia.engine.scoring_fria import applicability, rating_of
from aia.engine.visibility import missing_required

FILE = Path(__file__).resolve().parents[2] / "aia" / "questionnaires" / "eu-fria-v1.yaml"


@pytest.fixture(scope="module")
def fria():
    return load_file(FILE)


# The demo data's example: a public employment service's job-matching system.
JOB_MATCHING = {
    "system_name": "Job matching",
    "deployer_kind": "public_body",
    "high_risk": "yes",
    "annex_area": "employment",
    "earlier_assessment": "none",
    "decision_role": "recommends",
    "people_informed": "yes",
    "oversight_assigned": "yes",
    "registered": "no",
    "risk_register": [
        {
            "right": "art-21",
            "group": "Older jobseekers",
            "likelihood": "likely",
            "severity": "serious",
            "measures": "Monthly checks of the matches by age.",
            "remaining": "medium",
        },
        {
            "right": "art-15",
            "group": "Jobseekers",
            "likelihood": "possible",
            "severity": "moderate",
            "remaining": "low",
        },
        {
            "right": "art-8",
            "group": "Jobseekers",
            "likelihood": "rare",
            "severity": "serious",
            "remaining": "low",
        },
    ],
}


def test_the_file_has_the_six_elements_as_steps_and_a_risk_register(fria):
    keys = [s.key for s in fria.steps]
    assert keys == [
        "applies",
        "deployer",
        "processes",
        "period",
        "affected",
        "risks",
        "oversight",
        "response",
        "dpia",
        "update",
    ]
    register = fria.questions["risk_register"]
    assert isinstance(register, Group) and register.min_rows == 1
    assert [q.key for q in register.questions] == [
        "right",
        "group",
        "likelihood",
        "severity",
        "measures",
        "remaining",
    ]
    rights = register.questions[0].values
    assert "art-21" in rights and "art-47" in rights and len(rights) == 20
    assert fria.languages() == ["en", "fr"]


@pytest.mark.parametrize(
    ("answers", "outcome", "reasons"),
    [
        (
            {"deployer_kind": "public_body", "high_risk": "yes", "annex_area": "employment"},
            "required",
            ["deployer_public_body"],
        ),
        (
            {"deployer_kind": "public_service", "high_risk": "yes", "annex_area": "education"},
            "required",
            ["deployer_public_service"],
        ),
        (
            {"deployer_kind": "credit_insurance", "high_risk": "yes", "annex_area": "credit"},
            "required",
            ["area_credit"],
        ),
        (
            {"deployer_kind": "other", "high_risk": "yes", "annex_area": "insurance"},
            "required",
            ["area_insurance"],
        ),
        (
            {"deployer_kind": "other", "high_risk": "yes", "annex_area": "employment"},
            "not_required",
            ["deployer_not_covered"],
        ),
        (
            {"deployer_kind": "credit_insurance", "high_risk": "yes", "annex_area": "employment"},
            "not_required",
            ["deployer_not_covered"],
        ),
        (
            {"deployer_kind": "public_body", "high_risk": "yes", "annex_area": "critical_infrastructure"},
            "not_required",
            ["deployer_public_body", "critical_infrastructure"],
        ),
        (
            {"deployer_kind": "public_body", "high_risk": "no"},
            "not_required",
            ["deployer_public_body", "not_high_risk"],
        ),
        (
            {"deployer_kind": "public_body", "high_risk": "unsure", "annex_area": "migration"},
            "undetermined",
            ["deployer_public_body", "high_risk_unsure"],
        ),
        (
            {"deployer_kind": "public_body", "high_risk": "yes"},
            "undetermined",
            ["deployer_public_body", "area_unknown"],
        ),
        ({}, "undetermined", ["deployer_unknown", "high_risk_unsure"]),
    ],
)
def test_whether_a_fria_is_required(fria, answers, outcome, reasons):
    found = score(fria, answers)["fria"]["applicability"]
    assert (found["outcome"], found["reasons"]) == (outcome, reasons)


def test_an_earlier_assessment_relied_on_is_named(fria):
    answers = {**JOB_MATCHING, "earlier_assessment": "provider", "earlier_reference": "Provider FRIA 2026-03"}
    found = applicability(resolve(fria, answers).answers)
    assert (found["outcome"], found["builds_on"], found["builds_on_reference"]) == (
        "required",
        "provider",
        "Provider FRIA 2026-03",
    )


@pytest.mark.parametrize(
    ("product", "rating"),
    [
        (1, "low"),
        (2, "low"),
        (3, "low"),
        (4, "medium"),
        (6, "medium"),
        (8, "high"),
        (9, "high"),
        (12, "very_high"),
        (16, "very_high"),
    ],
)
def test_each_score_of_the_matrix_has_its_rating(product, rating):
    assert rating_of(product) == rating


def test_the_worked_example_of_the_job_matching_system(fria):
    scores = score(fria, JOB_MATCHING)
    result = scores["fria"]
    assert [(r["score"], r["rating"], r["remaining"]) for r in result["risks"]] == [
        (9, "high", "medium"),
        (4, "medium", "low"),
        (3, "low", "low"),
    ]
    assert result["risks"][0]["right_text"] == "Article 21: non-discrimination"
    assert result["rating"] == "medium"  # the worst remaining risk
    assert (scores["impact_level"], scores["impact_level_numeral"]) == (2, "II")
    assert scores["impact_level_name"] == "Medium remaining risk"
    assert {d["key"]: d["status"] for d in result["duties"]} == {
        "notify_authority": "to_do",
        "inform_people": "done",
        "human_oversight": "done",
        "registration": "to_do",
    }
    # The matrix: likelihood down (almost certain first), severity across (minor first).
    assert len(result["matrix"]) == 4 and all(len(line) == 4 for line in result["matrix"])
    likely_serious = result["matrix"][1][2]
    assert (likely_serious["likelihood"], likely_serious["severity"], likely_serious["risks"]) == (
        "likely",
        "serious",
        [1],
    )
    assert result["matrix"][3][0] == {"likelihood": "rare", "severity": "minor", "rating": "low", "risks": []}


def test_the_rating_is_the_worst_remaining_risk_not_the_worst_before_measures(fria):
    rows = [
        {
            "right": "art-1",
            "group": "All",
            "likelihood": "almost_certain",
            "severity": "critical",
            "remaining": "high",
        },
        {"right": "art-7", "group": "All", "likelihood": "rare", "severity": "minor", "remaining": "low"},
    ]
    scores = score(fria, {**JOB_MATCHING, "risk_register": rows})
    assert scores["fria"]["risks"][0]["rating"] == "very_high"
    assert scores["fria"]["rating"] == "high" and scores["impact_level"] == 3
    assert scores["final_score"] == 16  # the worst score before measures, for the panels


def test_no_register_no_rating_and_duties_that_do_not_apply(fria):
    scores = score(fria, {"deployer_kind": "other", "high_risk": "no"})
    assert scores["fria"]["rating"] is None and scores["fria"]["risks"] == []
    assert {d["key"]: d["status"] for d in scores["fria"]["duties"]} == {
        "notify_authority": "not_applicable",
        "inform_people": "not_applicable",
        "human_oversight": "to_do",
        "registration": "not_applicable",
    }


def test_a_risk_row_needs_its_right_group_likelihood_severity_and_what_remains(fria):
    answers = {**JOB_MATCHING, "risk_register": [{"right": "art-21", "likelihood": "rare"}]}
    assert "risk_register" in missing_required(fria, resolve(fria, answers), "risks")
    assert fria.questions["risk_register"].missing_in_rows(answers["risk_register"]) == [
        (0, "group"),
        (0, "severity"),
        (0, "remaining"),
    ]
