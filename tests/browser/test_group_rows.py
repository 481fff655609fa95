"""A repeatable group in a real browser, with its script and without: rows are added, filled,
moved and removed, and what is saved is the rows in the order shown. Each state with the script
passes axe; without it, every button posts the step and the page comes back with the change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect

from aia import create_app
from aia.accounts import services as account_services
from aia.assessments import services
from aia.assessments.models import Draft
from aia.cli import upgrade_database
from aia.engine import Registry, parse_definition
from aia.extensions import db
from aia.questionnaires import FOLDER
from config import TestConfig

from ..group_questionnaire import LISTED
from . import live
from .pages import check_axe, save_draft

pytestmark = pytest.mark.browser

EMAIL = "rows@browser.example"


@pytest.fixture(scope="module")
def rows_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    tmp = tmp_path_factory.mktemp("rows")
    with live.database(tmp) as url:
        app = create_app(type("WithRows", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": str(tmp)}))
        listed = parse_definition(LISTED, "listed-v1.yaml")
        app.extensions["aia.questionnaires"] = Registry([*Registry.from_folder(FOLDER).all(), listed])
        with app.app_context():
            upgrade_database()
            agency = account_services.create_agency(db.session, None, "rows", "Rows Office")
            account_services.create_user(
                db.session, None, EMAIL, "Row author", "author", agency, live.PASSWORD
            )
            db.session.commit()
        with live.serve(app) as base_url:
            yield app, base_url


def new_draft(app: Flask, name: str) -> tuple[str, int]:
    with app.app_context():
        agency = account_services.agency_by_slug(db.session, "rows")
        system = services.create_system(db.session, agency.id, name, "")
        draft = services.start_draft(
            db.session, system, app.extensions["aia.questionnaires"].get("listed", 1)
        )
        db.session.commit()
        return f"/systems/{system.uid}/draft/risks", draft.id


def saved_rows(app: Flask, draft_id: int) -> list[dict]:
    with app.app_context():
        return db.session.get(Draft, draft_id).answers.get("register", [])


def signed_in_page(browser, base_url: str, javascript: bool):
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(live.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def row(page, number: int):
    return page.get_by_role("group", name=re.compile(rf"^Risk {number}$"))


def test_rows_change_in_place_with_the_script(browser, rows_app):
    app, base_url = rows_app
    url, draft_id = new_draft(app, "Rows with a script")
    context, page = signed_in_page(browser, base_url, javascript=True)
    try:
        page.goto(url)
        add = page.get_by_role("button", name="Add a risk")
        add.click()
        expect(row(page, 1)).to_be_focused()
        expect(page.locator("[data-autosave-status]")).to_contain_text("Risk 1 added")
        row(page, 1).get_by_label("Equality before the law").check()
        add.click()
        row(page, 2).get_by_label("Human dignity").check()
        row(page, 2).get_by_label("Measures").fill("A person looks again.")
        add.click()
        row(page, 3).get_by_label("People affected each year").fill("40")
        check_axe(page, "a group of three rows")

        row(page, 2).get_by_role("button", name="Move up Risk 2").click()
        expect(row(page, 1)).to_be_focused()
        expect(row(page, 1).get_by_label("Human dignity")).to_be_checked()
        expect(row(page, 1).get_by_role("button", name=re.compile("^Move up"))).to_be_hidden()
        row(page, 3).get_by_role("button", name="Remove Risk 3").click()
        expect(page.locator("[data-group-rows] > fieldset")).to_have_count(2)
        # The fields are renumbered in the order shown: a label still finds its field.
        expect(page.locator('[name="q_register-1-q_right"][value="equality"]')).to_be_checked()
        check_axe(page, "a group after a move and a removal")

        expect(page.locator("[data-autosave-status]")).to_contain_text("Saved automatically")
        assert saved_rows(app, draft_id) == [
            {"right": "dignity", "measures": "A person looks again."},
            {"right": "equality"},
        ]
        page.reload()
        expect(row(page, 1).get_by_label("Measures")).to_have_value("A person looks again.")
        expect(page.locator("[data-group-rows] > fieldset")).to_have_count(2)
    finally:
        context.close()


def test_rows_change_by_posting_the_step_without_the_script(browser, rows_app):
    app, base_url = rows_app
    url, draft_id = new_draft(app, "Rows without a script")
    context, page = signed_in_page(browser, base_url, javascript=False)
    try:
        page.goto(url)
        page.get_by_role("button", name="Add a risk").click()
        page.wait_for_url(re.compile(r"#q_register-0$"))
        expect(page.get_by_text("Risk 1 added: fill it in below.")).to_be_visible()
        row(page, 1).get_by_label("Equality before the law").check()
        page.get_by_role("button", name="Add a risk").click()
        page.wait_for_url(re.compile(r"#q_register-1$"))
        row(page, 2).get_by_label("Human dignity").check()
        row(page, 2).get_by_label("People affected each year").fill("lots")
        row(page, 2).get_by_role("button", name="Move up Risk 2").click()
        # A mistake in a row: shown at its field (the move is shown, and saved once it is put right).
        expect(row(page, 1).get_by_text("Enter a number", exact=False)).to_be_visible()
        expect(row(page, 1).get_by_label("Human dignity")).to_be_checked()
        row(page, 1).get_by_label("People affected each year").fill("300")
        save_draft(page)
        assert saved_rows(app, draft_id) == [{"right": "dignity", "people": 300}, {"right": "equality"}]
        row(page, 1).get_by_role("button", name="Remove Risk 1").click()
        page.wait_for_url(re.compile(r"#q_register$"))
        assert saved_rows(app, draft_id) == [{"right": "equality"}]
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_url(re.compile(r"/draft/end(#.*)?$"))  # a browser keeps the fragment it came with
    finally:
        context.close()


def test_a_fria_revision_page_passes_axe(browser, rows_app):
    """The register as a table, the risk matrix, the duties and the form for the date sent."""
    from aia.seed import JOB_MATCHING

    app, base_url = rows_app
    with app.app_context():
        agency = account_services.agency_by_slug(db.session, "rows")
        system = services.create_system(db.session, agency.id, "A FRIA", "")
        definition = app.extensions["aia.questionnaires"].get("eu-fria", 1)
        draft = services.start_draft(db.session, system, definition, JOB_MATCHING)
        revision = services.submit(db.session, draft, definition, draft.lock_version)
        db.session.commit()
        url = f"/systems/{system.uid}/revisions/{revision.number}"
    context, page = signed_in_page(browser, base_url, javascript=True)
    try:
        page.goto(url)
        expect(page.get_by_role("heading", name="Risk matrix")).to_be_visible()
        expect(page.get_by_role("region", name="Risk register")).to_contain_text("Article 21")
        check_axe(page, "a FRIA revision")
        today = dt.datetime.now(dt.UTC).date().isoformat()  # the day it was submitted, too
        page.get_by_label("Date the notification was sent").fill(today)
        page.get_by_role("button", name="Record the date").click()
        expect(page.get_by_text(f"sent to the market surveillance authority on {today}")).to_be_visible()
        check_axe(page, "a FRIA revision after the date is recorded")
    finally:
        context.close()
