"""The score while answering: what the draft's saved answers give so far, worked out by the
questionnaire's own scoring method (the one submission uses), with how far the mitigation
points are from the line that reduces the score. A check that leads to another questionnaire
(the threshold check) scores nothing: its outcome so far is shown instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine import Definition, resolve, score
from ..engine.scoring_canada import METHOD as CANADA_METHOD


def scores_points(definition: Definition) -> bool:
    """Whether the questionnaire gives an impact level (the threshold check does not)."""
    return definition.follow_up is None and definition.max_points("risk") > 0


def mitigation_points_needed(definition: Definition, scores: Mapping[str, Any]) -> int:
    """The mitigation points still missing to reach the threshold share (0 once reached)."""
    if scores["mitigation"]["strong"]:
        return 0
    pct = definition.scoring.mitigation_threshold_pct
    if scores.get("method") == CANADA_METHOD:
        # Canada's line is a share of one phase's maximum, half that of both copies.
        line = -(-pct * definition.max_points("mitigation") // 200)
    else:
        line = -(-pct * scores["mitigation"]["max"] // 100)
    return max(0, line - scores["mitigation"]["points"])


def provisional(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What the score panel shows: {"kind": "score", ...} or {"kind": "check", ...}."""
    if not scores_points(definition):
        follow_up = definition.follow_up
        resolution = resolve(definition, answers)
        if follow_up is None:
            return {"kind": "none"}
        raised_by = resolution.flags.get(follow_up.when_flag, [])
        return {
            "kind": "check",
            "needed": bool(raised_by),
            "flag": definition.flags[follow_up.when_flag],
            "raised_by": [
                {
                    "label": definition.questions[key].label,
                    "answer": definition.questions[key].display(resolution.answers[key]),
                }
                for key in raised_by
            ],
        }
    scores = score(definition, answers)
    return {
        "kind": "score",
        "scores": scores,
        "canada": scores.get("method") == CANADA_METHOD,
        "more_mitigation": mitigation_points_needed(definition, scores),
        "reduction_pct": definition.scoring.mitigation_reduction_pct,
    }
