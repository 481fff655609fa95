"""Publishing an approved revision and withdrawing a published one. Each step writes in the
caller's transaction; the request boundary commits."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from ..accounts.access import may
from ..accounts.models import User
from ..assessments import lifecycle
from ..assessments.models import ONCE_PUBLISHED, Revision
from ..assessments.services import lock_system
from ..audit.queries import chain_head
from ..db import Session
from ..engine import Registry
from ..extensions import questionnaires
from ..i18n import _
from ..presentation import STATUS_LABELS
from ..register.services import current_entry, record_publication, record_withdrawal
from ..report.store import publish_pdf

log = logging.getLogger(__name__)


def publish(
    session: Session, actor: User, revision: Revision, reason: str = "", *, registry: Registry | None = None
) -> Revision:
    """Publish an approved revision: render its PDF once and store it, mark the system's
    earlier published revision superseded, and put it on the public register."""
    if not may(actor, "publish", revision.system):
        raise lifecycle.NotPermitted(_("Your role does not allow this."))
    lock_system(session, revision.system)
    lifecycle.lock(session, revision)
    if revision.status != "approved":
        raise lifecycle.TransitionRefused(
            _(
                "Revision %(number)s is %(status)s: only an approved revision can be published.",
                number=revision.number,
                status=STATUS_LABELS[revision.status].lower(),
            )
        )
    newer = session.scalar(
        sa.select(sa.func.max(Revision.number)).where(
            Revision.system_id == revision.system_id,
            Revision.number > revision.number,
            Revision.status.in_(ONCE_PUBLISHED),
        )
    )
    if newer is not None:
        # The database refuses it too (db_rules: revision_publication_order).
        raise lifecycle.TransitionRefused(
            _(
                "Revision %(newer)s was published after revision %(number)s was approved: an "
                "older revision cannot replace it on the register.",
                newer=newer,
                number=revision.number,
            )
        )
    # The head of the audit trail, printed in the report and on the register entry.
    anchor = chain_head(session)
    pdf_sha256 = publish_pdf(session, revision, anchor)
    earlier = session.scalars(
        sa.select(Revision).where(
            Revision.system_id == revision.system_id,
            Revision.status == "published",
            Revision.id != revision.id,
        )
    )
    for previous in list(earlier):
        lifecycle.supersede(session, actor, previous, revision.number)
    definition = (registry or questionnaires(session)).get(
        revision.questionnaire_key, revision.questionnaire_version
    )
    entry = record_publication(session, revision, definition, anchor=anchor)
    # The event names the entry's seal: rewriting the entry then means rewriting the trail.
    lifecycle.change_status(
        session,
        actor,
        revision,
        "publish",
        reason,
        {
            "pdf_sha256": pdf_sha256,
            "register_seal": entry.seal_sha256,
            "anchor": anchor.text if anchor else None,
        },
    )
    log.info("revision %s of %s published", revision.number, revision.system.uid)
    return revision


def withdraw(session: Session, actor: User, revision: Revision, reason: str) -> Revision:
    """Withdraw a published revision; its register entry stays visible, marked withdrawn with
    the reason."""
    lifecycle.change_status(session, actor, revision, "withdraw", reason)
    entry = current_entry(session, revision.system_id)
    if entry is not None and entry.revision_id == revision.id:
        record_withdrawal(session, revision.system, reason)
    return revision
