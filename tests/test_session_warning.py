"""The warning before the idle limit (WCAG 2.2.1): the pages say when to warn, ``GET /session``
tells the time left without renewing the session, and ``POST /session`` (Stay signed in, with
the CSRF token) renews it and its cookie. The limits here are real and short: the session
ends, or does not, by a real wait. The browser test (tests/browser/test_session_warning.py)
drives the dialog itself."""

from __future__ import annotations

import re
import time

import pytest

IDLE_SECONDS = 3


@pytest.fixture
def short_idle(app, monkeypatch, login):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", IDLE_SECONDS / 60)
    return login("author")


def csrf_of(client) -> str:
    page = client.get("/account/password").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_the_page_says_when_to_warn(app, client, login, monkeypatch):
    login("author")
    page = client.get("/").get_data(as_text=True)
    assert 'data-idle-seconds="1800.0"' in page and 'data-warning-seconds="120.0"' in page
    assert "Stay signed in" in page and "timeout.js" in page
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 0.1)  # six seconds: warn after half
    page = client.get("/").get_data(as_text=True)
    assert 'data-idle-seconds="6.0"' in page and 'data-warning-seconds="3.0"' in page


def test_nobody_signed_in_has_no_time_left_and_no_warning(client):
    assert client.get("/session").get_json() == {"signed_in": False, "seconds_left": 0.0}
    assert "data-session-timeout" not in client.get("/login").get_data(as_text=True)


def test_asking_for_the_time_left_does_not_renew_the_session(client, short_idle):
    answer = client.get("/session").get_json()
    assert answer["signed_in"] is True and 0 < answer["seconds_left"] <= IDLE_SECONDS
    time.sleep(IDLE_SECONDS / 2)
    assert client.get("/session").get_json()["signed_in"] is True
    time.sleep(IDLE_SECONDS / 2 + 0.2)
    assert client.get("/session").get_json() == {"signed_in": False, "seconds_left": 0.0}
    assert client.get("/").status_code == 302  # ended: to the sign-in page


def test_stay_signed_in_renews_the_session_and_its_cookie(client, short_idle):
    token = csrf_of(client)
    assert client.post("/session").status_code == 400  # without the CSRF token: refused
    time.sleep(IDLE_SECONDS * 2 / 3)
    stayed = client.post("/session", headers={"X-CSRFToken": token})
    assert stayed.status_code == 200
    answer = stayed.get_json()
    assert answer["signed_in"] is True and answer["seconds_left"] == IDLE_SECONDS
    assert answer["csrf_token"]
    assert "Set-Cookie" in stayed.headers  # the browser's cookie starts over too
    time.sleep(IDLE_SECONDS * 2 / 3)  # past the first limit, within the renewed one
    assert client.get("/session").get_json()["signed_in"] is True
    assert client.get("/").status_code == 200


def test_stay_signed_in_after_the_end_is_too_late(client, short_idle):
    token = csrf_of(client)
    time.sleep(IDLE_SECONDS + 0.2)
    late = client.post("/session", headers={"X-CSRFToken": token})
    assert late.status_code == 302 and late.headers["Location"].startswith("/login")
