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
from ..report.store import PreparedReports, publish_reports, reuse_prepared

log = logging.getLogger(__name__)


def publish(
    session: Session,
    actor: User,
    revision: Revision,
    reason: str = "",
    *,
    registry: Registry | None = None,
    prepared: PreparedReports | None = None,
) -> Revision:
    """Publish an approved revision: render its PDF once in each of its questionnaire's
    languages and store them, mark the system's earlier published revision superseded, and
    put it on the public register with every copy's hash, the audit trail's head at
    publication (printed in each copy too) and the entry's seal.

    ``prepared``: the copies prepare_reports rendered before this transaction began. They are
    used when they are still exactly what this publication would render, with the trail's head
    they were rendered with as the anchor (an earlier head is as good an anchor: the events
    after it stay unanchored until the next publication); otherwise everything is rendered
    again here, with the head as this transaction sees it."""
    check_publishable(session, actor, revision)
    files = reuse_prepared(session, revision, prepared)
    if files is not None and prepared is not None:
        anchor = prepared.anchor
    else:
        anchor = chain_head(session)
        files = publish_reports(session, revision, anchor)
    reports = [{"language": f.language, "sha256": f.sha256} for f in files]
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
    entry = record_publication(session, revision, definition, reports=reports, anchor=anchor)
    # The event names the entry's seal: rewriting the entry then means rewriting the trail.
    details = {
        "pdf_sha256": revision.pdf_sha256,
        "reports": reports,
        "register_seal": entry.seal_sha256,
        "anchor": anchor.text if anchor else None,
    }
    lifecycle.change_status(session, actor, revision, "publish", reason, details)
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


def check_publishable(session: Session, actor: User, revision: Revision) -> None:
    """Refuse, saying why, unless ``actor`` may publish ``revision`` now (locks it)."""
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
    refusal = lifecycle.publication_refusal(revision)
    if refusal:
        raise lifecycle.TransitionRefused(refusal)
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
