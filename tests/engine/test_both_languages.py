"""The newest released version of each of our questionnaires (v4: the questions of v3) gives
every text in English and in French, and means the same as the version it translates."""

from __future__ import annotations

from pathlib import Path

import pytest

from aia.engine import Text, load_file, score

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "aia" / "questionnaires"
BILINGUAL = ["starter", "ads-impact", "threshold"]


def every_text(definition):
    """Each text a person reads in a definition, with where it is (what the file format allows
    to be written in several languages)."""
    yield "title", definition.title
    yield "description", definition.description
    yield "use_when", definition.use_when
    for flag in definition.flags.values():
        yield f"flag {flag.key}", flag.label
        yield f"flag {flag.key} description", flag.description
    for level in definition.levels:
        yield f"level {level.number}", level.name
        for obligation in level.obligations:
            yield f"level {level.number} obligation", obligation.area
            yield f"level {level.number} obligation text", obligation.text
    for step in definition.steps:
        yield f"step {step.key}", step.title
        yield f"step {step.key} intro", step.intro
        for question in step.questions:
            for part in ("label", "help", "why", "area"):
                yield f"{question.key}.{part}", getattr(question, part)
            for option in getattr(question, "options", []):
                yield f"{question.key} option {option.value}", option.label
    if definition.follow_up:
        yield "follow_up", definition.follow_up.label
    for commitment in definition.commitments:
        yield f"commitment {commitment.title}", commitment.title


@pytest.mark.parametrize("key", BILINGUAL)
def test_every_text_of_the_v4_file_is_in_english_and_french(key: str) -> None:
    definition = load_file(QUESTIONNAIRES / f"{key}-v4.yaml")
    assert definition.languages() == ["en", "fr"]
    texts = [(where, text) for where, text in every_text(definition) if text and text.strip()]
    assert len(texts) > 25
    one_language = [where for where, text in texts if not isinstance(text, Text)]
    assert one_language == [], f"{key} v4: texts in one language only: {one_language[:10]}"
    for where, text in texts:
        assert set(text.translations) == {"en", "fr"}, where
        assert text.translations["fr"] != text.translations["en"] or len(text) < 12, where


@pytest.mark.parametrize("key", BILINGUAL)
def test_v4_asks_and_scores_exactly_as_v3(key: str) -> None:
    v3, v4 = (load_file(QUESTIONNAIRES / f"{key}-v{n}.yaml") for n in (3, 4))
    assert [(s.key, [q.key for q in s.questions]) for s in v3.steps] == [
        (s.key, [q.key for q in s.questions]) for s in v4.steps
    ]
    for question in v3.questions.values():
        twin = v4.questions[question.key]
        assert str(twin.label) == str(question.label) and twin.type_name == question.type_name
        assert [(o.value, o.points) for o in getattr(question, "options", [])] == [
            (o.value, o.points) for o in getattr(twin, "options", [])
        ]
    answers = {q.key: q.options[0].value for q in v3.questions.values() if getattr(q, "options", None)}
    assert score(v3, answers)["final_score"] == score(v4, answers)["final_score"]


def test_the_french_reads_as_french() -> None:
    french = load_file(QUESTIONNAIRES / "ads-impact-v4.yaml").in_language("fr")
    assert french.title == "Évaluation d’impact d’un système de décision automatisée"
    assert french.step("about").title == "À propos du système"
    assert french.levels[3].name == "Impact très élevé"
