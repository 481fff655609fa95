"""Outgoing mail: an outbox row in the action's transaction, delivered after the commit to a
real SMTP server these tests start, kept and tried again while the server is down."""

from __future__ import annotations

import datetime as dt
import email.policy
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa

from aia.db import db, now_utc
from aia.jobs import queue_of
from aia.mail import delivery, services
from aia.mail.models import OutboxMessage

from .smtp import RefusingInbox, free_port, parts, smtp_server

VALUES = {
    "name": "Ada",
    "system": "Benefits <triage>",
    "number": 2,
    "uid": "abc",
    "by": "Bo",
    "reason": "<script>alert(1)</script> & more",
}


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    return list(db.session.scalars(query.where(OutboxMessage.kind == kind) if kind else query))


def test_a_message_is_sent_after_its_action_commits(app, db_session, smtp):
    with app.app_context():
        services.queue(db.session, "changes_requested", "ada@agency.example", "en", VALUES)
        assert smtp.messages == []  # not before the commit
        db.session.commit()
        [message] = smtp.to("ada@agency.example")
        [row] = outbox()
        assert (row.state, row.attempts, row.last_error) == ("sent", 1, None)
    assert message["Subject"] == "Changes requested to revision 2 of Benefits <triage>"
    text, html = parts(message)
    assert "<script>alert(1)</script> & more" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html and "<script>" not in html
    assert "Benefits &lt;triage&gt;" in html
    assert "http://localhost:5000/systems/abc/revisions/2" in text


def test_a_savepoint_released_sends_nothing_before_the_transaction_commits(app, db_session, smtp):
    """A savepoint inside the action (submitting a revision uses one) is not the commit: a
    delivery started then would wait for the transaction's write lock."""
    with app.app_context():
        services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        with db.session.begin_nested():
            db.session.flush()
        assert smtp.messages == [] and [row.state for row in outbox()] == ["queued"]
        db.session.commit()
        assert len(smtp.to("ada@agency.example")) == 1


def test_nothing_is_sent_for_an_action_that_rolled_back(app, db_session, smtp):
    with app.app_context():
        services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        db.session.rollback()
        db.session.commit()
        assert outbox() == []
    assert smtp.messages == []


def test_a_message_is_in_its_recipients_language(app, db_session, smtp):
    with app.app_context():
        services.queue(db.session, "revision_approved", "ada@agency.example", "fr", VALUES)
        db.session.commit()
    [message] = smtp.messages
    assert message["Subject"] == "Révision 2 de Benefits <triage> approuvée"
    assert message["Content-Language"] == "fr"
    assert "Bonjour Ada" in parts(message)[0]


def test_while_the_server_is_down_a_message_is_kept_then_delivered_when_it_is_back(
    app, db_session, monkeypatch
):
    port = free_port()  # nothing listens there yet
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 60.0)
    queue = queue_of(app)
    scheduled_before = queue.scheduled_count()
    with app.app_context():
        services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        db.session.commit()
        [row] = outbox()
        assert (row.state, row.attempts) == ("queued", 1)
        assert "ConnectionRefusedError" in (row.last_error or "")
        first_wait = row.next_attempt_dt - now_utc()
        assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=60)
        # The job comes back when the message is due.
        assert queue.scheduled_count() == scheduled_before + 1
        # Not due yet: nothing is attempted.
        assert delivery.deliver_due(db.session) == (0, 0)
        # Due, still down: the wait doubles.
        assert delivery.deliver_due(db.session, now=row.next_attempt_dt) == (0, 1)
        db.session.refresh(row)
        assert row.attempts == 2
        with smtp_server(port) as (inbox, _):
            assert delivery.deliver_due(db.session, now=row.next_attempt_dt) == (1, 0)
        db.session.refresh(row)
        assert (row.state, row.attempts, row.last_error) == ("sent", 3, None)
    assert [m["To"] for m in inbox.messages] == ["ada@agency.example"]


def test_the_wait_between_attempts_doubles_up_to_an_hour():
    assert [delivery.wait_after(n, 60) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


def test_after_the_last_attempt_a_message_is_failed_and_can_be_queued_again(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_ATTEMPTS", 2)
    with app.app_context():
        services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        db.session.commit()
        [row] = outbox()
        delivery.deliver_due(db.session, now=row.next_attempt_dt)
        db.session.refresh(row)
        assert (row.state, row.attempts) == ("failed", 2)
        with smtp_server(app.config["MAIL_PORT"]) as (inbox, _):
            services.queue_again(db.session, row)
            db.session.commit()
        db.session.refresh(row)
        assert row.state == "sent"
    assert len(inbox.messages) == 1


def test_two_workers_never_claim_the_same_message(app, db_session):
    with app.app_context():
        row = services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        db.session.info.pop(services.PENDING)  # delivered by hand below
        db.session.commit()
        now = now_utc()
        assert delivery._claim(db.session, row.id, now) is True
        assert delivery._claim(db.session, row.id, now) is False
        # A claim left by a worker that died is taken over once it is stale.
        later = now + dt.timedelta(seconds=delivery.CLAIM_SECONDS + 1)
        assert delivery._claim(db.session, row.id, later) is True


def test_without_a_server_messages_are_written_to_the_mail_folder(app, db_session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path / "mail"))
    with app.app_context():
        row = services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
        db.session.commit()
        db.session.refresh(row)
        assert row.state == "sent"
    [written] = list(Path(tmp_path / "mail").glob("*.eml"))
    assert b"To: ada@agency.example" in written.read_bytes()


def test_a_worker_delivers_after_the_commit_and_comes_back_when_the_server_is_up(tmp_path):
    """The real path: a consumer thread (as `aia worker` runs), a queue that is not immediate,
    the server down at first; the worker's own retry delivers once the server listens."""
    import time

    from aia import create_app
    from aia.cli import upgrade_database
    from aia.jobs import start_consumer
    from config import TestConfig

    port = free_port()
    config = type(
        "Queued",
        (TestConfig,),
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'aia.sqlite3'}",
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "JOBS_IMMEDIATE": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_RETRY_SECONDS": 0.2,
        },
    )
    app = create_app(config)
    with app.app_context():
        upgrade_database()
    consumer = start_consumer(app)

    def state() -> tuple[str, int]:
        with app.test_request_context("/", method="GET"):
            row = db.session.scalar(sa.select(OutboxMessage))
            return (row.state, row.attempts) if row else ("none", 0)

    def wait_until(check, what: str) -> None:
        deadline = time.monotonic() + 60  # a bound on a busy machine: the test waits for a state
        while not check(state()):
            assert time.monotonic() < deadline, f"still {state()}, waiting for {what}"
            time.sleep(0.05)

    try:
        with app.app_context():
            services.queue(db.session, "revision_approved", "ada@agency.example", "en", VALUES)
            db.session.commit()
        wait_until(lambda s: s[1] >= 1 and s[0] == "queued", "a failed first attempt")
        with smtp_server(port) as (inbox, _):
            wait_until(lambda s: s[0] == "sent", "the retry")
        assert [m["To"] for m in inbox.messages] == ["ada@agency.example"]
    finally:
        consumer.stop(graceful=True)


def test_an_address_that_is_not_one_fails_at_once_with_the_reason(app, db_session, smtp):
    with app.app_context():
        services.queue(db.session, "revision_approved", "bad@", "en", VALUES)
        db.session.commit()
        [row] = outbox()
        assert (row.state, row.attempts, row.failure) == ("failed", 1, "address")
        assert "IndexError" not in (row.last_error or "")
        assert (row.last_error or "").startswith("'bad@': ")
        # Nothing is due any more: no attempt after a wait.
        assert delivery.deliver_due(db.session, now=now_utc() + dt.timedelta(days=1)) == (0, 0)
    assert smtp.messages == []


MIXED_SCRIPT_NAME = "Tri des demandes 🚀نظام فرز الطلباتשלום"


def test_a_long_subject_in_mixed_scripts_reads_back_exactly(app, db_session, smtp, tmp_path, monkeypatch):
    """Folded at 78 characters into whole encoded words: a strict reader gets every character
    and every space back, from the server and from the mail folder alike."""
    values = {**VALUES, "system": f"{MIXED_SCRIPT_NAME}{MIXED_SCRIPT_NAME} ⚖️ ✓"}
    with app.app_context():
        for language in ("en", "fr"):
            services.queue(db.session, "changes_requested", "ada@agency.example", language, values)
        db.session.commit()
        expected = [
            " ".join(str(delivery.compose(row)["Subject"]).split()) for row in outbox()
        ]  # as composed, before any folding
        monkeypatch.setitem(app.config, "MAIL_SERVER", "")
        monkeypatch.setitem(app.config, "MAIL_DIR", str(tmp_path))
        services.queue(db.session, "changes_requested", "ada@agency.example", "fr", values)
        db.session.commit()
    assert values["system"] in expected[0] and values["system"] in expected[1]
    [written] = tmp_path.glob("*.eml")
    raw_messages = [m.as_bytes(policy=email.policy.SMTP) for m in smtp.messages] + [written.read_bytes()]
    raw_messages.append(bytes(smtp.messages[0]))
    for raw, subject in zip(raw_messages, [*expected, expected[1], expected[0]], strict=True):
        head = raw.split(b"\n\n")[0].split(b"\r\n\r\n")[0]
        assert head.isascii()
        assert all(len(line) <= 78 for line in raw.splitlines()), head.decode()
        read = BytesParser(policy=email.policy.default).parsebytes(raw)
        assert str(read["Subject"]) == subject
        assert not read["Subject"].defects


def test_every_line_of_a_quoted_text_is_indented(app, db_session, smtp):
    values = {**VALUES, "reason": "First line\nsecond line\r\nthird line"}
    with app.app_context():
        services.queue(db.session, "changes_requested", "ada@agency.example", "en", values)
        db.session.commit()
    [message] = smtp.messages
    text = parts(message)[0].replace("\r\n", "\n")
    assert "    First line\n    second line\n    third line\n" in text


def refused(app, monkeypatch, inbox: RefusingInbox, recipient: str = "ada@agency.example") -> None:
    """A message queued to ``recipient`` while ``inbox``'s server answers: its first attempt."""
    with smtp_server(inbox=inbox) as (_, port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        with app.app_context():
            services.queue(db.session, "revision_approved", recipient, "en", VALUES)
            db.session.commit()


def test_an_address_the_server_refuses_for_good_fails_at_once_with_its_words(app, db_session, monkeypatch):
    inbox = RefusingInbox(recipients={"gone@agency.example": "550 5.1.1 No such user here"})
    refused(app, monkeypatch, inbox, "gone@agency.example")
    with app.app_context():
        [row] = outbox()
        assert (row.state, row.attempts, row.failure) == ("failed", 1, "recipient_refused")
        assert "550 5.1.1 No such user here" in (row.last_error or "")
        # Not tried again, however long one waits.
        assert delivery.deliver_due(db.session, now=now_utc() + dt.timedelta(days=1)) == (0, 0)
    assert inbox.messages == []


def test_a_message_the_server_refuses_for_good_fails_at_once(app, db_session, monkeypatch):
    refused(app, monkeypatch, RefusingInbox(data="554 5.6.0 Message refused"))
    with app.app_context():
        [row] = outbox()
        assert (row.state, row.failure) == ("failed", "message_refused")
        assert "554 5.6.0 Message refused" in (row.last_error or "")


def test_a_refusal_for_now_is_tried_again_and_goes_through(app, db_session, monkeypatch):
    inbox = RefusingInbox(recipients={"ada@agency.example": "451 4.3.0 Mailbox busy, try later"})
    refused(app, monkeypatch, inbox)
    with app.app_context():
        [row] = outbox()
        assert (row.state, row.attempts, row.failure) == ("queued", 1, "refused_for_now")
        assert "451 4.3.0 Mailbox busy" in (row.last_error or "")
        with smtp_server(app.config["MAIL_PORT"]) as (good, _):
            assert delivery.deliver_due(db.session, now=row.next_attempt_dt) == (1, 0)
        db.session.refresh(row)
        assert (row.state, row.attempts, row.failure, row.last_error) == ("sent", 2, None, None)
    assert [m["To"] for m in good.messages] == ["ada@agency.example"]


def test_a_refused_sender_is_a_matter_of_settings_and_is_tried_again(app, db_session, monkeypatch):
    """The server refuses this server's sender address: no message could go until the settings
    change, so none is given up for it."""

    class SenderRefused(RefusingInbox):
        async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: N802
            return "553 5.7.1 Sender address rejected"

    refused(app, monkeypatch, SenderRefused())
    with app.app_context():
        [row] = outbox()
        assert (row.state, row.failure) == ("queued", "server_setup")
        assert "553 5.7.1 Sender address rejected" in (row.last_error or "")


def test_kinds_of_failure_are_told_apart():
    import smtplib

    from aia.mail.kinds import FAILURE_LABELS

    cases = [
        (delivery.Undeliverable("x"), "address"),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"no")}), "recipient_refused"),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (452, b"full")}), "refused_for_now"),
        (smtplib.SMTPDataError(552, b"too big"), "message_refused"),
        (smtplib.SMTPDataError(451, b"later"), "refused_for_now"),
        (smtplib.SMTPConnectError(554, b"no service"), "unreachable"),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), "server_setup"),
        (smtplib.SMTPResponseException(454, b"TLS not available now"), "refused_for_now"),
        (smtplib.SMTPServerDisconnected("gone"), "unreachable"),
        (TimeoutError(), "unreachable"),
        (KeyError("name"), "error"),
    ]
    assert [delivery.failure_of(error) for error, _ in cases] == [kind for _, kind in cases]
    assert {kind for _, kind in cases} == set(FAILURE_LABELS)
