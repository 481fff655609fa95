"""The write side of the agency's message queue: answer or close a message, with its audit
event. Each function flushes; the request boundary commits."""

from __future__ import annotations

import logging

from ..accounts.models import User
from ..assessments.events import record_event
from ..assessments.models import System
from ..db import Session, now_utc
from ..i18n import DEFAULT_LANGUAGE, _
from ..mail import services as mail
from ..register.models import Feedback
from ..register.services import MAX_FEEDBACK, RegisterError

log = logging.getLogger(__name__)


def handle_feedback(
    session: Session, actor: User | None, feedback: Feedback, answer: str | None, publish: bool = False
) -> Feedback:
    """Answer the message (shown as answered; with ``publish``, the message and the answer are
    shown on the public entry), or close it without an answer."""
    if feedback.state != "open":
        raise RegisterError(_("This message has already been handled."))
    answer = (answer or "").strip() or None
    if answer is not None and len(answer) > MAX_FEEDBACK:
        raise RegisterError(_("Keep the answer under %(num)d characters.", num=MAX_FEEDBACK))
    feedback.answer = answer
    feedback.answer_published = bool(publish and answer)
    feedback.state = "answered" if answer else "closed"
    feedback.handled_dt = now_utc()
    session.flush()
    record_event(
        session,
        f"feedback.{feedback.state}",
        actor,
        system=session.get(System, feedback.system_id),
        details={"feedback": feedback.id, "kind": feedback.kind, "published": feedback.answer_published},
    )
    if answer is not None and feedback.reply_to:
        system = session.get(System, feedback.system_id)
        mail.queue(
            session,
            "feedback_answered",
            feedback.reply_to,
            feedback.language or DEFAULT_LANGUAGE,
            {
                "system": system.name if system else "",
                "agency": system.agency.name if system and system.agency else "",
                "answer": answer,
                "message": feedback.message,
            },
        )
    log.info("message %s %s", feedback.id, feedback.state)
    return feedback
