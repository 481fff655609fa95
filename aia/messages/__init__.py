"""The agency's side of what the public sends through the register: the queue of questions
and complaints, answered or closed by the agency's staff (signed-in pages)."""

from flask import Blueprint

bp = Blueprint("messages", __name__)
