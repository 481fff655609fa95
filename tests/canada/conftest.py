"""Canada's AIA survey files, read where the reference data lives (never copied into the
project): ../shared/data/canada-aia beside the project, or AIA_CANADA_AIA_DATA."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from aia.engine import Definition, load_document
from aia.engine.importers import convert_survey

from ..conftest import SHARED_DATA

SURVEYS = Path(os.environ.get("AIA_CANADA_AIA_DATA", SHARED_DATA / "canada-aia"))
# file -> the tool version it is, and the maximum scores the data's README states for it
FILES = {
    "survey-enfr-v.0.8a1.json": ("v0.8a1", 98, 43),
    "survey-enfr-v0.9.json": ("v0.9", 107, 45),
    "survey-enfr-v0.9.1.json": ("v0.9.1", 107, 45),
    "survey-enfr-v0.10.0.json": ("v0.10.0", 126, 46),
    "survey-enfr-v1.0.0.json": ("v1.0.0", 167, 77),
    "survey-enfr-v1.0.1.json": ("v1.0.1", 167, 77),
}
ANSWERS = Path(__file__).parent / "answers"
EXPECTED = json.loads((Path(__file__).parent / "expected.json").read_text(encoding="utf-8"))


def survey_path(name: str) -> Path:
    path = SURVEYS / name
    if not path.is_file():
        pytest.fail(f"{name} not found in {SURVEYS} (set AIA_CANADA_AIA_DATA to the folder that holds it)")
    return path


def read_survey(name: str) -> Any:
    return json.loads(survey_path(name).read_text(encoding="utf-8"))


_converted: dict[str, Definition] = {}


def converted(name: str) -> Definition:
    """The definition made from a survey file (once per test run)."""
    if name not in _converted:
        version = FILES[name][0]
        _converted[name] = load_document(convert_survey(read_survey(name), version, name), name)
    return _converted[name]


@pytest.fixture
def import_survey(app, db_session):
    """Import a survey file with the command an operator runs; returns the command's result."""

    def run(name: str, version: str | None = None, path: Path | None = None):
        version = version or FILES[name][0]
        args = ["import-questionnaire", "--format", "canada-aia", "--source-version", version]
        return app.test_cli_runner().invoke(args=[*args, str(path or survey_path(name))])

    return run
