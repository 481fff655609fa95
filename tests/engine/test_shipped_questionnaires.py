"""What the shipped questionnaires promise: the parts of ads-impact v1 that the report, the
scoring method and the threshold check rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from aia.engine import load_file, resolve, score
from aia.engine.conditions import referenced_flags
from aia.engine.questions import QUESTION_TYPES

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "aia" / "questionnaires"
ADS = load_file(QUESTIONNAIRES / "ads-impact-v1.yaml")
THRESHOLD = load_file(QUESTIONNAIRES / "threshold-v1.yaml")

FLAGS = {
    "harm_prevention",
    "autonomy",
    "fairness",
    "beneficence",  # goals
    "transparency",
    "control",
    "accountability",
}  # means
COMMITMENTS = {"transparency", "partnership", "people", "data", "privacy_ethics_rights", "human_oversight"}
OBLIGATION_AREAS = {
    "Peer review",
    "Notice",
    "Explanation",
    "Training",
    "Human involvement",
    "Contingency",
    "Approval",
}


def test_ads_impact_size_and_types() -> None:
    assert (ADS.key, ADS.version) == ("ads-impact", 1)
    assert 60 <= len(ADS.questions) <= 90
    # Every type but the repeatable group, which came after it (the eu-fria questionnaire has it).
    assert {type(q).type_name for q in ADS.questions.values()} == set(QUESTION_TYPES) - {"group"}


def test_ads_impact_points_and_rules_match_the_documentation() -> None:
    assert ADS.max_points("risk") == 100
    assert ADS.max_points("mitigation") == 40
    rules = ADS.scoring
    assert (rules.mitigation_threshold_pct, rules.mitigation_reduction_pct, rules.level_bounds_pct) == (
        80,
        15,
        (25, 50, 75),
    )
    doc = (QUESTIONNAIRES.parent / "docs" / "scoring.md").read_text(encoding="utf-8")
    for key, question in ADS.questions.items():
        if question.scoring:
            assert f"`{key}`" in doc, f"aia/docs/scoring.md does not list the points of {key}"


def test_triage_raises_the_seven_flags() -> None:
    triage = ADS.step("triage").questions
    assert len(triage) == 15
    assert all(type(q).type_name == "yes_no_unsure" for q in triage)
    assert all(q.flag and q.flag_on == ("yes", "unsure") for q in triage)
    assert {q.flag for q in triage} == set(ADS.flags) == FLAGS


@pytest.mark.parametrize("flag", sorted(FLAGS))
def test_each_flag_switches_on_its_own_questions(flag: str) -> None:
    gated = [q for q in ADS.questions.values() if q.show_if and flag in referenced_flags(q.show_if)]
    assert gated, f"no question is shown by flag {flag}"
    raiser = ADS.flag_raisers(flag)[0]
    no_flags = resolve(ADS, {q.key: "no" for q in ADS.step("triage").questions})
    one_flag = resolve(ADS, {q.key: "no" for q in ADS.step("triage").questions} | {raiser.key: "unsure"})
    assert set(one_flag.flags) == {flag}
    assert all(q.key not in no_flags.visible for q in gated)
    assert any(q.key in one_flag.visible for q in gated)


def test_without_flags_the_assessment_stays_short() -> None:
    no_flags = resolve(ADS, {q.key: "no" for q in ADS.step("triage").questions})
    all_flags = resolve(ADS, {q.key: "yes" for q in ADS.step("triage").questions})
    assert "fairness" not in no_flags.step_keys()
    assert "fairness" in all_flags.step_keys()
    assert len(all_flags.visible) - len(no_flags.visible) >= 15


def test_charter_questions() -> None:
    assert ADS.charter == {"likelihood": "charter_likelihood", "impact": "charter_impact"}
    assert ADS.questions["charter_likelihood"].values == ["probable", "occasional", "improbable"]
    assert ADS.questions["charter_impact"].values == ["low", "moderate", "high"]


def test_the_six_commitments() -> None:
    statuses = {k for k in ADS.questions if k.startswith("commitment_") and k.endswith("_status")}
    evidence = {k for k in ADS.questions if k.startswith("commitment_") and k.endswith("_evidence")}
    assert statuses == {f"commitment_{c}_status" for c in COMMITMENTS}
    assert evidence == {f"commitment_{c}_evidence" for c in COMMITMENTS}
    assert {k for k in ADS.questions if k.startswith("commitment_")} == statuses | evidence
    for name in COMMITMENTS:
        status = ADS.questions[f"commitment_{name}_status"]
        assert type(status).type_name == "single_choice" and status.show_if is None
        assert status.values == ["met", "partly", "not_yet", "not_applicable"]
        assert status.area and status.area.startswith("Charter commitment")
        assert type(ADS.questions[f"commitment_{name}_evidence"]).type_name == "long_text"
    assert "Te Tiriti" in ADS.questions["commitment_partnership_status"].label


def test_every_level_has_an_obligation_in_each_area() -> None:
    for level in ADS.levels:
        assert [o.area for o in level.obligations] == sorted(
            OBLIGATION_AREAS, key=[o.area for o in ADS.levels[0].obligations].index
        )


def test_scored_questions_are_shown_in_a_way_that_keeps_scoring_monotone() -> None:
    """Mitigation questions are always shown, and only a risk answer can show a risk question,
    so more risk never reveals mitigation and more mitigation never hides risk."""
    for question in ADS.questions.values():
        if question.scoring == "mitigation":
            assert question.show_if is None, question.key
    assert ADS.questions["special_category_data"].show_if == {"q": "personal_data", "in": ["yes", "unsure"]}
    assert [q.key for q in ADS.questions.values() if q.scoring and q.show_if] == ["special_category_data"]


def test_threshold_check() -> None:
    assert (THRESHOLD.key, THRESHOLD.version) == ("threshold", 1)
    assert 5 <= len(THRESHOLD.questions) <= 10
    assert set(THRESHOLD.flags) == {"full_assessment_needed"}
    checks = [q for q in THRESHOLD.questions.values() if type(q).type_name == "yes_no_unsure"]
    assert len(checks) > len(THRESHOLD.questions) / 2
    assert all(q.flag == "full_assessment_needed" and q.flag_on == ("yes", "unsure") for q in checks)
    assert THRESHOLD.max_points("risk") == THRESHOLD.max_points("mitigation") == 0
    assert all("does not assign" in level.name for level in THRESHOLD.levels)

    all_no = {q.key: "no" for q in checks}
    assert score(THRESHOLD, all_no)["flags"] == []
    assert "no_assessment_reason" in resolve(THRESHOLD, all_no).visible
    for question in checks:
        for answer in ("yes", "unsure"):
            result = score(THRESHOLD, all_no | {question.key: answer})
            assert [f["key"] for f in result["flags"]] == ["full_assessment_needed"]
            assert "no_assessment_reason" not in resolve(THRESHOLD, all_no | {question.key: answer}).visible


def test_threshold_answers_carry_over_to_ads_impact() -> None:
    shared = set(THRESHOLD.questions) & set(ADS.questions)
    assert len(shared) >= 6
    assert "system_name" in shared
    for key in shared:
        here, there = THRESHOLD.questions[key], ADS.questions[key]
        assert type(here) is type(there), key
        assert getattr(here, "values", None) == getattr(there, "values", None), key
        assert here.label == there.label, key
        assert getattr(here, "max_length", None) == getattr(there, "max_length", None), key
        # an answer valid in the check is valid in the assessment
        for value in getattr(here, "values", ["A name"]):
            assert there.check_value(value) is None


def test_version_5_of_the_full_assessment_only_declares_its_next_review() -> None:
    """ads-impact v5 is v4 with one more role: the same questions, rules and texts in both
    languages, and its next-review question also declared as the next review's date."""
    import yaml

    v4, v5 = (
        yaml.safe_load((QUESTIONNAIRES / f"ads-impact-v{n}.yaml").read_text(encoding="utf-8")) for n in (4, 5)
    )
    assert (v4.pop("version"), v5.pop("version")) == (4, 5)
    assert v5["roles"].pop("next_review") == "next_review_date"
    assert v5 == v4
