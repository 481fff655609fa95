"""The review and approval record of a revision, as plain dicts for the report.

Read from the audit trail (and the users' roles) when the app has them; without them the
report shows the system's revisions alone. People appear by role, never by e-mail address:
the report is public.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..assessments.models import Revision
from ..presentation import STATUS_LABELS, format_dt

DECISIONS = ("approved", "changes_requested", "withdrawn")
ROLE_WORDS = {"author": "an author", "approver": "an approver", "auditor": "an auditor",
              "admin": "an administrator"}


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and name.startswith(error.name):
            return None
        raise


def _event_label(action: str) -> str:
    subject, _, verb = action.partition(".")
    if subject == "revision" and verb in STATUS_LABELS:
        return STATUS_LABELS[verb]
    return action.replace(".", " ").replace("_", " ").capitalize()


def review_record(session: Session, revision: Revision) -> dict[str, list[dict[str, Any]] | None]:
    """``history``: the events of this revision; ``reviews``: the decisions taken on it. Both
    None when the app keeps no audit trail."""
    audit = _module("aia.audit.models")
    accounts = _module("aia.accounts.models")
    event_model = getattr(audit, "AuditEvent", None) if audit else None
    if event_model is None:
        return {"history": None, "reviews": None}
    events = list(session.scalars(sa.select(event_model)
                                  .where(event_model.revision_id == revision.id)
                                  .order_by(event_model.id)))
    roles: dict[int, str] = {}
    user_model = getattr(accounts, "User", None) if accounts else None
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    if user_model is not None and actor_ids:
        roles = dict(session.execute(sa.select(user_model.id, user_model.role)
                                     .where(user_model.id.in_(actor_ids))).all())
    history, reviews = [], []
    for event in events:
        actor = (ROLE_WORDS.get(roles.get(event.actor_id, ""), "a user")
                 if event.actor_id is not None else "an operator")
        row = {"when": format_dt(event.created_dt), "event": _event_label(event.action),
               "actor": actor, "note": event.reason or ""}
        history.append(row)
        if event.action.partition(".")[2] in DECISIONS:
            reviews.append({"when": row["when"], "reviewer": actor, "decision": row["event"],
                            "comment": row["note"]})
    return {"history": history, "reviews": reviews}
