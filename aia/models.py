"""Every model, imported in one place so that metadata is complete."""

from . import db_rules  # noqa: F401  (attaches the database rules)
from .accounts.models import Agency, PendingForm, User
from .assessments.models import Draft, Revision, StepSave, System
from .audit.models import AuditEvent
from .catalogue.models import ImportedQuestionnaire
from .db import Base
from .mail.models import OutboxMessage
from .publishing.models import PublicationJob
from .register.models import Feedback, RegisterEntry
from .report.models import ReportFile
from .review.models import Comment

__all__ = [
    "Agency",
    "AuditEvent",
    "Base",
    "Comment",
    "Draft",
    "Feedback",
    "ImportedQuestionnaire",
    "OutboxMessage",
    "PendingForm",
    "PublicationJob",
    "RegisterEntry",
    "ReportFile",
    "Revision",
    "StepSave",
    "System",
    "User",
]
