"""Publishing an approved revision and withdrawing a published one. Each step writes in the
caller's transaction; the request boundary commits."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from ..accounts.access import may
from ..accounts.models import User
from ..assessments import lifecycle
from ..assessments.models import Revision
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
    check_publishable(session, actor, revision)
    pdf_sha256 = publish_pdf(session, revision)
    earlier = session.scalars(
        sa.select(Revision).where(
            Revision.system_id == revision.system_id,
            Revision.status == "published",
            Revision.id != revision.id,
        )
    )
    for previous in list(earlier):
        lifecycle.supersede(session, actor, previous, revision.number)
    lifecycle.change_status(session, actor, revision, "publish", reason, {"pdf_sha256": pdf_sha256})
    definition = (registry or questionnaires(session)).get(
        revision.questionnaire_key, revision.questionnaire_version
    )
    record_publication(session, revision, definition)
    log.info("revision %s of %s published", revision.number, revision.system.uid)
    return revision


def check_publishable(session: Session, actor: User, revision: Revision) -> None:
    """Refuse, saying why, unless ``actor`` may publish ``revision`` now (locks it)."""
    if not may(actor, "publish", revision.system):
        raise lifecycle.NotPermitted(_("Your role does not allow this."))
    lifecycle.lock(session, revision)
    if revision.status != "approved":
        raise lifecycle.TransitionRefused(
            _(
                "Revision %(number)s is %(status)s: only an approved revision can be published.",
                number=revision.number,
                status=STATUS_LABELS[revision.status].lower(),
            )
        )


def withdraw(session: Session, actor: User, revision: Revision, reason: str) -> Revision:
    """Withdraw a published revision; its register entry stays visible, marked withdrawn with
    the reason."""
    lifecycle.change_status(session, actor, revision, "withdraw", reason)
    entry = current_entry(session, revision.system_id)
    if entry is not None and entry.revision_id == revision.id:
        record_withdrawal(session, revision.system, reason)
    return revision
