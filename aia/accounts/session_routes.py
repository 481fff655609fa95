"""The session's time left, and "Stay signed in" (WCAG 2.2.1, Timing Adjustable): the page's
script (timeout.js) warns some minutes before the idle limit and renews the session here.

Reading the time left is not activity: ``GET /session`` is open to everyone (it says only
whether this browser's session is signed in and for how long) and never renews the session.
``POST /session`` is a request of the signed-in person like any other, which is what renews
it (sessions.require_session); it answers the time left and a fresh CSRF token."""

from __future__ import annotations

import time

from flask import jsonify, session
from flask_wtf.csrf import generate_csrf

from . import bp, sessions


def _seconds_left() -> float:
    """What is left of this browser's signed-in session (0 when there is none)."""
    user = sessions.load_user(str(session.get("_user_id", "")))
    if user is None:
        return 0.0
    return max(0.0, sessions.idle_seconds() - (time.time() - float(session.get("seen", 0))))


@bp.route("/session")
def session_status():
    left = _seconds_left()
    return jsonify(signed_in=left > 0, seconds_left=round(left, 1))


@bp.route("/session", methods=["POST"])
def stay_signed_in():
    return jsonify(signed_in=True, seconds_left=sessions.idle_seconds(), csrf_token=generate_csrf())
