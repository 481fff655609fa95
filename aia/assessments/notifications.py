"""Who hears of a revision's moves by mail: its agency's approvers when it is submitted (a
decision awaits them), its authors (who submitted it, who wrote its answers) when it is sent
back, approved, published or withdrawn. Nobody is told of what they did themselves."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import User
from ..accounts.notify import agency_people, notify_all
from ..audit.queries import first_actor_id
from ..db import Session
from .models import Revision, StepSave

# The move (a lifecycle action) -> the kind of mail its authors receive.
TO_AUTHORS = {
    "request_changes": "changes_requested",
    "approve": "revision_approved",
    "publish": "revision_published",
    "withdraw": "revision_withdrawn",
}


def _values(revision: Revision, actor: User | None, reason: str = "") -> dict:
    return {
        "system": revision.system.name,
        "uid": revision.system.uid,
        "number": revision.number,
        "by": actor.name if actor is not None else "",
        "reason": reason,
    }


def authors_of(session: Session, revision: Revision) -> list[User]:
    ids = set(
        session.scalars(
            sa.select(StepSave.user_id).where(
                StepSave.revision_id == revision.id, StepSave.user_id.is_not(None)
            )
        )
    )
    submitter = first_actor_id(session, "revision.submitted", revision.id)
    if submitter is not None:
        ids.add(submitter)
    if not ids:
        return []
    return list(session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.id)))


def submitted(session: Session, revision: Revision, actor: User | None) -> None:
    approvers = agency_people(session, revision.system.agency_id, ("approver",))
    notify_all(session, approvers, "revision_submitted", _values(revision, actor), besides=actor)


def moved(session: Session, revision: Revision, action: str, actor: User | None, reason: str = "") -> None:
    kind = TO_AUTHORS.get(action)
    if kind is not None:
        notify_all(
            session, authors_of(session, revision), kind, _values(revision, actor, reason), besides=actor
        )
