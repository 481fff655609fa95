"""Agencies, their people and roles; signing in and out."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import routes  # noqa: E402,F401
