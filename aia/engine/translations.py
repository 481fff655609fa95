"""Translations of written answers. A person who answers in the questionnaire's language may
give the text of a written answer in the questionnaire's other languages too, so that the
report in each language reads in that language. They are stored with the answers, under a key
no question can have (question keys start with a letter), so that they are hashed with the
revision like any answer: ``answers["_translations"] = {language: {question key: text}}``.
A revision without translations has no such key, and its hash is what it always was."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .definition import Definition
from .parsing import primary_language
from .questions import Question

TRANSLATIONS = "_translations"
TEXT_TYPES = ("short_text", "long_text")


def other_languages(definition: Definition) -> list[str]:
    """The languages a written answer can be translated into: those the questionnaire is
    written in, besides its own (as primary tags: fr-CA is fr)."""
    own = primary_language(definition.language)
    return sorted({primary_language(tag) for tag in definition.languages()} - {own})


def translatable(definition: Definition, answers: Mapping[str, Any]) -> list[Question]:
    """The written answers (short and long texts) given among ``answers`` (those of visible
    questions), in the questionnaire's order."""
    return [
        q
        for q in definition.questions.values()
        if q.type_name in TEXT_TYPES and isinstance(answers.get(q.key), str)
    ]


def translations_of(answers: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    stored = answers.get(TRANSLATIONS)
    return {lang: dict(texts) for lang, texts in stored.items()} if isinstance(stored, Mapping) else {}


def kept_translations(
    definition: Definition, answers: Mapping[str, Any], translations: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """The translations worth keeping: into a language the questionnaire is written in, of a
    written answer that is given, not blank, and within the question's length."""
    questions = {q.key: q for q in translatable(definition, answers)}
    kept: dict[str, dict[str, str]] = {}
    for language in other_languages(definition):
        texts = {}
        for key, text in (translations.get(language) or {}).items():
            text = (text or "").replace("\r\n", "\n").strip() if isinstance(text, str) else ""
            if key in questions and text and questions[key].check_value(text) is None:
                texts[key] = text
        if texts:
            kept[language] = texts
    return kept


def with_translations(
    definition: Definition, answers: Mapping[str, Any], translations: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """``answers`` holding the translations kept (kept_translations), or none at all."""
    result = {k: v for k, v in answers.items() if k != TRANSLATIONS}
    kept = kept_translations(definition, result, translations)
    if kept:
        result[TRANSLATIONS] = kept
    return result


def answers_in_language(
    definition: Definition, answers: Mapping[str, Any], language: str | None
) -> dict[str, Any]:
    """The answers as a reader of ``language`` reads them: each written answer in their
    language where it was translated, as written elsewhere; without the translations."""
    plain = {k: v for k, v in answers.items() if k != TRANSLATIONS}
    if not language:
        return plain
    translated = translations_of(answers).get(primary_language(language), {})
    return {**plain, **{k: v for k, v in translated.items() if isinstance(plain.get(k), str)}}
