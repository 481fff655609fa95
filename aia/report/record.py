"""The review and approval record of a revision, as plain dicts for the report.

Read from the audit trail and the users' roles. People appear by role, never by e-mail
address: the report is public.
"""

from __future__ import annotations

from typing import Any, TypedDict

import sqlalchemy as sa

from ..accounts.models import User
from ..assessments.models import Revision
from ..audit.models import EVENT_LABELS, AuditEvent
from ..db import Session
from ..i18n import _l
from ..presentation import STATUS_LABELS, format_dt

DECISIONS = ("approved", "changes_requested", "withdrawn")
ROLE_WORDS = {
    "author": _l("an author"),
    "approver": _l("an approver"),
    "auditor": _l("an auditor"),
    "admin": _l("an administrator"),
}


def _event_label(action: str) -> str:
    subject, _, verb = action.partition(".")
    if subject == "revision" and verb in STATUS_LABELS:
        return str(STATUS_LABELS[verb])
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    return action.replace(".", " ").replace("_", " ").capitalize()


class ReviewRecord(TypedDict):
    """What report_context takes as its ``history`` and ``reviews``."""

    history: list[dict[str, Any]] | None
    reviews: list[dict[str, Any]] | None


def review_record(session: Session, revision: Revision) -> ReviewRecord:
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
            str(ROLE_WORDS.get(roles.get(event.actor_id, ""), _l("a user")))
            if event.actor_id is not None
            else str(_l("an operator"))
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
