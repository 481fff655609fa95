"""The page after Submit: what happens next and what the author can do meanwhile. It has its
own address, so that a reload shows it again (and says where the revision stands by then)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from ..accounts.access import may, viewer
from ..accounts.models import User
from ..accounts.queries import approvers_of
from ..audit.models import AuditEvent
from ..db import Session
from ..extensions import db
from . import bp, queries
from .models import Revision
from .routes import _system


def submitted_by(session: Session, revision: Revision) -> User | None:
    """Who submitted the revision, as the audit trail records it."""
    actor_id = session.scalar(
        sa.select(AuditEvent.actor_id).where(
            AuditEvent.revision_id == revision.id, AuditEvent.action == "revision.submitted"
        )
    )
    return session.get(User, actor_id) if actor_id is not None else None


@bp.route("/systems/<uid>/revisions/<int:number>/submitted")
def submitted(uid: str, number: int):
    system = _system(uid)
    revision = queries.revision_or_404(db.session, system, number)
    submitter = submitted_by(db.session, revision)
    # An approver who submitted a revision does not approve it: someone else of the agency does.
    approvers = [
        a for a in approvers_of(db.session, system.agency_id) if submitter is None or a.id != submitter.id
    ]
    user = viewer()
    return render_template(
        "assessments/submitted.html",
        system=system,
        revision=revision,
        approvers=approvers,
        by_me=submitter is not None and submitter.id == user.id,
        submitter=submitter,
        may_edit=may(user, "edit", system),
    )
