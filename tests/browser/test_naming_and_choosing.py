"""Choosing a questionnaire (what each is for, how long it takes, where to start when unsure),
the system's name asked once, and changed later by its authors: in a real browser, with and
without JavaScript, axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .pages import check_axe, group

pytestmark = pytest.mark.browser


def test_choosing_a_questionnaire_says_what_each_is_for(open_page):
    page = open_page("/systems/new", java_script_enabled=False)
    choices = group(page, "Questionnaire")
    expect(choices).to_contain_text("Not sure which one? Start with the Threshold check")
    threshold = choices.get_by_label("Threshold check")
    expect(threshold).to_have_accessible_description(
        re.compile(r"^Start here when you are not sure.*About 10 minutes\.$")
    )
    expect(
        choices.get_by_label("Impact assessment of an automated decision system")
    ).to_have_accessible_description(re.compile(r"About 180 minutes\.$"))
    # Nothing chosen: the page says so, and keeps what was typed.
    page.get_by_label("Name of the system").fill("Chosen with care")
    page.get_by_role("button", name="Create and start").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a questionnaire.")
    expect(page.get_by_label("Name of the system")).to_have_value("Chosen with care")
    threshold.check()
    page.get_by_role("button", name="Create and start").click()
    page.wait_for_url(re.compile(r"/draft/[a-z_]+$"))
    # Asked once: the questionnaire's name question starts from the name given.
    expect(page.get_by_label("What is the system called?")).to_have_value("Chosen with care")

    scripted = open_page("/systems/new")
    check_axe(scripted, "new system with the questionnaires described")
    scripted.get_by_role("button", name="Create and start").click()
    # axe reads the page the server answered with, not the one being left.
    expect(scripted.get_by_role("alert")).to_contain_text("Choose a questionnaire.")
    check_axe(scripted, "new system with its errors")


def test_authors_change_the_name_and_the_draft_follows(open_page):
    page = open_page("/systems/new", java_script_enabled=False)
    page.get_by_label("Name of the system").fill("Benfit checker")
    group(page, "Questionnaire").get_by_label("Threshold check").check()
    page.get_by_role("button", name="Create and start").click()
    page.wait_for_url(re.compile(r"/draft/[a-z_]+$"))
    uid = re.search(r"/systems/(sys-[0-9a-f]+)/", page.url).group(1)
    step = page.url
    page.goto(f"/systems/{uid}")
    page.get_by_role("link", name="Change the name or description").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name and description")
    page.get_by_label("Name of the system").fill("")
    page.get_by_role("button", name="Save the name and description").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the system a name.")
    page.get_by_label("Name of the system").fill("Benefit checker")
    page.get_by_role("button", name="Save the name and description").click()
    expect(page.get_by_role("status")).to_contain_text("Name and description saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benefit checker")
    page.goto(step)
    expect(page.get_by_label("What is the system called?")).to_have_value("Benefit checker")
    page.goto(f"/systems/{uid}/history")
    expect(page.get_by_text("Name or description changed")).to_be_visible()

    scripted = open_page(f"/systems/{uid}/edit")
    check_axe(scripted, "name and description form")
    check_axe(open_page(f"/systems/{uid}"), "system page with its questionnaire choice")
