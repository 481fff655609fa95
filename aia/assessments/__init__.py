"""Systems, drafts, the multi-step wizard, submission and revisions."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)

from . import routes  # noqa: E402,F401
