"""Who may do what, and to which agency's systems.

An object a person may not see answers 404, whatever they try to do with it; an object they
may see but an action their role does not allow answers 403.
"""

from __future__ import annotations

from typing import Protocol

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy import orm

from .models import User


class AgencyOwned(Protocol):
    """Anything that belongs to one agency (a system, a message from the public, ...)."""

    agency_id: int


# action -> the roles that may do it (to a system of their agency, or of any for an auditor).
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"author", "approver", "auditor"}),
    "edit": frozenset({"author", "approver"}),  # create systems, write drafts, submit
    "review": frozenset({"approver", "auditor"}),  # comment, request changes
    "approve": frozenset({"approver"}),
    "publish": frozenset({"approver"}),
    "withdraw": frozenset({"approver"}),
    "manage_accounts": frozenset({"admin"}),
}
READS_EVERY_AGENCY = frozenset({"auditor"})


def sees_agency(user: User, agency_id: int) -> bool:
    if user.role in READS_EVERY_AGENCY:
        return True
    return user.role in PERMISSIONS["read"] and user.agency_id == agency_id


def visible_to(user: User, agency_id: orm.QueryableAttribute[int]) -> sa.ColumnElement[bool]:
    """A WHERE clause on a table's agency column: the rows of the agencies this person may
    see (``visible_to(user, System.agency_id)``)."""
    if user.role in READS_EVERY_AGENCY:
        return sa.true()
    if user.role in PERMISSIONS["read"] and user.agency_id is not None:
        return agency_id == user.agency_id
    return sa.false()


def may(user: User, action: str, system: AgencyOwned | None = None) -> bool:
    if user.role not in PERMISSIONS[action]:
        return False
    return system is None or sees_agency(user, system.agency_id)


def viewer() -> User:
    """The signed-in person (every non-public view has one: see sessions.require_session)."""
    return current_user._get_current_object()


def require(action: str, system: AgencyOwned | None = None) -> User:
    """The signed-in person, if they may do ``action`` (to ``system``); else 404 or 403."""
    user = viewer()
    if system is not None and not sees_agency(user, system.agency_id):
        abort(404)
    if not may(user, action, system):
        abort(403)
    return user
