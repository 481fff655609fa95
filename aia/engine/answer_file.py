"""The answer file of a draft: its answers written out as JSON, to keep, share with colleagues
and load back into a draft (docs/answer-file.md). Reading checks a file as strictly as a step
form checks what is typed, with the questions' own checks, and keeps nothing of a bad file.

    {"format": "aia-answers", "format_version": 1,
     "questionnaire": {"key": "starter", "version": 3, "hash": "<sha-256>", "title": "..."},
     "answers": {"<question key>": <value as stored>, ...}}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import is_answered
from .definition import Definition

FORMAT = "aia-answers"
FORMAT_VERSION = 1
MAX_BYTES = 1024 * 1024  # far above any questionnaire's answers


class AnswerFileProblem(Exception):
    """The file is not an answer file of this questionnaire; the message says why, in words
    for the person who chose it."""


@dataclass
class ReadAnswers:
    """What a valid answer file holds for the draft's questionnaire."""

    answers: dict[str, Any]  # question key -> value, each one valid for its question
    unknown: list[str] = field(default_factory=list)  # keys the questionnaire does not have
    invalid: dict[str, str] = field(default_factory=dict)  # key -> why its value is refused
    version: int = 0  # the questionnaire version the file was written from
    same_version: bool = True  # written from this very questionnaire (same content hash)

    @property
    def usable(self) -> bool:
        return not self.invalid


def write_answer_file(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answer file of ``answers`` (those given; an unanswered question is left out)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "questionnaire": {
            "key": definition.key,
            "version": definition.version,
            "hash": definition.content_hash,
            "title": str(definition.title),
        },
        "answers": {
            question.key: answers[question.key]
            for question in definition.questions.values()
            if is_answered(answers.get(question.key))
        },
    }


def parse_answer_file(content: bytes) -> Any:
    if len(content) > MAX_BYTES:
        raise AnswerFileProblem(f"the file is over {MAX_BYTES // 1024} KiB; an answer file is much smaller")
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AnswerFileProblem("it is not text in UTF-8 (is it an answer file?)") from None
    except json.JSONDecodeError as error:
        raise AnswerFileProblem(f"it is not valid JSON (line {error.lineno}, column {error.colno})") from None


def read_answer_file(document: Any, definition: Definition) -> ReadAnswers:
    """The answers of ``document`` for ``definition``. A file of another questionnaire, or
    not shaped as an answer file, raises AnswerFileProblem; a file of another version of the
    same questionnaire is read question by question, as a new version reads earlier answers."""
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise AnswerFileProblem(f'it is not an answer file (its "format" is not "{FORMAT}")')
    if document.get("format_version") != FORMAT_VERSION:
        raise AnswerFileProblem(
            f"it is written in version {document.get('format_version')!r} of the format; "
            f"this version of aia reads version {FORMAT_VERSION}"
        )
    questionnaire = document.get("questionnaire")
    if not isinstance(questionnaire, Mapping) or not isinstance(questionnaire.get("key"), str):
        raise AnswerFileProblem(
            'it does not say which questionnaire it answers ("questionnaire": {"key": ...})'
        )
    if questionnaire["key"] != definition.key:
        raise AnswerFileProblem(
            f'it answers the questionnaire "{questionnaire["key"]}", '
            f'and this draft answers "{definition.key}"'
        )
    answers = document.get("answers")
    if not isinstance(answers, Mapping):
        raise AnswerFileProblem('its "answers" are not an object of question keys and answers')
    version = questionnaire.get("version")
    read = ReadAnswers(
        answers={},
        version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
        same_version=questionnaire.get("hash") == definition.content_hash,
    )
    for key, value in answers.items():
        question = definition.questions.get(key)
        if question is None:
            read.unknown.append(str(key))
            continue
        if not is_answered(value):
            continue
        reason = question.check_value(value)
        if reason is not None:
            read.invalid[key] = reason
        else:
            read.answers[key] = value
    return read


def differences(read: ReadAnswers, held: Mapping[str, Any]) -> list[str]:
    """The keys whose answer in the file would replace a different answer the draft holds."""
    return [k for k, v in read.answers.items() if is_answered(held.get(k)) and held[k] != v]
