"""Properties of scoring over random answer sets, for the shipped questionnaires with points.

- more risk never lowers the level, more mitigation never raises it;
- answers to questions hidden on the path change nothing;
- every question can be reached;
- the breakdown adds up to the totals;
- the final score and level follow the written rules (re-computed here with exact fractions).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aia.engine import Definition, load_file, resolve, score
from aia.engine.questions import Question

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "aia" / "questionnaires"
DEFINITIONS = {
    name: load_file(QUESTIONNAIRES / f"{name}.yaml")
    for name in ("starter-v1", "ads-impact-v1", "threshold-v1")
}
SCORED = ["starter-v1", "ads-impact-v1"]

TEXTS = ["A short answer", "Ünïcödé ✓ 🙂", "مرحبا بالعالم", "<b>not html</b>", "x" * 100]
FAST = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def value_strategy(question: Question) -> st.SearchStrategy[Any]:
    """Valid answers of a question's type."""
    kind = question.type_name
    if kind == "multiple_choice":
        values = question.values
        return st.sets(st.sampled_from(values), min_size=1).map(
            lambda chosen: [v for v in values if v in chosen]
        )
    if kind in ("single_choice", "yes_no_unsure"):
        return st.sampled_from(question.values)
    if kind in ("short_text", "long_text"):
        return st.sampled_from(TEXTS)
    if kind == "number":
        low = int(question.min) if question.min is not None else -(10**6)
        high = int(question.max) if question.max is not None else 10**6
        return st.integers(low, high)
    if kind == "date":
        return st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat)
    raise AssertionError(f"no strategy for question type {kind}")


def best_answer(question: Question) -> Any:
    """The answer with the most points."""
    if question.multiple:
        return list(question.values)
    return max(question.options, key=lambda option: option.points).value


def answers_strategy(
    definition: Definition, keys: list[str] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the questions (all, or those listed) answered with valid values. In half the
    sets of a whole questionnaire each mitigation question mostly gets its best answer, since
    uniform answers would almost never come near the strong-mitigation threshold."""
    chosen = definition.questions if keys is None else {k: definition.questions[k] for k in keys}
    plain = st.fixed_dictionaries({}, optional={key: value_strategy(q) for key, q in chosen.items()})
    if keys is not None:
        return plain
    mostly_best = st.fixed_dictionaries(
        {
            key: st.one_of(
                st.just(best_answer(q)), st.just(best_answer(q)), st.just(best_answer(q)), value_strategy(q)
            )
            for key, q in chosen.items()
            if q.scoring == "mitigation"
        }
    )
    return st.one_of(plain, st.tuples(plain, mostly_best).map(lambda pair: pair[0] | pair[1]))


def ascending_answers(question: Question, order: list[int]) -> list[Any]:
    """Answers of a scored question, each worth at least the one before: unanswered first; for a
    multiple choice, growing sets (in the drawn order), since ticking more never gives less."""
    if question.multiple:
        values = [question.values[i % len(question.values)] for i in order]
        values = list(dict.fromkeys(values + question.values))
        return [None] + [[v for v in question.values if v in values[:n]] for n in range(1, len(values) + 1)]
    return [None, *sorted(question.values, key=question.points)]


def scored_keys(definition: Definition, kind: str) -> list[str]:
    return [k for k, q in definition.questions.items() if q.scoring == kind]


def _with(answers: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = {k: v for k, v in answers.items() if k != key}
    if value is not None:
        changed[key] = value
    return changed


def _walk_up(data: st.DataObject, definition: Definition, kind: str) -> list[tuple[dict, dict]]:
    """For every question of ``kind``: the scores along its ascending answers, others fixed."""
    answers = data.draw(answers_strategy(definition), label="answers")
    order = data.draw(st.permutations(range(12)), label="order of ticks")
    walks = []
    for key in scored_keys(definition, kind):
        chain = ascending_answers(definition.questions[key], order)
        walks.append([score(definition, _with(answers, key, value)) for value in chain])
    return walks


@pytest.mark.parametrize("name", SCORED)
@FAST
@given(data=st.data())
def test_more_risk_never_lowers_the_level(name: str, data: st.DataObject) -> None:
    for walk in _walk_up(data, DEFINITIONS[name], "risk"):
        for before, after in zip(walk, walk[1:], strict=False):
            assert after["risk"]["points"] >= before["risk"]["points"]
            assert after["final_score"] >= before["final_score"]
            assert after["impact_level"] >= before["impact_level"]


@pytest.mark.parametrize("name", SCORED)
@FAST
@given(data=st.data())
def test_more_mitigation_never_raises_the_level(name: str, data: st.DataObject) -> None:
    for walk in _walk_up(data, DEFINITIONS[name], "mitigation"):
        for before, after in zip(walk, walk[1:], strict=False):
            assert after["mitigation"]["points"] >= before["mitigation"]["points"]
            assert after["risk"] == before["risk"]
            assert after["final_score"] <= before["final_score"]
            assert after["impact_level"] <= before["impact_level"]


@pytest.mark.parametrize("name", list(DEFINITIONS))
@FAST
@given(data=st.data())
def test_answers_to_hidden_questions_change_nothing(name: str, data: st.DataObject) -> None:
    definition = DEFINITIONS[name]
    answers = data.draw(answers_strategy(definition), label="answers")
    hidden = [k for k in definition.questions if k not in resolve(definition, answers).visible]
    extra = data.draw(answers_strategy(definition, hidden), label="hidden answers")
    assert resolve(definition, answers | extra).visible == resolve(definition, answers).visible
    assert score(definition, answers | extra) == score(definition, answers)


@pytest.mark.parametrize("name", list(DEFINITIONS))
@FAST
@given(data=st.data())
def test_breakdown_adds_up_to_the_totals(name: str, data: st.DataObject) -> None:
    definition = DEFINITIONS[name]
    answers = data.draw(answers_strategy(definition), label="answers")
    result = score(definition, answers)
    resolution = resolve(definition, answers)
    for kind in ("risk", "mitigation"):
        entries = [e for e in result["breakdown"] if e["kind"] == kind]
        assert sum(e["points"] for e in entries) == result[kind]["points"]
        assert all(0 <= e["points"] <= e["max"] for e in entries)
        assert result[kind]["max"] == sum(
            q.max_points() for q in definition.questions.values() if q.scoring == kind
        )
        assert 0 <= result[kind]["points"] <= result[kind]["max"]
    # exactly the answered, visible, scored questions appear, each with the answer given
    assert {e["question"]: e["answer"] for e in result["breakdown"]} == {
        k: v for k, v in resolution.answers.items() if definition.questions[k].scoring
    }


@pytest.mark.parametrize("name", list(DEFINITIONS))
@FAST
@given(data=st.data())
def test_final_score_and_level_follow_the_rules(name: str, data: st.DataObject) -> None:
    definition = DEFINITIONS[name]
    result = score(definition, data.draw(answers_strategy(definition), label="answers"))
    rules = definition.scoring
    risk, risk_max = result["risk"]["points"], result["risk"]["max"]
    mitigation, mitigation_max = result["mitigation"]["points"], result["mitigation"]["max"]

    strong = mitigation_max > 0 and Fraction(mitigation, mitigation_max) >= Fraction(
        rules.mitigation_threshold_pct, 100
    )
    exact = Fraction(risk) * (1 - Fraction(rules.mitigation_reduction_pct, 100)) if strong else risk
    final = math.floor(Fraction(exact) + Fraction(1, 2))  # half up
    level = 1 + sum(1 for bound in rules.level_bounds_pct if final > Fraction(bound, 100) * risk_max)

    assert result["mitigation"]["strong"] == strong
    assert result["final_score"] == final
    assert result["impact_level"] == level
    assert result["impact_level_numeral"] == ("I", "II", "III", "IV")[level - 1]
    assert result["obligations"] == [
        {"area": o.area, "text": o.text} for o in definition.levels[level - 1].obligations
    ]


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_every_question_can_be_reached(name: str) -> None:
    """Some answer set shows each question: tried on fixed patterns and seeded random sets."""
    definition = DEFINITIONS[name]
    questions = list(definition.questions.values())
    rng = random.Random(20240531)

    def pattern(pick: int | None, share: float = 1.0) -> dict[str, Any]:
        answers = {}
        for question in questions:
            values = getattr(question, "values", None)
            if values is None or rng.random() > share:
                continue
            index = rng.randrange(len(values)) if pick is None else min(pick, len(values) - 1)
            answers[question.key] = [values[index]] if question.multiple else values[index]
        return answers

    answer_sets = [
        {},
        *(pattern(i) for i in range(10)),
        *(pattern(None, share) for share in (0.3, 0.6, 0.9) for _ in range(100)),
    ]
    reached: set[str] = set()
    for answers in answer_sets:
        reached |= resolve(definition, answers).visible
    assert not set(definition.questions) - reached, "never shown: " + ", ".join(
        sorted(set(definition.questions) - reached)
    )
