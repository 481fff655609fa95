"""The read side of assessments. Every lookup takes the viewer: a system of an agency they may
not see is not found (404)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.access import visible_to
from ..accounts.models import User
from ..db import Session
from .models import Revision, System


def visible_system(session: Session, uid: str, viewer: User) -> System | None:
    """The system of that uid, if ``viewer`` may see it, with its draft (which its pages
    read) in the same statement."""
    return session.scalar(
        sa.select(System)
        .where(System.uid == uid, visible_to(viewer, System.agency_id))
        .options(joinedload(System.draft))
    )


def system_or_404(session: Session, uid: str, viewer: User) -> System:
    system = visible_system(session, uid, viewer)
    if system is None:
        abort(404)
    return system


def revision_or_404(session: Session, system: System, number: int) -> Revision:
    revision = session.scalar(
        sa.select(Revision).where(Revision.system_id == system.id, Revision.number == number)
    )
    if revision is None:
        abort(404)
    return revision


def systems_overview(session: Session, viewer: User) -> list[System]:
    return list(
        session.scalars(
            sa.select(System)
            .where(visible_to(viewer, System.agency_id))
            .options(selectinload(System.draft), selectinload(System.revisions), selectinload(System.agency))
            .order_by(System.created_dt.desc(), System.id.desc())
        )
    )
