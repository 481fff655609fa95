"""The audit trail is append-only and hash-chained, and ``aia verify`` says exactly what does
not match: a changed event, a removed one, a rewritten revision, an altered or missing PDF, a
register entry naming another report than its revision's, a state changed behind the app's
back."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from aia.assessments import lifecycle
from aia.assessments.models import Revision
from aia.audit.models import GENESIS_HASH, AuditEvent
from aia.engine import content_hash
from aia.publishing import services as publishing
from aia.register.models import RegisterEntry

GUARDS = {  # (table, dialect) -> what removes the database's refusal, for tampering tests
    ("audit_event", "sqlite"): ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"],
    ("audit_event", "postgresql"): ["DROP TRIGGER audit_event_guard ON audit_event"],
    ("revision", "sqlite"): ["DROP TRIGGER revision_no_update"],
    ("revision", "postgresql"): ["DROP TRIGGER revision_guard ON revision"],
    ("register_entry", "sqlite"): ["DROP TRIGGER register_entry_pdf_sealed"],
    ("register_entry", "postgresql"): ["DROP TRIGGER register_entry_pdf_guard ON register_entry"],
}


def drop_guards(db_session, table: str) -> None:
    """Inside the test's transaction only: the rollback puts the triggers back."""
    for statement in GUARDS[(table, db_session.get_bind().dialect.name)]:
        db_session.execute(sa.text(statement))


def verify(app):
    return app.test_cli_runner().invoke(args=["verify"])


@pytest.fixture
def history(app, db_session, make_agency, make_user, make_system, make_revision):
    """A system whose first revision was sent back and whose second was approved."""
    agency = make_agency()
    author, approver = make_user("author", agency), make_user("approver", agency)
    system = make_system(agency=agency)
    first = make_revision(system=system, submitted_by=author)
    lifecycle.change_status(db_session, approver, first, "request_changes", "Add appeals.")
    second = make_revision(system=system, answers={"appeal": "yes"}, submitted_by=author)
    lifecycle.change_status(db_session, approver, second, "approve")
    return system, first, second


def events(db_session) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


def test_each_event_carries_the_hash_of_the_one_before(db_session, history):
    trail = events(db_session)
    assert [e.id for e in trail] == list(range(1, len(trail) + 1))
    assert trail[0].prev_hash == GENESIS_HASH
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.prev_hash == before.hash
    for event in trail:
        assert event.hash == content_hash(event.hashed_document())
    assert [e.action for e in trail if e.revision_id] == [
        "revision.submitted",
        "revision.changes_requested",
        "revision.submitted",
        "revision.approved",
    ]


def test_the_database_refuses_to_change_or_delete_an_event(db_session, history):
    event = events(db_session)[-1]
    with pytest.raises(DBAPIError, match="append-only"):
        with db_session.begin_nested():
            db_session.execute(
                sa.update(AuditEvent).where(AuditEvent.id == event.id).values(reason="nothing happened")
            )
    with pytest.raises(DBAPIError, match="append-only"):
        with db_session.begin_nested():
            db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == event.id))


def test_verify_passes_on_untouched_data(app, history):
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "ok   audit trail:" in result.output and "ok   revisions: 2 checked" in result.output


def test_verify_names_a_rewritten_revision(app, db_session, history):
    system, first, _ = history
    drop_guards(db_session, "revision")
    db_session.execute(
        sa.update(Revision).where(Revision.id == first.id).values(answers={**first.answers, "appeal": "yes"})
    )
    result = verify(app)
    assert result.exit_code == 1
    assert "FAIL revisions: 2 checked, 1 problem(s)" in result.output
    assert f"system {system.uid} revision 1: its content hashes to " in result.output
    assert f"recorded {first.sha256}" in result.output


def test_verify_names_a_changed_event(app, db_session, history):
    drop_guards(db_session, "audit_event")
    target = next(e for e in events(db_session) if e.action == "revision.changes_requested")
    db_session.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id).values(reason="Looks fine."))
    result = verify(app)
    assert result.exit_code == 1
    assert f"event {target.id} (revision.changes_requested) was changed" in result.output


def test_verify_names_a_deleted_event(app, db_session, history):
    drop_guards(db_session, "audit_event")
    target = next(e for e in events(db_session) if e.action == "revision.changes_requested")
    db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == target.id))
    result = verify(app)
    assert result.exit_code == 1
    assert f"events {target.id} to {target.id} are missing" in result.output
    assert f"event {target.id + 1} names {target.hash} as the previous hash" in result.output
    # ... and the revision's state no longer follows from its events.
    assert "revision 1: state is changes_requested, but its last audit event sets submitted" in result.output


def test_verify_notices_the_last_event_removed(app, db_session, history):
    """No successor names it, but the revision's state then disagrees with the trail."""
    system, _, second = history
    drop_guards(db_session, "audit_event")
    db_session.execute(sa.delete(AuditEvent).where(AuditEvent.id == events(db_session)[-1].id))
    result = verify(app)
    assert result.exit_code == 1
    assert (
        f"system {system.uid} revision 2: state is approved, but its last audit event sets submitted"
    ) in result.output


def test_verify_notices_a_state_changed_behind_the_apps_back(app, db_session, history):
    system, _, second = history
    db_session.execute(sa.update(Revision).where(Revision.id == second.id).values(status="published"))
    result = verify(app)
    assert result.exit_code == 1
    assert "revision 2: state is published, but its last audit event sets approved" in result.output


def _stored_pdf(app, db_session, revision) -> Path:
    """A stored report for the revision, as the publication writes it (hash-named file)."""
    data = b"%PDF-1.7 test report " + uuid.uuid4().hex.encode()
    sha256 = hashlib.sha256(data).hexdigest()
    path = Path(app.config["REPORT_DIR"]) / f"{sha256}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(pdf_sha256=sha256))
    return path


def test_verify_names_an_altered_pdf(app, db_session, history):
    system, first, _ = history
    path = _stored_pdf(app, db_session, first)
    assert verify(app).exit_code == 0
    path.write_bytes(path.read_bytes() + b"\n% appended")
    altered = hashlib.sha256(path.read_bytes()).hexdigest()
    result = verify(app)
    assert result.exit_code == 1
    assert (
        f"system {system.uid} revision 1: {path} hashes to {altered}, recorded {path.stem}"
    ) in result.output


def test_verify_names_a_missing_pdf(app, db_session, history):
    system, first, _ = history
    path = _stored_pdf(app, db_session, first)
    path.unlink()
    result = verify(app)
    assert result.exit_code == 1
    assert f"system {system.uid} revision 1: {path} is missing" in result.output


def test_verify_checks_a_really_published_pdf(app, db_session, history, make_user):
    system, _, second = history
    approver = make_user("approver", system.agency)
    with app.app_context():
        publishing.publish(db_session, approver, second)
    result = verify(app)
    assert result.exit_code == 0, result.output
    # starter v4 is in English and French: the revision's two PDFs are checked
    assert "ok   stored PDF reports: 2 checked" in result.output
    assert "ok   register entries: 1 checked" in result.output


@pytest.fixture
def entry(app, db_session, history, make_user, registry):
    """The register entry of the second revision, published with a stored report."""
    from aia.register.services import record_publication

    system, _, second = history
    path = _stored_pdf(app, db_session, second)
    db_session.expire(second)
    lifecycle.change_status(db_session, make_user("approver", system.agency), second, "publish")
    entry = record_publication(db_session, second, registry.get("starter", 1))
    assert entry.pdf_sha256 == path.stem
    return entry, path


def test_verify_names_an_entry_whose_report_is_not_its_revisions(app, db_session, history, entry):
    system, _, second = history
    entry, path = entry
    other = hashlib.sha256(b"another report").hexdigest()
    drop_guards(db_session, "register_entry")
    db_session.execute(sa.update(RegisterEntry).where(RegisterEntry.id == entry.id).values(pdf_sha256=other))
    result = verify(app)
    assert result.exit_code == 1
    assert "ok   stored PDF reports: 1 checked" in result.output  # the revision's own is fine
    # The entry's seal covers the report hash the public reads (see test_anchors).
    assert "FAIL register entries: 1 checked, 3 problem(s)" in result.output
    label = f"register entry of system {system.uid} revision 2"
    assert f"{label}: what the public reads was changed after publication" in result.output
    assert f"{label}: names report {other}, but its revision names {path.stem}" in result.output
    assert f"{label}: {path.parent / other}.pdf is missing" in result.output


def test_verify_names_an_entry_whose_stored_report_was_altered(app, db_session, history, entry):
    system, _, _ = history
    entry, path = entry
    assert verify(app).exit_code == 0
    path.write_bytes(path.read_bytes() + b"\n% appended")
    altered = hashlib.sha256(path.read_bytes()).hexdigest()
    result = verify(app)
    assert result.exit_code == 1
    assert (
        f"register entry of system {system.uid} revision 2: {path} hashes to {altered}, recorded {path.stem}"
    ) in result.output
