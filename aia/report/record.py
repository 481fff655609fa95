"""The review and approval record of a revision, as plain dicts for the report.

Read from the audit trail and the users' roles. People appear by role, never by e-mail
address: the report is public.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..accounts.models import User
from ..assessments.models import Revision
from ..audit.models import AuditEvent
from ..db import Session
from ..presentation import STATUS_LABELS, format_dt

DECISIONS = ("approved", "changes_requested", "withdrawn")
ROLE_WORDS = {
    "author": "an author",
    "approver": "an approver",
    "auditor": "an auditor",
    "admin": "an administrator",
}


def _event_label(action: str) -> str:
    subject, _, verb = action.partition(".")
    if subject == "revision" and verb in STATUS_LABELS:
        return STATUS_LABELS[verb]
    return action.replace(".", " ").replace("_", " ").capitalize()


def review_record(session: Session, revision: Revision) -> dict[str, list[dict[str, Any]] | None]:
    """``history``: the events of this revision; ``reviews``: the decisions taken on it."""
    events = list(
        session.scalars(
            sa.select(AuditEvent).where(AuditEvent.revision_id == revision.id).order_by(AuditEvent.id)
        )
    )
    roles: dict[int, str] = {}
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    if actor_ids:
        roles = dict(session.execute(sa.select(User.id, User.role).where(User.id.in_(actor_ids))).all())
    history, reviews = [], []
    for event in events:
        actor = (
            ROLE_WORDS.get(roles.get(event.actor_id, ""), "a user")
            if event.actor_id is not None
            else "an operator"
        )
        row = {
            "when": format_dt(event.created_dt),
            "event": _event_label(event.action),
            "actor": actor,
            "note": event.reason or "",
        }
        history.append(row)
        if event.action.partition(".")[2] in DECISIONS:
            reviews.append(
                {"when": row["when"], "reviewer": actor, "decision": row["event"], "comment": row["note"]}
            )
    return {"history": history, "reviews": reviews}
