"""The read side of assessments."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import Agency
from .models import Revision, System


def system_or_404(session: Session, uid: str) -> System:
    system = session.scalar(sa.select(System).where(System.uid == uid))
    if system is None:
        abort(404)
    return system


def revision_or_404(session: Session, system: System, number: int) -> Revision:
    revision = session.scalar(sa.select(Revision).where(Revision.system_id == system.id,
                                                        Revision.number == number))
    if revision is None:
        abort(404)
    return revision


def systems_overview(session: Session) -> list[System]:
    return list(session.scalars(
        sa.select(System).options(selectinload(System.draft), selectinload(System.revisions),
                                  selectinload(System.agency))
        .order_by(System.created_dt.desc(), System.id.desc())))


def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(sa.select(Agency).order_by(Agency.name)))
