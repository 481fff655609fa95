"""Publication and withdrawal: the use case above assessments, report and register
(approve -> render -> store -> register entry; withdraw)."""

from flask import Blueprint

bp = Blueprint("publishing", __name__)
