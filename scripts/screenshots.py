"""Screenshots of each kind of page, for the README and the guides, taken in Debian's Chromium
from the app served on a loopback port with the demo data (a fresh SQLite database, or
PostgreSQL when AIA_DATABASE_URL names a server).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME ...]

Needs Chromium (Debian: apt-get install chromium); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser import live  # noqa: E402
from tests.browser.pages import STEP_ORDER, answer_step, create_system, group, press_next  # noqa: E402

DESKTOP = {"viewport": {"width": 1200, "height": 860}}
NARROW = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2}
MAX_HEIGHT = 2000  # px of page kept in one picture


class Camera:
    def __init__(self, browser, base_url: str, out: Path, only: set[str], app):
        self.browser, self.base_url, self.out, self.only = browser, base_url, out, only
        self.app = app
        self.taken: list[str] = []

    def page(self, role: str | None, **options) -> Page:
        context = self.browser.new_context(base_url=self.base_url, **(options or DESKTOP))
        context.set_default_timeout(15_000)
        page = context.new_page()
        if role:
            live.sign_in(page, role)
        return page

    def shoot(self, page: Page, name: str, around: str | None = None) -> None:
        """The page from its top, or from a little above the element ``around`` (a CSS
        selector) when what the picture is about lies further down than MAX_HEIGHT."""
        if self.only and name not in self.only:
            return
        page.wait_for_load_state("networkidle")
        page.mouse.move(0, 0)
        total = page.evaluate("document.documentElement.scrollHeight")
        top = 0
        if around:
            box = page.locator(around).first.bounding_box()
            top = max(0, int(box["y"] + page.evaluate("window.scrollY")) - 300) if box else 0
        height = min(total - top, MAX_HEIGHT)
        width = page.viewport_size["width"]
        page.screenshot(
            path=self.out / f"{name}.png",
            full_page=True,
            clip={"x": 0, "y": top, "width": width, "height": height},
            animations="disabled",
            caret="hide",
        )
        self.taken.append(name)
        print(f"  {name}.png  {page.url.removeprefix(self.base_url)}")


def walk(camera: Camera, demo_name: Callable[[str], str]) -> None:
    page = camera.page(None)
    page.goto("/login")
    camera.shoot(page, "login")
    if page.goto("/register/").ok:
        camera.shoot(page, "register")
    if page.goto(f"/register/{demo_name('Claim review triage 🧮')}").ok:
        camera.shoot(page, "register-entry")
    if page.goto(f"/register/{demo_name('Social housing allocation score')}").ok:
        camera.shoot(page, "register-entry-commitments")
    if page.goto("/register/?q=school+transport").ok:
        camera.shoot(page, "register-withdrawn-match")
    if page.goto(f"/register/{demo_name('School transport eligibility')}").ok:
        camera.shoot(page, "register-entry-withdrawn")
    if page.goto("/register/method").ok:
        camera.shoot(page, "register-method")
    if page.goto(f"/register/{demo_name('Housing repair priority')}").ok and (
        not camera.only or "feedback-sent" in camera.only
    ):
        page.get_by_label("A question about this system").check()
        page.get_by_label("Your message").fill("Can I see the urgency given to my request?")
        page.get_by_role("button", name="Send").click()
        page.locator("#reference").wait_for()
        camera.shoot(page, "feedback-sent")

    page = camera.page("author")
    page.goto("/systems/new")
    camera.shoot(page, "new-system")
    uid = create_system(page, "Benefit fraud triage", "Ranks new benefit claims for a manual check.")
    camera.shoot(page, "step")
    page.get_by_label("About how many people").fill("about 5000")
    page.get_by_role("button", name="Next", exact=True).click()
    page.locator(".error-summary").wait_for()
    camera.shoot(page, "step-with-errors")
    for here, then in zip(STEP_ORDER, STEP_ORDER[1:] + ["review"], strict=True):
        if here == "mitigation":
            # The score so far, refreshed from the server once the answer is autosaved.
            group(page, "Does a person review every decision").get_by_label("Yes", exact=True).check()
            page.locator("[data-score-mitigation]").filter(has_text="3 of").wait_for()
            camera.shoot(page, "step-score")
            page.goto(f"/systems/{uid}/tasks")
            camera.shoot(page, "task-list")
            page.goto(f"/systems/{uid}/draft/mitigation")
        answer_step(page, here)
        if here == "risks":
            group(page, "Which kinds of data").get_by_label("Biometric data").check()
            page.get_by_label("On what legal basis").fill("Section 12 of the Benefits Act.")
            camera.shoot(page, "step-conditional-question")
        press_next(page, then)
    camera.shoot(page, "review")
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1/submitted")
    page.goto(f"/systems/{uid}/revisions/1")
    camera.shoot(page, "revision-results")
    page.goto("/systems/sys-doesnotexist")
    camera.shoot(page, "not-found")

    # The warning before the idle limit, on an app whose limit is briefly twelve seconds (it
    # warns half the limit before the end); the page is loaded with that limit.
    if not camera.only or "timeout-warning" in camera.only:
        page = camera.page("author")
        camera.app.config["SESSION_IDLE_MINUTES"] = 0.2
        try:
            page.goto(f"/systems/{uid}")
            page.get_by_role("dialog", name="You will be signed out soon").wait_for(timeout=20_000)
            camera.shoot(page, "timeout-warning")
        finally:
            camera.app.config["SESSION_IDLE_MINUTES"] = 30

    page = camera.page("auditor")  # reads every agency: systems in every state
    camera.shoot(page, "assessments")
    page.goto(f"/systems/{demo_name('Claim review triage 🧮')}")
    camera.shoot(page, "system")
    page.goto(f"/systems/{demo_name('Claim review triage 🧮')}/history")
    camera.shoot(page, "history")
    page.goto("/review")
    camera.shoot(page, "review-queue")
    page.goto(f"/systems/{demo_name('Library fine reminders')}/revisions/1")
    camera.shoot(page, "threshold-outcome")

    page.goto("/audit")
    camera.shoot(page, "audit-log")
    page.goto(f"/systems/{demo_name('Claim review triage 🧮')}/compare?from=1&to=2&changes=only")
    camera.shoot(page, "compare-changes-only")

    page = camera.page("approver")
    triage = demo_name("Claim review triage 🧮")
    page.goto(f"/systems/{triage}/revisions/2")
    camera.shoot(page, "revision-published")
    page.goto(f"/systems/{triage}/revisions/3/review")
    camera.shoot(page, "review-decision", around="#overall-title")
    # A request for changes without a comment, said at the field; then Approve, confirmed.
    page.get_by_role("button", name="Request changes").click()
    page.locator("#overall-error").wait_for()
    camera.shoot(page, "review-request-changes-error", around="#overall-error")
    page.get_by_role("button", name="Approve…").click()
    page.locator("#approve-confirm").wait_for()
    camera.shoot(page, "review-approve-confirm", around="#approve-confirm")
    if not camera.only or "publish-confirm" in camera.only:
        page.get_by_role("button", name="Yes, approve revision 3").click(timeout=90_000)
        page.wait_for_url(f"**/systems/{triage}/revisions/3", timeout=90_000)
        page.goto(f"/systems/{triage}/revisions/3/publish")
        camera.shoot(page, "publish-confirm")
    page.goto("/feedback")
    camera.shoot(page, "feedback-queue")

    page = camera.page("auditor", **NARROW)
    camera.shoot(page, "narrow-assessments")
    page = camera.page("author", **NARROW)
    page.get_by_role("link", name=re.compile("^Resume the draft of")).first.click()
    camera.shoot(page, "narrow-step")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=[], help="names of the pictures to take")
    args = parser.parse_args()
    chromium = live.find_chromium()
    if chromium is None:
        sys.exit("Chromium is not installed (Debian: apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp, live.database(Path(tmp)) as database_url:
        app = live.make_live_app(database_url, Path(tmp))

        def demo_name(name: str) -> str:
            import sqlalchemy as sa

            from aia.assessments.models import System
            from aia.extensions import db

            with app.app_context():
                return db.session.scalar(sa.select(System.uid).where(System.name == name))

        with live.serve(app) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=live.CHROMIUM_ARGS)
            camera = Camera(browser, base_url, args.out, set(args.only), app)
            print(f"screenshots into {args.out}:")
            walk(camera, demo_name)
            browser.close()
    print(f"{len(camera.taken)} screenshots")


if __name__ == "__main__":
    main()
