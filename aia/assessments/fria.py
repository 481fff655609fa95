"""What a revision of the fundamental rights impact assessment (questionnaire eu-fria) gives the
outside world: the notification to the market surveillance authority (Article 27(3)) with the
date it was sent, and the EU database registration of a public deployer (Annex VIII, section C).
Both are plain JSON documents built from the revision (its answers and stored scores), each
described by a JSON Schema of our own in docs/; the date of the notification is an audit event
beside the revision, which stays as it was submitted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..audit.models import AuditEvent
from ..audit.services import Actor
from ..db import Session
from ..engine import Definition
from ..engine.group import Group
from ..engine.scoring_fria import METHOD
from .events import record_event
from .models import Revision

NOTIFIED = "fria.notified"
SCHEMA_VERSION = 1
ELEMENTS = (  # (document key, step key) of the six elements of Article 27(1)
    ("a_processes", "processes"),
    ("b_period_and_frequency", "period"),
    ("c_people_affected", "affected"),
    ("d_risks_of_harm", "risks"),
    ("e_human_oversight", "oversight"),
    ("f_when_a_risk_materialises", "response"),
)


def is_fria(revision: Revision) -> bool:
    return revision.scores.get("method") == METHOD


def registers(revision: Revision) -> bool:
    """Whether the deployer registers its use in the EU database (a body governed by public
    law: Article 49(3))."""
    duties = {d["key"]: d["status"] for d in revision.scores.get("fria", {}).get("duties", [])}
    return duties.get("registration", "not_applicable") != "not_applicable"


def notified_on(session: Session, revision: Revision) -> dt.date | None:
    """The date the notification was sent, as last recorded (None: not recorded)."""
    details = session.scalars(
        sa.select(AuditEvent.details)
        .where(AuditEvent.revision_id == revision.id, AuditEvent.action == NOTIFIED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    sent = (details or {}).get("sent_on")
    return dt.date.fromisoformat(sent) if isinstance(sent, str) else None


def record_notified(session: Session, revision: Revision, sent_on: dt.date, actor: Actor) -> None:
    """Record the date the notification was sent (an event beside the revision)."""
    record_event(session, NOTIFIED, actor, revision=revision, details={"sent_on": sent_on.isoformat()})
    session.flush()


def _answer(definition: Definition, answers: Mapping[str, Any], key: str) -> Any:
    """A visible answer as a reader sees it: text, a list of rows for a group, None if none."""
    question = definition.questions.get(key)
    value = answers.get(key)
    if question is None or value is None or question.check_value(value) is not None:
        return None
    if isinstance(question, Group):
        return [{cell["key"]: cell["answer"] or None for cell in row} for row in question.rows(value)]
    return question.display(value)


def _step(definition: Definition, answers: Mapping[str, Any], step_key: str) -> dict[str, Any]:
    step = definition.step(step_key)
    return {
        "title": str(step.title),
        "answers": [
            {"question": q.key, "label": str(q.label), "answer": _answer(definition, answers, q.key)}
            for q in step.questions
        ],
    }


def _revision_part(revision: Revision, definition: Definition) -> dict[str, Any]:
    return {
        "system": {"uid": revision.system.uid, "name": revision.system.name},
        "revision": {
            "number": revision.number,
            "sha256": revision.sha256,
            "submitted": revision.submitted_dt.isoformat(),
            "questionnaire": {
                "key": definition.key,
                "version": definition.version,
                "content_hash": definition.content_hash,
            },
        },
    }


def _deployer(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _answer(definition, answers, "deployer_name"),
        "address": _answer(definition, answers, "deployer_address"),
        "contact": _answer(definition, answers, "deployer_contact"),
    }


def notification(session: Session, revision: Revision, definition: Definition) -> dict[str, Any]:
    """The results of the assessment, as the deployer notifies them (Article 27(3))."""
    answers, fria = revision.answers, revision.scores["fria"]
    sent = notified_on(session, revision)
    return {
        "document": "fria-notification",
        "schema_version": SCHEMA_VERSION,
        "legal_basis": "Regulation (EU) 2024/1689, Article 27(3)",
        **_revision_part(revision, definition),
        "deployer": _deployer(definition, answers),
        "applicability": fria["applicability"],
        "elements": {name: _step(definition, answers, step) for name, step in ELEMENTS},
        "risk_register": fria["risks"],
        "rating": fria["rating"],
        "duties": fria["duties"],
        "dpia": {
            "status": answers.get("dpia_status"),
            "reference": _answer(definition, answers, "dpia_reference"),
            "adds": _answer(definition, answers, "dpia_adds"),
        },
        "summary": _answer(definition, answers, "findings_summary"),
        "sent_on": sent.isoformat() if sent else None,
    }


def registration(revision: Revision, definition: Definition) -> dict[str, Any]:
    """What a public deployer registers in the EU database (Article 49(3), Annex VIII section C),
    prefilled from the revision; the two summaries are the agency's own words."""
    answers = revision.answers
    return {
        "document": "eu-database-deployer-registration",
        "schema_version": SCHEMA_VERSION,
        "legal_basis": "Regulation (EU) 2024/1689, Article 49(3) and Annex VIII, section C",
        **_revision_part(revision, definition),
        "deployer": _deployer(definition, answers),
        "submitted_by": _answer(definition, answers, "submitter"),
        "provider_entry_url": _answer(definition, answers, "provider_entry"),
        "fria_summary": _answer(definition, answers, "findings_summary"),
        "dpia_summary": _answer(definition, answers, "dpia_summary"),
    }
