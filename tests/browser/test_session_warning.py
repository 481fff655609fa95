"""The warning before the idle limit, in a real browser (WCAG 2.2.1, Timing Adjustable). The
app runs with a short idle limit (ten seconds, so the warning comes five seconds before the
end); the waits are real. The dialog takes the focus, Stay signed in (pressed with the keyboard)
renews the session past its first limit, and without an answer the page says the person was
signed out and that what they typed is kept: Save draft, sign in again, and it is saved."""

from __future__ import annotations

import re
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

from . import keyboard, live
from .pages import check_axe, create_system

pytestmark = pytest.mark.browser

IDLE_SECONDS = 10
EMAIL = "warned@browser.example"
TYPED = "Typed after the sign-out, and kept"
WAIT_MS = IDLE_SECONDS * 1000  # a real wait, for as long as the limit


@pytest.fixture(scope="module")
def warned_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    tmp = tmp_path_factory.mktemp("warned")
    with live.database(tmp) as url:
        config = type(
            "ShortIdleWarned",
            (TestConfig,),
            {"DATABASE_URL": url, "REPORT_DIR": str(tmp), "SESSION_IDLE_MINUTES": IDLE_SECONDS / 60},
        )
        app = create_app(config)
        with app.app_context():
            upgrade_database()
            agency = account_services.create_agency(db.session, None, "warned", "Warned Office")
            account_services.create_user(
                db.session, None, EMAIL, "Warned author", "author", agency, live.PASSWORD
            )
            db.session.commit()
        with live.serve(app) as base_url:
            yield app, base_url


def sign_in(page) -> None:
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(live.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def seconds_left(page) -> dict:
    return page.request.get("/session").json()  # the same cookies; never renews the session


def session_cookie(app, context) -> dict:
    return next(c for c in context.cookies() if c["name"] == app.config["SESSION_COOKIE_NAME"])


def test_warned_before_the_end_stay_signed_in_then_signed_out_with_the_typing_kept(
    browser, warned_app, monkeypatch
):
    app, base_url = warned_app
    # The browser's clock is fourteen hours ahead of UTC; the dialog says the time in UTC.
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, timezone_id="Pacific/Kiritimati"
    )
    context.set_default_timeout(IDLE_SECONDS * 1000)
    try:
        page = context.new_page()
        page.goto("/login")
        sign_in(page)
        uid = create_system(page, "Warned in time")
        cookie_before = session_cookie(app, context)
        dialog = page.get_by_role("dialog", name="You will be signed out soon")
        stay = dialog.get_by_role("button", name="Stay signed in")

        # Half the limit before its end, the dialog opens by itself with the focus on Stay.
        expect(dialog).to_be_visible(timeout=WAIT_MS)
        expect(dialog).to_contain_text(re.compile(r"you will be signed out at \d\d:\d\d(:\d\d)? UTC,"))
        expect(stay).to_be_focused()
        expect(dialog.get_by_role("link", name="Sign in again")).to_be_hidden()
        expect(dialog.get_by_role("button", name="Back to the page")).to_be_hidden()
        check_axe(page, "the warning before the idle limit")
        page.keyboard.press("Enter")  # the keyboard alone
        expect(dialog).to_be_hidden()
        expect(page.locator("[data-timeout-status]")).to_have_text("You are still signed in.")
        expect(page.locator("[data-timeout-status]")).to_have_attribute("aria-live", "polite")
        # The browser's cookie was renewed with the session, seconds after the page was loaded.
        assert session_cookie(app, context)["expires"] > cookie_before["expires"]
        assert seconds_left(page)["signed_in"] is True

        # The next warning comes once the renewed session nears its end, past the first limit.
        expect(dialog).to_be_visible(timeout=WAIT_MS)
        assert seconds_left(page)["signed_in"] is True
        # No answer: signed out, told so, and told the typing is kept.
        ended = page.get_by_role("dialog", name="You were signed out")
        expect(ended).to_be_visible(timeout=WAIT_MS)
        expect(ended).to_contain_text("What you typed is still on this page")
        expect(ended.get_by_role("link", name="Sign in again")).to_be_focused()
        expect(ended.get_by_role("button", name="Stay signed in")).to_be_hidden()
        check_axe(page, "the notice after the idle sign-out")
        assert seconds_left(page) == {"signed_in": False, "seconds_left": 0.0}

        keyboard.tab_until(page, lambda f: f["text"] == "Back to the page", "Back to the page")
        page.keyboard.press("Enter")
        expect(ended).to_be_hidden()
        page.get_by_label("Which decision does the system take or support?").fill(TYPED)
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url(re.compile(r"/login\?"))
        monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)  # from here, time to look
        expect(page.get_by_role("status").filter(has_text="Your answers are kept")).to_be_visible()
        sign_in(page)
        with app.app_context():
            system = db.session.scalar(sa.select(System).where(System.uid == uid))
            draft = db.session.scalar(sa.select(Draft).where(Draft.system_id == system.id))
            assert draft.answers["decision"] == TYPED
    finally:
        context.close()
