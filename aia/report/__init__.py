"""The transparency report: context as plain data, HTML, PDF."""

from flask import Blueprint

bp = Blueprint("report", __name__)
