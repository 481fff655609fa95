"""Answer files of Canada's AIA tool, read and written.

A saved file is ``{"version": "v1.0.1", "currentPage": 12, "data": {name: value, ...}}``:
a choice's value, a list of values for a multiple choice, text for a text question. Reading
gives our answers (keyed by our question keys), what was ignored and why; a value that is not
one of the question's choices makes the file unreadable (its score would be a guess).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..conditions import is_answered
from ..definition import Definition
from ..visibility import resolve
from .canada import FORMAT


class AnswerFileError(ValueError):
    """An answer file that cannot be read: says why."""


@dataclass
class AnswerFile:
    version: str
    definition: Definition
    answers: dict[str, Any]  # our question key -> value, every answer the file gives
    unknown: list[str] = field(default_factory=list)  # names the version does not have
    ignored: list[dict[str, str]] = field(default_factory=list)  # {name, reason}

    def hidden(self) -> list[str]:
        """Answered questions that are not on the path the answers take (kept in the file,
        not counted by our own rule, dropped when the draft is submitted)."""
        resolution = resolve(self.definition, self.answers)
        return [key for key in self.answers if key not in resolution.visible]

    def hidden_names(self) -> list[str]:
        """hidden(), by the names the Canadian tool gives the questions."""
        origin = self.definition.origin
        return [origin.name_of(k) if origin else k for k in self.hidden()]


def parse_json(content: bytes | str) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, ValueError) as error:
        raise AnswerFileError(f"not a JSON file ({error})") from None
    except RecursionError:
        raise AnswerFileError("not a JSON file (nested too deeply)") from None


def read_answer_file(document: Any, find: Callable[[str], Definition | None]) -> AnswerFile:
    """Our answers from a Canadian answer file (already parsed JSON). ``find(version)`` gives
    the imported definition of that version of the Canadian tool, or None."""
    if not isinstance(document, Mapping) or not isinstance(document.get("data"), Mapping):
        raise AnswerFileError("not a Canadian AIA answer file: it needs 'version' and 'data'")
    version = document.get("version")
    if not isinstance(version, str) or not version:
        raise AnswerFileError("not a Canadian AIA answer file: 'version' is missing")
    definition = find(version)
    if definition is None or definition.origin is None or definition.origin.format != FORMAT:
        raise AnswerFileError(
            f"version {version} of Canada's AIA is not imported here "
            f"(aia import-questionnaire --format canada-aia --source-version {version} FILE)"
        )
    keys = definition.origin.key_of()
    result = AnswerFile(version, definition, {})
    problems = []
    for name, value in document["data"].items():
        key = keys.get(name)
        if key is None:
            result.unknown.append(name)
            continue
        if not is_answered(value):
            continue
        question = definition.questions[key]
        if question.type_name in ("short_text", "long_text") and isinstance(value, int | float | bool):
            value = str(value)
        why = question.check_value(value)
        if why is None:
            result.answers[key] = value
        elif question.type_name in ("single_choice", "multiple_choice"):
            problems.append(f"{name}: {why}")
        else:
            result.ignored.append({"name": name, "reason": why})
    if problems:
        raise AnswerFileError("unknown value(s) for version " + version + ": " + "; ".join(problems))
    return result


def write_answer_file(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A Canadian answer file for our answers to an imported Canadian questionnaire, which the
    Canadian tool loads (its names, its values)."""
    if definition.origin is None or definition.origin.format != FORMAT:
        raise ValueError(f"{definition.ident} is not an imported Canadian questionnaire")
    data = {
        definition.origin.name_of(key): answers[key]
        for key in definition.questions
        if is_answered(answers.get(key))
    }
    return {"version": definition.origin.version, "currentPage": 0, "data": data}
