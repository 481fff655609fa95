"""Fixtures that combine: ``app`` (one per run, schema built by the migrations), ``db_session``
(each test inside a transaction that is rolled back), ``client``, and factories.

Set ``AIA_DATABASE_URL=postgresql+psycopg://...`` to run everything on PostgreSQL: the run
then works in a database of its own, created and dropped here, so runs never meet."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from aia import create_app
from aia.cli import upgrade_database
from aia.db import db, engine_of
from config import TestConfig

from .databases import own_database

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with own_database(tmp_path_factory.mktemp("db") / "test.sqlite3") as url:
        yield url


@pytest.fixture(scope="session")
def app_config(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> type[TestConfig]:
    return type(
        "RunConfig",
        (TestConfig,),
        {
            "DATABASE_URL": database_url,
            "REPORT_DIR": str(tmp_path_factory.mktemp("reports")),
        },
    )


@pytest.fixture(scope="session")
def app(app_config: type[TestConfig]):
    app = create_app(app_config)
    with app.app_context():
        upgrade_database()
    yield app
    engine_of(app).dispose()


@pytest.fixture
def db_session(app):
    """A session whose work, and that of every request in the test, is rolled back."""
    connection = engine_of(app).connect()
    transaction = connection.begin()
    factory = db.session.session_factory
    saved = dict(factory.kw)
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    # No app context stays pushed: each request gets its own, as in production (and so its
    # own session and its own ``g``).
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        factory.kw.clear()
        factory.kw.update(saved)
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture
def client(app, db_session):
    from aia.extensions import limiter

    limiter.reset()  # sign-in attempts of earlier tests do not count
    return app.test_client()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app, db_session, make_agency):
    """An account; authors and approvers get a new agency unless one is given."""
    from aia.accounts import services
    from aia.accounts.models import AGENCY_ROLES

    def make(
        role: str = "author", agency=None, email: str | None = None, password: str = PASSWORD, name: str = ""
    ):
        if role in AGENCY_ROLES and agency is None:
            agency = make_agency()
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@agency.example"
        with app.app_context():  # hashing reads the app's settings
            return services.create_user(db_session, None, email, name, role, agency, password)

    return make


@pytest.fixture
def login(client, make_user):
    """Sign a test client in through the login form; returns the account.
    ``login("approver", agency)`` makes the account; ``login(user)`` uses an existing one."""
    from .webform import submit_data

    def sign_in(who="author", agency=None, on=None, password: str = PASSWORD):
        user = make_user(who, agency) if isinstance(who, str) else who
        browser = on or client
        page = browser.get("/login").get_data(as_text=True)
        response = browser.post("/login", data=submit_data(page, {"email": user.email, "password": password}))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return user

    return sign_in


@pytest.fixture
def registry(app):
    return app.extensions["aia.questionnaires"]


@pytest.fixture
def make_agency(db_session):
    from aia.accounts.models import Agency

    def make(**overrides) -> Agency:
        slug = overrides.pop("slug", f"agency-{uuid.uuid4().hex[:6]}")
        agency = Agency(slug=slug, name=overrides.pop("name", f"Agency {slug}"), **overrides)
        db_session.add(agency)
        db_session.flush()
        return agency

    return make


@pytest.fixture
def make_system(db_session, make_agency):
    from aia.assessments import services

    def make(name: str = "Test system", agency=None, description: str = ""):
        agency = agency or make_agency()
        return services.create_system(db_session, agency.id, name, description)

    return make


@pytest.fixture
def make_draft(db_session, make_system, registry):
    from aia.assessments import services

    def make(answers=None, system=None, key: str = "starter", version: int | None = None):
        definition = registry.get(key, version) if version else registry.latest(key)
        return services.start_draft(db_session, system or make_system(), definition, answers)

    return make


@pytest.fixture
def make_revision(db_session, make_draft, registry):
    """A submitted revision; answers default to a complete starter assessment."""
    from aia.assessments import services

    from .answers import STARTER_COMPLETE

    def make(answers=None, system=None, submitted_by=None, **overrides):
        draft = make_draft({**STARTER_COMPLETE, **(answers or {})}, system=system)
        definition = registry.get(draft.questionnaire_key, draft.questionnaire_version)
        revision = services.submit(db_session, draft, definition, draft.lock_version, actor=submitted_by)
        for name, value in overrides.items():
            setattr(revision, name, value)
        db_session.flush()
        return revision

    return make


# The register's publications, for the tests of the register and its open data.
@pytest.fixture
def approver_of(make_user):
    """The approver of an agency (one per agency and test)."""
    approvers = {}

    def approver(agency):
        if agency.id not in approvers:
            approvers[agency.id] = make_user("approver", agency)
        return approvers[agency.id]

    return approver


@pytest.fixture
def publish(app, db_session, approver_of):
    """Approve a submitted revision and publish it through the real publication: its PDF
    rendered and stored, the system's earlier published revision superseded, audit events
    written, the register entry made. ``published_dt`` then dates the entry, for the tests of
    order and date filters. Returns the register entry."""

    import sqlalchemy as sa

    from aia.assessments import lifecycle
    from aia.publishing import services as publication
    from aia.register.models import RegisterEntry

    def publish(revision, published_dt=None) -> RegisterEntry:
        approver = approver_of(revision.system.agency)
        with app.app_context():  # the render reads the app's settings
            lifecycle.change_status(db_session, approver, revision, "approve")
            publication.publish(db_session, approver, revision, "Ready for the public.")
        entry = db_session.scalar(sa.select(RegisterEntry).where(RegisterEntry.revision_id == revision.id))
        if published_dt is not None:
            entry.published_dt = published_dt
            db_session.flush()
        return entry

    return publish


@pytest.fixture
def withdraw(app, db_session, approver_of):
    """Withdraw a published revision through the real withdrawal."""

    from aia.publishing import services as publication

    def withdraw(revision, reason: str) -> None:
        with app.app_context():
            publication.withdraw(db_session, approver_of(revision.system.agency), revision, reason)

    return withdraw


@pytest.fixture
def published(make_agency, make_system, make_revision, publish):
    """A system of the Tax Office with one published revision."""
    tax = make_agency(slug="tax", name="Tax Office")
    system = make_system("Benefit fraud ranking", agency=tax, description="Ranks claims.")
    publish(make_revision(system=system))
    return system


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server (aiosmtpd) for this test, which the app's mail goes to: its inbox."""
    from .smtp import smtp_server

    with smtp_server() as (inbox, port):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        yield inbox
