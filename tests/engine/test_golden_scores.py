"""Golden cases: answer sets whose scores were worked out by hand (tests/engine/golden/cases-*.yaml).

Each case gives the expected risk and mitigation points, whether mitigation was strong, the final
score, the impact level, the charter rating and the flags raised, with a line saying why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from aia.engine import Definition, load_file, score

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
CASE_FILES = sorted(GOLDEN.glob("cases-*.yaml"))
EXPECTED_KEYS = {"risk", "mitigation", "strong", "final", "level", "charter", "flags"}


def _load_cases() -> list[Any]:
    params = []
    for case_file in CASE_FILES:
        document = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in document["cases"]:
            params.append(pytest.param(document["definition"], case, id=f"{case_file.stem}: {case['name']}"))
    return params


CASES = _load_cases()
_definitions: dict[str, Definition] = {}


def _definition(relative_path: str) -> Definition:
    if relative_path not in _definitions:
        _definitions[relative_path] = load_file(REPO / relative_path)
    return _definitions[relative_path]


def _observed(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "risk": result["risk"]["points"],
        "mitigation": result["mitigation"]["points"],
        "strong": result["mitigation"]["strong"],
        "final": result["final_score"],
        "level": result["impact_level"],
        "charter": result["charter"]["rating"] if result["charter"] else None,
        "flags": sorted(flag["key"] for flag in result["flags"]),
    }


@pytest.mark.parametrize(("definition_path", "case"), CASES)
def test_golden_case(definition_path: str, case: dict[str, Any]) -> None:
    assert set(case) == {"name", "why", "answers", "expected"}, "a case has name, why, answers, expected"
    assert set(case["expected"]) == EXPECTED_KEYS
    definition = _definition(definition_path)
    unknown = set(case["answers"]) - set(definition.questions)
    assert not unknown, f"answers to questions the definition does not have: {sorted(unknown)}"
    for key, value in case["answers"].items():
        assert definition.questions[key].check_value(value) is None, f"{key}: invalid answer {value!r}"

    assert _observed(score(definition, case["answers"])) == case["expected"], case["why"]


def test_golden_cases_cover_every_charter_cell() -> None:
    cells = set()
    for param in CASES:
        definition_path, case = param.values
        charter = _definition(definition_path).charter
        if charter is None:
            continue
        answers = case["answers"]
        cells.add((answers.get(charter["likelihood"]), answers.get(charter["impact"])))
    every = {
        (likelihood, impact)
        for likelihood in ("probable", "occasional", "improbable")
        for impact in ("low", "moderate", "high")
    }
    assert every <= cells, f"no golden case for {sorted(every - cells)}"


def test_golden_cases_cover_every_level_boundary() -> None:
    """For each bound: a case exactly at it (where it is a whole number) and one point above."""
    at, above = set(), set()
    for param in CASES:
        definition_path, case = param.values
        definition = _definition(definition_path)
        maximum = definition.max_points("risk")
        final = case["expected"]["final"]
        for bound in definition.scoring.level_bounds_pct:
            exact = bound * maximum / 100
            if final == exact:
                at.add((definition.key, bound))
            if final == int(exact) + 1:
                above.add((definition.key, bound))
    for bound in (25, 50, 75):
        assert ("ads-impact", bound) in at, f"no ads-impact case exactly at {bound} %"
        assert ("ads-impact", bound) in above, f"no ads-impact case one point above {bound} %"
        assert ("boundaries", bound) in above, f"no boundaries case one point above {bound} %"
    assert len(CASES) >= 20
