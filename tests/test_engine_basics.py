"""The engine on the starter questionnaire and on small files written here."""

from __future__ import annotations

import textwrap

import pytest

from aia.engine import DefinitionError, load_file, parse_definition, resolve, score
from aia.questionnaires import FOLDER

from .answers import STARTER_COMPLETE

LEVELS = textwrap.dedent("""\
    levels:
      - {level: 1, name: One}
      - {level: 2, name: Two}
      - {level: 3, name: Three}
      - {level: 4, name: Four}
    """)


def definition_text(steps: str, extra: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(steps), "  ")
    return f"schema: 1\nkey: t\nversion: 1\ntitle: T\n{extra}{LEVELS}steps:\n{body}"


@pytest.fixture(scope="module")
def starter():
    return load_file(FOLDER / "starter-v1.yaml")


def test_starter_uses_every_question_type(starter):
    types = {q.type_name for q in starter.questions.values()}
    assert types == {
        "single_choice",
        "multiple_choice",
        "yes_no_unsure",
        "short_text",
        "long_text",
        "number",
        "date",
    }


@pytest.mark.parametrize(
    "steps, reason",
    [
        (
            "- key: s\n  title: S\n  questions:\n    - {key: a, type: slider, label: A}\n",
            "question a: unknown type 'slider'",
        ),
        (
            "- key: s\n  title: S\n  questions:\n    - {key: a, type: short_text, label: A}\n"
            "    - {key: a, type: short_text, label: B}\n",
            "question a: duplicate question key",
        ),
        (
            "- key: s\n  title: S\n  questions:\n    - {key: a, type: short_text, label: A,"
            " show_if: {question: b, answered: true}}\n    - {key: b, type: short_text, label: B}\n",
            "question a: show_if refers to 'b', which is not an earlier question",
        ),
        (
            "- key: s\n  title: S\n  questions:\n    - {key: a, type: short_text, label: A,"
            " show_if: {question: zz, answered: true}}\n",
            "question a: show_if refers to 'zz', which is not an earlier question",
        ),
        (
            "- key: s\n  title: S\n  questions:\n    - key: a\n      type: single_choice\n"
            "      label: A\n      options: [{label: X}, {value: y, label: Y}]\n",
            "question a: option 1 has no value",
        ),
        (
            "- key: s\n  title: S\n  questions:\n    - {key: a, type: short_text, label: A, colour: red}\n",
            "question a: unknown field(s) ['colour']",
        ),
    ],
)
def test_loader_refuses_with_file_question_and_reason(steps, reason):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(definition_text(steps), source="bad.yaml")
    assert str(caught.value) == f"bad.yaml at {reason}" or str(caught.value).startswith(
        f"bad.yaml at {reason}"
    )


def test_conditions_join_with_and_or(starter):
    base = {**STARTER_COMPLETE, "black_box": "yes", "measures": ["logging"]}
    assert "explanation_how" in resolve(starter, base).visible
    # all: the flag is raised AND no explanation measure: adding it hides the question.
    assert "explanation_how" not in resolve(starter, {**base, "measures": ["explanation"]}).visible
    # any: fairness flag OR enforcement area.
    assert "group_effects" not in resolve(starter, STARTER_COMPLETE).visible
    assert "group_effects" in resolve(starter, {**STARTER_COMPLETE, "decision_area": "enforcement"}).visible
    assert "group_effects" in resolve(starter, {**STARTER_COMPLETE, "uses_group_data": "unsure"}).visible


def test_multiple_choice_points_add_up(starter):
    one = score(starter, {**STARTER_COMPLETE, "data_kinds": ["administrative"]})
    three = score(starter, {**STARTER_COMPLETE, "data_kinds": ["administrative", "biometric", "online"]})
    assert three["risk"]["points"] - one["risk"]["points"] == 3 + 2
    assert starter.max_points("risk") == 4 + 3 + 2 + (1 + 2 + 3 + 2)


# A scored question hidden by its own condition, and a scored step hidden as a whole.
HIDDEN_SCORED_STEPS = """\
    - key: s
      title: S
      questions:
        - key: gate
          type: yes_no_unsure
          label: Gate
          required: true
          scoring: risk
          points: {yes: 1}
        - key: extra_risk
          type: single_choice
          label: Extra risk
          scoring: risk
          show_if: {question: gate, equals: "yes"}
          options:
            - {value: high, label: High, points: 5}
            - {value: low, label: Low, points: 0}
    - key: later
      title: Later
      show_if: {question: gate, equals: "yes"}
      questions:
        - key: checks
          type: multiple_choice
          label: Checks
          scoring: mitigation
          options:
            - {value: audit, label: Audit, points: 2}
            - {value: appeal, label: Appeal, points: 3}
    """


def test_hidden_answer_never_counts():
    definition = parse_definition(definition_text(HIDDEN_SCORED_STEPS))
    scored_answers = {"extra_risk": "high", "checks": ["audit", "appeal"]}
    # Shown, these answers are worth points...
    shown = score(definition, {"gate": "yes", **scored_answers})
    assert (shown["risk"]["points"], shown["mitigation"]["points"]) == (1 + 5, 2 + 3)
    # ...hidden (the question by its condition, the step by its own), they count for nothing.
    hidden = score(definition, {"gate": "no", **scored_answers})
    assert (hidden["risk"]["points"], hidden["mitigation"]["points"]) == (0, 0)
    assert hidden["final_score"] == 0 and hidden["impact_level"] == 1
    assert [row["question"] for row in hidden["breakdown"]] == ["gate"]
    assert hidden == score(definition, {"gate": "no"})


def test_hidden_answer_never_counts_in_a_released_questionnaire():
    definition = load_file(FOLDER / "ads-impact-v1.yaml")
    sensitive = definition.questions["special_category_data"]
    assert sensitive.scoring == "risk" and sensitive.points("yes") == 4
    base = {"personal_data": "no"}
    with_hidden = {**base, "special_category_data": "yes"}
    assert score(definition, with_hidden) == score(definition, base)
    assert "special_category_data" not in {r["question"] for r in score(definition, with_hidden)["breakdown"]}
    shown = {"personal_data": "yes"}
    assert (
        score(definition, {**shown, "special_category_data": "yes"})["risk"]["points"]
        - score(definition, shown)["risk"]["points"]
    ) == 4


def test_breakdown_traces_every_point(starter):
    result = score(starter, STARTER_COMPLETE)
    risk_rows = [r for r in result["breakdown"] if r["kind"] == "risk"]
    assert sum(r["points"] for r in risk_rows) == result["risk"]["points"] == 7
    assert {r["question"] for r in risk_rows} == {
        "decision_area",
        "affects_rights",
        "uses_group_data",
        "data_kinds",
    }


def test_strong_mitigation_lowers_the_score(starter):
    strong = {**STARTER_COMPLETE, "appeal": "yes", "measures": ["bias_tests", "logging", "explanation"]}
    result = score(starter, strong)
    assert result["mitigation"]["points"] == 10 and result["mitigation"]["strong"]
    # 7 x 0.85 = 5.95 -> 6
    assert result["final_score"] == 6
    assert result["impact_level"] == 2  # 6/17 = 35 %
