"""Canada's scoring method and ``aia score --format canada-aia``: golden answer files worked out
by hand from the rules (tests/canada/README.md), scored as the Canadian tool scores them, with
our own rule alongside."""

from __future__ import annotations

import json
import math

import pytest

from aia.engine import score
from aia.engine.importers.canada_answers import read_answer_file, write_answer_file
from aia.engine.scoring import breakdown_row
from aia.engine.scoring_canada import outcome

from .conftest import ANSWERS, EXPECTED, FILES, converted

GOLDEN = sorted(n for n in EXPECTED if not n.startswith("_"))


def test_the_reduction_rounds_as_javascripts_math_round() -> None:
    definition = converted("survey-enfr-v1.0.1.json")
    for raw in range(0, 168):
        # Math.round(x) is floor(x + 0.5), on the same doubles Python computes with
        assert outcome(definition, raw, 77)["final"] == math.floor(raw * 0.85 + 0.5), raw
    assert outcome(definition, 50, 62)["final"] == 43  # 42.5 goes up; Python's round() gives 42
    assert round(42.5) == 42


@pytest.mark.parametrize(
    ("mitigation", "strong"), [(61, False), (62, True)], ids=["61 below 61.6", "62 reaches 61.6"]
)
def test_the_mitigation_line_is_80_percent_of_one_phases_maximum(mitigation, strong) -> None:
    assert outcome(converted("survey-enfr-v1.0.1.json"), 50, mitigation)["strong"] is strong


@pytest.mark.parametrize("name", FILES)
def test_every_version_puts_its_levels_at_25_50_and_75_percent_of_its_maximum(name) -> None:
    definition = converted(name)
    maximum = FILES[name][1]
    levels = [outcome(definition, raw, 0)["level"] for raw in range(maximum + 1)]
    for raw, level in enumerate(levels):
        share = raw / maximum
        assert level == (1 if share <= 0.25 else 2 if share <= 0.5 else 3 if share <= 0.75 else 4), raw


def test_the_aia_score_command_prints_one_line_per_file_as_the_tool_scores(app, import_survey) -> None:
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    files = [str(ANSWERS / n) for n in GOLDEN]
    result = app.test_cli_runner().invoke(args=["score", "--format", "canada-aia", *files])
    assert result.exit_code == 1  # three of the files cannot be scored; the others are
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["file"] for line in lines] == files
    for name, line in zip(GOLDEN, lines, strict=True):
        expected = EXPECTED[name]
        if "error" in expected:
            assert set(line) == {"file", "error"} and expected["error"] in line["error"], name
            continue
        got = (line["raw_impact"], line["mitigation"], line["final"], line["level"])
        assert got == (
            expected["raw_impact"],
            expected["mitigation"],
            expected["final"],
            expected["level"],
        ), name
        own = line["own_rule"]
        assert [own["raw_impact"], own["mitigation"], own["final"], own["level"]] == expected["own"], name
        assert [d["question"] for d in own["differing"]] == expected.get("differing", []), name
        assert line["version"] == "v1.0.1"
        assert line["unknown_questions"] == expected.get("unknown_questions", []), name


def test_the_scores_on_the_results_page_are_the_tools() -> None:
    """The method's full result: the tool's figures as the page's, per-area tables, one
    phase's mitigation maximum."""
    definition = converted("survey-enfr-v1.0.1.json")
    answer_file = read_answer_file(
        json.loads((ANSWERS / "hidden-answers.json").read_text()), lambda v: definition
    )
    scores = score(definition, answer_file.answers)
    assert scores["method"] == "canada-aia"
    assert (scores["risk"], scores["final_score"], scores["impact_level"]) == (
        {"points": 51, "max": 167},
        43,
        2,
    )
    assert scores["mitigation"]["max"] == 77 and scores["mitigation"]["strong"] is True
    areas = {a["step"]: a for a in scores["areas"]}
    assert areas["about_algorithm"]["risk"]["points"] == 1
    assert areas["about_algorithm"]["title"] == "About the Algorithm"
    assert areas["consultation_design"]["mitigation"]["points"] == 10
    assert areas["consultation_implementation"]["mitigation"] == {"points": 2, "max": 10}
    assert areas["consultation_implementation"]["shown"] is False
    # Reasons for Automation is on the path, but nothing scored there is answered: no row.
    assert "business_drivers" not in areas and all(a["rows"] for a in scores["areas"])
    assert sum(a["risk"]["points"] for a in scores["areas"]) == 51
    hidden_row = next(r for r in scores["breakdown"] if r["question"] == "about_algorithm8_a")
    assert hidden_row["shown"] is False
    assert scores["obligations"][0]["area"] == "Peer review"
    french = score(definition.in_language("fr"), answer_file.answers)
    assert french["impact_level_name"] == "Incidence modérée"
    assert french["obligations"][0]["area"] == "Examen par les pairs"


@pytest.mark.parametrize("name", [n for n in GOLDEN if not n.startswith("bad-")])
def test_an_answer_file_round_trips(name) -> None:
    definition = converted("survey-enfr-v1.0.1.json")
    original = json.loads((ANSWERS / name).read_text())
    first = read_answer_file(original, lambda v: definition)
    written = write_answer_file(definition, first.answers)
    assert written["version"] == "v1.0.1"
    known = {k: v for k, v in original["data"].items() if k not in first.unknown}
    assert written["data"] == known  # the tool's names and values, nothing more or less
    again = read_answer_file(json.loads(json.dumps(written)), lambda v: definition)
    assert again.answers == first.answers


def test_both_methods_trace_a_point_with_the_same_breakdown_row() -> None:
    """The row a breakdown gives an answer is the same in both methods; Canada's adds whether
    the question was on the path."""
    definition = converted("survey-enfr-v1.0.1.json")
    answer_file = read_answer_file(
        json.loads((ANSWERS / "hidden-answers.json").read_text()), lambda v: definition
    )
    canadian = score(definition, answer_file.answers)["breakdown"]
    row = next(r for r in canadian if r["question"] == "about_algorithm8_a")
    step = next(s for s in definition.steps if any(q.key == row["question"] for q in s.questions))
    expected = breakdown_row(step, definition.questions[row["question"]], row["answer"])
    assert row == {**expected, "shown": False}
    assert set(expected) == {
        "question",
        "step",
        "kind",
        "area",
        "label",
        "answer",
        "answer_text",
        "points",
        "max",
    }
