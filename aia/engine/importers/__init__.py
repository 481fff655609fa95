"""Importers of questionnaires written in other formats (Canada's AIA survey files)."""

from .canada import VERSIONS as CANADA_VERSIONS
from .canada import NotACanadianSurvey, convert_survey

__all__ = ["CANADA_VERSIONS", "NotACanadianSurvey", "convert_survey"]
