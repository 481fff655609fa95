"""WCAG 2.2 AA in a real browser: axe-core on every kind of page (failing on any serious or
critical violation), a whole assessment with the keyboard alone, the skip link, visible focus,
labelled and grouped fields, titles that name the step, right-to-left text, and pages that
reflow at 320 px and at 200 % zoom."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import url_for
from playwright.sync_api import expect

from aia.engine import field_name
from aia.extensions import db

from . import keyboard
from .pages import (
    STEP_ORDER,
    answer_step,
    check_axe,
    create_system,
    fill_date,
    group,
    press_next,
    save_draft,
    step_url,
)

pytestmark = pytest.mark.browser

STEP_TITLES = {
    "about": "About the system",
    "triage": "Triage",
    "risks": "Risk and impact",
    "mitigation": "Measures",
    "signoff": "Sign-off",
}

RTL_SYSTEM = "تخصيص المساكن الاجتماعية – Social housing allocation"


# Pages with a parameter other than a system and a revision, or that need a draft, are
# walked by the tests below instead; the score panel is a part of the step page, not a page
# (test_task_list_and_score.py checks it there).
WALKED_ELSEWHERE = {"assessments.step", "assessments.review", "assessments.score_panel"}
NOT_PAGES = (".pdf", ".docx", ".json", ".csv", ".atom")
# For monitoring, not people: the probes answer JSON, and the counters need a token.
MACHINE_ENDPOINTS = {"ops.healthz", "ops.readyz", "ops.metrics"}


def demo_uid(app, name: str) -> str:
    from aia.assessments.models import System

    with app.app_context():
        return db.session.scalar(sa.select(System.uid).where(System.name == name))


def html_pages(app, uid: str, number: int) -> list[str]:
    """Every page the app serves by GET: those without parameters, and those of one system
    and one of its revisions. A page added later (a login page, a review queue, a history)
    is checked without this test changing."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if (
                "GET" not in rule.methods
                or rule.endpoint == "static"
                or rule.endpoint in WALKED_ELSEWHERE
                or rule.endpoint in MACHINE_ENDPOINTS
                or rule.rule.endswith(NOT_PAGES)
                or rule.arguments - {"uid", "number"}
            ):
                continue
            values = {"uid": uid, "number": number}
            urls.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    return sorted(urls)


TRIAGE = "Claim review triage 🧮"  # of the benefits agency, with revisions 1 to 3
# The demo system each role works on, and one of its revisions (live.PEOPLE gives the
# agencies). An admin reads no system and nobody signed in is sent to sign in: they are shown
# the triage system's addresses, and see what they really get there.
SYSTEM_OF = {"author": ("School transport eligibility", 1), "approver": (TRIAGE, 3), "auditor": (TRIAGE, 3)}


@pytest.mark.parametrize("role", [None, "author", "approver", "auditor", "admin"])
def test_axe_on_every_page(open_page, live_app, role):
    page = open_page(None, as_role=role)
    name, number = SYSTEM_OF.get(role, (TRIAGE, 3))
    uid = demo_uid(live_app, name)
    checked = []
    for url in html_pages(live_app, uid, number):
        response = page.goto(url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if role in SYSTEM_OF:
            # Pages of a system this person may read: the pages themselves (or, for an action
            # the role may not take, the 403 page), never the 404 of a system out of sight.
            assert response.status in (200, 403), f"{url} as {role}: {response.status}"
        check_axe(page, f"{url} as {role or 'nobody signed in'} ({response.status})")
        checked.append(url)
    assert "/" in checked and f"/systems/{uid}" in checked


def test_another_agencys_system_is_404_for_an_author(open_page, live_app):
    """The author's agency does not own the triage system: each of its addresses answers 404
    (not 403, which would say that it exists), and that page passes axe."""
    assert SYSTEM_OF["author"][0] != TRIAGE
    page = open_page(None, as_role="author")
    uid = demo_uid(live_app, TRIAGE)
    urls = [u for u in html_pages(live_app, uid, 3) if u.startswith(f"/systems/{uid}")]
    urls += [
        f"/systems/{uid}/review",
        f"/systems/{uid}/score",
        f"/systems/{uid}/draft/about",
        f"/systems/{uid}/revisions/3/report.pdf",
    ]
    assert len(urls) == 17
    for url in urls:
        assert page.goto(url).status == 404, url
    expect(page).to_have_title(re.compile(r"^Page not found"))
    check_axe(page, "another agency's system as author (404)")


def test_axe_on_login_page_with_errors(open_page):
    page = open_page("/login", as_role=None)
    check_axe(page, "login page")
    page.get_by_label("Email address").fill("nobody@agency.example")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    check_axe(page, "login page with errors")


def test_axe_on_every_step_of_an_assessment(open_page):
    page = open_page("/systems/new")
    page.get_by_role("button", name="Create and start").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_axe(page, "new system form with errors")

    uid = create_system(page, "Checked by axe")
    page.goto(f"/systems/{uid}/review")
    expect(page.locator(".error-summary")).to_be_visible()
    check_axe(page, "review with missing answers")
    page.goto(step_url(uid, "about"))

    fill_date(page, "When did or will the system go live?", "30", "2", "2025")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_axe(page, "a step with errors")
    fill_date(page, "When did or will the system go live?", "15", "1", "2025")
    save_draft(page)

    for here, then in zip(STEP_ORDER, STEP_ORDER[1:] + ["review"], strict=True):
        expect(page).to_have_title(
            re.compile(rf"^Step {STEP_ORDER.index(here) + 1} of 5: {STEP_TITLES[here]} – Checked by axe")
        )
        check_axe(page, f"step {here}")
        answer_step(page, here)
        if here == "risks":  # with the questions it reveals shown
            group(page, "Which kinds of data").get_by_label("Biometric data").check()
            expect(page.get_by_label("On what legal basis")).to_be_visible()
            check_axe(page, "step risks with a revealed question")
            page.get_by_label("On what legal basis").fill("Statute 12.")
        press_next(page, then)

    expect(page).to_have_title(re.compile(r"^Review your answers – Checked by axe"))
    check_axe(page, "review")
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1/submitted")
    check_axe(page, "the page after Submit")
    page.get_by_role("link", name="Read its results").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page).to_have_title(re.compile(r"^Revision 1 – Checked by axe"))
    check_axe(page, "revision results")
    page.goto(f"/systems/{uid}")
    check_axe(page, "a system with a revision")


def follow(page, name: str) -> None:
    """Click the link and wait until its page has loaded (axe run during the navigation would
    find no document)."""
    before = page.url
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state("load")


def test_axe_on_demo_pages_with_awkward_text(open_page):
    page = open_page("/")
    follow(page, RTL_SYSTEM)
    check_axe(page, "a system with a right-to-left name and a draft")
    follow(page, "Resume the draft")
    check_axe(page, "a step of that draft")
    follow(page, RTL_SYSTEM)
    follow(page, "Review answers")
    check_axe(page, "review of that draft")

    page = open_page("/", as_role="auditor")
    check_axe(page, "the list of every agency's systems")
    follow(page, "Claim review triage 🧮")
    follow(page, "Revision 2")
    check_axe(page, "results with flags and HTML-like text")


def test_axe_on_error_page(page):
    response = page.goto("/systems/sys-doesnotexist")
    assert response.status == 404
    expect(page).to_have_title(re.compile(r"^Page not found"))
    check_axe(page, "404 page")


def test_whole_assessment_with_the_keyboard_alone(page):
    keyboard.press_button(page, "Assess a new system")
    page.wait_for_url("**/systems/new")
    keyboard.type_into(page, "name", "Keyboard only")
    keyboard.type_into(page, "description", "Filled without a mouse.")
    keyboard.pick_radio(page, "questionnaire", "starter:4")
    keyboard.press_button(page, "Create and start")
    page.wait_for_url(re.compile(r"/draft/about$"))
    uid = re.search(r"/systems/(sys-[0-9a-f]+)/", page.url).group(1)

    keyboard.type_into(page, field_name("decision"), "Who is invited to a review interview")
    # The purpose starts from the description given above: not asked twice.
    expect(page.locator(f"#{field_name('purpose')}")).to_have_value("Filled without a mouse.")
    keyboard.type_into(page, field_name("people_per_year"), "5000")
    keyboard.pick_radio(page, field_name("decision_area"), "services")
    keyboard.press_button(page, "Next")
    page.wait_for_url(f"**{step_url(uid, 'triage')}")

    keyboard.pick_radio(page, field_name("affects_rights"), "yes")
    keyboard.pick_radio(page, field_name("uses_group_data"), "no")
    keyboard.pick_radio(page, field_name("black_box"), "no")
    keyboard.press_button(page, "Next")
    page.wait_for_url(f"**{step_url(uid, 'risks')}")

    keyboard.pick_radio(page, field_name("harm_likelihood"), "occasional")
    keyboard.pick_radio(page, field_name("harm_impact"), "moderate")
    keyboard.type_into(page, field_name("harm_description"), "Payments could be delayed.")
    keyboard.tick(page, field_name("data_kinds"), "administrative")
    keyboard.press_button(page, "Next")
    page.wait_for_url(f"**{step_url(uid, 'mitigation')}")

    keyboard.pick_radio(page, field_name("human_review"), "yes")
    keyboard.pick_radio(page, field_name("appeal"), "no")
    keyboard.press_button(page, "Next")
    page.wait_for_url(f"**{step_url(uid, 'signoff')}")

    keyboard.type_into(page, field_name("contact"), "team@agency.example")
    page.keyboard.press("Enter")  # Enter in a field goes forward, never back
    page.wait_for_url(f"**/systems/{uid}/review")

    keyboard.press_button(page, "Submit revision")
    page.wait_for_url(f"**/systems/{uid}/revisions/1/submitted")
    keyboard.press_button(page, "Read its results")
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.locator(".level")).to_contain_text("Level II")


def test_skip_link_is_first_and_moves_to_the_content(page):
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 20, "the focused skip link must be seen"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


_FOCUS_RING = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== "none", background: s.backgroundColor};
}"""


def test_focus_is_always_visible(page):
    uid = create_system(page, "Focus seen")
    kinds = {
        "about": {
            "link": lambda f: f["tag"] == "a",
            "text field": lambda f: f["tag"] == "input" and f["type"] == "text",
            "text box": lambda f: f["tag"] == "textarea",
            "radio": lambda f: f["type"] == "radio",
            "button": lambda f: f["tag"] == "button",
        },
        "risks": {"checkbox": lambda f: f["type"] == "checkbox"},
    }
    for step, wanted_kinds in kinds.items():
        page.goto(step_url(uid, step))
        for kind, wanted in wanted_kinds.items():
            keyboard.tab_until(page, wanted, kind)
            ring = page.evaluate(_FOCUS_RING)
            assert ring["outline"] or ring["shadow"], f"a focused {kind} shows no ring: {ring}"
    page.goto("/systems/new")
    keyboard.tab_until(page, lambda f: f["tag"] == "select", "drop-down list")
    ring = page.evaluate(_FOCUS_RING)
    assert ring["outline"] or ring["shadow"], f"a focused drop-down list shows no ring: {ring}"


_UNGROUPED = """() => Array.from(document.querySelectorAll("input[type=radio], input[type=checkbox]"))
  .filter(i => { const f = i.closest("fieldset"); return !f || !f.querySelector("legend"); })
  .map(i => i.id)"""
_UNLABELLED = """() => Array.from(document.querySelectorAll(
    "input:not([type=hidden]), textarea, select"))
  .filter(i => !i.labels || !i.labels.length).map(i => i.id || i.name)"""


def test_fields_are_labelled_and_choices_grouped(page):
    uid = create_system(page, "Labels and legends")
    for step in STEP_ORDER:
        page.goto(step_url(uid, step))
        assert page.evaluate(_UNLABELLED) == [], f"fields without a label on {step}"
        assert page.evaluate(_UNGROUPED) == [], f"choices outside a fieldset+legend on {step}"
    page.goto("/systems/new")
    assert page.evaluate(_UNLABELLED) == []


def test_right_to_left_text_reads_right_to_left(open_page):
    page = open_page("/", as_role="auditor")
    name = page.get_by_role("link", name=RTL_SYSTEM, exact=True)
    assert name.evaluate("el => getComputedStyle(el).direction") == "rtl"
    english = page.get_by_role("link", name="Street light repair order", exact=True)
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"
    name.click()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("dir", "auto")

    page = open_page("/")
    uid = create_system(page, "Typed in Arabic")
    field = page.get_by_label("Which decision does the system take or support?")
    field.fill("من يحصل على شقة أولاً؟")
    assert field.evaluate("el => el.matches(':dir(rtl)')")
    save_draft(page)
    page.goto(f"/systems/{uid}/review")
    answer = page.locator(".answer").first
    expect(answer).to_have_attribute("dir", "auto")
    assert answer.evaluate("el => getComputedStyle(el).direction") == "rtl"


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# Each answer of a review is as tall as its text (a flex basis once made a one-line answer
# 20rem tall on narrow screens): the answers taller than their text by more than a line.
BLANK_UNDER_ANSWERS = """() => Array.from(document.querySelectorAll('.answers dd > .answer')).filter(el => {
  const text = document.createRange(); text.selectNodeContents(el);
  return el.getBoundingClientRect().height - text.getBoundingClientRect().height > 30;
}).map(el => el.textContent.slice(0, 40))"""


@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"width": 320, "height": 640}, id="320px"),
        pytest.param({"width": 640, "height": 450}, id="200-percent-zoom"),
    ],
)
def test_pages_reflow_without_sideways_scrolling(open_page, viewport):
    urls = []
    page = open_page("/", as_role="auditor", viewport=viewport, device_scale_factor=2)
    page.get_by_role("link", name="Claim review triage 🧮").click()
    page.wait_for_url(re.compile(r"/systems/[^/]+$"))
    urls += ["/", page.url, page.url + "/revisions/2", page.url + "/history", "/systems/sys-doesnotexist"]
    for url in urls:
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), (
            f"{url} scrolls sideways at {viewport['width']} px: "
            f"{page.evaluate('document.documentElement.scrollWidth')} px wide"
        )
        if url.endswith("/history"):
            # Its tables stack as cards: nothing to scroll sideways inside them either.
            widths = page.locator(".table-scroll").evaluate_all(
                "rs => rs.map(r => [r.scrollWidth, r.clientWidth])"
            )
            assert widths and all(inner <= outer + 1 for inner, outer in widths), f"{url}: {widths}"

    page = open_page("/", viewport=viewport, device_scale_factor=2)
    page.get_by_role("link", name=RTL_SYSTEM, exact=True).click()
    page.wait_for_url(re.compile(r"/systems/[^/]+$"))
    urls = ["/systems/new", page.url, page.url + "/draft/about", page.url + "/review"]
    for url in urls:
        page.goto(url)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), (
            f"{url} scrolls sideways at {viewport['width']} px: "
            f"{page.evaluate('document.documentElement.scrollWidth')} px wide"
        )
        assert page.evaluate(BLANK_UNDER_ANSWERS) == [], f"{url}: answers with a blank under them"
    assert page.locator(".answers dd > .answer").count() > 0  # the review page was looked at
    # The public register: its list, an entry with earlier revisions and commitments, the
    # scoring method's tables, in English and in French (longer words).
    citizen = open_page("/register/", as_role=None, viewport=viewport, device_scale_factor=2)
    citizen.get_by_role("link", name="Claim review triage 🧮").first.click()
    expect(citizen.get_by_role("heading", name="Earlier published revisions")).to_be_visible()
    entry = citizen.url.split("?")[0]
    for url in ("/register/", entry, "/register/method"):
        for language in ("en", "fr"):
            citizen.goto(f"{url}?lang={language}")
            assert citizen.evaluate(NO_SIDEWAYS_SCROLL), (
                f"{url} in {language} scrolls sideways at {viewport['width']} px: "
                f"{citizen.evaluate('document.documentElement.scrollWidth')} px wide"
            )
            if url == entry:  # the earlier revisions stack as cards
                region = citizen.locator(".table-scroll", has=citizen.locator(".table-stack"))
                widths = region.evaluate_all("rs => rs.map(r => [r.scrollWidth, r.clientWidth])")
                assert widths and all(inner <= outer + 1 for inner, outer in widths), f"{url}: {widths}"
    create_system(page, "Narrow")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "a step with errors scrolls sideways"
