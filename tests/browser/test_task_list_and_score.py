"""The task list and the score so far, in a real browser: the task list reached and used with
the keyboard alone, each step with its state; the score panel follows the answers as they are
autosaved (fetched from the server, which scores with the questionnaire's own method) and shows
on the review page without JavaScript; and a header link followed just after typing saves the
typing first, or, when the save fails, asks before leaving."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from aia.assessments.models import Draft, System
from aia.engine import score
from aia.extensions import db, questionnaires

from . import keyboard
from .pages import answer_step, check_axe, choose, create_system, press_next, save_draft, step_url

pytestmark = pytest.mark.browser

SAVED = re.compile(r"Saved automatically at \d")


def task_state(page, title: str):
    """The state shown beside a step's link in the task list."""
    return page.locator(
        ".task", has=page.get_by_role("link", name=re.compile(rf"^Step \d+: {title}$"))
    ).locator(".task-state")


def saved_scores(live_app, uid: str) -> dict:
    """What the scorer gives for the draft's saved answers, read from the database."""
    with live_app.app_context():
        system = db.session.scalar(sa.select(System).where(System.uid == uid))
        draft = db.session.scalar(sa.select(Draft).where(Draft.system_id == system.id))
        definition = questionnaires().get(draft.questionnaire_key, draft.questionnaire_version)
        return score(definition, draft.answers)


def test_the_task_list_with_the_keyboard_alone(open_page):
    page = open_page("/")
    uid = create_system(page, "Listed steps")
    answer_step(page, "about")
    press_next(page, "triage")
    choose(page, "Can a decision take away a benefit", "Yes")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)

    # From the step page, Tab to "Task list" and press Enter.
    keyboard.tab_until(page, lambda f: f["tag"] == "a" and f["text"].startswith("Task list"), "Task list")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/systems/{uid}/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Task list")
    expect(task_state(page, "About the system")).to_have_text("Completed")
    expect(task_state(page, "Triage")).to_have_text("In progress")
    expect(task_state(page, "Risk and impact")).to_have_text("Not started")
    expect(page.get_by_text("1 of 5 steps completed.")).to_be_visible()
    check_axe(page, "the task list")

    # Any step opens from it: Tab to the fourth, Enter.
    keyboard.tab_until(page, lambda f: f["tag"] == "a" and f["text"] == "Step 4: Measures", "step 4")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{step_url(uid, 'mitigation')}")
    # Working on Measures, Triage left half done: it now needs attention (answers missing).
    choose(page, "Does a person review every decision", "Yes")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED)
    page.goto(f"/systems/{uid}/tasks")
    expect(task_state(page, "Triage")).to_have_text("Needs attention")
    expect(task_state(page, "Measures")).to_have_text("In progress")
    expect(page.get_by_text("2 required answers missing.")).to_be_visible()
    check_axe(page, "the task list with a step needing attention")

    # The system page links to it too, and it works without JavaScript.
    bare = open_page(f"/systems/{uid}", java_script_enabled=False)
    bare.get_by_role("link", name="Task list").click()
    bare.wait_for_url(f"**/systems/{uid}/tasks")
    bare.get_by_role("link", name="Step 3: Risk and impact").click()
    bare.wait_for_url(f"**{step_url(uid, 'risks')}")


def test_the_score_follows_the_answers_as_they_are_saved(open_page, live_app):
    page = open_page("/")
    uid = create_system(page, "Scored as typed")
    panel = page.get_by_role("complementary", name="Score so far")
    expect(panel).to_contain_text("Level I")
    expect(panel.locator("[data-score-risk]")).to_have_text("0 of 17")

    # An answer with risk points: autosaved, then the panel comes back from the server.
    choose(page, "In which area are the decisions taken?", "Enforcement, sanctions or policing")
    expect(panel.locator("[data-score-risk]")).to_have_text("4 of 17")
    assert saved_scores(live_app, uid)["risk"]["points"] == 4
    check_axe(page, "a step with the score so far")

    page.goto(step_url(uid, "mitigation"))
    panel = page.get_by_role("complementary", name="Score so far")
    expect(panel.locator("[data-score-line]")).to_have_text(
        "8 more mitigation points reach the 80 % line, which reduces the score by 15 %."
    )
    choose(page, "Does a person review every decision", "Yes")
    expect(panel.locator("[data-score-mitigation]")).to_have_text("3 of 10")
    expect(panel.locator("[data-score-line]")).to_contain_text("5 more mitigation points reach the 80 % line")
    choose(page, "Can people affected appeal", "Yes")
    group = page.get_by_role("group", name=re.compile("Which of these measures"))
    group.get_by_label("Regular tests for unequal results").check()
    group.get_by_label("Every decision is logged with its inputs").check()
    expect(panel.locator("[data-score-line]")).to_have_text(
        "The mitigation points reach the 80 % line: the score is reduced by 15 %."
    )
    expected = saved_scores(live_app, uid)
    assert expected["mitigation"]["strong"] is True
    expect(panel.locator("[data-score-final]")).to_have_text(str(expected["final_score"]))
    check_axe(page, "a step with the mitigation line reached")

    # The review page shows the same, without JavaScript.
    review = open_page(f"/systems/{uid}/review", java_script_enabled=False)
    panel = review.get_by_role("complementary", name="Score so far")
    expect(panel.locator("[data-score-mitigation]")).to_have_text(f"8 of {expected['mitigation']['max']}")
    expect(panel.locator("[data-score-final]")).to_have_text(str(expected["final_score"]))
    check_axe(open_page(f"/systems/{uid}/review"), "the review page with the score so far")


def test_a_header_link_just_after_typing_saves_first_or_asks(open_page):
    page = open_page("/")
    uid = create_system(page, "Left by the header")
    purpose = page.get_by_label("What is the system for")
    purpose.press_sequentially("Typed, then straight to the header.")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessments").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(step_url(uid, "about"))
    expect(page.get_by_label("What is the system for")).to_have_value("Typed, then straight to the header.")

    # A stand-in for a server that cannot save just now: the autosave's request is refused.
    page.route(
        re.compile(rf"{re.escape(step_url(uid, 'about'))}$"),
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_label("What is the system for").press("Control+End")
    page.get_by_label("What is the system for").press_sequentially(" Not saved yet.")
    with page.expect_event("dialog") as asked:
        header = page.get_by_role("navigation", name="Main")
        header.get_by_role("link", name="New system").click(no_wait_after=True)
    assert asked.value.type == "confirm" and "could not be saved" in asked.value.message
    asked.value.dismiss()  # stay: the typing is still on the page
    expect(page).to_have_url(re.compile(rf"{re.escape(step_url(uid, 'about'))}$"))
    expect(page.get_by_label("What is the system for")).to_have_value(
        "Typed, then straight to the header. Not saved yet."
    )
    expect(page.locator("[data-autosave-status]")).to_have_text(
        "Not saved automatically just now: press Save draft to keep your answers."
    )


def test_the_threshold_check_shows_its_outcome_so_far(open_page):
    page = open_page("/systems/new")
    page.get_by_label("Name of the system").fill("Checked first")
    page.get_by_label("What it does").fill("Made by a browser test.")
    page.locator('input[name="questionnaire"][value="threshold:4"]').check()
    page.get_by_role("button", name="Create and start").click()
    page.wait_for_url(re.compile(r"/draft/check$"))
    panel = page.get_by_role("complementary", name="Outcome so far")
    expect(panel).to_contain_text("So far no answer raises “Full assessment needed”.")
    expect(panel).not_to_contain_text("Risk points")
    choose(page, "Does the system make, recommend or prepare decisions", "Not sure")
    expect(panel.locator("[data-score-check]")).to_have_text("Full assessment needed")
    expect(panel).to_contain_text("Because you answered:")
    check_axe(page, "the threshold check with its outcome so far")


def test_without_javascript_the_step_shows_the_score_of_its_saved_answers(open_page):
    page = open_page("/")
    uid = create_system(page, "Scored without a script")
    bare = open_page(step_url(uid, "about"), java_script_enabled=False)
    choose(bare, "In which area are the decisions taken?", "Access to public services or benefits")
    save_draft(bare)
    panel = bare.get_by_role("complementary", name="Score so far")
    expect(panel.locator("[data-score-risk]")).to_have_text("3 of 17")
