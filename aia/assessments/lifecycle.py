"""The states of a submitted revision and who may move it from one to the next.

submitted -> approved -> published -> superseded (by a later published revision) | withdrawn
submitted | approved -> changes_requested (a new draft then becomes the next revision)

Each move is a compare-and-set on the status and an audit event with who, when and why. The
caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from ..accounts.access import may
from ..accounts.models import User
from ..audit.queries import first_actor_id
from ..db import Session
from ..i18n import _, _l
from ..presentation import STATUS_LABELS, check_outcome
from . import notifications
from .events import record_event
from .models import Revision
from .services import writer_ids

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    action: str  # also the permission needed (see accounts.access)
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition("request_changes", ("submitted", "approved"), "changes_requested", needs_reason=True),
        Transition("approve", ("submitted",), "approved"),
        Transition("publish", ("approved",), "published"),
        Transition("withdraw", ("published",), "withdrawn", needs_reason=True),
    )
}
# request_changes is a reviewer's decision: approvers and auditors alike.
PERMISSION = {"request_changes": "review"}
PAST = {
    "request_changes": _l("sent back for changes"),
    "approve": _l("approved"),
    "publish": _l("published"),
    "withdraw": _l("withdrawn"),
}


class TransitionRefused(Exception):
    """The move is not possible now; the message says why, for the person who tried."""


class NotPermitted(TransitionRefused):
    """The person's role does not allow this move."""


def allowed_actions(session: Session, user: User, revision: Revision) -> list[str]:
    """The moves this person may make on this revision now."""
    return [
        action
        for action, t in TRANSITIONS.items()
        if revision.status in t.sources
        and may(user, PERMISSION.get(action, action), revision.system)
        and not (action == "approve" and approval_refusal(session, user, revision))
        and not (action == "publish" and publication_refusal(revision))
    ]


def publication_refusal(revision: Revision) -> str | None:
    """Why this revision never goes on the public register, if it does not: a check that
    leads to another questionnaire (the threshold check) gives no impact level and no risk
    rating. It says whether the full assessment is needed; that assessment is what the register
    publishes. A check may still be approved: the approver then confirms its outcome."""
    if check_outcome(revision) is not None:
        return _(
            "A threshold check is not published: it gives no impact level, only whether the full "
            "impact assessment is needed. The register publishes that assessment once it is approved."
        )
    return None


def approval_refusal(session: Session, user: User, revision: Revision) -> str | None:
    """Why this person may not approve this revision under the four-eyes rule, if they may
    not: they submitted it, or wrote any of its answers (see models.StepSave)."""
    if first_actor_id(session, "revision.submitted", revision.id) == user.id:
        return _("A revision must be approved by someone other than the person who submitted it.")
    if user.id in writer_ids(session, revision.id):
        return _("You wrote answers of this revision: it must be approved by someone who wrote none of them.")
    return None


def change_status(
    session: Session,
    actor: User,
    revision: Revision,
    action: str,
    reason: str = "",
    details: dict | None = None,
) -> Revision:
    transition = TRANSITIONS[action]
    if not may(actor, PERMISSION.get(action, action), revision.system):
        raise NotPermitted(_("Your role does not allow this."))
    if revision.status not in transition.sources:
        raise TransitionRefused(
            _(
                "Revision %(number)s is %(status)s: it cannot be %(done)s now.",
                number=revision.number,
                status=STATUS_LABELS[revision.status].lower(),
                done=PAST[action],
            )
        )
    if transition.needs_reason and not reason.strip():
        raise TransitionRefused(_("Say why: the reason is kept in the audit trail."))
    refusal = approval_refusal(session, actor, revision) if action == "approve" else None
    if action == "publish":
        refusal = publication_refusal(revision)
    if refusal:
        raise TransitionRefused(refusal)
    _set_status(session, actor, revision, transition.target, action, reason, details)
    return revision


def _set_status(
    session: Session,
    actor: User | None,
    revision: Revision,
    target: str,
    action: str,
    reason: str = "",
    details: dict | None = None,
) -> None:
    source = revision.status
    # Compare-and-set: of two people deciding at once, the second finds the state moved on.
    result = session.execute(
        sa.update(Revision)
        .where(Revision.id == revision.id, Revision.status == source)
        .values(status=target)
        .execution_options(synchronize_session=False)
    )
    if cast(sa.CursorResult[Any], result).rowcount != 1:
        session.refresh(revision)
        raise TransitionRefused(
            _(
                "Someone else changed revision %(number)s meanwhile: it is now %(status)s.",
                number=revision.number,
                status=STATUS_LABELS[revision.status].lower(),
            )
        )
    session.refresh(revision)
    record_event(
        session,
        f"revision.{target}",
        actor,
        revision=revision,
        reason=reason,
        details={"from": source, "to": target, **(details or {})},
    )
    notifications.moved(session, revision, action, actor, reason)
    log.info("revision %s of %s: %s -> %s (%s)", revision.number, revision.system.uid, source, target, action)


def lock(session: Session, revision: Revision) -> Revision:
    """Hold the revision's row until the transaction ends and read its state afresh: of two
    people publishing at once, the second waits, then finds it published (PostgreSQL locks the
    row; SQLite's writers already take turns, see aia.db)."""
    session.execute(sa.select(Revision.id).where(Revision.id == revision.id).with_for_update())
    session.refresh(revision)
    return revision


def supersede(session: Session, actor: User, revision: Revision, by_number: int) -> None:
    """A published revision gives way to a later one of the same system (see publishing)."""
    _set_status(session, actor, revision, "superseded", "supersede", details={"by_revision": by_number})
