"""Texts in several languages: wherever a file allows a text, a string in the file's language or
a mapping language -> text; read in a language with a fallback to the file's language."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from aia.engine import DefinitionError, Text, parse_definition, score, text_in

from .test_loader_refusals import VALID, question

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "questionnaire.schema.json").read_text(encoding="utf-8")
)


def both(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


def bilingual() -> dict[str, Any]:
    """VALID with a French text beside every English one it has."""
    doc = copy.deepcopy(VALID)
    doc["title"] = both("A valid questionnaire", "Un questionnaire valide")
    doc["description"] = both("What it is for.", "À quoi il sert.")
    doc["flags"][0]["label"] = both("Possible harm", "Préjudice possible")
    doc["flags"][0]["description"] = both("Someone may be hurt.", "Quelqu'un peut être lésé.")
    for level in doc["levels"]:
        level["name"] = both(f"Level {level['level']}", f"Niveau {level['level']}")
        level["obligations"] = [{"area": both("Notice", "Avis"), "text": both("Tell people.", "Informer.")}]
    doc["steps"][0]["title"] = both("First", "Premier")
    doc["steps"][0]["intro"] = both("Start here.", "Commencez ici.")
    kind = question(doc, "kind")
    kind["label"] = both("Kind?", "Genre ?")
    kind["help"] = both("Pick one.", "Choisissez-en un.")
    kind["area"] = both("Nature", "Nature")
    kind["options"][0]["label"] = both("A", "Un A")
    doc["roles"]["commitments"][0]["title"] = both("Care", "Soin")
    return doc


def load(doc: dict[str, Any]):
    return parse_definition(yaml.safe_dump(doc, allow_unicode=True), source="texts-v1.yaml")


def test_every_text_reads_in_french_and_falls_back_to_the_files_language() -> None:
    definition = load(bilingual())
    assert definition.title == "A valid questionnaire"  # a Text is the file's language's string
    french = definition.in_language("fr")
    assert french.title == "Un questionnaire valide"
    assert french.description == "À quoi il sert."
    assert french.flags["harm"].label == "Préjudice possible"
    assert french.flags["harm"].description == "Quelqu'un peut être lésé."
    assert [level.name for level in french.levels] == ["Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4"]
    assert french.levels[0].obligations[0].area == "Avis"
    assert french.steps[0].title == "Premier"
    assert french.steps[0].intro == "Commencez ici."
    kind = french.questions["kind"]
    assert (kind.label, kind.help, kind.area) == ("Genre ?", "Choisissez-en un.", "Nature")
    assert [o.label for o in kind.options] == ["Un A", "B"]  # B is written once, in English
    assert french.commitments[0].title == "Soin"
    # Yes / no / not sure are the engine's own and come in both languages.
    assert [o.label for o in french.questions["harms"].options] == ["Oui", "Non", "Je ne sais pas"]
    # A language the file does not have: the file's language.
    german = definition.in_language("de")
    assert german.title == "A valid questionnaire"
    assert german.questions["kind"].label == "Kind?"


def test_a_regional_tag_finds_its_language_and_the_reverse() -> None:
    title = Text({"en": "Title", "fr-CA": "Titre"}, "en")
    assert text_in(title, "fr") == "Titre"
    assert text_in(title, "fr-CA") == "Titre"
    assert text_in(Text({"en": "Title", "fr": "Titre"}, "en"), "fr-BE") == "Titre"
    assert text_in(title, "es") == "Title"
    assert text_in(title, None) == "Title"
    assert text_in("written once", "fr") == "written once"
    assert text_in(None, "fr") == ""


def test_read_in_one_language_a_text_still_knows_the_others() -> None:
    title = Text(both("Title", "Titre"), "en")
    french = title.in_language("fr")
    assert french == "Titre"
    assert text_in(french, "en") == "Title"
    assert text_in(french, "de") == "Title"  # the fallback stays the file's language
    assert copy.deepcopy(french) == "Titre"
    assert text_in(copy.deepcopy(french), "en") == "Title"


def test_the_french_copy_is_whole_and_made_once() -> None:
    definition = load(bilingual())
    french = definition.in_language("fr")
    assert french is definition.in_language("fr")
    assert definition.in_language("en") is definition
    assert french.content_hash == definition.content_hash
    # The same question object in its step and in the questions by key, as in the original.
    assert french.steps[0].questions[1] is french.questions["kind"]
    assert definition.questions["kind"].label == "Kind?"  # the original is untouched
    assert definition.languages() == ["en", "fr"]


def test_scores_read_in_french_carry_french_labels() -> None:
    definition = load(bilingual())
    answers = {"harms": "yes", "kind": "a"}
    english, french = score(definition, answers), score(definition.in_language("fr"), answers)
    assert english["final_score"] == french["final_score"]
    labels = {row["question"]: (row["label"], row["answer_text"]) for row in french["breakdown"]}
    assert labels["kind"] == ("Genre ?", "Un A")
    assert labels["harms"] == ("Can it harm?", "Oui")
    assert french["impact_level_name"] in {"Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4"}


def test_a_french_file_writes_its_texts_in_french_first() -> None:
    doc = bilingual()
    doc["language"] = "fr"
    definition = load(doc)
    assert definition.title == "Un questionnaire valide"
    assert definition.in_language("en").title == "A valid questionnaire"
    assert definition.in_language("de").title == "Un questionnaire valide"
    assert definition.questions["kind"].options[1].label == "B"


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        pytest.param(
            lambda d: d.update(title={"fr": "Seulement en français"}),
            "title",
            "has no text in the file's language (en)",
            id="no text in the file's language",
        ),
        pytest.param(
            lambda d: question(d, "kind").update(label={"en": "Kind?", "French": "Genre ?"}),
            "question kind",
            "'French' where a language tag",
            id="not a language tag",
        ),
        pytest.param(
            lambda d: question(d, "kind").update(label={"en": "Kind?", "fr": "  "}),
            "question kind",
            "'label' in fr must be non-empty text",
            id="blank in one language",
        ),
        pytest.param(
            lambda d: question(d, "kind").update(help={}),
            "question kind",
            "'help' must be non-empty text, or a mapping of languages",
            id="empty mapping",
        ),
        pytest.param(
            lambda d: question(d, "kind").update(label={"en": ["Kind?"]}),
            "question kind",
            "'label' in en must be non-empty text",
            id="a list as a text",
        ),
        pytest.param(
            lambda d: question(d, "kind")["options"][0].update(label={"fr": "Un A"}),
            "question kind",
            "'label of option 'a'' has no text in the file's language",
            id="option without the file's language",
        ),
        pytest.param(
            lambda d: d["steps"][0].update(intro=3),
            "step first",
            "'intro' must be text",
            id="a number as an intro",
        ),
        pytest.param(
            lambda d: d["levels"][0]["obligations"][0].update(text={"de": "Sagen"}),
            "levels[0]",
            "'text' has no text in the file's language",
            id="obligation in another language only",
        ),
        pytest.param(
            lambda d: d["roles"]["commitments"][0].update(title={"fr": "Soin"}),
            "roles.commitments[0].title",
            "has no text in the file's language",
            id="commitment title in another language only",
        ),
    ],
)
def test_refusals(change, where: str, reason: str) -> None:
    doc = bilingual()
    change(doc)
    with pytest.raises(DefinitionError) as caught:
        load(doc)
    assert caught.value.where == where
    assert reason in caught.value.reason


def test_the_schema_accepts_texts_in_several_languages_and_refuses_a_bad_tag() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert [e.message for e in validator.iter_errors(bilingual())] == []
    doc = bilingual()
    question(doc, "kind")["label"] = {"en": "Kind?", "French": "Genre ?"}
    assert list(validator.iter_errors(doc))
    doc = bilingual()
    question(doc, "kind")["label"] = {"en": "Kind?", "fr": " "}
    assert list(validator.iter_errors(doc))
