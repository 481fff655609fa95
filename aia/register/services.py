"""The write side of the register: publication, withdrawal, feedback. Each function flushes;
the caller commits (inside the same transaction as the lifecycle change it follows)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..accounts.notify import agency_people, notify_all
from ..assessments.models import Revision, System
from ..audit.queries import Anchor
from ..db import Session, now_utc
from ..engine import Definition, content_hash
from ..engine.definition import answer_text
from .models import Feedback, RegisterEntry

log = logging.getLogger(__name__)

MAX_FEEDBACK = 5000
MAX_REPLY_TO = 254


class RegisterError(ValueError):
    """A register action that cannot be done, with a message for the person who tried."""


def _role_text(definition: Definition | None, role: str, answers: dict[str, Any]) -> str | None:
    """The answer to the question the questionnaire declares for ``role``, as text."""
    return (definition.text_for(role, answers) or None) if definition else None


# The roles whose answers the entry shows about the system itself, as the UK and Dutch
# registers do: its stage, when it went live, who built it, on what legal basis, and when its
# assessment is next reviewed.
ABOUT_ROLES = ("stage", "go_live", "built_by", "legal_basis", "next_review")


def about(definition: Definition | None, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The ABOUT_ROLES the questionnaire declares and the revision answers: the answer as
    stored (``value``) and as a reader sees it (``text``, in the questionnaire's language)."""
    found: dict[str, dict[str, Any]] = {}
    for role in ABOUT_ROLES if definition else ():
        assert definition is not None
        keys = definition.roles.questions.get(role, ())
        if keys and (text := answer_text(definition.questions[keys[0]], answers)):
            found[role] = {"value": answers.get(keys[0]), "text": text}
    return found


def commitments(definition: Definition | None, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The charter commitments the questionnaire asks about, as the revision answers them."""
    if definition is None:
        return []
    return [
        {
            "title": str(c.title),
            "status": answers.get(c.status),
            "status_text": answer_text(definition.questions[c.status], answers) or None,
            "evidence": answer_text(definition.questions[c.evidence], answers) or None,
        }
        for c in definition.commitments
    ]


def entry_details(revision: Revision, definition: Definition | None) -> dict[str, Any]:
    """The parts of a published revision the public sees, as plain JSON-ready data. The
    answers themselves are not copied: they stay on the revision and in its published PDF."""
    scores = revision.scores
    answers = revision.answers
    return {
        "about": about(definition, answers),
        "commitments": commitments(definition, answers),
        "decision": _role_text(definition, "decision", answers),
        "summary": _role_text(definition, "purpose", answers),
        "contact": _role_text(definition, "contact_point", answers),
        "impact_level_name": scores.get("impact_level_name"),
        "obligations": scores.get("obligations", []),
        "flags": [{"key": f["key"], "label": f["label"]} for f in scores.get("flags", [])],
        "final_score": scores.get("final_score"),
        "max_score": scores.get("risk", {}).get("max"),
        # how the level was reached, for an entry whose level and risk rating seem to disagree
        "risk_points": scores.get("risk", {}).get("points"),
        "mitigation": {
            k: scores.get("mitigation", {}).get(k) for k in ("points", "max", "threshold_pct", "strong")
        },
        "reduction_pct": scores.get("reduction_pct", 0),
        "questionnaire": {
            "key": revision.questionnaire_key,
            "version": revision.questionnaire_version,
            "title": definition.title if definition else revision.questionnaire_key,
        },
        "revision_sha256": revision.sha256,
        "submitted_dt": revision.submitted_dt.isoformat(),
        # a fundamental rights impact assessment: whether it was required, and its rating
        **(
            {
                "fria": {
                    k: scores["fria"]["applicability"]["outcome"] if k == "outcome" else scores["fria"][k]
                    for k in ("outcome", "rating")
                }
            }
            if scores.get("method") == "eu-fria" and isinstance(scores.get("fria"), dict)
            else {}
        ),
    }


def search_text(*parts: str | None) -> str:
    return " ".join(p for p in parts if p).casefold()


def record_publication(
    session: Session,
    revision: Revision,
    definition: Definition | None,
    published_dt=None,
    *,
    reports: list[dict[str, str]] | None = None,
    anchor: Anchor | None = None,
) -> RegisterEntry:
    """Put a just-published revision on the register, with the audit trail's head at
    publication (``anchor``) and its seal; the system's previous current entry, if any,
    becomes superseded. ``reports`` are its stored PDFs (``language``, ``sha256``), the
    reference copy (the revision's ``pdf_sha256``) first; the entry keeps them."""
    published_dt = published_dt or now_utc()
    system = revision.system
    previous = current_entry(session, system.id)
    if previous is not None:
        previous.state = "superseded"
        previous.ended_dt = published_dt
    details = entry_details(revision, definition)
    if reports:
        details["reports"] = [{"language": r["language"], "sha256": r["sha256"]} for r in reports]
    # The name the revision gave in its questionnaire's name question, where it has one.
    name = (_role_text(definition, "system_name", revision.answers) or system.name).strip()[:200]
    entry = RegisterEntry(
        revision_id=revision.id,
        system_id=system.id,
        agency_id=system.agency_id,
        system_uid=system.uid,
        revision_uid=revision.uid,
        revision_number=revision.number,
        name=name,
        name_sort=name.casefold()[:200],
        agency_slug=system.agency.slug,
        agency_name=system.agency.name,
        description=system.description or "",
        impact_level=revision.impact_level,
        charter_rating=revision.charter_rating,
        search_text=search_text(
            name, system.agency.name, system.description, details["decision"], details["summary"]
        ),
        state="current",
        published_dt=published_dt,
        pdf_sha256=revision.pdf_sha256,
        details=details,
        anchor_event_id=anchor.event_id if anchor else None,
        anchor_hash=anchor.hash if anchor else None,
    )
    entry.seal_sha256 = content_hash(entry.sealed_document())
    session.add(entry)
    session.flush()
    log.info("register entry for %s revision %s published", system.uid, revision.number)
    return entry


def record_withdrawal(session: Session, system: System, reason: str, withdrawn_dt=None) -> RegisterEntry:
    """Mark the system's current entry withdrawn; it stays visible, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError("Say why the entry is withdrawn: the public sees the reason.")
    entry = current_entry(session, system.id)
    if entry is None:
        raise RegisterError("This system has no current register entry to withdraw.")
    entry.state = "withdrawn"
    entry.ended_dt = withdrawn_dt or now_utc()
    entry.withdrawal_reason = reason
    session.flush()
    log.info("register entry for %s withdrawn", system.uid)
    return entry


def current_entry(session: Session, system_id: int) -> RegisterEntry | None:
    return session.scalar(
        sa.select(RegisterEntry).where(RegisterEntry.system_id == system_id, RegisterEntry.state == "current")
    )


# Letters and digits that read back without doubt (no 0/O, 1/I/L, 5/S, 8/B): a reference a
# person can read out on the phone.
REFERENCE_ALPHABET = "2346789ACDEFGHJKMNPQRTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference(session: Session) -> str:
    """A reference no message has yet, like ``MSG-7KQ3-M9XA``."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"MSG-{code[:4]}-{code[4:]}"
        if session.scalar(sa.select(Feedback.id).where(Feedback.reference == reference)) is None:
            return reference


def sending_key(sender: str, system_uid: str, kind: str, message: str, reply_to: str | None) -> str:
    """What makes two sends the same message: the same browser (``sender``, a random value
    its session keeps), about the same system, with the same words. A double click, a
    reload, or back and send again all give the same key; the form needs no token that a
    browser going back might not keep."""
    parts = [sender, system_uid, kind, (message or "").strip(), (reply_to or "").strip().casefold()]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def feedback_by_token(session: Session, form_token: str | None) -> Feedback | None:
    if not form_token:
        return None
    return session.scalar(sa.select(Feedback).where(Feedback.form_token == form_token))


def feedback_by_reference(session: Session, entry: RegisterEntry, reference: str) -> Feedback | None:
    return session.scalar(
        sa.select(Feedback).where(Feedback.reference == reference, Feedback.system_id == entry.system_id)
    )


def submit_feedback(
    session: Session,
    entry: RegisterEntry,
    kind: str,
    message: str,
    reply_to: str | None,
    form_token: str | None = None,
    language: str | None = None,
) -> Feedback:
    """Receive a message about ``entry``. A ``form_token`` already received (see
    sending_key) returns the message it brought, and nothing new is stored: a message sent
    twice is one message."""
    already = feedback_by_token(session, form_token)
    if already is not None:
        return already
    message = (message or "").strip()
    if kind not in ("question", "complaint"):
        raise RegisterError("Choose whether this is a question or a complaint.")
    if not message:
        raise RegisterError("Write your question or complaint.")
    if len(message) > MAX_FEEDBACK:
        raise RegisterError(f"Keep the message under {MAX_FEEDBACK} characters.")
    feedback = Feedback(
        system_id=entry.system_id,
        agency_id=entry.agency_id,
        kind=kind,
        message=message,
        reply_to=(reply_to or "").strip()[:MAX_REPLY_TO] or None,
        reference=new_reference(session),
        form_token=form_token or None,
        language=language,
    )
    try:
        with session.begin_nested():  # the same form sent at the same moment by a double click
            session.add(feedback)
            session.flush()
    except IntegrityError:
        already = feedback_by_token(session, form_token)
        if already is None:
            raise
        return already
    # The agency's staff hear of it (the sender's address is in the queue, not in the mail).
    staff = agency_people(session, entry.agency_id, ("author", "approver"))
    notify_all(session, staff, "feedback_received", {"system": entry.name, "kind": kind, "message": message})
    log.info("feedback %s received for %s", feedback.id, entry.system_uid)
    return feedback


def feedback_counts(session: Session, system_id: int) -> dict[str, int]:
    rows = session.execute(
        sa.select(Feedback.state, sa.func.count())
        .where(Feedback.system_id == system_id)
        .group_by(Feedback.state)
    )
    counts = dict(rows.all())
    return {
        "received": sum(counts.values()),
        "answered": counts.get("answered", 0),
        "closed": counts.get("closed", 0),
        "open": counts.get("open", 0),
    }
