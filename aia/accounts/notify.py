"""Mail to the people of the app, in their language and as they chose: mail about one's own
account always goes; mail about the work only to those who keep notifications on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from ..db import Session
from ..i18n import DEFAULT_LANGUAGE
from ..mail import services as mail
from ..mail.kinds import ACCOUNT_KINDS
from .models import User


def notify(session: Session, user: User, kind: str, values: dict[str, Any]) -> bool:
    """Queue mail of ``kind`` to ``user``; False when they do not receive it."""
    if not user.active or (kind not in ACCOUNT_KINDS and not user.mail_notifications):
        return False
    mail.queue(session, kind, user.email, user.language or DEFAULT_LANGUAGE, {"name": user.name, **values})
    return True


def notify_all(
    session: Session, users: Iterable[User], kind: str, values: dict[str, Any], *, besides: User | None = None
) -> int:
    """``notify`` each person once, except ``besides`` (who did the thing they would hear of)."""
    sent, seen = 0, set()
    for user in users:
        if user.id in seen or (besides is not None and user.id == besides.id):
            continue
        seen.add(user.id)
        sent += notify(session, user, kind, values)
    return sent


def agency_people(session: Session, agency_id: int, roles: tuple[str, ...]) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .where(User.agency_id == agency_id, User.role.in_(roles), User.active)
            .order_by(User.id)
        )
    )
