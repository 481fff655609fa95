"""Publishing in a real browser, with a job queue nobody works until the test says so: the
progress page waits, then (scripts on) goes on by itself to the published revision once a
worker has done it, or (scripts off) after "Check again"."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from aia import create_app
from aia.accounts import services as account_services
from aia.assessments import lifecycle
from aia.assessments import services as assessments
from aia.cli import upgrade_database
from aia.extensions import db
from aia.jobs import start_consumer
from aia.seed import STARTER_LOW, load_demo
from config import TestConfig

from . import live
from .pages import check_axe

pytestmark = pytest.mark.browser
EMAIL = "dana.browser@transport.example"
NO_SCRIPT_SYSTEM = "Parking permit triage"


@pytest.fixture(scope="module")
def queued_site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[tuple[str, Flask]]:
    tmp = tmp_path_factory.mktemp("queued")
    with live.database(tmp) as database_url:
        config = type(
            "Queued",
            (TestConfig,),
            {
                "DATABASE_URL": database_url,
                "REPORT_DIR": str(tmp / "reports"),
                "JOBS_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}",
                "JOBS_IMMEDIATE": False,
            },
        )
        app = create_app(config)
        with app.app_context():
            upgrade_database()
            load_demo(db.session, app.extensions["aia.questionnaires"])
            agency = account_services.agency_by_slug(db.session, "city-transport")
            approver = account_services.create_user(
                db.session, None, EMAIL, "Dana", "approver", agency, live.PASSWORD
            )
            # A second approved revision, for the page without scripts.
            starter = app.extensions["aia.questionnaires"].latest("starter")
            system = assessments.create_system(db.session, agency.id, NO_SCRIPT_SYSTEM, "")
            draft = assessments.start_draft(db.session, system, starter, STARTER_LOW)
            revision = assessments.submit(db.session, draft, starter, draft.lock_version)
            lifecycle.change_status(db.session, approver, revision, "approve")
            db.session.commit()
        with live.serve(app) as base_url:
            yield base_url, app


def open_approved_revision(browser, base_url: str, system: str = "Bus lane camera review", **options):
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(live.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.get_by_role("link", name=system).click()
    page.get_by_role("link", name=re.compile(r"Revision 1")).first.click()
    return context, page


def test_the_progress_page_goes_on_by_itself_once_the_worker_published(browser, queued_site):
    base_url, app = queued_site
    context, page = open_approved_revision(browser, base_url)
    try:
        page.get_by_role("link", name="Publish revision 1…").click()
        page.wait_for_url(re.compile(r"/revisions/1/publish$"))
        assert page.get_by_role("heading", name="This becomes public").is_visible()
        check_axe(page, "the confirmation before publishing")
        page.get_by_role("button", name="Yes, publish revision 1 now").click()
        page.wait_for_url(re.compile(r"/revisions/1/publication$"))
        assert page.get_by_role("heading", name="Publishing revision 1").is_visible()
        assert "waiting its turn" in page.get_by_role("status").inner_text()
        check_axe(page, "a publication's progress, waiting")
        consumer = start_consumer(app)
        try:
            # No click: the page's script sees the job done and loads the published revision.
            page.wait_for_url(re.compile(r"/revisions/1$"), timeout=120_000)
            assert page.get_by_text("Revision 1 published.").is_visible()
            # The public entry is the thing to go to now; withdrawing is folded away.
            public = page.get_by_role("link", name="Open the public entry")
            assert public.is_visible()
            assert page.get_by_label("Why is it withdrawn? (required, kept in the audit trail)").is_hidden()
            check_axe(page, "a revision just published")
            public.click()
            page.wait_for_url(re.compile(r"/register/[^/]+$"))
        finally:
            consumer.stop(graceful=True)
    finally:
        context.close()


def test_without_scripts_check_again_shows_the_published_revision(browser, queued_site):
    base_url, app = queued_site
    context, page = open_approved_revision(browser, base_url, NO_SCRIPT_SYSTEM, java_script_enabled=False)
    try:
        page.get_by_role("link", name="Publish revision 1…").click()
        page.get_by_role("button", name="Yes, publish revision 1 now").click()
        page.wait_for_url(re.compile(r"/revisions/1/publication$"))
        page.get_by_role("button", name="Check again").click()  # nobody works the queue yet
        assert page.get_by_role("heading", name="Publishing revision 1").is_visible()
        consumer = start_consumer(app)
        try:
            for _ in range(600):  # a bound, not a time: each round is one click and one page
                page.get_by_role("button", name="Check again").click()
                page.wait_for_load_state()
                if "/publication" not in page.url:
                    break
                page.wait_for_timeout(200)
            assert re.search(r"/revisions/1$", page.url), page.url
            assert page.get_by_text("Revision 1 published.").is_visible()
        finally:
            consumer.stop(graceful=True)
    finally:
        context.close()
