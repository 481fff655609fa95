"""Systems, drafts, the multi-step wizard, submission and revisions."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)
