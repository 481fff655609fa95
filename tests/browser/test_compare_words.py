"""Two revisions side by side in a real browser: a one-sentence change in a long answer is
marked by its words, with text cues; "changes only" makes the page a fraction as tall."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from aia.accounts import services as account_services
from aia.accounts.models import User
from aia.assessments import lifecycle, services
from aia.assessments.models import System
from aia.extensions import db

from ..answers import STARTER_COMPLETE
from . import live
from .pages import check_axe

pytestmark = pytest.mark.browser

LONG = " ".join(["The reviewers read every claim the ranking puts first, then the others in turn."] * 25)


def two_revisions(live_app, name: str) -> str:
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["approver"][1])
        approver = db.session.scalar(sa.select(User).where(User.email == live.PEOPLE["approver"][0]))
        system = services.create_system(db.session, agency.id, name, "")
        definition = live_app.extensions["aia.questionnaires"].latest("starter")
        for number, ending in enumerate(("Appeals go to the mayor.", "Appeals go to the tax tribunal.")):
            answers = {**STARTER_COMPLETE, "purpose": f"{LONG} {ending} {LONG}"}
            draft = services.start_draft(db.session, system, definition, answers)
            revision = services.submit(db.session, draft, definition, draft.lock_version)
            if number == 0:
                lifecycle.change_status(
                    db.session, approver, revision, "request_changes", "Who hears appeals?"
                )
        uid = db.session.get(System, system.id).uid
        db.session.commit()
    return uid


def test_changed_words_are_marked_and_changes_only_is_short(open_page, live_app):
    uid = two_revisions(live_app, "Claim ranking, compared")
    page = open_page(f"/systems/{uid}/compare?from=1&to=2", as_role="approver")
    expect(page.locator("del").filter(has_text="mayor.")).to_have_count(1)
    expect(page.locator("ins").filter(has_text="tax tribunal.")).to_have_count(1)
    expect(page.locator("ins").first).to_contain_text("added:")  # said, not only coloured
    full = page.evaluate("document.documentElement.scrollHeight")
    check_axe(page, "two revisions side by side")
    page.get_by_role("link", name="Show the changes only").click()
    page.wait_for_url("**changes=only**")
    expect(page.locator("ins").filter(has_text="tax tribunal.")).to_have_count(1)
    expect(page.get_by_role("rowheader", name="Which decision does the system take?")).to_have_count(0)
    short = page.evaluate("document.documentElement.scrollHeight")
    assert short * 3 < full, (short, full)
    check_axe(page, "two revisions, changes only")


def test_the_approver_is_warned_when_mitigation_crossed_the_line(open_page, live_app):
    risky = {"uses_group_data": "yes", "harm_impact": "high", "appeal": "yes"}
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["approver"][1])
        approver = db.session.scalar(sa.select(User).where(User.email == live.PEOPLE["approver"][0]))
        system = services.create_system(db.session, agency.id, "Claim ranking, resubmitted", "")
        definition = live_app.extensions["aia.questionnaires"].latest("starter")
        for number, measures in enumerate((["bias_tests"], ["bias_tests", "logging"])):
            draft = services.start_draft(
                db.session, system, definition, {**STARTER_COMPLETE, **risky, "measures": measures}
            )
            revision = services.submit(db.session, draft, definition, draft.lock_version)
            if number == 0:
                lifecycle.change_status(db.session, approver, revision, "request_changes", "Log it.")
        uid = db.session.get(System, system.id).uid
        db.session.commit()
    page = open_page(f"/systems/{uid}/revisions/2/review", as_role="approver")
    warning = page.get_by_role("note")
    expect(warning).to_contain_text("Mitigation crossed the 80 % line since revision 1")
    expect(warning).to_contain_text("level II now, level III on the other side")
    check_axe(page, "the review page warning that mitigation crossed the line")
