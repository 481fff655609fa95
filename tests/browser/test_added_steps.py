"""A step added by an answer, in a real browser, with Canada's questionnaire imported into an
app of its own (the shared live app offers no imported questionnaire): the project phase adds
its phase's pages; Next says which and because of which answer, the added step says so at its
top, and the task list beside each added step. Each state passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect

from aia import create_app
from aia.accounts import services as account_services
from aia.cli import upgrade_database
from aia.extensions import db, questionnaires
from config import TestConfig

from ..conftest import SHARED_DATA
from . import live
from .pages import check_axe

pytestmark = pytest.mark.browser

EMAIL = "phases@browser.example"
SURVEY = SHARED_DATA / "canada-aia" / "survey-enfr-v1.0.1.json"


@pytest.fixture(scope="module")
def canada_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str, str]]:
    tmp = tmp_path_factory.mktemp("phases")
    with live.database(tmp) as url:
        app = create_app(type("WithCanada", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": str(tmp)}))
        with app.app_context():
            upgrade_database()
            agency = account_services.create_agency(db.session, None, "phases", "Phases Office")
            account_services.create_user(
                db.session, None, EMAIL, "Phase author", "author", agency, live.PASSWORD
            )
            db.session.commit()
        args = ["import-questionnaire", "--format", "canada-aia", "--source-version", "v1.0.1", str(SURVEY)]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        with app.app_context():
            definition = questionnaires().latest("canada-aia")
            choice = f"{definition.key}:{definition.version}"
        with live.serve(app) as base_url:
            yield app, base_url, choice


def test_the_phase_adds_its_pages_and_every_page_says_so(browser, canada_app):
    app, base_url, choice = canada_app
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email address").fill(EMAIL)
        page.get_by_label("Password", exact=True).fill(live.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto("/systems/new")
        page.get_by_label("Name of the system").fill("Phased system")
        page.get_by_label("What it does").fill("Made by a browser test.")
        page.locator(f'input[name="questionnaire"][value="{choice}"]').check()
        page.get_by_role("button", name="Create and start").click()
        page.wait_for_url(re.compile(r"/draft/project_details$"))
        uid = re.search(r"/systems/(sys-[0-9a-f]+)/", page.url).group(1)
        total = int(re.search(r"of (\d+)", page.locator("#progress").inner_text()).group(1))

        page.get_by_role("group", name=re.compile("Project Phase")).get_by_label("Design", exact=True).check()
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_url(re.compile(r"/draft/business_drivers$"))
        told = page.get_by_role("status").filter(has_text="4 steps were added because you said")
        expect(told).to_contain_text("“Project Phase” Design")
        expect(page.locator("#progress")).to_have_text(f"Step 2 of {total + 4}")
        check_axe(page, "a step after Next added four")

        page.goto(f"/systems/{uid}/draft/consultation_design")
        note = page.locator(".added-because")
        expect(note).to_contain_text("Added because you said:")
        expect(note).to_contain_text("“Project Phase” Design")
        check_axe(page, "a step added by an answer")

        page.goto(f"/systems/{uid}/tasks")
        expect(page.locator(".task .added-because")).to_have_count(4)
        check_axe(page, "the task list with added steps")
    finally:
        context.close()
