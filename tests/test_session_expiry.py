"""A step posted after the session ended loses nothing: the form is kept on the server, and
saved as soon as the same person signs in again."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from aia.accounts.models import PendingForm
from aia.assessments.models import Draft

from .conftest import PASSWORD
from .webform import as_fields, submit_data

ABOUT = {
    "decision": "Typed while the session ran out ✍️",
    "purpose": "Kept all the same.",
    "decision_area": "services",
}


@pytest.fixture
def author_on_step(app, client, login, make_draft, make_system, make_agency):
    agency = make_agency()
    user = login("author", agency)
    draft = make_draft(system=make_system(agency=agency))
    url = f"/systems/{draft.system.uid}/draft/about"
    return user, draft, url, client.get(url).get_data(as_text=True)


def expire(app, client) -> None:
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5


def sign_in(client, email, password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data=submit_data(page, {"email": email, "password": password}))


def draft_answers(db_session, draft):
    db_session.expire_all()
    return db_session.get(Draft, draft.id).answers


def test_answers_posted_after_inactivity_are_saved_after_sign_in(app, client, db_session, author_on_step):
    user, draft, url, page = author_on_step
    expire(app, client)
    response = client.post(url, data=submit_data(page, as_fields(ABOUT), "next"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answers are kept" in login_page
    assert "decision" not in draft_answers(db_session, draft)

    response = sign_in(client, user.email)
    assert response.headers["Location"] == url
    response = client.get(url)  # the kept form is saved, as if Next had just been pressed
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/draft/triage")
    assert draft_answers(db_session, draft)["decision"] == ABOUT["decision"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PendingForm)) == 0
    # Used once: the step page shows normally afterwards.
    assert client.get(url).status_code == 200


def test_answers_are_kept_when_the_session_was_revoked(app, client, db_session, author_on_step):
    user, draft, url, page = author_on_step
    user.session_generation += 1  # e.g. the password was changed on another device
    db_session.flush()
    response = client.post(url, data=submit_data(page, as_fields(ABOUT), "save"))
    assert response.headers["Location"].startswith("/login")
    sign_in(client, user.email)
    assert client.get(url).status_code == 302
    assert draft_answers(db_session, draft)["purpose"] == "Kept all the same."


def test_a_kept_form_meets_a_conflict_like_any_other(app, client, db_session, author_on_step):
    """Someone saved the draft meanwhile: the kept answers are shown against theirs."""
    user, draft, url, page = author_on_step
    expire(app, client)
    client.post(url, data=submit_data(page, as_fields(ABOUT), "save"))
    db_session.execute(
        sa.update(Draft)
        .where(Draft.id == draft.id)
        .values(answers={"decision": "Theirs"}, lock_version=Draft.lock_version + 1)
    )
    sign_in(client, user.email)
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert ABOUT["decision"] in html and "Saved meanwhile by someone else:</strong> Theirs" in html


def test_someone_else_signing_in_does_not_get_the_kept_form(
    app, client, db_session, author_on_step, make_user
):
    user, draft, url, page = author_on_step
    expire(app, client)
    client.post(url, data=submit_data(page, as_fields(ABOUT), "save"))
    colleague = make_user("author", user.agency)
    response = sign_in(client, colleague.email)
    assert response.headers["Location"] == "/"
    assert client.get(url).status_code == 200
    assert "decision" not in draft_answers(db_session, draft)


def test_a_post_without_this_browsers_token_is_not_kept(app, client, db_session, author_on_step):
    """Another site cannot plant answers to be saved at the next sign-in."""
    user, draft, url, page = author_on_step
    expire(app, client)
    response = client.post(url, data=submit_data(page, {**as_fields(ABOUT), "csrf_token": "forged"}, "save"))
    assert response.headers["Location"].startswith("/login")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(PendingForm)) == 0
