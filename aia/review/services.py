"""Comments and decisions on a submitted revision. The caller commits."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ..accounts.access import may
from ..accounts.models import User
from ..accounts.notify import notify_all
from ..assessments import lifecycle
from ..assessments.events import record_event
from ..assessments.models import Revision
from ..db import Session
from ..i18n import _
from ..presentation import STATUS_LABELS
from . import queries
from .models import Comment, CommentReply, CommentState

log = logging.getLogger(__name__)

DECISIONS = ("approve", "request_changes")


def add_comments(
    session: Session, actor: User, revision: Revision, comments: Mapping[str | None, str]
) -> list[Comment]:
    """Comments keyed by question (None: on the whole revision); blank ones are skipped."""
    if not may(actor, "review", revision.system):
        raise lifecycle.NotPermitted(_("Your role does not allow comments."))
    added = [
        Comment(revision_id=revision.id, question_key=key, author_id=actor.id, body=body.strip())
        for key, body in comments.items()
        if body and body.strip()
    ]
    if not added:
        return []
    session.add_all(added)
    session.flush()
    record_event(
        session,
        "revision.commented",
        actor,
        revision=revision,
        details={
            "comments": [c.id for c in added],
            "questions": sorted(c.question_key for c in added if c.question_key),
        },
    )
    return added


def review(
    session: Session,
    actor: User,
    revision: Revision,
    comments: Mapping[str | None, str],
    decision: str | None,
) -> list[Comment]:
    """Keep the reviewer's comments and, if they decided, move the revision on. A request for
    changes needs a reason: the comment on the whole, or at least one comment on an answer."""
    if decision is not None and decision not in DECISIONS:
        raise lifecycle.TransitionRefused(_("Unknown decision."))
    if decision is not None:  # refuse before writing anything
        _check_decision(session, actor, revision, decision)
    # Comments and decision stand or fall together: if someone else decided meanwhile (the
    # compare-and-set in lifecycle refuses), none of this reviewer's writes are kept; their
    # typing stays in the form on the page.
    with session.begin_nested():
        added = add_comments(session, actor, revision, comments)
        if decision is not None:
            overall = (comments.get(None) or "").strip()
            reason = overall or (f"See the {len(added)} comment(s) on answers." if added else "")
            lifecycle.change_status(
                session, actor, revision, decision, reason, {"comments": [c.id for c in added]}
            )
    return added


def _check_decision(session: Session, actor: User, revision: Revision, decision: str) -> None:
    if decision not in lifecycle.allowed_actions(session, actor, revision):
        if not may(actor, lifecycle.PERMISSION.get(decision, decision), revision.system):
            raise lifecycle.NotPermitted(_("Your role does not allow this decision."))
        refusal = lifecycle.approval_refusal(session, actor, revision) if decision == "approve" else None
        if refusal and revision.status == "submitted":
            raise lifecycle.TransitionRefused(refusal)
        raise lifecycle.TransitionRefused(
            _(
                "Revision %(number)s is %(status)s: that decision is no longer possible.",
                number=revision.number,
                status=STATUS_LABELS[revision.status].lower(),
            )
        )


def may_reply(actor: User, revision: Revision) -> bool:
    """The authors and approvers of the revision's agency, and auditors, answer comments."""
    return may(actor, "edit", revision.system) or may(actor, "review", revision.system)


def may_resolve(actor: User, comment: Comment, revision: Revision) -> bool:
    """Who wrote the comment, and the agency's authors and approvers (those who answer it in
    the next draft), mark it resolved or reopen it."""
    if not may(actor, "read", revision.system):
        return False
    return actor.id == comment.author_id or may(actor, "edit", revision.system)


def reply(session: Session, actor: User, revision: Revision, comment: Comment, body: str) -> CommentReply:
    if not may_reply(actor, revision):
        raise lifecycle.NotPermitted(_("Your role does not allow replies."))
    text = (body or "").strip()
    if not text:
        raise lifecycle.TransitionRefused(_("Write a reply first: it was empty."))
    added = CommentReply(comment_id=comment.id, author_id=actor.id, body=text)
    session.add(added)
    session.flush()
    record_event(
        session,
        "comment.replied",
        actor,
        revision=revision,
        details={"comment": comment.id, "reply": added.id},
    )
    _tell_the_conversation(session, actor, revision, comment, text)
    return added


def _tell_the_conversation(
    session: Session, actor: User, revision: Revision, comment: Comment, text: str
) -> None:
    """Mail the comment's writer and everyone who replied before, except who replies now."""
    earlier = queries.thread(session, comment.id).replies
    people = [comment.author, *(r.author for r in earlier)]
    values = {
        "by": actor.name,
        "system": revision.system.name,
        "uid": revision.system.uid,
        "number": revision.number,
        "comment": comment.body,
        "reply": text,
        "anchor": f"comment-{comment.id}",
    }
    notify_all(session, people, "comment_replied", values, besides=actor)


def set_resolved(
    session: Session, actor: User, revision: Revision, comment: Comment, resolved: bool
) -> CommentState:
    """Mark the comment resolved, or open again; a new row each time, never an edit."""
    if not may_resolve(actor, comment, revision):
        raise lifecycle.NotPermitted(_("Only who wrote the comment, or the system's authors, may do this."))
    current = queries.latest_state(session, comment.id)
    if bool(current and current.resolved) == resolved:
        raise lifecycle.TransitionRefused(
            _("This comment is already resolved.") if resolved else _("This comment is already open.")
        )
    state = CommentState(comment_id=comment.id, actor_id=actor.id, resolved=resolved)
    session.add(state)
    session.flush()
    record_event(
        session,
        "comment.resolved" if resolved else "comment.reopened",
        actor,
        revision=revision,
        details={"comment": comment.id},
    )
    return state
