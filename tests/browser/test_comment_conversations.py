"""A conversation on a review in a real browser: the approver answers a comment under it and
marks it resolved, with plain forms (no script needed), and the page passes axe."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from aia.accounts.models import User
from aia.assessments import queries as assessment_queries
from aia.extensions import db
from aia.review import services

from ..answers import HTML_LIKE
from . import live
from .drafts import live_revision
from .pages import check_axe

pytestmark = pytest.mark.browser


def sent_back(live_app, name: str) -> str:
    """A revision of the approver's agency, sent back by them with a comment on the whole."""
    uid = live_revision(live_app, name)
    with live_app.app_context():
        approver = db.session.scalar(sa.select(User).where(User.email == live.PEOPLE["approver"][0]))
        system = assessment_queries.system_or_404(db.session, uid, approver)
        revision = assessment_queries.revision_or_404(db.session, system, 1)
        services.review(db.session, approver, revision, {None: "Name who hears appeals."}, "request_changes")
        db.session.commit()
    return uid


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_reply_and_resolve_on_the_review_page(open_page, live_app, scripts):
    uid = sent_back(live_app, f"Grant appeal sorter {'a' if scripts else 'b'}")
    page = open_page(f"/systems/{uid}/revisions/1/review", as_role="approver", java_script_enabled=scripts)
    comment = page.locator(".review-comments > li").filter(has_text="Name who hears appeals.")
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_role("textbox", name="Your reply").fill(HTML_LIKE)
    if scripts:  # axe runs as a script
        check_axe(page, "the review page, replying to a comment")
    comment.get_by_role("button", name="Send reply").click()
    page.wait_for_url(f"**/systems/{uid}/revisions/1/review#comment-*")
    expect(page.get_by_text("Your reply is saved.")).to_be_visible()
    replies = page.locator(".comment-replies")
    expect(replies).to_contain_text(HTML_LIKE)  # shown as text, never run
    expect(replies).to_contain_text("Browser approver")
    comment.get_by_role("button", name="Mark resolved").click()
    page.wait_for_load_state()
    expect(comment.locator(".comment-state")).to_contain_text("Resolved by Browser approver on")
    if scripts:
        check_axe(page, "the review page, a comment resolved")
    comment.get_by_role("button", name="Reopen").click()
    page.wait_for_load_state()
    expect(comment.locator(".comment-state")).to_contain_text("Reopened by Browser approver on")
