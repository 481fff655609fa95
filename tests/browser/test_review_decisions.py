"""Deciding on a revision in a real browser: a request for changes without a comment is
refused at the comment box, which gets the focus; Approve is not the first button under the
comments and asks once more before it decides. Nothing of it needs scripts (the last test
turns them off)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .drafts import live_revision
from .pages import check_axe

pytestmark = pytest.mark.browser


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
    )


def test_request_changes_without_a_comment_is_said_at_the_field(open_page, live_app):
    uid = live_revision(live_app, "Grant letter sorter")
    page = open_page(f"/systems/{uid}/revisions/1/review", as_role="approver")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_load_state()
    box = page.get_by_role("textbox", name="Comment on the whole revision")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    error = page.locator("#overall-error")
    expect(error).to_contain_text("Say what must change")
    assert in_view(page, "#overall-error") and in_view(page, "#overall")
    expect(page.locator(".notice-error")).to_have_count(0)  # not a flash at the top
    check_axe(page, "the review page, a request for changes without a comment")
    box.fill("Name the office that hears appeals.")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.get_by_text("Changes requested on revision 1.")).to_be_visible()


def test_approve_asks_once_more_and_keeps_the_comments(open_page, live_app):
    uid = live_revision(live_app, "Grant renewal reminder")
    page = open_page(f"/systems/{uid}/revisions/1/review", as_role="approver")
    actions = page.locator("form button[type=submit]")
    # The first button after the comment on the whole is Save, not Approve.
    expect(page.locator("#overall ~ * button, #overall-title ~ .actions button").first).to_have_text(
        "Save comments only"
    )
    assert "Approve…" in actions.all_inner_texts()
    page.get_by_role("textbox", name="Comment on the whole revision").fill("Clear and complete.")
    page.get_by_role("button", name="Approve…").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Approve revision 1?")).to_be_visible()
    yes = page.get_by_role("button", name="Yes, approve revision 1")
    expect(yes).to_be_focused()
    expect(page.get_by_role("textbox", name="Comment on the whole revision")).to_have_value(
        "Clear and complete."
    )
    check_axe(page, "the review page, confirming an approval")
    page.get_by_role("button", name="Cancel: do not approve yet").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Approve revision 1?")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Comment on the whole revision")).to_have_value(
        "Clear and complete."
    )
    page.get_by_role("button", name="Approve…").click()
    page.get_by_role("button", name="Yes, approve revision 1").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.get_by_text("Revision 1 approved. It can now be published.")).to_be_visible()


def test_without_scripts_request_changes_and_approve_work_alike(open_page, live_app):
    uid = live_revision(live_app, "Grant appeal triage")
    page = open_page(f"/systems/{uid}/revisions/1/review", as_role="approver", java_script_enabled=False)
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("textbox", name="Comment on the whole revision")).to_be_focused()
    page.get_by_role("button", name="Approve…").click()
    yes = page.get_by_role("button", name="Yes, approve revision 1")
    expect(yes).to_be_focused()
    yes.click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1")
    expect(page.get_by_text("Revision 1 approved. It can now be published.")).to_be_visible()
