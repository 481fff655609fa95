"""Answers in and out, the blank questionnaire to print, and the search through a long
questionnaire, in a real browser: without JavaScript for every form, axe on every page and
state."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata

import pypdf
import pytest
from playwright.sync_api import expect

from ..answers import STARTER_COMPLETE
from .drafts import live_draft
from .pages import check_axe, step_url

pytestmark = pytest.mark.browser


def _choose_file(page, content: bytes, name: str = "answers.json") -> None:
    page.get_by_label("Answer file (.json)").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": content}
    )
    page.get_by_role("button", name="Read the file").click()


def test_download_answers_and_load_them_back_after_seeing_what_changes(open_page, live_app, tmp_path):
    uid = live_draft(live_app, "Answers out and in")
    page = open_page(f"/systems/{uid}/draft/answers", java_script_enabled=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this draft's answers (JSON)").click()
    saved = tmp_path / "answers.json"
    download.value.save_as(saved)
    document = json.loads(saved.read_text())
    assert document["answers"] == STARTER_COMPLETE

    # A malformed file: a clear message, and nothing changes.
    _choose_file(page, b"{ not json", "broken.json")
    expect(page.get_by_role("alert")).to_contain_text("This file cannot be read: it is not valid JSON")
    # A colleague's version of the file: what it would replace is shown before anything changes.
    document["answers"]["decision"] = "Who gets a home visit"
    document["answers"]["old_question"] = "left over"
    _choose_file(page, json.dumps(document).encode(), "colleague.json")
    table = page.get_by_role("table", name="Answers the file would replace")
    expect(table).to_contain_text("Who is invited to a review interview")
    expect(table).to_contain_text("Who gets a home visit")
    expect(
        page.get_by_text(re.compile(r"1 question of the file is not in this questionnaire"))
    ).to_be_visible()
    page.get_by_role("button", name="Load these answers into the draft").click()
    page.wait_for_url(f"**/systems/{uid}/review")
    expect(page.get_by_role("status")).to_contain_text(
        f"{len(STARTER_COMPLETE)} answers loaded from the file"
    )
    expect(page.get_by_text("Who gets a home visit")).to_be_visible()

    scripted = open_page(f"/systems/{uid}/draft/answers")
    check_axe(scripted, "answers in and out")
    document["answers"]["people_per_year"] = "lots"
    _choose_file(scripted, json.dumps(document).encode())
    expect(scripted.get_by_role("alert")).to_contain_text("1 answer is refused: nothing was loaded")
    expect(scripted.get_by_role("button", name="Load these answers into the draft")).to_have_count(0)
    check_axe(scripted, "an answer file with a refused answer")
    del document["answers"]["people_per_year"]
    document["answers"]["decision"] = "Yet another decision"
    _choose_file(scripted, json.dumps(document).encode())
    check_axe(scripted, "an answer file shown before loading")
    _choose_file(scripted, b"[]")
    check_axe(scripted, "a file that is no answer file")


def test_the_blank_questionnaire_prints(open_page, tmp_path):
    page = open_page("/questionnaires/starter/3/print")
    expect(page.get_by_role("heading", level=1)).to_have_text("Starter assessment")
    expect(page.get_by_text("Asked only when the answer to “Which kinds of data")).to_be_visible()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()  # with the script
    check_axe(page, "the blank questionnaire")
    # Saved as PDF by the browser: print CSS leaves the site's navigation out.
    pdf = tmp_path / "blank.pdf"
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.pdf(path=str(pdf), format="A4")
    # NFKC: the fonts' ligatures (ﬁ) read as their letters
    text = unicodedata.normalize(
        "NFKC", " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages).split())
    )
    assert "Can a decision take away a benefit, a right or a freedom?" in text and "Step 2: Triage" in text
    assert "Why it is asked:" in text
    assert "Skip to main content" not in text
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) draws the pages to look at"
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True
    )
    assert sorted(p.name for p in tmp_path.glob("page-*.png"))  # the pages render as images


def test_search_finds_a_question_and_opens_its_step_without_javascript(open_page, live_app):
    uid = live_draft(live_app, "Searched through", answers={})
    page = open_page(step_url(uid, "about"), java_script_enabled=False)
    search = page.get_by_role("search", name="Search the questionnaire")
    search.get_by_label("Search the questionnaire").fill("appeal")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/draft/search\?q=appeal$"))
    expect(page.get_by_role("heading", level=2)).to_have_text("1 question matches “appeal”")
    results = page.locator(".search-results li")
    link = results.get_by_role("link").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{target}")
    anchor = target.split("#")[1]
    expect(page.locator(f"#{anchor}")).to_be_visible()

    scripted = open_page(f"/systems/{uid}/draft/search?q=appeal")
    check_axe(scripted, "search results")
    scripted.goto(f"/systems/{uid}/draft/search?q=zebra")
    expect(scripted.get_by_role("heading", level=2)).to_contain_text("0 questions match")
    check_axe(scripted, "search without results")
    scripted.goto(step_url(uid, "triage"))
    expect(
        scripted.get_by_role("group", name=re.compile("Can a decision take away"))
    ).to_have_accessible_description(re.compile(r"Why it is asked: .*This answer adds to the risk score"))
    check_axe(scripted, "a step with why and scoring in each question's help")
