"""Choosing a password through a mailed link, in a real browser: a reset asked for from the
sign-in page, and an invitation sent by an administrator. The mail goes to a real SMTP server
the test starts; every page passes axe."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from aia.accounts import services as account_services
from aia.extensions import db

from ..smtp import Inbox, parts, smtp_server
from . import live
from .pages import check_axe

pytestmark = pytest.mark.browser

NEW = "a brand new phrase chosen in the browser"


@pytest.fixture
def inbox(live_app) -> Iterator[Inbox]:
    saved = {key: live_app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    with smtp_server() as (inbox, port):
        live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        try:
            yield inbox
        finally:
            live_app.config.update(saved)


def link_in(inbox: Inbox, address: str, path: str) -> str:
    [message] = inbox.to(address)
    found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", parts(message)[0])
    assert found, parts(message)[0]
    return found.group(1)


def choose_password(page) -> None:
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)


def test_a_forgotten_password_is_reset_from_the_sign_in_page(open_page, live_app, inbox):
    email = f"forgetful-{uuid.uuid4().hex[:6]}@browser.example"
    with live_app.app_context():
        agency = account_services.agency_by_slug(db.session, live.PEOPLE["author"][1])
        account_services.create_user(db.session, None, email, "Forgetful", "author", agency, live.PASSWORD)
        db.session.commit()
    page = open_page("/login", as_role=None)
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_title(re.compile("Forgot your password"))
    check_axe(page, "forgotten password")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses this address")
    page.goto(link_in(inbox, email, "/login/reset/"))
    expect(page).to_have_title(re.compile("Choose a new password"))
    check_axe(page, "choosing a new password")
    choose_password(page)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.get_by_role("status")).to_contain_text("Password changed")
    check_axe(page, "signed in after a reset")


def test_an_invited_person_opens_their_account(open_page, live_app, inbox):
    email = f"invited-{uuid.uuid4().hex[:6]}@browser.example"
    admin = open_page("/invitations", as_role="admin")
    check_axe(admin, "inviting a person")
    admin.get_by_label("Email address").fill(email)
    admin.get_by_label("Name").fill("Invitée ✉️")
    admin.get_by_label("Role").select_option("author")
    admin.get_by_label("Agency").select_option(
        label=admin.get_by_label("Agency").locator("option").nth(1).inner_text()
    )
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.get_by_role("status")).to_contain_text(f"Invitation sent to {email}")
    page = open_page(link_in(inbox, email, "/invitation/"), as_role=None)
    expect(page).to_have_title(re.compile("Choose your password"))
    check_axe(page, "accepting an invitation")
    choose_password(page)
    page.get_by_role("button", name="Open my account").click()
    page.wait_for_url(lambda url: "/invitation/" not in url)
    expect(page.get_by_role("status")).to_contain_text("Welcome")


def test_the_pages_about_people_and_mail_pass_axe(open_page, live_app):
    page = open_page("/account/notifications", as_role="author")
    expect(page).to_have_title(re.compile("Notifications"))
    check_axe(page, "notifications")
    admin = open_page("/admin/mail", as_role="admin")
    check_axe(admin, "outgoing mail")
    admin.goto("/admin/users")
    admin.get_by_role("link", name=re.compile(f"Change {re.escape(live.PEOPLE['author'][0])}")).click()
    expect(admin).to_have_title(re.compile("Change a person"))
    check_axe(admin, "changing a person")
    admin.goto("/admin/agencies")
    admin.get_by_role("link", name=re.compile("^Change ")).first.click()
    expect(admin).to_have_title(re.compile("Change an agency"))
    check_axe(admin, "changing an agency")
