"""Issue 11's points, tried over HTTPS as an attacker would, against gunicorn with three
workers (and the public register's two), PostgreSQL and Redis behind nginx (see conftest.py).
A new check is one small test taking ``site``; every request already fails on a 5xx."""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from ..webform import form_values, submit_data
from .site import Visitor

pytestmark = pytest.mark.production

WRONG = "not the password at all"


def sign_in(visitor: Visitor, email: str, password: str, **options):
    page = visitor.get("/login").body
    return visitor.post("/login", form=submit_data(page, {"email": email, "password": password}), **options)


def login_token(visitor: Visitor) -> str:
    return form_values(visitor.get("/login").body)["csrf_token"][0]


def test_plain_http_is_sent_to_https(site):
    answer = Visitor(site.http_port, site.certificate, scheme="http").get("/register/?page=2")
    assert answer.status == 301
    assert answer.header("Location").startswith("https://127.0.0.1") and answer.header("Location").endswith(
        "/register/?page=2"
    )


def test_nginx_passes_the_register_to_its_own_pool_and_the_rest_to_the_staffs(site):
    """deploy/nginx.conf's two upstreams: what each gunicorn wrote in its access log."""
    mark = os.urandom(6).hex()
    visitor = site.visitor("127.0.0.40")
    for path in (f"/register/?q={mark}", f"/register.json?mark={mark}", f"/login?mark={mark}"):
        assert visitor.get(path).status == 200
    # A worker writes its access line once the answer has gone: wait for the lines to appear.
    public_log = logged(
        site.folder / "gunicorn-public.log", f"GET /register/?q={mark} ", f"GET /register.json?mark={mark} "
    )
    staff_log = logged(site.folder / "gunicorn.log", f"GET /login?mark={mark} ")
    assert f"/register/?q={mark}" not in staff_log and f"/register.json?mark={mark}" not in staff_log
    assert f"/login?mark={mark}" not in public_log


def logged(path, *lines: str, within_s: float = 30) -> str:
    """The log's text once it holds every one of ``lines``."""
    deadline = time.monotonic() + within_s
    while True:
        text = path.read_text()
        if all(line in text for line in lines) or time.monotonic() > deadline:
            assert all(line in text for line in lines), f"{path.name} lacks {lines}:\n{text[-2000:]}"
            return text
        time.sleep(0.05)


def test_security_headers_over_https(site):
    answer = site.visitor().get("/register/")
    assert answer.status == 200
    policy = {
        d.strip().split(" ", 1)[0]: d.strip() for d in answer.header("Content-Security-Policy").split(";")
    }
    assert policy == {
        "default-src": "default-src 'self'",
        "frame-ancestors": "frame-ancestors 'none'",
        "form-action": "form-action 'self'",
        "base-uri": "base-uri 'none'",
        "object-src": "object-src 'none'",
    }
    # HSTS: the app sees HTTPS through the one proxy it trusts.
    assert re.fullmatch(r"max-age=\d{7,}", answer.header("Strict-Transport-Security"))
    assert answer.header("X-Content-Type-Options") == "nosniff"
    assert answer.header("Referrer-Policy") == "same-origin"
    assert answer.header("X-Frame-Options") == "DENY"


def test_the_session_cookie_is_secure_and_signed_in_pages_are_not_stored(site):
    visitor = site.visitor()
    email, password = site.accounts["author"]
    answer = sign_in(visitor, email, password)
    assert answer.status == 302, answer.body[:500]
    session_cookies = [c for c in answer.cookies_set if "session" in c.split("=", 1)[0]]
    assert session_cookies and all(
        re.search(r"(?i); Secure", c) and re.search(r"(?i); HttpOnly", c) for c in session_cookies
    )
    page = visitor.get("/")
    assert page.status == 200 and page.header("Cache-Control") == "no-store"


def test_wrong_guesses_are_limited_across_workers(site):
    """Five wrong guesses per account and address, wherever they land among the workers."""
    email, _ = site.accounts["approver"]
    stranger = site.visitor("127.0.0.11")
    statuses = [sign_in(stranger, email, WRONG).status for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2


def test_a_burst_of_concurrent_guesses_lets_through_no_more_than_the_limit(site):
    email, _ = site.accounts["auditor"]
    attacker = site.visitor("127.0.0.12")
    token = login_token(attacker)
    cookies = dict(attacker.cookies)

    def guess(_: int) -> int:
        one = Visitor(site.https_port, site.certificate, "127.0.0.12", cookies=dict(cookies))
        data = {"csrf_token": token, "email": email, "password": WRONG}
        return one.post("/login", form=data).status

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert statuses.count(401) <= 5 and statuses.count(401) + statuses.count(429) == 16, statuses


def test_a_stranger_cannot_lock_the_owner_out(site):
    email, password = site.accounts["admin"]
    stranger = site.visitor("127.0.0.13")
    # The stranger even claims the owner's address: nginx replaces the header.
    for _ in range(6):
        stranger.post(
            "/login",
            form=submit_data(stranger.get("/login").body, {"email": email, "password": WRONG}),
            headers={"X-Forwarded-For": "127.0.0.14"},
        )
    assert sign_in(stranger, email, password).status == 429
    assert sign_in(site.visitor("127.0.0.14"), email, password).status == 302


def test_a_sign_in_posted_as_json_is_limited_the_same(site):
    email, password = site.accounts["author"]
    attacker = site.visitor("127.0.0.15")
    token = login_token(attacker)
    statuses = [
        attacker.post(
            "/login", json_body={"email": email, "password": WRONG}, headers={"X-CSRFToken": token}
        ).status
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def published_entry(visitor: Visitor) -> str:
    links = re.findall(r'href="(/register/[A-Za-z0-9_-]{8,})"', visitor.get("/register/").body)
    assert links, "the demo data has a published entry"
    return links[0]


def test_public_messages_are_limited_per_client_not_for_everyone(site):
    first = site.visitor("127.0.0.16")
    entry = published_entry(first)

    def send(visitor: Visitor) -> int:
        page = visitor.get(entry).body
        data = submit_data(page, {"kind": "question", "message": "How is this checked?", "reply_to": ""})
        return visitor.post(f"{entry}/feedback", form=data).status

    assert [send(first) for _ in range(6)] == [302] * 5 + [429]
    assert send(site.visitor("127.0.0.17")) == 302


def test_with_redis_down_sign_in_fails_closed_and_the_rest_works(site, app_without_redis):
    visitor = app_without_redis
    email, password = site.accounts["author"]
    refused = sign_in(visitor, email, password, unavailable_expected=True)
    assert refused.status == 503 and "Sign-in is unavailable" in refused.body
    assert visitor.get("/").status == 302  # not signed in: sent to the sign-in page
    # The public register goes on, and so does its feedback form (without its limit).
    assert visitor.get("/register/").status == 200
    entry = published_entry(visitor)
    page = visitor.get(entry).body
    data = submit_data(page, {"kind": "question", "message": "Is the register still up?", "reply_to": ""})
    assert visitor.post(f"{entry}/feedback", form=data).status == 302
