"""The method of the EU fundamental rights impact assessment ("eu-fria", docs/eu-fria.md):

- whether the assessment is required (Article 27(1)): the deployer is a body governed by public
  law or a private entity providing a public service, or the system is used for credit scores or
  life and health insurance pricing (Annex III, 5(b) and (c)); and the system is high-risk under
  Article 6(2); and it is not for critical infrastructure (Annex III, point 2);
- each risk of the register is rated from its likelihood (1 to 4) times its severity (1 to 4):
  1 to 3 low, 4 to 6 medium, 8 or 9 high, 12 or 16 very high; the risk that remains after the
  measures is the respondent's own rating, shown beside it;
- the assessment's rating is its worst remaining risk; the level (I to IV) follows it;
- the duties that follow are listed with their status, each read from an answer.

The scores carry codes (``required``, ``to_do``...), never sentences: the pages and the report
say them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .definition import Definition
from .group import Group
from .scoring import level_details, scoring_method
from .visibility import resolve

METHOD = "eu-fria"
REGISTER = "risk_register"
LIKELIHOOD = {"rare": 1, "possible": 2, "likely": 3, "almost_certain": 4}
SEVERITY = {"minor": 1, "moderate": 2, "serious": 3, "critical": 4}
RATINGS = ("low", "medium", "high", "very_high")  # the order of "worse"
COVERED_DEPLOYERS = ("public_body", "public_service")
COVERED_AREAS = ("credit", "insurance")  # Annex III, 5(b) and 5(c)
EXCLUDED_AREA = "critical_infrastructure"  # Annex III, point 2


def rating_of(score: int) -> str:
    """The rating of a likelihood x severity score (1 to 16)."""
    if score <= 3:
        return "low"
    if score <= 6:
        return "medium"
    if score <= 9:
        return "high"
    return "very_high"


def applicability(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Whether a FRIA is required, and the reasons, as codes (docs/eu-fria.md)."""
    kind, high_risk, area = answers.get("deployer_kind"), answers.get("high_risk"), answers.get("annex_area")
    reasons: list[str] = []
    covered = kind in COVERED_DEPLOYERS or area in COVERED_AREAS
    if kind is None:
        reasons.append("deployer_unknown")
    elif kind in COVERED_DEPLOYERS:
        reasons.append(f"deployer_{kind}")
    elif area in COVERED_AREAS:
        reasons.append(f"area_{area}")
    else:
        reasons.append("deployer_not_covered")
    if high_risk == "no":
        reasons.append("not_high_risk")
    elif high_risk != "yes":
        reasons.append("high_risk_unsure")
    if area == EXCLUDED_AREA:
        reasons.append("critical_infrastructure")
    elif high_risk == "yes" and area is None:
        reasons.append("area_unknown")
    if not covered and kind is not None or high_risk == "no" or area == EXCLUDED_AREA:
        outcome = "not_required"
    elif kind is None or high_risk != "yes" or area is None:
        outcome = "undetermined"
    else:
        outcome = "required"
    earlier = answers.get("earlier_assessment")
    return {
        "outcome": outcome,
        "reasons": reasons,
        "builds_on": earlier if earlier in ("own", "provider") else None,
        "builds_on_reference": answers.get("earlier_reference") if earlier in ("own", "provider") else None,
    }


def rated_risks(definition: Definition, rows: Any) -> list[dict[str, Any]]:
    """Each row of the register with its score and ratings; rows without likelihood or
    severity are listed unrated."""
    group = definition.questions.get(REGISTER)
    labels = {q.key: q for q in group.questions} if isinstance(group, Group) else {}
    rated = []
    for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
        likelihood, severity = LIKELIHOOD.get(row.get("likelihood")), SEVERITY.get(row.get("severity"))
        score = likelihood * severity if likelihood and severity else None
        remaining = row.get("remaining") if row.get("remaining") in RATINGS else None
        rated.append(
            {
                "number": number,
                "right": row.get("right"),
                "right_text": labels["right"].display(row.get("right")) if "right" in labels else "",
                "group": row.get("group") or "",
                "likelihood": row.get("likelihood"),
                "severity": row.get("severity"),
                "likelihood_value": likelihood,
                "severity_value": severity,
                "score": score,
                "rating": rating_of(score) if score else None,
                "measures": row.get("measures") or "",
                "remaining": remaining,
            }
        )
    return rated


def duties(answers: Mapping[str, Any], outcome: str) -> list[dict[str, Any]]:
    """The duties that follow, each with its status: done, to_do or not_applicable."""
    required = outcome == "required"

    def status(applies: bool, done: bool) -> str:
        return "not_applicable" if not applies else "done" if done else "to_do"

    about_people = answers.get("decision_role") in ("decides", "recommends", "informs")
    return [
        {"key": "notify_authority", "article": "27(3)", "status": status(required, False)},
        {
            "key": "inform_people",
            "article": "26(11)",
            "status": status(about_people, answers.get("people_informed") == "yes"),
        },
        {
            "key": "human_oversight",
            "article": "26(2)",
            "status": status(True, answers.get("oversight_assigned") == "yes"),
        },
        {
            "key": "registration",
            "article": "49(3)",
            "status": status(
                answers.get("deployer_kind") == "public_body", answers.get("registered") == "yes"
            ),
        },
    ]


@scoring_method(METHOD)
def score_fria(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    resolution = resolve(definition, answers)
    given = resolution.answers
    applies = applicability(given)
    risks = rated_risks(definition, given.get(REGISTER))
    remaining = [r["remaining"] for r in risks if r["remaining"]]
    worst = max(remaining, key=RATINGS.index) if remaining else None
    number = RATINGS.index(worst) + 1 if worst else 1
    worst_score = max((r["score"] for r in risks if r["score"]), default=0)
    matrix = [
        [
            {
                "likelihood": likelihood,
                "severity": severity,
                "rating": rating_of(LIKELIHOOD[likelihood] * SEVERITY[severity]),
                "risks": [
                    r["number"] for r in risks if (r["likelihood"], r["severity"]) == (likelihood, severity)
                ],
            }
            for severity in SEVERITY
        ]
        for likelihood in reversed(LIKELIHOOD)
    ]
    return {
        "method": METHOD,
        "risk": {"points": worst_score, "max": 16},
        "mitigation": {"points": 0, "max": 0, "threshold_pct": 0, "strong": False},
        "final_score": worst_score,
        "reduction_pct": 0,
        "level_bounds_pct": [],
        **level_details(definition, number),
        "charter": None,
        "flags": [],
        "breakdown": [],
        "fria": {
            "applicability": applies,
            "rating": worst,
            "risks": risks,
            "matrix": matrix,
            "duties": duties(given, applies["outcome"]),
        },
    }
