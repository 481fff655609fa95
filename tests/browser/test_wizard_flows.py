"""The assessment as people go through it, in a real browser: the whole way, a question that
appears and disappears as they answer, leaving halfway and coming back, going back a step,
a mistake pointed out next to its field, and the same without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from aia.accounts import services as account_services
from aia.assessments import services
from aia.engine import Registry, parse_definition
from aia.extensions import db

from ..awkward_keys import AWKWARD
from . import live
from .pages import (
    STEP_ORDER,
    answer_step,
    choose,
    create_system,
    group,
    press_next,
    save_draft,
    step_url,
)

pytestmark = pytest.mark.browser


def test_whole_assessment(page):
    uid = create_system(page, "Browser walk-through")
    expect(page).to_have_title(re.compile(r"^Step 1 of 5: About the system"))
    for here, then in zip(STEP_ORDER, STEP_ORDER[1:] + ["review"], strict=True):
        answer_step(page, here)
        press_next(page, then)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    expect(page.get_by_text("Payments could be delayed.")).to_be_visible()
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1/submitted")
    expect(page.get_by_role("status")).to_contain_text("Revision 1 submitted")
    page.get_by_role("link", name="Read its results").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.locator(".level")).to_contain_text("Level II")
    expect(page.locator(".rating").first).to_contain_text("Moderate risk")
    expect(page.get_by_text("Possible harm to people")).to_be_visible()


def test_conditional_question_shows_and_hides_at_once(page):
    uid = create_system(page, "Conditional at once")
    for step in ["about", "triage"]:
        answer_step(page, step)
        press_next(page, STEP_ORDER[STEP_ORDER.index(step) + 1])
    follow_up = page.get_by_label("On what legal basis are biometric data used?")
    biometric = group(page, "Which kinds of data").get_by_label("Biometric data")
    expect(follow_up).to_be_hidden()
    biometric.check()
    expect(follow_up).to_be_visible()  # no page load in between
    assert page.url.endswith(step_url(uid, "risks"))
    follow_up.fill("Statute 12, section 3.")
    biometric.uncheck()
    expect(follow_up).to_be_hidden()
    biometric.check()
    expect(follow_up).to_have_value("Statute 12, section 3.")  # nothing typed was lost


def test_leave_halfway_and_resume(open_page):
    page = open_page("/")
    uid = create_system(page, "Left halfway")
    answer_step(page, "about")
    press_next(page, "triage")
    choose(page, "Can a decision take away a benefit", "Not sure")
    save_draft(page)
    page.context.close()  # interrupted: the tab is gone

    page = open_page("/")
    page.get_by_role("link", name=re.compile(r"^Resume the draft of Left halfway")).click()
    page.wait_for_url(f"**{step_url(uid, 'triage')}")
    expect(group(page, "Can a decision take away a benefit").get_by_label("Not sure")).to_be_checked()
    page.get_by_role("button", name="Back").click()
    page.wait_for_url(f"**{step_url(uid, 'about')}")
    expect(page.get_by_label("Which decision does the system take or support?")).to_have_value(
        "Who is invited to a review interview"
    )


def test_back_keeps_answers(page):
    uid = create_system(page, "Back and forth")
    answer_step(page, "about")
    press_next(page, "triage")
    # Typed on this step, then Back before Next: kept all the same.
    choose(page, "Does the system use data on age", "Yes")
    page.get_by_role("button", name="Back").click()
    page.wait_for_url(f"**{step_url(uid, 'about')}")
    expect(page.get_by_label("About how many people")).to_have_value("5000")
    expect(group(page, "In which area").get_by_label("Access to public services or benefits")).to_be_checked()
    press_next(page, "triage")
    expect(group(page, "Does the system use data on age").get_by_label("Yes")).to_be_checked()
    # The browser's own Back button too.
    page.go_back()
    expect(page.get_by_label("What is the system for")).to_have_value("Sorts claims for reviewers.")


def test_validation_message_next_to_its_field(page):
    create_system(page, "Mistakes shown")
    page.get_by_label("About how many people").fill("lots")
    page.get_by_role("button", name="Next", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # read out first by a screen reader
    expect(page).to_have_title(re.compile(r"^Error: Step 1 of 5"))

    number = page.get_by_label("About how many people")
    expect(number).to_have_attribute("aria-invalid", "true")
    # The message sits in the question's own block, is tied to the field, and says what to do.
    block = page.locator('[data-question="people_per_year"]')
    expect(block.locator(".field-error")).to_have_text(re.compile("Enter a number"))
    error_id = block.locator(".field-error").get_attribute("id")
    assert error_id in number.get_attribute("aria-describedby").split()
    expect(number).to_have_value("lots")  # what was typed is still there

    summary.get_by_role("link", name=re.compile("About how many people")).click()
    expect(number).to_be_focused()  # the link moves the focus, not just the view

    # In the same round, the required answers still missing: one link each, to its field; a
    # label that is a question is followed by the message, not by "?:".
    expect(summary).to_contain_text("There are 4 problems")
    expect(summary).not_to_contain_text("?:")
    expect(summary).to_contain_text("Which decision does the system take or support? Answer this question")
    summary.get_by_role("link", name=re.compile("Which decision")).click()
    expect(page.get_by_label("Which decision does the system take or support?")).to_be_focused()
    summary.get_by_role("link", name=re.compile("In which area")).click()
    expect(group(page, "In which area").get_by_role("radio").first).to_be_focused()
    summary.get_by_role("link", name=re.compile("What is the system for")).click()
    expect(page.get_by_label("What is the system for")).to_be_focused()


def test_without_javascript_the_server_reveals_the_question(open_page):
    page = open_page("/")
    uid = create_system(page, "No script here")
    for step in ["about", "triage"]:
        answer_step(page, step)
        press_next(page, STEP_ORDER[STEP_ORDER.index(step) + 1])
    page.context.close()

    page = open_page(step_url(uid, "risks"), java_script_enabled=False)
    follow_up = page.get_by_label("On what legal basis are biometric data used?")
    expect(follow_up).to_be_hidden()
    answer_step(page, "risks")
    group(page, "Which kinds of data").get_by_label("Biometric data").check()
    expect(follow_up).to_be_hidden()  # no script: nothing changes before Next
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(step_url(uid, "risks"))
    expect(page.get_by_role("status")).to_contain_text("opened more questions")
    expect(follow_up).to_be_visible()
    expect(page.get_by_label("Describe the harm you expect")).to_have_value("Payments could be delayed.")
    follow_up.fill("Statute 12.")
    press_next(page, "mitigation")


def test_questions_keyed_like_the_pages_own_names(open_page, live_app, monkeypatch):
    """The browser script reads each answer from the field its question's block names, so
    keys such as lock_version or csrf_token, or constructor (a name every script object
    inherits), show and hide questions like any other key."""
    definition = parse_definition(AWKWARD, "awkward-keys-v1.yaml")
    installed = live_app.extensions["aia.questionnaires"]
    monkeypatch.setitem(live_app.extensions, "aia.questionnaires", Registry([*installed.all(), definition]))
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["author"][1])
        system = services.create_system(db.session, agency.id, "Awkward keys", "")
        services.start_draft(db.session, system, definition)
        uid = system.uid
        db.session.commit()
    page = open_page(step_url(uid, "first"))
    token_text = page.get_by_label("Token text")
    expect(token_text).to_be_hidden()
    choose(page, "Lock question", "Yes")
    expect(token_text).to_be_visible()
    page.get_by_label("Meta label").fill("A name")
    page.get_by_label("Data count").fill("3")
    press_next(page, "second")
    shown_later = page.get_by_label("Shown by an answer")
    expect(shown_later).to_be_hidden()  # constructor was not answered
    choose(page, "Answered on this step", "Yes")
    expect(shown_later).to_be_visible()
