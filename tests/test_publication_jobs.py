"""Publications through the job queue, with huey's own consumer in a thread on a queue and a
database of their own (SQLite files): the request only records the job; the worker renders,
stores and publishes; a render that fails is tried again, then reported with its reason, and
the revision stays approved with nothing published."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from aia import create_app
from aia.accounts import services as accounts
from aia.assessments import lifecycle
from aia.assessments import services as assessments
from aia.assessments.models import Revision
from aia.cli import upgrade_database
from aia.extensions import db
from aia.jobs import jobs, start_consumer
from aia.publishing.jobs import request_publication
from aia.publishing.models import PublicationJob
from aia.register.models import RegisterEntry
from config import TestConfig

from .answers import STARTER_COMPLETE
from .webform import submit_data

WAIT_S = 120  # a generous bound on a few renders on a busy machine: the test waits for a state


@pytest.fixture
def queued_app(tmp_path):
    config = type(
        "Queued",
        (TestConfig,),
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'aia.sqlite3'}",
            "REPORT_DIR": str(tmp_path / "reports"),
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "JOBS_IMMEDIATE": False,
            "PUBLISH_ATTEMPTS": 2,
        },
    )
    app = create_app(config)
    with app.app_context():
        upgrade_database()
    consumers = []
    app.extensions["test.consumers"] = consumers
    yield app
    for consumer in consumers:
        consumer.stop(graceful=True)


def approved_revision(app) -> tuple[int, int]:
    """An approved starter revision and its approver, committed (ids)."""
    with app.app_context():
        session = db.session
        agency = accounts.create_agency(session, None, "jobs", "Jobs Agency")
        author = accounts.create_user(session, None, "a@jobs.example", "", "author", agency, "x" * 16)
        approver = accounts.create_user(session, None, "p@jobs.example", "", "approver", agency, "x" * 16)
        definition = app.extensions["aia.questionnaires"].latest("starter")
        system = assessments.create_system(session, agency.id, "Queued system 🧮", "")
        draft = assessments.start_draft(session, system, definition, STARTER_COMPLETE)
        revision = assessments.submit(session, draft, definition, draft.lock_version, actor=author)
        lifecycle.change_status(session, approver, revision, "approve")
        session.commit()
        return revision.id, approver.id


def ask_to_publish(app, revision_id: int, approver_id: int) -> int:
    with app.test_request_context():
        session = db.session
        revision = session.get(Revision, revision_id)
        job, new = request_publication(session, session.get(accounts.User, approver_id), revision, "")
        session.commit()
        assert new
        jobs.enqueue("publish", job_id=job.id, attempts_allowed=app.config["PUBLISH_ATTEMPTS"])
        return job.id


def job_state(app, job_id: int) -> PublicationJob:
    # As a page that only reads (GET): its transaction begins deferred and, with the
    # write-ahead log, never waits for the worker's.
    with app.test_request_context("/", method="GET"):
        job = db.session.get(PublicationJob, job_id)
        db.session.expunge(job)
        return job


def wait_for(app, job_id: int, states: tuple[str, ...]) -> PublicationJob:
    deadline = time.monotonic() + WAIT_S
    while (job := job_state(app, job_id)).state not in states:
        assert time.monotonic() < deadline, f"the job is still {job.state} after {WAIT_S} s"
        time.sleep(0.1)
    return job


def test_a_worker_publishes_what_the_request_queued(queued_app):
    revision_id, approver_id = approved_revision(queued_app)
    job_id = ask_to_publish(queued_app, revision_id, approver_id)
    # Nothing runs the queue yet: the request did not render, the revision is still approved.
    assert job_state(queued_app, job_id).state == "queued"
    with queued_app.app_context():
        assert db.session.get(Revision, revision_id).status == "approved"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0
    queued_app.extensions["test.consumers"].append(start_consumer(queued_app))
    job = wait_for(queued_app, job_id, ("done", "failed"))
    assert (job.state, job.attempts, job.error) == ("done", 1, None)
    with queued_app.app_context():
        revision = db.session.get(Revision, revision_id)
        assert revision.status == "published" and revision.pdf_sha256
        entry = db.session.scalar(sa.select(RegisterEntry))
        assert entry.revision_id == revision_id


def test_a_failing_render_is_tried_again_then_reported(queued_app):
    """The real renderer, given too little time: each attempt fails with its reason."""
    queued_app.config["REPORT_TIMEOUT"] = 0.01
    revision_id, approver_id = approved_revision(queued_app)
    job_id = ask_to_publish(queued_app, revision_id, approver_id)
    queued_app.extensions["test.consumers"].append(start_consumer(queued_app))
    job = wait_for(queued_app, job_id, ("done", "failed"))
    assert job.state == "failed" and job.attempts == 2
    assert "took longer than 0.01 s to render" in job.error
    with queued_app.app_context():
        revision = db.session.get(Revision, revision_id)
        assert revision.status == "approved" and revision.pdf_sha256 is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) == 0
    # Given its time back, the approver's second request publishes it.
    queued_app.config["REPORT_TIMEOUT"] = 60
    assert ask_to_publish(queued_app, revision_id, approver_id) == job_id
    job = wait_for(queued_app, job_id, ("done", "failed"))
    assert (job.state, job.attempts) == ("done", 1)


def test_the_progress_page_says_why_a_publication_failed(
    app, client, db_session, login, people_for_publication
):
    """Immediate mode (the tests' default): the job runs through huey within the request."""
    system, revision, approver = people_for_publication
    app.config["REPORT_TIMEOUT"] = 0.01
    try:
        login(approver)
        page = client.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
        response = client.post(
            f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": submit_data(page)["csrf_token"]}
        )
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/systems/{system.uid}/revisions/1/publication")
        progress = client.get(f"/systems/{system.uid}/revisions/1/publication").get_data(as_text=True)
        assert "Revision 1 could not be published" in progress
        assert "took longer than 0.01 s to render" in progress
        assert "The revision is still approved: nothing was published." in progress
        status = client.get(f"/systems/{system.uid}/revisions/1/publication.json").get_json()
        assert status["state"] == "failed" and status["waiting"] is False
        app.config["REPORT_TIMEOUT"] = 60
        again = client.post(
            f"/systems/{system.uid}/revisions/1/publish",
            data={"csrf_token": submit_data(progress)["csrf_token"]},
        )
        assert again.status_code == 303
        done = client.get(f"/systems/{system.uid}/revisions/1/publication", follow_redirects=True)
        assert "Revision 1 published." in done.get_data(as_text=True)
        db_session.expire_all()
        assert db_session.get(Revision, revision.id).status == "published"
    finally:
        app.config["REPORT_TIMEOUT"] = 60


@pytest.fixture
def people_for_publication(db_session, make_user, make_system, make_revision):
    approver = make_user("approver")
    system = make_system(agency=approver.agency)
    revision = make_revision(system=system, submitted_by=make_user("author", approver.agency))
    lifecycle.change_status(db_session, approver, revision, "approve")
    return system, revision, approver


def lock_probing_renderer(monkeypatch, database: str, during_render=None) -> list[str]:
    """The real renderer, which first tries to take SQLite's write lock from a connection of
    its own, without waiting (what another writer, an author saving a step, would need while
    the report renders). Returns the list of what each render found: "free" or the error."""
    import sqlite3

    from aia.report import render

    found: list[str] = []
    real = render.write_pdf_limited

    def probing(html, attachments, limits):
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            found.append("free")
        except sqlite3.OperationalError as error:
            found.append(str(error))
        finally:
            other.close()
        if during_render is not None and len(found) == 1:
            during_render()
        return real(html, attachments, limits)

    monkeypatch.setattr(render, "write_pdf_limited", probing)
    return found


def stored_copies(app, revision_id: int) -> list[str]:
    from aia.report.models import ReportFile

    with app.app_context():
        query = sa.select(ReportFile.sha256).where(ReportFile.revision_id == revision_id)
        return list(db.session.scalars(query))


def published_by_a_worker(app) -> tuple[int, list[str]]:
    """An approved revision published through the queue by a consumer: its id and the
    hashes of its stored copies."""
    revision_id, approver_id = approved_revision(app)
    job_id = ask_to_publish(app, revision_id, approver_id)
    app.extensions["test.consumers"].append(start_consumer(app))
    job = wait_for(app, job_id, ("done", "failed"))
    assert (job.state, job.error) == ("done", None)
    return revision_id, stored_copies(app, revision_id)


def test_a_publication_renders_without_holding_the_write_lock(queued_app, monkeypatch, tmp_path):
    """Other writers can write while the reports render; the copies rendered before the
    publication's transaction are the ones it records (nothing is rendered twice)."""
    from aia.integrity.verify import verify_all

    found = lock_probing_renderer(monkeypatch, str(tmp_path / "aia.sqlite3"))
    revision_id, copies = published_by_a_worker(queued_app)
    assert copies and found == ["free"] * len(copies)
    with queued_app.app_context():
        for check in verify_all(db.session, queued_app.config["REPORT_DIR"]):
            assert check.ok, (check.name, check.problems)


def test_a_change_during_the_render_is_in_the_published_copy(queued_app, monkeypatch, tmp_path):
    """The agency is renamed (committed by another writer) while the first copy renders:
    the publication sees that its copies no longer show what it publishes, renders them again
    within its transaction, and the register's copy carries the new name."""
    from pypdf import PdfReader

    from aia.accounts.models import Agency
    from aia.integrity.verify import verify_all

    def rename():
        with queued_app.app_context():
            agency = db.session.scalar(sa.select(Agency).where(Agency.slug == "jobs"))
            accounts.rename_agency(db.session, None, agency, "Renamed Meanwhile Agency")
            db.session.commit()

    found = lock_probing_renderer(monkeypatch, str(tmp_path / "aia.sqlite3"), during_render=rename)
    revision_id, copies = published_by_a_worker(queued_app)
    # Rendered ahead (the lock free), then again within the publication (the lock held).
    assert found[: len(copies)] == ["free"] * len(copies)
    assert len(found) == 2 * len(copies) and "free" not in found[len(copies) :]
    reports = tmp_path / "reports"
    with queued_app.app_context():
        reference = db.session.get(Revision, revision_id).pdf_sha256
        text = "".join(page.extract_text() for page in PdfReader(reports / f"{reference}.pdf").pages)
        assert "Renamed Meanwhile Agency" in text
        for check in verify_all(db.session, reports):
            assert check.ok, (check.name, check.problems)


def test_a_publication_renders_each_copy_once(
    app, client, db_session, login, people_for_publication, monkeypatch
):
    """On either database kind, through the web (the job runs within the request): the copies
    rendered before the publication's transaction are the ones it records."""
    from aia.report import render

    system, revision, approver = people_for_publication
    renders = []
    real = render.write_pdf_limited

    def counted(html, attachments, limits):
        renders.append(len(html))
        return real(html, attachments, limits)

    monkeypatch.setattr(render, "write_pdf_limited", counted)
    login(approver)
    page = client.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    response = client.post(
        f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": submit_data(page)["csrf_token"]}
    )
    assert response.status_code == 303
    db_session.expire_all()
    assert db_session.get(Revision, revision.id).status == "published"
    copies = stored_copies(app, revision.id)
    assert copies and len(renders) == len(copies)
