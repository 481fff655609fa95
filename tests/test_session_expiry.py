"""A step posted after the session ended loses nothing: the browser still holds the cookie
(it outlives the idle limit), the server sees the ended session and keeps the form, and saves
it as soon as the same person signs in again. And only then: a form is kept for a known
person, on a step they may edit, at that step's size, one per person, rate-limited.

The idle limit here is real and short (half a second): the session ends by a real wait, not
by rewinding a value inside it. The browser test (tests/browser/test_session_timeout.py) does
the same in Chromium."""

from __future__ import annotations

import datetime as dt
import time
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from aia.accounts.models import PendingForm
from aia.assessments.models import Draft, StepSave

from .conftest import PASSWORD
from .webform import as_fields, form_values, submit_data

ABOUT = {
    "decision": "Typed while the session ran out ✍️",
    "purpose": "Kept all the same.",
    "decision_area": "services",
}
IDLE_MINUTES = 0.5 / 60  # half a second


@pytest.fixture
def short_idle(app, monkeypatch):
    """A real idle limit of half a second; ``wait_past()`` waits it out, ``restore()`` puts
    the usual limit back (for the sign-in that follows)."""

    class Idle:
        @staticmethod
        def wait_past() -> None:
            monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", IDLE_MINUTES)
            time.sleep(IDLE_MINUTES * 60 + 0.2)

        @staticmethod
        def restore() -> None:
            monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)

    return Idle()


@pytest.fixture
def author_on_step(app, client, login, make_draft, make_system, make_agency):
    agency = make_agency()
    user = login("author", agency)
    draft = make_draft(system=make_system(agency=agency))
    url = f"/systems/{draft.system.uid}/draft/about"
    return user, draft, url, client.get(url).get_data(as_text=True)


def sign_in(client, email, password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data=submit_data(page, {"email": email, "password": password}))


def draft_answers(db_session, draft):
    db_session.expire_all()
    return db_session.get(Draft, draft.id).answers


def kept_forms(db_session) -> list[PendingForm]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(PendingForm)))


def test_the_cookie_outlives_the_idle_limit(app, client, make_user):
    """The bug this replaces: the cookie expired in the browser with the idle limit, so the
    server never saw an ended session and kept nothing."""
    user = make_user("author")
    response = sign_in(client, user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("aia-session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    kept = dt.timedelta(hours=app.config["KEPT_FORM_HOURS"])
    assert expires - dt.datetime.now(dt.UTC) > idle + kept - dt.timedelta(minutes=1)


def test_answers_posted_after_inactivity_are_saved_after_sign_in(
    app, client, db_session, author_on_step, short_idle
):
    user, draft, url, page = author_on_step
    short_idle.wait_past()
    response = client.post(url, data=submit_data(page, as_fields(ABOUT), "next"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    short_idle.restore()
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after" in login_page and "Your answers are kept" in login_page
    assert "decision" not in draft_answers(db_session, draft)
    [kept] = kept_forms(db_session)
    assert kept.user_id == user.id and not any(name == "csrf_token" for name, _ in kept.form)

    response = sign_in(client, user.email)
    assert response.headers["Location"] == url
    response = client.get(url)  # the kept form is saved, as if Next had just been pressed
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/draft/triage")
    assert draft_answers(db_session, draft)["decision"] == ABOUT["decision"]
    assert kept_forms(db_session) == []
    # The save is recorded as this person's, made from the kept form (see test_four_eyes).
    saves = db_session.execute(
        sa.select(StepSave.user_id, StepSave.step_key, StepSave.kind).where(
            StepSave.system_id == draft.system_id
        )
    ).all()
    assert (user.id, "about", "kept_form") in [tuple(s) for s in saves]
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


def test_a_kept_form_meets_a_conflict_like_any_other(app, client, db_session, author_on_step, short_idle):
    """Someone saved the draft meanwhile: the kept answers are shown against theirs."""
    user, draft, url, page = author_on_step
    short_idle.wait_past()
    client.post(url, data=submit_data(page, as_fields(ABOUT), "save"))
    short_idle.restore()
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
    user.session_generation += 1
    db_session.flush()
    client.post(url, data=submit_data(page, as_fields(ABOUT), "save"))
    assert len(kept_forms(db_session)) == 1
    colleague = make_user("author", user.agency)
    response = sign_in(client, colleague.email)
    assert response.headers["Location"] == "/"
    assert client.get(url).status_code == 200
    assert "decision" not in draft_answers(db_session, draft)


def test_a_post_without_this_browsers_token_is_not_kept(app, client, db_session, author_on_step):
    """Another site cannot plant answers to be saved at the next sign-in."""
    user, draft, url, page = author_on_step
    user.session_generation += 1
    db_session.flush()
    response = client.post(url, data=submit_data(page, {**as_fields(ABOUT), "csrf_token": "forged"}, "save"))
    assert response.headers["Location"].startswith("/login")
    assert kept_forms(db_session) == []


def test_nobody_keeps_a_form_without_a_session(app, client, db_session, make_draft):
    """The hole this closes: anyone could store whole forms with the token GET /login hands out."""
    draft = make_draft()
    url = f"/systems/{draft.system.uid}/draft/about"
    login_page = client.get("/login").get_data(as_text=True)
    token = form_values(login_page)["csrf_token"][0]
    for _ in range(3):
        response = client.post(url, data={"csrf_token": token, "q_purpose": "x" * 100_000, "action": "save"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert kept_forms(db_session) == []


def test_only_a_step_the_person_may_edit(app, client, db_session, author_on_step, make_draft):
    user, draft, url, page = author_on_step
    elsewhere = make_draft()  # another agency's draft
    user.session_generation += 1
    db_session.flush()
    for target in (
        f"/systems/{elsewhere.system.uid}/draft/about",
        f"/systems/{draft.system.uid}/draft/no-such-step",
        "/systems/no-such-system/draft/about",
    ):
        client.post(target, data=submit_data(page, as_fields(ABOUT), "save"))
    assert kept_forms(db_session) == []


def test_only_the_steps_fields_at_their_size(app, client, db_session, author_on_step):
    user, draft, url, page = author_on_step
    user.session_generation += 1
    db_session.flush()
    fields = submit_data(page, {**as_fields(ABOUT), "junk": "y" * 5000}, "save")
    client.post(url, data=fields)
    [kept] = kept_forms(db_session)
    names = {name for name, _ in kept.form}
    assert "junk" not in names and "q_decision" in names

    # Longer than the question takes: no browser showing this step sends it.
    too_long = submit_data(page, {**as_fields(ABOUT), "q_decision": "z" * 10_001}, "save")
    client.post(url, data=too_long)
    [still] = kept_forms(db_session)
    assert dict(still.form)["q_decision"] == ABOUT["decision"]


def test_one_kept_form_per_person_and_rate_limited(app, client, db_session, author_on_step, monkeypatch):
    monkeypatch.setitem(app.config, "KEPT_FORM_LIMIT", "3 per hour")
    user, draft, url, page = author_on_step
    user.session_generation += 1
    db_session.flush()
    for n in range(5):
        client.post(url, data=submit_data(page, {**as_fields(ABOUT), "q_purpose": f"take {n}"}, "save"))
    [kept] = kept_forms(db_session)  # one per person: each replaced the one before
    assert dict(kept.form)["q_purpose"] == "take 2"  # the fourth and fifth were refused
