"""Questionnaire definitions (YAML data), loaded by aia.engine.Registry."""

from pathlib import Path

FOLDER = Path(__file__).parent
