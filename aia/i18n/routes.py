"""The header's language switcher."""

from __future__ import annotations

from flask import redirect, request, session
from flask_login import current_user

from . import LANGUAGES, SESSION_KEY, bp


def _safe_next(target: str) -> str:
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@bp.route("/language", methods=["POST"])
def choose():
    """Serve the rest of the visit in the language chosen, and keep it on the person's account
    for their next visits. An unknown language changes nothing."""
    language = request.form.get("lang", "")
    if language in LANGUAGES:
        session[SESSION_KEY] = language
        if current_user.is_authenticated:  # type: ignore[attr-defined]  # Flask-Login's proxy is untyped
            current_user.language = language  # type: ignore[attr-defined]  # the signed-in User
    return redirect(_safe_next(request.form.get("next", "")), code=303)
