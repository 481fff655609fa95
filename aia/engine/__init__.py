"""The questionnaire model: loading, visibility, form building and scoring. Pure Python."""

from . import group, scoring_canada, scoring_fria  # noqa: F401  (the group type, two scoring methods)
from .conditions import evaluate, is_answered
from .definition import Definition, Origin, Step, canonical_json, content_hash
from .errors import DefinitionError
from .forms import answers_from_form, build_step_form, field_name, form_data
from .loader import load_document, load_file, parse_definition
from .registry import Registry
from .scoring import charter_rating, impact_level, round_half_up, score
from .texts import Text, text_in
from .visibility import Resolution, answers_by_step, client_condition, missing_required, resolve

__all__ = [
    "Definition",
    "DefinitionError",
    "Origin",
    "Registry",
    "Resolution",
    "Step",
    "Text",
    "answers_by_step",
    "answers_from_form",
    "build_step_form",
    "canonical_json",
    "charter_rating",
    "client_condition",
    "content_hash",
    "evaluate",
    "field_name",
    "form_data",
    "impact_level",
    "is_answered",
    "load_document",
    "load_file",
    "missing_required",
    "parse_definition",
    "resolve",
    "round_half_up",
    "score",
    "text_in",
]
