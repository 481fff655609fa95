"""The public register: published entries, their reports, open data and feedback."""

from flask import Blueprint

bp = Blueprint("register", __name__)
