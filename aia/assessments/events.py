"""Audit events about systems and revisions: the trail itself knows only ids."""

from __future__ import annotations

from typing import Any

from ..audit.models import AuditEvent
from ..audit.services import Actor, record
from ..db import Session
from .models import Revision, System


def record_event(
    session: Session,
    action: str,
    actor: Actor | None,
    *,
    system: System | None = None,
    revision: Revision | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event about a system or one of its revisions, with the agency it belongs to."""
    system = system or (revision.system if revision is not None else None)
    return record(
        session,
        action,
        actor,
        reason=reason,
        agency_id=system.agency_id if system is not None else None,
        system_id=system.id if system is not None else None,
        revision_id=revision.id if revision is not None else None,
        details=details,
    )
