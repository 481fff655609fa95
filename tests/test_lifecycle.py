"""The life of a revision: who may move it where, what each move records, and that a new
draft becomes the next revision. Through the services and through the pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from aia import create_app
from aia.accounts import services as account_services
from aia.accounts.models import User
from aia.assessments import lifecycle, services
from aia.assessments.models import Draft, Revision
from aia.audit.models import AuditEvent
from aia.cli import upgrade_database
from aia.db import engine_of
from aia.publishing import services as publishing

from .answers import STARTER_COMPLETE
from .databases import own_database
from .webform import submit_data

Refused, NotPermitted = lifecycle.TransitionRefused, lifecycle.NotPermitted


@pytest.fixture
def people(make_agency, make_user):
    home = make_agency()
    return {
        "agency": home,
        "author": make_user("author", home),
        "approver": make_user("approver", home),
        "auditor": make_user("auditor"),
        "foreign": make_user("approver"),
    }


def move(app, db_session, action, actor, revision, reason="Because."):
    with app.app_context():  # publishing renders the PDF
        if action == "publish":
            return publishing.publish(db_session, actor, revision, reason)
        if action == "withdraw":
            return publishing.withdraw(db_session, actor, revision, reason)
        return lifecycle.change_status(db_session, actor, revision, action, reason)


CASES = [
    ("approve", "submitted", "approver", "approved"),
    ("approve", "submitted", "author", NotPermitted),
    ("approve", "submitted", "auditor", NotPermitted),
    ("approve", "submitted", "foreign", NotPermitted),
    ("approve", "changes_requested", "approver", Refused),
    ("approve", "approved", "approver", Refused),
    ("request_changes", "submitted", "approver", "changes_requested"),
    ("request_changes", "submitted", "auditor", "changes_requested"),
    ("request_changes", "approved", "auditor", "changes_requested"),
    ("request_changes", "submitted", "author", NotPermitted),
    ("request_changes", "submitted", "foreign", NotPermitted),
    ("request_changes", "published", "auditor", Refused),
    ("publish", "approved", "approver", "published"),
    ("publish", "submitted", "approver", Refused),
    ("publish", "approved", "auditor", NotPermitted),
    ("publish", "approved", "author", NotPermitted),
    ("publish", "approved", "foreign", NotPermitted),
    ("withdraw", "published", "approver", "withdrawn"),
    ("withdraw", "approved", "approver", Refused),
    ("withdraw", "superseded", "approver", Refused),
    ("withdraw", "published", "auditor", NotPermitted),
]


@pytest.mark.parametrize("action, status, role, outcome", CASES, ids=[f"{a}-{s}-{r}" for a, s, r, _ in CASES])
def test_each_move_allowed_or_refused(
    app, db_session, people, make_system, make_revision, action, status, role, outcome
):
    system = make_system(agency=people["agency"])
    revision = make_revision(system=system, submitted_by=people["author"], status=status)
    events_before = db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    if isinstance(outcome, str):
        move(app, db_session, action, people[role], revision)
        assert revision.status == outcome
        event = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.actor_id, event.revision_id, event.reason) == (
            f"revision.{outcome}",
            people[role].id,
            revision.id,
            "Because.",
        )
        assert (event.details["from"], event.details["to"]) == (status, outcome)
    else:
        with pytest.raises(outcome):
            move(app, db_session, action, people[role], revision)
        db_session.refresh(revision)
        assert revision.status == status
        assert db_session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events_before


def test_the_submitter_cannot_approve_their_own_revision(app, db_session, people, make_system, make_revision):
    revision = make_revision(system=make_system(agency=people["agency"]), submitted_by=people["approver"])
    with pytest.raises(Refused, match="someone other than the person who submitted"):
        move(app, db_session, "approve", people["approver"], revision)


@pytest.mark.parametrize("action, status", [("request_changes", "submitted"), ("withdraw", "published")])
def test_sending_back_and_withdrawing_need_a_reason(
    app, db_session, people, make_system, make_revision, action, status
):
    revision = make_revision(system=make_system(agency=people["agency"]), status=status)
    with pytest.raises(Refused, match="Say why"):
        move(app, db_session, action, people["approver"], revision, reason="  ")


@pytest.fixture
def committing_app(app_config, tmp_path):
    """The app on a database of its own where work is committed (a SQLite file, or a fresh
    PostgreSQL database on a PostgreSQL run), for tests in which one session must see what
    another committed."""
    with own_database(tmp_path / "committed.sqlite3", "aia_committed") as url:
        own = create_app(type("Committing", (app_config,), {"DATABASE_URL": url}))
        with own.app_context():
            upgrade_database()
        yield own
        engine_of(own).dispose()


def test_a_decision_taken_meanwhile_wins(committing_app):
    """An approver and an auditor open the same submitted revision, each in a session (and
    connection) of their own. The approver approves and commits; the auditor's request for
    changes, decided on the revision as they loaded it, must then meet the compare-and-set."""
    engine = engine_of(committing_app)
    definition = committing_app.extensions["aia.questionnaires"].latest("starter")
    with committing_app.app_context(), Session(engine) as setup:
        agency = account_services.create_agency(setup, None, "race", "Race Agency")
        approver = account_services.create_user(
            setup, None, "approver@race.example", "", "approver", agency, "correct horse battery"
        )
        auditor = account_services.create_user(
            setup, None, "auditor@race.example", "", "auditor", None, "correct horse battery"
        )
        system = services.create_system(setup, agency.id, "Raced system", "")
        draft = services.start_draft(setup, system, definition, STARTER_COMPLETE)
        revision_id = services.submit(setup, draft, definition, draft.lock_version).id
        approver_id, auditor_id = approver.id, auditor.id
        setup.commit()

    opened = {"bind": engine, "expire_on_commit": False}  # as the app's sessions are
    with committing_app.app_context(), Session(**opened) as first, Session(**opened) as second:
        theirs, auditor = second.get(Revision, revision_id), second.get(User, auditor_id)
        if engine.dialect.name == "sqlite":
            # SQLite's transactions take the write lock as they begin (see aia.db), so the
            # approver would wait for this one: end it, keeping what it loaded.
            second.commit()
        mine, approver = first.get(Revision, revision_id), first.get(User, approver_id)
        assert mine is not theirs and mine.status == theirs.status == "submitted"
        lifecycle.change_status(first, approver, mine, "approve")
        first.commit()
        with pytest.raises(
            Refused,
            match=r"^Someone else changed revision 1 meanwhile: it is "
            r"now approved\.$",
        ):
            lifecycle.change_status(second, auditor, theirs, "request_changes", "Not yet.")
        second.rollback()

    with Session(engine) as check:
        assert check.get(Revision, revision_id).status == "approved"
        assert check.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.revision_id == revision_id).order_by(AuditEvent.id)
        ).all() == ["revision.submitted", "revision.approved"]


def test_publishing_stores_the_pdf_once_and_supersedes_the_previous(
    app, db_session, people, make_system, make_revision
):
    system = make_system(agency=people["agency"])
    first = make_revision(system=system, status="published")
    second = make_revision(system=system, answers={"appeal": "yes"}, status="approved")
    move(app, db_session, "publish", people["approver"], second)
    assert (first.status, second.status) == ("superseded", "published")
    stored = Path(app.config["REPORT_DIR"]) / f"{second.pdf_sha256}.pdf"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == second.pdf_sha256
    actions = db_session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.system_id == system.id).order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == ["revision.superseded", "revision.published"]


def test_no_new_draft_while_a_revision_awaits_a_decision(db_session, registry, make_system, make_revision):
    system = make_system()
    revision = make_revision(system=system)
    with pytest.raises(services.DraftNotAllowed):
        services.start_draft(db_session, system, registry.latest("starter"))
    revision.status = "changes_requested"
    db_session.flush()
    draft = services.start_draft(db_session, system, registry.latest("starter"), revision.answers)
    assert draft.answers == revision.answers


def test_resubmission_is_the_next_revision_and_leaves_the_first_alone(
    db_session, registry, make_system, make_revision
):
    system = make_system()
    first = make_revision(system=system, status="changes_requested")
    sha = first.sha256
    second = make_revision(system=system, answers={"appeal": "yes"})
    db_session.expire_all()
    assert (second.number, db_session.get(Revision, first.id).sha256) == (2, sha)
    assert db_session.get(Revision, first.id).status == "changes_requested"


def test_review_comments_reach_the_next_draft(
    app, client, db_session, login, people, make_system, make_revision
):
    """An auditor comments on one answer and on the whole and requests changes; the author
    sees both next to the questions of the new draft."""
    system = make_system(agency=people["agency"])
    make_revision(system=system, submitted_by=people["author"])
    login(people["auditor"])
    page = client.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    assert "Approve" not in page  # an auditor reviews; the agency approves
    response = client.post(
        f"/systems/{system.uid}/revisions/1/review",
        data=submit_data(
            page,
            {
                "comment__appeal": "Name the office people can appeal to <b>here</b>.",
                "overall": "Good start; see the note on appeals.",
                "decision": "request_changes",
            },
        ),
    )
    assert response.status_code == 302

    author = app.test_client()
    login(people["author"], on=author)
    page = author.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert "sent back for changes" in page and "Good start; see the note on appeals." in page
    start = submit_data(page)
    response = author.post(
        f"/systems/{system.uid}/draft", data={"csrf_token": start["csrf_token"], "questionnaire": "starter:4"}
    )
    assert response.status_code == 302
    step = author.get(f"/systems/{system.uid}/draft/mitigation").get_data(as_text=True)
    assert "Name the office people can appeal to &lt;b&gt;here&lt;/b&gt;." in step
    assert step.index('data-question="appeal"') < step.index("Name the office people")
    assert "Good start; see the note on appeals." in step


def test_approve_then_publish_through_the_pages(
    app, client, db_session, login, people, make_system, make_revision
):
    system = make_system(agency=people["agency"])
    revision = make_revision(system=system, submitted_by=people["author"])
    login(people["approver"])
    page = client.get(f"/systems/{system.uid}/revisions/1/review").get_data(as_text=True)
    confirm = client.post(
        f"/systems/{system.uid}/revisions/1/review", data=submit_data(page, {"decision": "approve"})
    )
    assert confirm.status_code == 200 and "Approve revision 1?" in confirm.get_data(as_text=True)
    assert revision.status == "submitted"  # nothing decided before the confirmation
    response = client.post(
        f"/systems/{system.uid}/revisions/1/review",
        data=submit_data(confirm.get_data(as_text=True), {"decision": "approve"}),
    )
    assert response.status_code == 302
    page = client.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert "Publish revision 1" in page
    response = client.post(
        f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": submit_data(page)["csrf_token"]}
    )
    assert response.status_code == 303
    db_session.refresh(revision)
    assert revision.status == "published" and revision.pdf_sha256
    # Publishing again is refused, and the revision's page says why.
    response = client.post(
        f"/systems/{system.uid}/revisions/1/publish",
        data={"csrf_token": submit_data(page)["csrf_token"]},
        follow_redirects=True,
    )
    assert "only an approved revision can be published" in response.get_data(as_text=True)


def test_a_failed_audit_write_leaves_no_half_submitted_revision(
    client, db_session, login, people, make_draft, make_system
):
    """Submit and its audit event are one transaction: make the audit write fail (a trigger
    that refuses inserts, inside this test's transaction) and nothing is submitted."""
    system = make_system(agency=people["agency"])
    draft = make_draft(STARTER_COMPLETE, system=system)
    login(people["author"])
    page = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    if db_session.get_bind().dialect.name == "postgresql":
        db_session.execute(
            sa.text(
                "CREATE FUNCTION audit_fail() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'audit store unavailable'; END $$ LANGUAGE plpgsql"
            )
        )
        db_session.execute(
            sa.text(
                "CREATE TRIGGER audit_fail BEFORE INSERT ON audit_event "
                "FOR EACH ROW EXECUTE FUNCTION audit_fail()"
            )
        )
    else:
        db_session.execute(
            sa.text(
                "CREATE TRIGGER audit_fail BEFORE INSERT ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
            )
        )
    response = client.post(f"/systems/{system.uid}/review", data=submit_data(page))
    assert response.status_code == 500
    assert (
        db_session.scalar(
            sa.select(sa.func.count()).select_from(Revision).where(Revision.system_id == system.id)
        )
        == 0
    )
    kept = db_session.scalar(sa.select(Draft).where(Draft.id == draft.id))
    assert kept is not None and kept.answers == draft.answers


def test_publication_and_withdrawal_reach_the_public_register(
    app, client, db_session, people, make_system, make_revision
):
    from aia.register.models import RegisterEntry

    system = make_system(name="Parking permits", agency=people["agency"])
    revision = make_revision(system=system, status="approved")
    move(app, db_session, "publish", people["approver"], revision)
    entry = db_session.scalar(sa.select(RegisterEntry).where(RegisterEntry.system_id == system.id))
    assert (entry.state, entry.revision_id, entry.pdf_sha256) == ("current", revision.id, revision.pdf_sha256)
    assert "Parking permits" in client.get("/register/").get_data(as_text=True)
    move(app, db_session, "withdraw", people["approver"], revision, "Switched off in March.")
    db_session.refresh(entry)
    assert (entry.state, entry.withdrawal_reason) == ("withdrawn", "Switched off in March.")


def test_system_page_offers_a_new_draft_only_to_who_may_start_one(
    app, login, make_user, make_agency, make_system, make_revision, db_session
):
    from aia.assessments import lifecycle

    agency = make_agency()
    system = make_system(agency=agency)
    revision = make_revision(system=system)
    reader = app.test_client()
    login("auditor", on=reader)
    page = reader.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert "is submitted: a new draft can start once" in page
    approver = make_user("approver", agency)
    lifecycle.change_status(db_session, approver, revision, "request_changes", "Fix it.")
    db_session.flush()
    page = reader.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert '/draft"' not in page and "No draft in progress." in page
    author = app.test_client()
    login("author", agency, on=author)
    page = author.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert f'action="/systems/{system.uid}/draft"' in page
