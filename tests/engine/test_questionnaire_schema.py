"""docs/questionnaire.schema.json describes the questionnaire format for authors' editors: every
shipped file is valid against it, it says the same as the engine about types, fields and roles,
and it refuses the refusals of the loader that a schema can express (the others need the
loader: a question that does not exist, a flag that nobody raises...)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from aia.engine.questions import COMMON_KEYS, QUESTION_TYPES
from aia.engine.roles import COMMITMENTS, ROLES
from aia.engine.strict_yaml import StrictLoader

from ..awkward_keys import AWKWARD
from .test_loader_refusals import REFUSALS, VALID

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "questionnaire.schema.json").read_text(encoding="utf-8"))
SHIPPED = sorted((REPO / "aia" / "questionnaires").glob("*.yaml"))

# Refusals a JSON Schema cannot state: they compare one part of the file with another.
LOADER_ONLY = {
    "flag nobody raises",
    "undeclared flag raised",
    "duplicate flag",
    "duplicate step key",
    "duplicate question key",
    "duplicate option value",
    "min above max",
    "show_if unknown question",
    "show_if later question",
    "show_if itself",
    "show_if unknown flag",
    "show_if flag before it is raised",
    "show_if value not an option",
    "show_if compares a text",
    "show_if includes on single choice",
    "show_if nested unknown question",
    "step show_if to a later question",
    "charter unknown question",
    "charter wrong options",
    "charter likelihood wrong options",
    "bounds not rising",
    "role of an unknown question",
    "role of the wrong type",
    "number role of a text",
    "list role of the wrong type",
    "question in two roles",
    "commitment listed twice",
    "commitment status of the wrong type",
    "commitment evidence of an unknown question",
    "lending roles to a later version",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def problems(validator: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(document)]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_file_is_valid(validator, path: Path) -> None:
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506
    assert problems(validator, document) == []


def test_the_test_documents_are_valid(validator) -> None:
    assert problems(validator, VALID) == []
    assert problems(validator, yaml.load(AWKWARD, Loader=StrictLoader)) == []  # noqa: S506


@pytest.mark.parametrize(
    ("change",), [pytest.param(c, id=i) for i, c, _, _ in REFUSALS if i not in LOADER_ONLY]
)
def test_the_schema_refuses_what_the_loader_refuses(validator, change: Callable[[dict], None]) -> None:
    document = copy.deepcopy(VALID)
    change(document)
    assert problems(validator, document), "the schema accepts a file the loader refuses"


def test_most_refusals_are_the_schemas_too(validator) -> None:
    ids = {i for i, *_ in REFUSALS}
    assert LOADER_ONLY <= ids  # no stale name
    assert len(ids - LOADER_ONLY) >= 80
    for name, change, *_ in REFUSALS:  # and only what the schema cannot say is left out
        if name in LOADER_ONLY:
            document = copy.deepcopy(VALID)
            change(document)
            assert problems(validator, document) == [], name


def test_the_schema_knows_the_engines_types_fields_and_roles() -> None:
    defs = SCHEMA["$defs"]
    assert defs["question"]["properties"]["type"]["enum"] == list(QUESTION_TYPES)
    for name, cls in QUESTION_TYPES.items():
        assert set(defs[name]["properties"]) == COMMON_KEYS | cls.extra_keys, name
    assert set(SCHEMA["properties"]["roles"]["properties"]) == {*ROLES, COMMITMENTS}
    for name, spec in ROLES.items():
        declared = SCHEMA["properties"]["roles"]["properties"][name]
        assert (declared.get("type") == "array") == spec.many, name
