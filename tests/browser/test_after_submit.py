"""The page after Submit, in a real browser: its own address, the same on a reload, what
happens next and what the author can do meanwhile; without JavaScript; axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .drafts import live_draft
from .pages import check_axe

pytestmark = pytest.mark.browser


def test_after_submit_a_page_says_what_happens_next(open_page, live_app):
    uid = live_draft(live_app, "Submitted and told")
    page = open_page(f"/systems/{uid}/review", java_script_enabled=False)
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1/submitted")
    for _ in range(2):  # the same after a reload: nothing is submitted twice
        expect(page.get_by_role("heading", level=1)).to_have_text("Revision 1 submitted")
        expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
        expect(page.get_by_text(re.compile(r"The approvers? of .* review"))).to_be_visible()
        expect(page.get_by_text("Its answers can no longer be changed.")).to_be_visible()
        page.reload()
    page.get_by_role("link", name="Read its results").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revision 1: results")
    page.goto(f"/systems/{uid}")
    expect(page.get_by_role("link", name="Revision 2")).to_have_count(0)  # submitted once

    check_axe(open_page(f"/systems/{uid}/revisions/1/submitted"), "the page after Submit")
