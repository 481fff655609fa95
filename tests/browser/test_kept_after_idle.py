"""Answers typed before an idle sign-out are kept, in a real browser. The app is started with a
short idle limit (four seconds), so the session cookie's own lifetime is the one it would
really have; the wait is real, so Chromium decides for itself whether it still sends the
cookie. Type, wait past the limit, press Next, sign in again: the text is there, and saved."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from aia import create_app
from aia.accounts import services as account_services
from aia.assessments.models import Draft, System
from aia.cli import upgrade_database
from aia.extensions import db
from config import TestConfig

from . import live
from .pages import answer_step, create_system, step_url

pytestmark = pytest.mark.browser

IDLE_SECONDS = 4
TYPED = "Typed just before the idle limit 🕰️ — and kept"
EMAIL = "idle@browser.example"


@pytest.fixture(scope="module")
def short_idle_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """An app of its own, started with the short idle limit, and its base URL."""
    tmp = tmp_path_factory.mktemp("idle")
    with live.database(tmp) as url:
        config = type(
            "ShortIdle",
            (TestConfig,),
            {"DATABASE_URL": url, "REPORT_DIR": str(tmp), "SESSION_IDLE_MINUTES": IDLE_SECONDS / 60},
        )
        app = create_app(config)
        with app.app_context():
            upgrade_database()
            agency = account_services.create_agency(db.session, None, "idle", "Idle Office")
            account_services.create_user(
                db.session, None, EMAIL, "Idle author", "author", agency, live.PASSWORD
            )
            db.session.commit()
        with live.serve(app) as base_url:
            yield app, base_url


def sign_in(page) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(live.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_answers_typed_before_an_idle_sign_out_are_saved_after_signing_in(
    browser, short_idle_app, monkeypatch
):
    app, base_url = short_idle_app
    # Without scripts: with them, autosave would have saved the typing before the limit (and
    # kept the session alive); this is the path where only the kept form can save it.
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page)
        page.wait_for_url(lambda url: "/login" not in url)
        uid = create_system(page, "Kept after idle")
        answer_step(page, "about")
        page.get_by_label("Which decision does the system take or support?").fill(TYPED)

        time.sleep(IDLE_SECONDS + 1)  # the point is a real expiry: nothing to wait on but time
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_url(re.compile(r"/login\?"))
        expect(page.get_by_role("status").filter(has_text="Your answers are kept")).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="signed out after 4 seconds")).to_be_visible()

        # From here on the limit no longer matters: give the rest of the test time to look.
        monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
        sign_in(page)  # the same person, in the same browser
        page.wait_for_url(f"**{step_url(uid, 'triage')}")  # saved as if Next had been pressed
        with app.app_context():
            system = db.session.scalar(sa.select(System).where(System.uid == uid))
            draft = db.session.scalar(sa.select(Draft).where(Draft.system_id == system.id))
            assert draft.answers["decision"] == TYPED
        page.get_by_role("button", name="Back").click()
        page.wait_for_url(f"**{step_url(uid, 'about')}")
        expect(page.get_by_label("Which decision does the system take or support?")).to_have_value(TYPED)
    finally:
        context.close()
