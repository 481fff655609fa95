"""The approver's and auditor's side: queue, comments and decisions, history, comparison, trail."""

from flask import Blueprint

bp = Blueprint("review", __name__)
