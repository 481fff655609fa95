"""Translations of written answers. A person who answers in the questionnaire's language may
give the text of a written answer in the questionnaire's other languages too, so that the
report in each language reads in that language. They are stored with the answers, under a key
no question can have (question keys start with a letter), so that they are hashed with the
revision like any answer: ``answers["_translations"] = {language: {key: text}}``. A written
answer's key is its question's; a text in a row of a group (a risk register's measures) is
kept under its group's and question's keys and a digest of the text as written
(``risk_register.measures@1a2b3c4d5e6f``), so that its translation follows the text when rows
are moved or removed, and no longer applies once the text is changed. A revision without
translations has no such key, and its hash is what it always was."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .definition import Definition
from .group import Group
from .parsing import primary_language
from .questions import Question

TRANSLATIONS = "_translations"
TRANSLATED_FROM = "_translated_from"
TEXT_TYPES = ("short_text", "long_text")


def other_languages(definition: Definition) -> list[str]:
    """The languages a written answer can be translated into: those the questionnaire is
    written in, besides its own (as primary tags: fr-CA is fr)."""
    own = primary_language(definition.language)
    return sorted({primary_language(tag) for tag in definition.languages()} - {own})


@dataclass(frozen=True)
class Written:
    """A written answer that can be translated: where its translations are kept (``key``),
    its question (a row's question, for a text in a group), and the text as written; for a
    text in a group, the group and the row's number (from 1) where it stands."""

    key: str
    question: Question
    text: str
    group: Group | None = None
    row: int | None = None


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def cell_key(group_key: str, question_key: str, text: str) -> str:
    """The key of the translations of a text written in a group's row."""
    return f"{group_key}.{question_key}@{text_digest(text)}"


def translatable(definition: Definition, answers: Mapping[str, Any]) -> list[Written]:
    """The written answers (short and long texts) given among ``answers`` (those of visible
    questions), in the questionnaire's order, a group's texts row by row (a text written in
    several rows once, at its first)."""
    found: list[Written] = []
    seen: set[str] = set()
    for question in definition.questions.values():
        value = answers.get(question.key)
        if question.type_name in TEXT_TYPES and isinstance(value, str):
            found.append(Written(question.key, question, value))
        elif isinstance(question, Group) and isinstance(value, list):
            for number, column, text in _row_texts(question, value):
                key = cell_key(question.key, column.key, text)
                if key not in seen:
                    seen.add(key)
                    found.append(Written(key, column, text, question, number))
    return found


def _row_texts(group: Group, rows: list[Any]) -> Iterator[tuple[int, Question, str]]:
    """The texts written in a group's rows, not blank: the row's number (from 1), the row's
    question, the text."""
    columns = [q for q in group.questions if q.type_name in TEXT_TYPES]
    for number, row in enumerate(rows, 1):
        if isinstance(row, Mapping):
            for column in columns:
                text = row.get(column.key)
                if isinstance(text, str) and text.strip():
                    yield number, column, text


def translations_of(answers: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    stored = answers.get(TRANSLATIONS)
    return {lang: dict(texts) for lang, texts in stored.items()} if isinstance(stored, Mapping) else {}


def kept_translations(
    definition: Definition, answers: Mapping[str, Any], translations: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """The translations worth keeping: into a language the questionnaire is written in, of a
    written answer that is given, not blank, and within the question's length."""
    written = {w.key: w for w in translatable(definition, answers)}
    kept: dict[str, dict[str, str]] = {}
    for language in other_languages(definition):
        texts = {}
        for key, text in (translations.get(language) or {}).items():
            text = (text or "").replace("\r\n", "\n").strip() if isinstance(text, str) else ""
            if key in written and text and written[key].question.check_value(text) is None:
                texts[key] = text
        if texts:
            kept[language] = texts
    return kept


def made_from(
    definition: Definition, answers: Mapping[str, Any], translations: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """The record of what ``translations`` were made from: for each written answer of
    ``answers`` that has one, the digest of its text as it stands in ``answers``."""
    translated = {key for texts in translations.values() for key in texts}
    return {w.key: text_digest(w.text) for w in translatable(definition, answers) if w.key in translated}


def stale_keys(definition: Definition, answers: Mapping[str, Any]) -> set[str]:
    """The written answers of a draft whose text changed since their translations were made
    (or last saved). A translation with no record (a draft from before the record was kept)
    is taken as current."""
    recorded = answers.get(TRANSLATED_FROM)
    if not isinstance(recorded, Mapping):
        return set()
    translated = {key for texts in translations_of(answers).values() for key in texts}
    return {
        w.key
        for w in translatable(definition, answers)
        if w.key in translated and w.key in recorded and recorded[w.key] != text_digest(w.text)
    }


def current_translations(definition: Definition, answers: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """A draft's translations without the stale ones (stale_keys): those it may submit."""
    stale = stale_keys(definition, answers)
    current = {
        language: {key: text for key, text in texts.items() if key not in stale}
        for language, texts in translations_of(answers).items()
    }
    return {language: texts for language, texts in current.items() if texts}


def with_translations(
    definition: Definition, answers: Mapping[str, Any], translations: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """``answers`` holding the translations kept (kept_translations), or none at all (and no
    record of what they were made from)."""
    result = {k: v for k, v in answers.items() if k not in (TRANSLATIONS, TRANSLATED_FROM)}
    kept = kept_translations(definition, result, translations)
    if kept:
        result[TRANSLATIONS] = kept
    return result


def answers_in_language(
    definition: Definition, answers: Mapping[str, Any], language: str | None
) -> dict[str, Any]:
    """The answers as a reader of ``language`` reads them: each written answer in their
    language where it was translated, as written elsewhere; without the translations."""
    plain = {k: v for k, v in answers.items() if k not in (TRANSLATIONS, TRANSLATED_FROM)}
    if not language:
        return plain
    translated = translations_of(answers).get(primary_language(language), {})
    shown = {**plain, **{k: v for k, v in translated.items() if isinstance(plain.get(k), str)}}
    for group in definition.questions.values():
        if isinstance(group, Group) and isinstance(plain.get(group.key), list):
            shown[group.key] = [_row_in(group, row, translated) for row in plain[group.key]]
    return shown


def _row_in(group: Group, row: Any, translated: Mapping[str, str]) -> Any:
    if not isinstance(row, Mapping):
        return row
    shown = dict(row)
    for key, text in row.items():
        if isinstance(text, str) and (translation := translated.get(cell_key(group.key, key, text))):
            shown[key] = translation
    return shown
