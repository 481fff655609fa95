"""Every model, imported in one place so that metadata is complete."""

from . import db_rules  # noqa: F401  (attaches the database rules)
from .accounts.models import Agency
from .assessments.models import Draft, Revision, System
from .db import Base

__all__ = ["Agency", "Base", "Draft", "Revision", "System"]
