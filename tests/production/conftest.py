"""``site``: the production stack of tests/production/site.py, started once, on a PostgreSQL
database of its own with one account of each role and one published entry. It runs when the
suite runs on PostgreSQL (AIA_DATABASE_URL=postgresql+psycopg://...; CI's second pass), and
needs Redis, nginx and openssl: without them it is skipped, except in CI, where that is a failure.

After the tests, nginx's access log is read: any 5xx answered to anyone fails the run."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..databases import own_database
from ..redis_store import forget, require_redis, run_prefix
from .site import PUBLIC_WORKERS, Visitor, free_port, start_gunicorn, start_nginx, start_worker, stop

IN_CI = os.environ.get("CI", "").lower() in ("1", "true")


def require(condition: bool, message: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{message}; in CI this is a failure, not a skip", pytrace=False)
    pytest.skip(message)


@dataclass
class Site:
    https_port: int
    http_port: int
    folder: Path
    accounts: dict[str, tuple[str, str]]  # role -> (email, password)
    database_url: str
    environment: dict[str, str]
    app_port: int = 0  # gunicorn's own, on loopback: where the monitoring system scrapes

    def scraper(self) -> Visitor:
        """The monitoring system: straight to gunicorn, over plain HTTP, on loopback."""
        return Visitor(self.app_port, self.certificate, address="127.0.0.1", scheme="http")

    @property
    def certificate(self) -> Path:
        return self.folder / "site.pem"

    def visitor(self, address: str = "127.0.0.2") -> Visitor:
        return Visitor(self.https_port, self.certificate, address)


ROLES = ("author", "approver", "auditor", "admin")
METRICS_TOKEN = os.urandom(16).hex()
TO_PUBLISH = "Pothole reports, approved"
TO_PREVIEW = "Claim review triage, approved"


def load_data(database_url: str, report_dir: Path) -> dict[str, tuple[str, str]]:
    """Migrate the database as an operator would before going live, then make one account of
    each role and one system published through the real publication (its PDF rendered)."""
    from aia import create_app
    from aia.accounts import services as accounts_services
    from aia.assessments import lifecycle
    from aia.assessments import services as assessments
    from aia.cli import upgrade_database
    from aia.db import db, engine_of
    from aia.extensions import questionnaires
    from aia.publishing import services as publishing
    from aia.report.samples import rich_answers
    from aia.seed import STARTER_LOW
    from config import TestConfig

    seeding = create_app(
        type("Seeding", (TestConfig,), {"DATABASE_URL": database_url, "REPORT_DIR": str(report_dir)})
    )
    accounts = {role: (f"{role}@roads.example", f"{role} {os.urandom(8).hex()}") for role in ROLES}
    with seeding.app_context():
        upgrade_database()
        session = db.session
        roads = accounts_services.create_agency(session, None, "roads", "Roads Authority")
        users = {
            role: accounts_services.create_user(
                session, None, email, role, role, roads if role in ("author", "approver") else None, password
            )
            for role, (email, password) in accounts.items()
        }
        starter = questionnaires().latest("starter")
        assert starter is not None
        system = assessments.create_system(
            session, roads.id, "Street light repairs", "Orders repair tickets.", actor=users["author"]
        )
        draft = assessments.start_draft(session, system, starter, STARTER_LOW, actor=users["author"])
        revision = assessments.submit(session, draft, starter, draft.lock_version, actor=users["author"])
        lifecycle.change_status(session, users["approver"], revision, "approve")
        publishing.publish(session, users["approver"], revision, registry=questionnaires())
        # Two approved revisions: one to publish through the job queue, one to preview, large
        # enough (every long answer filled, emoji and all) that its preview takes a while.
        ads = questionnaires().latest("ads-impact")
        assert ads is not None
        for name, definition, answers in (
            (TO_PUBLISH, starter, STARTER_LOW),
            (TO_PREVIEW, ads, rich_answers(ads, 400)),
        ):
            waiting = assessments.create_system(session, roads.id, name, "", actor=users["author"])
            draft = assessments.start_draft(session, waiting, definition, answers, actor=users["author"])
            approved = assessments.submit(
                session, draft, definition, draft.lock_version, actor=users["author"]
            )
            lifecycle.change_status(session, users["approver"], approved, "approve")
        session.commit()
    engine_of(seeding).dispose()
    return accounts


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not os.environ.get("AIA_DATABASE_URL", "").startswith("postgresql"):
        # Not a failure in CI either: CI's PostgreSQL pass runs them.
        pytest.skip(
            "the production tests run in the PostgreSQL pass (AIA_DATABASE_URL=postgresql+psycopg://...)"
        )
    require(shutil.which("nginx") is not None, "nginx is not installed (apt-get install nginx)")
    require(shutil.which("openssl") is not None, "openssl is not installed (apt-get install openssl)")
    redis_url = require_redis()
    folder = tmp_path_factory.mktemp("production")
    prefix = run_prefix()
    with own_database(folder / "unused.sqlite3", prefix="aia_production") as database_url:
        accounts = load_data(database_url, folder / "reports")
        app_port, public_port, https_port, http_port = free_port(), free_port(), free_port(), free_port()
        environment = {
            "AIA_ENV": "production",
            "AIA_SECRET_KEY": os.urandom(32).hex(),
            "AIA_DATABASE_URL": database_url,
            "AIA_REPORT_DIR": str(folder / "reports"),
            "AIA_RATELIMIT_STORAGE_URI": redis_url,
            "AIA_RATELIMIT_KEY_PREFIX": prefix,
            "AIA_TRUSTED_PROXIES": "1",
            "AIA_PUBLIC_URL": f"https://127.0.0.1:{https_port}",
            "AIA_LOG_LEVEL": "WARNING",
            "AIA_METRICS_TOKEN": METRICS_TOKEN,
            # The job queue in Redis, under this run's prefix; `aia worker` works it.
            "AIA_JOBS_URL": redis_url,
            "AIA_JOBS_NAME": prefix,
            # One render at a time on this host; a preview waits for its turn rather than be
            # refused (a 503 would fail the run); the wait and the render together stay within the
            # web worker's timeout (90 s), as the app requires.
            "AIA_REPORT_CONCURRENCY": "1",
            "AIA_REPORT_SLOTS_DIR": str(folder / "render-slots"),
            "AIA_REPORT_SLOT_WAIT": "40",
            "AIA_REPORT_PREVIEW_TIMEOUT": "45",
            "AIA_REPORT_CACHE_DIR": str(folder / "preview-cache"),
        }
        gunicorn = start_gunicorn(environment, app_port, folder / "gunicorn.log")
        public = start_gunicorn(environment, public_port, folder / "gunicorn-public.log", PUBLIC_WORKERS)
        worker = start_worker(environment, folder / "worker.log")
        try:
            nginx = start_nginx(
                folder, https_port, http_port, f"127.0.0.1:{app_port}", f"127.0.0.1:{public_port}"
            )
            try:
                yield Site(https_port, http_port, folder, accounts, database_url, environment, app_port)
            finally:
                stop(nginx)
        finally:
            stop(worker)
            stop(public)
            stop(gunicorn)
            forget(prefix)
    failures = [
        line for line in (folder / "access.log").read_text().splitlines() if re.search(r'" 5\d\d ', line)
    ]
    assert not failures, "nginx passed on server errors:\n" + "\n".join(failures)


@pytest.fixture(scope="package")
def app_without_redis(site: Site) -> Iterator[Visitor]:
    """The same app and database, its limit storage a Redis that is down (nothing listens on
    its port): gunicorn straight, over plain HTTP, as the point is Redis and not the proxy."""
    port, dead = free_port(), free_port()
    environment = {
        **site.environment,
        "AIA_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{dead}/0",
        "AIA_TRUSTED_PROXIES": "0",
        "AIA_COOKIE_SECURE": "0",
    }
    gunicorn = start_gunicorn(environment, port, site.folder / "gunicorn-without-redis.log", workers=2)
    try:
        yield Visitor(port, site.certificate, scheme="http")
    finally:
        stop(gunicorn)
