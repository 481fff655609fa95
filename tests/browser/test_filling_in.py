"""Filling in without losing anything, in a real browser: answers saved as one types
(autosave, with the draft's lock version), a link followed with typing not yet saved, a
colleague's save met with the keyboard alone, Change on the review page coming back to it,
and dates in three boxes, with JavaScript and without."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from aia.engine import field_name

from . import keyboard
from .pages import check_axe, create_system, fill_date, group, save_draft, step_url

pytestmark = pytest.mark.browser

SAVED = re.compile(r"Saved automatically at \d")


def autosave_status(page):
    return page.locator("[data-autosave-status]")


def test_typing_is_saved_as_one_goes_and_a_link_saves_before_leaving(open_page):
    # A browser fourteen hours ahead of UTC: the time it shows is UTC all the same, as on
    # every other page.
    page = open_page("/", timezone_id="Pacific/Kiritimati")
    uid = create_system(page, "Saved as typed")
    page.evaluate(
        "window.savedVersions = [];"
        "document.addEventListener('aia:draft-saved', e => window.savedVersions.push(e.detail.lock_version))"
    )
    purpose = page.get_by_label("What is the system for")
    purpose.press_sequentially("Typed and never sent by a button.")
    expect(autosave_status(page)).to_have_text(SAVED)  # a real wait on the announcement
    expect(autosave_status(page)).to_have_attribute("aria-live", "polite")
    shown = re.fullmatch(r"Saved automatically at (\d\d):(\d\d) UTC\.", autosave_status(page).inner_text())
    assert shown, autosave_status(page).inner_text()
    now = dt.datetime.now(dt.UTC)
    at = now.replace(hour=int(shown.group(1)), minute=int(shown.group(2)), second=0, microsecond=0)
    assert abs((now - at).total_seconds()) < 180 or abs((now - at).total_seconds()) > 86_400 - 180
    versions = page.evaluate("window.savedVersions")
    assert versions and page.locator("input[name=lock_version]").input_value() == str(versions[-1])
    check_axe(page, "a step saved automatically")

    # Typed, then a link at once (before the pause that starts a save): saved on the way out.
    decision = page.get_by_label("Which decision does the system take or support?")
    decision.press_sequentially("Who is visited first")
    page.get_by_role("link", name="Saved as typed").first.click()
    page.wait_for_url(f"**/systems/{uid}")
    page.goto(step_url(uid, "about"))
    expect(page.get_by_label("Which decision does the system take or support?")).to_have_value(
        "Who is visited first"
    )
    expect(page.get_by_label("What is the system for")).to_have_value("Typed and never sent by a button.")

    # Closing the tab with typing not yet saved: the browser's own warning.
    page.get_by_label("What is the system for").press_sequentially(" More.")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay: the typing is still there, and saved a moment later
    expect(autosave_status(page)).to_have_text(SAVED)


def test_a_colleagues_save_met_with_the_keyboard_alone(open_page):
    mine = open_page("/")
    uid = create_system(mine, "Two at once")
    theirs = open_page(step_url(uid, "about"))
    theirs.get_by_label("What is the system for").fill("Their purpose.")
    save_draft(theirs)

    # I type into the page opened before their save: the autosave finds the conflict and the
    # page shows both versions, my typing kept.
    keyboard.type_into(mine, field_name("purpose"), "My purpose.")
    expect(mine.locator(".notice-error")).to_contain_text("Someone else saved this draft")
    expect(mine.get_by_label("What is the system for")).to_have_value("My purpose.")
    expect(mine.locator(".theirs")).to_contain_text("Their purpose.")
    check_axe(mine, "a step after a conflict")
    keyboard.press_button(mine, "Save draft")
    expect(mine.get_by_role("status")).to_contain_text("Draft saved")
    expect(mine.get_by_label("What is the system for")).to_have_value("My purpose.")


def test_change_comes_back_to_the_review_and_dates_take_three_boxes(open_page):
    page = open_page("/")
    uid = create_system(page, "Changed from review")
    page.goto(f"/systems/{uid}/review")
    page.get_by_role("link", name="Change the answers of About the system").click()
    page.wait_for_url(re.compile(rf"{step_url(uid, 'about')}\?return_to=review$"))
    expect(page.get_by_text("Next takes you back to the review of your answers.")).to_be_visible()
    page.get_by_label("Which decision does the system take or support?").fill("Who is invited")
    page.get_by_label("What is the system for").fill("Sorts claims.")
    page.get_by_label("About how many people").fill("5000")
    group(page, "In which area").get_by_label("Access to public services or benefits").check()
    fill_date(page, "When did or will the system go live?", "31", "Feb", "2025")
    page.get_by_role("button", name="Next", exact=True).click()
    # The box at fault is marked, the summary links to it, and nothing typed is lost.
    day = group(page, "When did or will the system go live?").get_by_label("Day", exact=True)
    expect(day).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_contain_text("February 2025 has no day 31")
    expect(group(page, "When did or will the system go live?").get_by_label("Month")).to_have_value("Feb")
    check_axe(page, "a date with a box at fault")
    page.locator(".error-summary").get_by_role("link").first.click()
    expect(day).to_be_focused()
    day.fill("28")
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url(f"**/systems/{uid}/review")  # back to the review, not on to step 2
    expect(page.get_by_text("28 February 2025")).to_be_visible()


def test_without_javascript_save_draft_and_the_date_boxes(open_page):
    page = open_page("/")
    uid = create_system(page, "No script, no loss")
    page = open_page(step_url(uid, "about"), java_script_enabled=False)
    expect(autosave_status(page)).to_have_text("")  # nothing claims a save that cannot happen
    page.get_by_label("What is the system for").fill("Kept by Save draft.")
    fill_date(page, "When did or will the system go live?", "1", "3", "2026")
    save_draft(page)
    expect(page.get_by_label("What is the system for")).to_have_value("Kept by Save draft.")
    date = group(page, "When did or will the system go live?")
    expect(date.get_by_label("Day", exact=True)).to_have_value("1")
    expect(date.get_by_label("Year")).to_have_value("2026")
    # axe runs as a script, so it checks the same saved step in a tab where scripts run.
    check_axe(open_page(step_url(uid, "about")), "a step saved without JavaScript")
