"""Scores: a pure function of a definition and answers. Every point is traced to an answer.

The method (also in aia/docs/scoring.md):
- risk points and mitigation points are the points of the options chosen on visible questions;
  the maxima are fixed per questionnaire version (every scored question counts, shown or not);
- when mitigation reaches the threshold share of its maximum, the final score is the risk score
  reduced by the reduction share, rounded half up; otherwise it is the risk score;
- impact level I up to the first bound (as a share of the maximum risk), II up to the second,
  III up to the third, IV above it;
- the charter rating is read from the likelihood x impact matrix.

That is the method "aia". A definition names its method (``scoring: {method: ...}``); the
others live in their own modules and register here (scoring_canada.py: Canada's AIA).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .definition import LEVEL_NAMES, Definition, Step
from .questions import Question
from .visibility import resolve

CHARTER_MATRIX = {
    ("probable", "low"): "moderate",
    ("probable", "moderate"): "high",
    ("probable", "high"): "high",
    ("occasional", "low"): "low",
    ("occasional", "moderate"): "moderate",
    ("occasional", "high"): "high",
    ("improbable", "low"): "low",
    ("improbable", "moderate"): "low",
    ("improbable", "high"): "moderate",
}
CHARTER_MEANING = {
    "low": "the charter's commitments could be applied",
    "moderate": "the charter's commitments should be applied",
    "high": "the charter's commitments must be applied",
}


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest whole number, halves going up."""
    return (2 * numerator + denominator) // (2 * denominator)


def impact_level(final: int, maximum: int, bounds_pct: tuple[int, int, int]) -> int:
    """1..4: the first level whose bound (a share of the maximum) the score does not exceed."""
    for number, bound in enumerate(bounds_pct, start=1):
        if final * 100 <= bound * maximum:
            return number
    return 4


def charter_rating(likelihood: str | None, impact: str | None) -> str | None:
    return CHARTER_MATRIX.get((likelihood or "", impact or ""))


ScoringMethod = Callable[[Definition, Mapping[str, Any]], dict[str, Any]]
METHODS: dict[str, ScoringMethod] = {}


def scoring_method(name: str) -> Callable[[ScoringMethod], ScoringMethod]:
    """Register a scoring method under the name definitions give in ``scoring.method``."""

    def register(method: ScoringMethod) -> ScoringMethod:
        if name in METHODS:
            raise RuntimeError(f"scoring method '{name}' is registered twice")
        METHODS[name] = method
        return method

    return register


def score(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the results page and the report show, as plain JSON-ready data, by the
    scoring method the definition names."""
    return METHODS[definition.scoring.method](definition, answers)


def level_details(definition: Definition, number: int) -> dict[str, Any]:
    level = definition.levels[number - 1]
    return {
        "impact_level": number,
        "impact_level_numeral": LEVEL_NAMES[number - 1],
        "impact_level_name": level.name,
        "obligations": [{"area": o.area, "text": o.text} for o in level.obligations],
    }


def breakdown_row(step: Step, question: Question, value: Any) -> dict[str, Any]:
    """One line of a breakdown: the points an answer gave, traced to its question and step.
    The same for every scoring method, which may add to it."""
    return {
        "question": question.key,
        "step": step.key,
        "kind": question.scoring,
        "area": question.area or step.title,
        "label": question.label,
        "answer": value,
        "answer_text": question.display(value),
        "points": question.points(value),
        "max": question.max_points(),
    }


@scoring_method("aia")
def score_aia(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers on the respondent's path count."""
    resolution = resolve(definition, answers)
    breakdown = []
    totals = {"risk": 0, "mitigation": 0}
    for step in definition.steps:
        for question in step.questions:
            if question.scoring is None or question.key not in resolution.answers:
                continue
            row = breakdown_row(step, question, resolution.answers[question.key])
            totals[question.scoring] += row["points"]
            breakdown.append(row)
    risk_max = definition.max_points("risk")
    mitigation_max = definition.max_points("mitigation")
    rules = definition.scoring
    strong = (
        mitigation_max > 0 and totals["mitigation"] * 100 >= rules.mitigation_threshold_pct * mitigation_max
    )
    final = (
        round_half_up(totals["risk"] * (100 - rules.mitigation_reduction_pct), 100)
        if strong
        else totals["risk"]
    )
    number = impact_level(final, risk_max, rules.level_bounds_pct)
    level = definition.levels[number - 1]

    charter = None
    if definition.charter:
        likelihood = resolution.answers.get(definition.charter["likelihood"])
        impact = resolution.answers.get(definition.charter["impact"])
        rating = charter_rating(likelihood, impact)
        charter = {
            "likelihood": likelihood,
            "impact": impact,
            "rating": rating,
            "meaning": CHARTER_MEANING.get(rating or ""),
        }

    flags = [
        {
            "key": key,
            "label": definition.flags[key].label,
            "description": definition.flags[key].description,
            "raised_by": [
                {
                    "question": q,
                    "label": definition.questions[q].label,
                    "answer_text": definition.questions[q].display(resolution.answers[q]),
                }
                for q in raised_by
            ],
        }
        for key, raised_by in resolution.flags.items()
    ]

    return {
        "risk": {"points": totals["risk"], "max": risk_max},
        "mitigation": {
            "points": totals["mitigation"],
            "max": mitigation_max,
            "threshold_pct": rules.mitigation_threshold_pct,
            "strong": strong,
        },
        "final_score": final,
        "reduction_pct": rules.mitigation_reduction_pct if strong else 0,
        "level_bounds_pct": list(rules.level_bounds_pct),
        "impact_level": number,
        "impact_level_numeral": LEVEL_NAMES[number - 1],
        "impact_level_name": level.name,
        "obligations": [{"area": o.area, "text": o.text} for o in level.obligations],
        "charter": charter,
        "flags": flags,
        "breakdown": breakdown,
    }
