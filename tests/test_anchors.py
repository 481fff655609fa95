"""The audit trail anchored outside the database, and register entries sealed: each published
report prints (and carries in its keywords) the trail's head at publication, the register
shows it on the entry and in open data, and `aia verify` checks every anchor it can see and
any an auditor gives (`--anchor SEQ:HASH`). Tampering as the table owner would (the trigger
disabled): removing the last events, rewriting the trail and hashing it again, editing an
entry's name with SQL; each fails `aia verify` with a clear line, and untouched data passes."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from aia.audit.models import AuditEvent
from aia.audit.queries import Anchor, chain_head
from aia.engine import content_hash
from aia.publishing import services as publishing
from aia.register.models import RegisterEntry
from aia.report.store import stored_pdf_bytes


def without_event_guard(db_session) -> None:
    """As the table's owner would: PostgreSQL's trigger disabled, SQLite's dropped (SQLite
    cannot disable one). Inside the test's transaction only: the rollback restores it."""
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_guard"))
    else:
        db_session.execute(sa.text("DROP TRIGGER audit_event_no_update"))
        db_session.execute(sa.text("DROP TRIGGER audit_event_no_delete"))


def verify(app, *arguments: str):
    return app.test_cli_runner().invoke(args=["verify", *arguments])


@pytest.fixture
def published(app, db_session, make_agency, make_user, make_system, make_revision):
    """A published revision, then more events after its publication (a second system)."""
    agency = make_agency()
    approver = make_user("approver", agency)
    system = make_system(agency=agency, name="Benefit triage")
    revision = make_revision(system=system, status="approved")
    head = chain_head(db_session)
    with app.app_context():
        publishing.publish(db_session, approver, revision)
    make_system(agency=agency, name="Later system")
    entry = db_session.scalar(sa.select(RegisterEntry).where(RegisterEntry.revision_id == revision.id))
    return system, revision, entry, head


def test_the_report_and_the_register_carry_the_head_of_the_trail(app, client, db_session, published):
    system, revision, entry, head = published
    assert (entry.anchor_event_id, entry.anchor_hash) == (head.event_id, head.hash)
    with app.app_context():
        pdf = PdfReader(io.BytesIO(stored_pdf_bytes(revision)))
    assert f"aia-chain-head:{head.text}" in pdf.metadata["/Keywords"]
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert f"stood at event {head.event_id}" in " ".join(text.split())
    assert head.hash[:32] in text.replace("\n", "")
    page = client.get(f"/register/{system.uid}").get_data(as_text=True)
    assert head.text in page and entry.seal_sha256 in page
    document = client.get(f"/register/{system.uid}.json").get_json()
    assert document["integrity"] == {"seal_sha256": entry.seal_sha256, "audit_anchor": head.text}
    assert entry.seal_sha256 == content_hash(entry.sealed_document())
    published_event = db_session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "revision.published", AuditEvent.revision_id == revision.id
        )
    )
    assert published_event.details["register_seal"] == entry.seal_sha256
    assert published_event.details["anchor"] == head.text


def test_verify_passes_untouched_and_with_the_anchor_an_auditor_kept(app, published):
    _, _, _, head = published
    result = verify(app, "--anchor", head.text)
    assert result.exit_code == 0, result.output
    assert "ok   audit trail anchors (newest: event" in result.output
    assert "ok   register entries: 1 checked" in result.output


def test_removing_the_last_events_fails_at_the_anchor(app, db_session, published):
    _, _, _, head = published
    without_event_guard(db_session)
    db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id >= head.event_id))
    result = verify(app)
    assert result.exit_code == 1
    # The chain that is left holds together: only the anchors see what went.
    assert "ok   audit trail:" in result.output
    assert f"anchor {head.text} (the report " in result.output
    ends = head.event_id - 1
    assert (
        f"event {head.event_id} is no longer in the audit trail, which now ends at event {ends}"
        in result.output
    )


def test_removing_events_after_the_anchor_fails_with_the_auditors_newer_anchor(app, db_session, published):
    newest = chain_head(db_session)
    without_event_guard(db_session)
    db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == newest.event_id))
    assert verify(app).exit_code == 0  # beyond the newest anchor the app sees: undetectable
    result = verify(app, "--anchor", newest.text)
    assert result.exit_code == 1
    assert (
        f"anchor {newest.text} (given with --anchor): event {newest.event_id} is no longer" in result.output
    )


def test_a_trail_rewritten_and_hashed_again_fails_under_the_anchor(app, db_session, published):
    _, _, _, head = published
    without_event_guard(db_session)
    trail = list(db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
    previous = trail[0].prev_hash
    for event in trail:  # the first event's actor renamed, every hash recomputed after it
        values = {"prev_hash": previous}
        if event.id == 1:
            values["actor"] = "someone else"
        event.actor = values.get("actor", event.actor)
        event.prev_hash = previous
        values["hash"] = content_hash(event.hashed_document())
        db_session.execute(sa.update(AuditEvent).where(AuditEvent.id == event.id).values(**values))
        previous = values["hash"]
    db_session.expire_all()
    result = verify(app)
    assert result.exit_code == 1
    assert "ok   audit trail:" in result.output  # the rewritten chain holds together
    assert f"anchor {head.text} (the report " in result.output
    assert f"event {head.event_id} now has the hash " in result.output
    assert "the trail was rewritten up to it" in result.output


def test_an_entry_edited_with_sql_fails_its_seal(app, db_session, published):
    system, _, entry, _ = published
    db_session.execute(
        sa.update(RegisterEntry).where(RegisterEntry.id == entry.id).values(name="Harmless sorting")
    )
    result = verify(app)
    assert result.exit_code == 1
    assert (
        f"register entry of system {system.uid} revision 1: what the public reads was changed"
        in result.output
    )
    # Sealing it again is not enough: the publication event names the seal it had.
    db_session.expire_all()
    edited = db_session.get(RegisterEntry, entry.id)
    db_session.execute(
        sa.update(RegisterEntry)
        .where(RegisterEntry.id == entry.id)
        .values(seal_sha256=content_hash(edited.sealed_document()))
    )
    result = verify(app)
    assert result.exit_code == 1
    assert "but its publication event names" in result.output


def test_a_changed_contact_point_fails_the_seal(app, db_session, published):
    _, _, entry, _ = published
    db_session.execute(
        sa.update(RegisterEntry)
        .where(RegisterEntry.id == entry.id)
        .values(details={**entry.details, "contact": "nobody@elsewhere.example"})
    )
    assert "what the public reads was changed" in verify(app).output


def test_a_malformed_anchor_is_refused_with_the_expected_form(app):
    result = verify(app, "--anchor", "12:not-a-hash")
    assert result.exit_code == 2
    assert "is not SEQ:HASH" in result.output
    assert Anchor.parse(" 7:" + "a" * 64) == Anchor(7, "a" * 64)
