"""Security events: one JSON line each, for the operator's log collector.

Each line says what happened (``event``), its ``outcome``, when (UTC, ISO 8601), who (the
account's id and email, when known), where (client address, method, path, endpoint) and the
event's own details. The line is built by ``json.dumps``, so no text a person typed (an email
address with a newline, a path with control characters) can end it early or forge another.
Passwords, codes, tokens and session ids are never passed in: callers give facts about them
(``"reason": "wrong code"``), not the values.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

log = logging.getLogger("aia.security")

# Keys a caller may never pass, whatever they hold.
SECRET_KEYS = frozenset({"password", "code", "token", "csrf_token", "session", "secret", "recovery_code"})


def security_event(event: str, outcome: str, *, user: Any = None, **details: Any) -> dict[str, Any]:
    """Log one security event; returns what was logged. ``user`` is an account (or None: the
    signed-in person, if any); ``outcome`` is e.g. ``"refused"``, ``"allowed"``, ``"done"``."""
    leaked = SECRET_KEYS & details.keys()
    if leaked:
        raise ValueError(f"a security event never carries {sorted(leaked)}")
    line: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "event": event,
        "outcome": outcome,
    }
    who = user if user is not None else _signed_in()
    if who is not None:
        line["user_id"] = getattr(who, "id", None)
        line["email"] = getattr(who, "email", None)
        line["role"] = getattr(who, "role", None)
    if has_request_context():
        line["address"] = request.remote_addr
        line["method"] = request.method
        line["path"] = request.path
        line["endpoint"] = request.endpoint
    line.update(details)
    log.warning("%s", json.dumps(line, ensure_ascii=True, default=str, sort_keys=False))
    return line


def _signed_in() -> Any:
    if not has_request_context():
        return None
    try:
        return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[attr-defined]
    except Exception:  # no login manager bound (a bare app): nobody is signed in
        return None
