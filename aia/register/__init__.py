"""The public register: published entries, their reports, open data and feedback."""

from flask import Blueprint

bp = Blueprint("register", __name__)

from . import routes  # noqa: E402,F401
