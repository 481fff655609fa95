"""Canada's AIA scoring method ("canada-aia"), exactly as the Canadian tool computes it:

- the raw impact score is the sum of the points of every answered risk question, and the
  mitigation score that of every answered mitigation question, whether the question is on the
  respondent's path or not, both phase copies of the mitigation pages included (the tool's
  score and its saved files do so);
- the mitigation threshold is the threshold share (80 %) of one phase's maximum, which is half
  the maximum of both copies;
- when the mitigation score reaches it, the final score is the raw score less the reduction
  (15 %), rounded half up as JavaScript's Math.round does (42.5 -> 43); otherwise the raw score;
- the level is I up to 25 % of the version's maximum raw score, II up to 50 %, III up to 75 %,
  IV above.

Our own rule, that an answer hidden on the path never counts, is worked out alongside
(``own_rule``), with the answers that make the two differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import is_answered
from .definition import Definition
from .scoring import breakdown_row, impact_level, level_details, round_half_up, scoring_method
from .visibility import resolve

METHOD = "canada-aia"


def outcome(definition: Definition, raw_impact: int, mitigation: int) -> dict[str, Any]:
    """The final score and level for a raw impact score and a mitigation score."""
    rules = definition.scoring
    both_phases = definition.max_points("mitigation")
    # mitigation >= pct % of (both_phases / 2), in whole numbers
    strong = both_phases > 0 and mitigation * 200 >= rules.mitigation_threshold_pct * both_phases
    final = round_half_up(raw_impact * (100 - rules.mitigation_reduction_pct), 100) if strong else raw_impact
    level = impact_level(final, definition.max_points("risk"), rules.level_bounds_pct)
    return {
        "raw_impact": raw_impact,
        "mitigation": mitigation,
        "strong": strong,
        "final": final,
        "level": level,
    }


@scoring_method(METHOD)
def score_canada(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    resolution = resolve(definition, answers)
    names = definition.origin.names if definition.origin else {}
    tool = {"risk": 0, "mitigation": 0}
    own = {"risk": 0, "mitigation": 0}
    breakdown: list[dict[str, Any]] = []
    differing: list[dict[str, Any]] = []
    areas: list[dict[str, Any]] = []
    for step in definition.steps:
        area: dict[str, Any] = {
            "step": step.key,
            "title": step.title,
            "shown": step in resolution.steps,
            "risk": {"points": 0, "max": 0},
            "mitigation": {"points": 0, "max": 0},
            "rows": [],
        }
        for question in step.questions:
            if question.scoring is None:
                continue
            area[question.scoring]["max"] += question.max_points()
            value = answers.get(question.key)
            if not is_answered(value) or question.check_value(value) is not None:
                continue
            row = {**breakdown_row(step, question, value), "shown": question.key in resolution.answers}
            points, shown = row["points"], row["shown"]
            tool[question.scoring] += points
            area[question.scoring]["points"] += points
            if shown:
                own[question.scoring] += points
            elif points:
                differing.append(
                    {
                        "question": question.key,
                        "name": names.get(question.key, question.key),
                        "answer": value,
                        "kind": question.scoring,
                        "points": points,
                    }
                )
            breakdown.append(row)
            area["rows"].append(row)
        if area["rows"]:  # an area with no answered scored question is an empty row
            areas.append(area)

    canada = outcome(definition, tool["risk"], tool["mitigation"])
    own_rule = outcome(definition, own["risk"], own["mitigation"])
    rules = definition.scoring
    return {
        "method": METHOD,
        "risk": {"points": canada["raw_impact"], "max": definition.max_points("risk")},
        "mitigation": {
            "points": canada["mitigation"],
            "max": definition.max_points("mitigation") // 2,  # one phase's
            "threshold_pct": rules.mitigation_threshold_pct,
            "strong": canada["strong"],
        },
        "final_score": canada["final"],
        "reduction_pct": rules.mitigation_reduction_pct if canada["strong"] else 0,
        "level_bounds_pct": list(rules.level_bounds_pct),
        **level_details(definition, canada["level"]),
        "charter": None,
        "flags": [],
        "breakdown": breakdown,
        "canada": canada,
        "own_rule": {**own_rule, "differing": differing},
        "areas": areas,
    }
