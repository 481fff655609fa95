"""The read side of accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from ..db import Session
from .models import Agency, User


def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(sa.select(Agency).order_by(Agency.name)))


def users(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).options(selectinload(User.agency)).order_by(User.email)))


def user_or_404(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def approvers_of(session: Session, agency_id: int) -> list[User]:
    """The agency's approvers whose accounts are enabled: who decides on its revisions."""
    return list(
        session.scalars(
            sa.select(User)
            .where(User.agency_id == agency_id, User.role == "approver", User.active.is_(True))
            .order_by(User.name)
        )
    )
