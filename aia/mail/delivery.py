"""Delivering the outbox: each message is claimed by one worker (a compare-and-set on its
row), put into words in its recipient's language (a text part and an HTML part, user text
escaped), and handed to the SMTP server of ``AIA_MAIL_SERVER``; without one it is written as
a file in ``AIA_MAIL_DIR`` for a developer to read. A failed attempt is kept with its error
and tried again after a wait that doubles each time (``AIA_MAIL_RETRY_SECONDS`` first, an
hour at most), up to ``AIA_MAIL_ATTEMPTS``; then it is marked failed for an administrator. A
message that no attempt could ever send is marked failed at its first: an address that is not
one (``bad@``), and an address or a message the server refuses for good (a 5xx reply to RCPT
or DATA). A refusal of this server's sender or sign-in is a matter of settings, not of the
message: it is tried again, as a server out of reach is. Each failure is kept as a kind
(``failure``, which the outbox words in the reader's language) and the server's own words.

Delivery is at least once: a worker that dies between the server's acceptance and marking the
row sent leaves it to be claimed again once its claim is stale (``CLAIM_SECONDS``)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context, render_template
from flask_babel import force_locale
from sqlalchemy import event, orm

from ..db import Session, now_utc
from ..extensions import db
from ..jobs import EXTENSION as JOBS_EXTENSION
from ..jobs import jobs
from .addresses import address_problem
from .kinds import PERMANENT_FAILURES, SUBJECTS
from .models import OutboxMessage
from .services import PENDING

log = logging.getLogger(__name__)

# A claim older than this is taken to be a worker that died while sending.
CLAIM_SECONDS = 600
# The longest wait between two attempts.
LONGEST_WAIT_SECONDS = 3600
BATCH = 100
# Seconds before a delivery that found the database busy tries again.
BUSY_RETRY_SECONDS = 30.0
# Values no one should read back once the message is sent (the token of a reset link).
SECRET_VALUES = frozenset({"token"})


class Undeliverable(ValueError):
    """A message that no attempt could ever send: its address is not one (the reason is what
    email-validator says of it)."""


def failure_of(error: BaseException) -> str:
    """The kind of failure ``error`` is (a key of kinds.FAILURE_LABELS)."""
    if isinstance(error, Undeliverable):
        return "address"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Every recipient refused (one message has one): for good when every refusal is 5xx.
        codes = [code for code, _reply in error.recipients.values()]
        return "recipient_refused" if codes and all(500 <= c < 600 for c in codes) else "refused_for_now"
    if isinstance(error, smtplib.SMTPDataError):  # the message itself: its content, its size
        return "message_refused" if 500 <= error.smtp_code < 600 else "refused_for_now"
    if isinstance(error, smtplib.SMTPConnectError):
        return "unreachable"
    setup = (
        smtplib.SMTPSenderRefused,
        smtplib.SMTPAuthenticationError,
        smtplib.SMTPHeloError,
        smtplib.SMTPNotSupportedError,
    )
    if isinstance(error, setup):
        return "server_setup"
    if isinstance(error, smtplib.SMTPResponseException):  # another command refused (STARTTLS)
        return "refused_for_now" if 400 <= error.smtp_code < 500 else "server_setup"
    if isinstance(error, OSError):  # refused or lost connections, time-outs, TLS (smtplib's own too)
        return "unreachable"
    return "error"


def _reply(code: int, reply: bytes | str) -> str:
    return f"{code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"


def error_text(error: BaseException) -> str:
    """What the server or the library said, for the administrator (kept, at most 1,000 chars)."""
    if isinstance(error, Undeliverable):
        return str(error)[:1000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        said = "; ".join(_reply(code, reply) for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        said = _reply(error.smtp_code, error.smtp_error)
    else:
        said = str(error)
    return f"{type(error).__name__}: {said}"[:1000]


class MailPolicy(EmailPolicy):
    """The standard policy, except for a subject outside ASCII where no UTF-8 is allowed in
    headers: Python 3.11's folder can put the space between two words outside the encoded
    words it splits them into, where a reader must ignore it (RFC 2047), so the subject read
    back lacks a space. The older ``Header`` encoder keeps every character, spaces included,
    inside whole encoded words and folds between them."""

    def _encodes_subject(self, name: str, value: str) -> bool:
        return name.lower() == "subject" and not self.utf8 and not str(value).isascii()

    def fold(self, name: str, value: str) -> str:
        if not self._encodes_subject(name, value):
            return super().fold(name, value)
        header = Header(str(value), "utf-8", header_name=name)
        encoded = header.encode(linesep=self.linesep, maxlinelen=self.max_line_length or 78)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value: str) -> bytes:
        if not self._encodes_subject(name, value):
            return super().fold_binary(name, value)
        return self.fold(name, value).encode("ascii")


MAIL_POLICY = MailPolicy()


def init_app(app: Flask) -> None:
    """A commit that wrote to the outbox starts a delivery (once per process: the listeners
    are on every session)."""
    if not event.contains(orm.Session, "after_commit", _after_commit):
        event.listen(orm.Session, "after_commit", _after_commit)


def _after_commit(session: orm.Session) -> None:
    # SQLAlchemy calls this for a savepoint released too: the transaction around it still
    # holds what was written (and, on SQLite, the write lock a delivery would wait for).
    if session.in_nested_transaction():
        return
    # The mark outlives a rollback on purpose: a delivery that finds nothing due costs little,
    # one never started would leave a message waiting for the next.
    if session.info.pop(PENDING, False) and has_app_context() and JOBS_EXTENSION in current_app.extensions:
        jobs.enqueue("deliver_mail")


def wait_after(attempts: int, first_wait: float) -> float:
    """Seconds before the next attempt, after ``attempts`` failed ones."""
    return float(min(first_wait * 2 ** max(attempts - 1, 0), LONGEST_WAIT_SECONDS))


def _due(now: dt.datetime) -> sa.ColumnElement[bool]:
    stale = now - dt.timedelta(seconds=CLAIM_SECONDS)
    return sa.or_(
        sa.and_(OutboxMessage.state == "queued", OutboxMessage.next_attempt_dt <= now),
        sa.and_(OutboxMessage.state == "sending", OutboxMessage.claimed_dt < stale),
    )


def _claim(session: Session, message_id: int, now: dt.datetime) -> bool:
    """Take the message for this worker, if no other took it first."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(state="sending", claimed_dt=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return cast(sa.CursorResult[Any], result).rowcount == 1


def compose(message: OutboxMessage) -> EmailMessage:
    """The message in its recipient's language: subject, text part and HTML part. Raises
    ``Undeliverable`` for an address no server could take."""
    problem = address_problem(message.recipient)
    if problem is not None:
        raise Undeliverable(f"{message.recipient!r}: {problem}")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    config = app.config
    base_url = config.get("PUBLIC_URL") or "http://localhost:5000"
    values = dict(message.values)
    # Links are built under PUBLIC_URL, as in the reports; no request of anyone's is involved.
    with app.test_request_context("/", base_url=base_url), force_locale(message.language):
        subject = " ".join(str(SUBJECTS[message.kind] % values).split())  # one line, whatever it quotes
        text = render_template(f"mail/{message.kind}.txt", subject=subject, **values)
        html = render_template(f"mail/{message.kind}.html", subject=subject, **values)
    sender = config.get("MAIL_SENDER") or "aia@localhost"
    email = EmailMessage(policy=MAIL_POLICY)
    email["Subject"] = subject
    email["From"] = sender
    email["To"] = message.recipient
    email["Date"] = format_datetime(now_utc())
    email["Message-ID"] = make_msgid(f"aia-{message.id}", domain=sender.rpartition("@")[2] or "localhost")
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    email["Content-Language"] = message.language  # after the parts: setting them clears it
    return email


def send(email: EmailMessage, file_name: str) -> None:
    """Hand ``email`` to the mail server, or write it to the mail folder without one."""
    config = current_app.config
    server = config.get("MAIL_SERVER") or ""
    if not server:
        folder = Path(config["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file_name).write_bytes(bytes(email))
        return
    with smtplib.SMTP(
        server, int(config.get("MAIL_PORT", 587)), timeout=float(config.get("MAIL_TIMEOUT", 10))
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def deliver_due(session: Session, now: dt.datetime | None = None) -> tuple[int, int]:
    """Attempt every message due at ``now``; returns (sent, failed attempts)."""
    now = now or now_utc()
    config = current_app.config
    due = list(
        session.scalars(sa.select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(BATCH))
    )
    sent = failed = 0
    for message_id in due:
        if not _claim(session, message_id, now):
            continue  # another worker has it
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        session.refresh(message)
        try:
            send(compose(message), f"{message.id:08d}-{message.kind}.eml")
        except Exception as error:  # the server's refusals, a connection that fails, a template's bug
            failed += 1
            message.failure, message.last_error = failure_of(error), error_text(error)
            if message.failure in PERMANENT_FAILURES:
                message.state = "failed"
                log.error("mail %s failed for good (%s): %s", message.id, message.failure, message.last_error)
            elif message.attempts >= int(config.get("MAIL_ATTEMPTS", 12)):
                message.state = "failed"
                log.error(
                    "mail %s failed for good after %d attempts: %s",
                    message.id,
                    message.attempts,
                    message.last_error,
                )
            else:
                message.state = "queued"
                wait = wait_after(message.attempts, float(config.get("MAIL_RETRY_SECONDS", 60)))
                message.next_attempt_dt = now + dt.timedelta(seconds=wait)
                log.warning(
                    "mail %s: attempt %d failed, next in %g s: %s",
                    message.id,
                    message.attempts,
                    wait,
                    message.last_error,
                )
        else:
            sent += 1
            message.state, message.sent_dt = "sent", now_utc()
            message.failure = message.last_error = None
            # A link that lets someone choose a password is kept no longer than it is needed.
            if SECRET_VALUES & message.values.keys():
                message.values = {k: v for k, v in message.values.items() if k not in SECRET_VALUES}
            log.info("mail %s (%s) sent", message.id, message.kind)
        session.commit()
    return sent, failed


def next_due(session: Session) -> dt.datetime | None:
    """When the next queued message is due, if one is waiting."""
    return session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_dt)).where(OutboxMessage.state == "queued")
    )


@jobs.handler("deliver_mail")
def run_delivery() -> None:
    """Deliver what is due; when an attempt failed, come back when the next message is due."""
    session = db.session
    try:
        _sent, failed = deliver_due(session)
    except sa.exc.OperationalError as error:
        # The database was busy past its timeout (SQLite under a long write, such as the demo
        # data being loaded): nothing is lost, the rows wait; come back shortly.
        session.rollback()
        log.warning("mail delivery postponed, the database is busy: %s", type(error.orig).__name__)
        jobs.enqueue_later("deliver_mail", BUSY_RETRY_SECONDS)
        return
    if failed:
        due = next_due(session)
        if due is not None:
            jobs.enqueue_later("deliver_mail", max(1.0, (due - now_utc()).total_seconds()))
