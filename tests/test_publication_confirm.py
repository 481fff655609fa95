"""Publishing asks first, saying what becomes public; once published, the revision's page
leads to the public entry, and withdrawing is a step of its own, out of the way."""

from __future__ import annotations

import re

import pytest

from aia.assessments import lifecycle

from .webform import form_values


@pytest.fixture
def approved(app, db_session, make_agency, make_system, make_user, make_revision):
    agency = make_agency(slug="parks", name="Parks Board")
    system = make_system("Tree felling priority", agency=agency)
    author = make_user("author", agency)
    approver = make_user("approver", agency)
    revision = make_revision(system=system, submitted_by=author)
    with app.app_context():
        lifecycle.change_status(db_session, approver, revision, "approve")
    return {"agency": agency, "system": system, "revision": revision, "approver": approver}


def test_publishing_asks_first_and_says_what_becomes_public(app, login, approved, db_session):
    system, revision = approved["system"], approved["revision"]
    browser = app.test_client()
    login(approved["approver"], on=browser)
    page = browser.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    confirm_url = f"/systems/{system.uid}/revisions/1/publish"
    assert f'href="{confirm_url}"' in page  # a link: the revision's page publishes nothing
    assert f'action="{confirm_url}"' not in page
    confirm = browser.get(confirm_url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "This becomes public" in html
    assert "Tree felling priority" in html and "Parks Board" in html
    assert f'href="/systems/{system.uid}/revisions/1/report.pdf"' in html
    assert revision.status == "approved"  # asking changed nothing
    response = browser.post(confirm_url, data={"csrf_token": form_values(html)["csrf_token"][0]})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/systems/{system.uid}/revisions/1/publication")
    db_session.refresh(revision)
    assert revision.status == "published"  # the test app's queue works at once


def test_the_confirmation_names_the_revision_it_replaces(app, login, approved, db_session, make_revision):
    system = approved["system"]
    browser = app.test_client()
    login(approved["approver"], on=browser)
    html = browser.get(f"/systems/{system.uid}/revisions/1/publish").get_data(as_text=True)
    browser.post(
        f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": form_values(html)["csrf_token"][0]}
    )
    second = make_revision(system=system)
    with app.app_context():
        lifecycle.change_status(db_session, approved["approver"], second, "approve")
    html = browser.get(f"/systems/{system.uid}/revisions/2/publish").get_data(as_text=True)
    assert "Revision 1, public now, is then marked superseded." in html


def test_a_published_revision_leads_to_its_public_entry_before_withdraw(app, login, approved, db_session):
    system = approved["system"]
    browser = app.test_client()
    login(approved["approver"], on=browser)
    html = browser.get(f"/systems/{system.uid}/revisions/1/publish").get_data(as_text=True)
    browser.post(
        f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": form_values(html)["csrf_token"][0]}
    )
    page = browser.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    entry_link = re.search(
        rf'<a class="button" href="/register/{system.uid}">Open the public entry</a>', main
    )
    assert entry_link is not None
    withdraw = main.index("Withdraw revision 1")
    assert entry_link.start() < withdraw
    assert re.search(r"<details class=\"withdraw\">\s*<summary>Withdraw revision 1", main)
    assert browser.get(f"/register/{system.uid}").status_code == 200


def test_who_may_not_publish_is_not_asked(app, login, approved, db_session):
    system = approved["system"]
    author = app.test_client()
    login("author", approved["agency"], on=author)
    assert author.get(f"/systems/{system.uid}/revisions/1/publish").status_code == 403
    approver = app.test_client()
    login(approved["approver"], on=approver)
    html = approver.get(f"/systems/{system.uid}/revisions/1/publish").get_data(as_text=True)
    approver.post(
        f"/systems/{system.uid}/revisions/1/publish", data={"csrf_token": form_values(html)["csrf_token"][0]}
    )
    again = approver.get(f"/systems/{system.uid}/revisions/1/publish")
    assert again.status_code == 303  # published already: back to the revision, saying why
