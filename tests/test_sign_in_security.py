"""What a security review tries on signing in: a fresh session at sign-in and sign-out, the
second factor (TOTP with recovery codes: used once, throttled, required by role), throttled
password changes, a password set by an administrator, the deny-list, production settings
(secret key, public address, trusted hosts, the __Host- cookie), and the security log."""

from __future__ import annotations

import json
import logging
import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from aia import SettingsError, create_app
from aia.accounts.models import PendingForm, User
from aia.accounts.passwords import WeakPassword, check_strength, common_passwords
from aia.audit.models import AuditEvent
from config import DEVELOPMENT_SECRET_KEY, Config

from .conftest import PASSWORD
from .webform import form_values, submit_data

LONG_KEY = "k" * 48


def sign_in(client, email, password=PASSWORD, next_=""):
    page = client.get("/login").get_data(as_text=True)
    return client.post(f"/login{next_}", data=submit_data(page, {"email": email, "password": password}))


def post_code(client, code):
    page = client.get("/login/code").get_data(as_text=True)
    return client.post("/login/code", data=submit_data(page, {"code": code}))


def enrol(client) -> tuple[str, list[str]]:
    """Set up the signed-in person's second factor through its page; (secret, recovery codes)."""
    page = client.get("/account/second-factor").get_data(as_text=True)
    secret = re.search(r'id="mfa-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post(
        "/account/second-factor", data=submit_data(page, {"code": pyotp.TOTP(secret).now()})
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.get_data(as_text=True))
    return secret, codes


def next_code(secret: str) -> str:
    """The code of the next time step: fresh (later than any accepted yet) and within the
    drift the app allows, whenever in the current step it is asked for."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def sign_out(client) -> None:
    page = client.get("/account/password").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": form_values(page)["csrf_token"][0]})


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


# A fresh session at sign-in and sign-out (session fixation)


def test_signing_in_and_out_renews_the_session(client, make_user):
    user = make_user("author")
    client.get("/login?lang=fr")
    before = session_of(client)["csrf_token"]
    sign_in(client, user.email)
    client.get("/")
    during = session_of(client)
    assert during["csrf_token"] != before
    assert during["lang"] == "fr"  # a preference, the one thing a new session keeps
    sign_out(client)
    after = session_of(client)
    assert "_user_id" not in after and after.get("csrf_token") != during["csrf_token"]


def test_a_planted_kept_form_does_not_follow_into_anothers_session(client, db_session, make_user, make_draft):
    """A cookie carrying a kept form of someone else is worth nothing at this person's sign-in."""
    owner, victim = make_user("author"), make_user("author")
    draft = make_draft()
    db_session.add(
        PendingForm(
            token="planted", user_id=owner.id, path=f"/systems/{draft.system.uid}/draft/about", form=[]
        )
    )
    db_session.flush()
    client.get("/login")
    with client.session_transaction() as session:
        session["pending_form"] = "planted"
    response = sign_in(client, victim.email)
    assert response.headers["Location"] == "/"
    assert "pending_form" not in session_of(client)


# The second factor


def test_second_factor_set_up_and_used_at_sign_in(client, db_session, login):
    user = login("author")
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    db_session.expire_all()
    assert db_session.get(User, user.id).mfa_secret == secret
    actions = set(db_session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)))
    assert "user.mfa_enabled" in actions

    sign_out(client)
    response = sign_in(client, user.email, next_="?next=/account/password")
    assert response.headers["Location"] == "/login/code"
    assert not signed_in(client)  # a right password alone signs nobody in
    assert "_user_id" not in session_of(client)
    response = post_code(client, next_code(secret))
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert signed_in(client)


def test_a_code_is_accepted_once(client, app, login, make_user):
    user = login("author")
    secret, _ = enrol(client)
    code = next_code(secret)
    first, other = app.test_client(), app.test_client()
    for browser in (first, other):
        sign_in(browser, user.email)
    assert post_code(first, code).status_code == 302
    response = post_code(other, code)  # the same code again, seconds later: refused
    assert response.status_code == 401 and "already used" in response.get_data(as_text=True)
    # Nor an older one still inside its 30 seconds.
    assert post_code(other, pyotp.TOTP(secret).now()).status_code == 401


def test_recovery_codes_work_once(client, app, login):
    user = login("author")
    _, codes = enrol(client)
    fresh = app.test_client()
    sign_in(fresh, user.email)
    assert post_code(fresh, codes[0].upper()).status_code == 302  # as people type it
    again = app.test_client()
    sign_in(again, user.email)
    assert post_code(again, codes[0]).status_code == 401


def test_wrong_codes_are_throttled(client, app, login, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MFA_LIMIT", "3 per minute")
    user = login("author")
    secret, _ = enrol(client)
    fresh = app.test_client()
    sign_in(fresh, user.email)
    with caplog.at_level(logging.WARNING, logger="aia.security"):
        assert [post_code(fresh, "000000").status_code for _ in range(3)] == [401, 401, 401]
        assert post_code(fresh, next_code(secret)).status_code == 429  # even the right one, now
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "aia.security"]
    assert any(e["event"] == "rate_limited" and e["status"] == 429 for e in events)


def test_roles_that_need_a_second_factor_are_sent_to_set_it_up(client, app, login, make_agency, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", frozenset({"approver", "auditor", "admin"}))
    login("approver", make_agency())
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/second-factor"
    assert client.get("/account/password").status_code == 200  # setting up is allowed
    enrol(client)
    assert signed_in(client)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "cannot be removed" in page

    author = app.test_client()
    login("author", on=author)
    assert author.get("/").status_code == 200  # available to authors, not required


def test_an_author_may_remove_their_second_factor_with_their_password(client, db_session, login):
    user = login("author")
    enrol(client)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert (
        client.post("/account/second-factor", data=submit_data(page, {"password": "wrong"})).status_code
        == 422
    )
    client.post("/account/second-factor", data=submit_data(page, {"password": PASSWORD}))
    db_session.expire_all()
    assert db_session.get(User, user.id).mfa_secret is None
    assert signed_in(client)


def test_an_administrator_removes_a_lost_second_factor(app, client, db_session, login):
    person = app.test_client()
    user = login("author", on=person)
    enrol(person)
    login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Remove second factor" in page
    response = client.post(f"/admin/users/{user.id}/second-factor", data=submit_data(page))
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(User, user.id).mfa_secret is None
    assert not signed_in(person)  # their sessions ended with it
    events = set(
        db_session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "user.mfa_disabled"))
    )
    assert events == {"user.mfa_disabled"}


# Passwords


def test_password_changes_are_throttled(client, app, login, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_CHANGE_LIMIT", "3 per 10 minutes")
    login("author")
    page = client.get("/account/password").get_data(as_text=True)
    wrong = submit_data(
        page, {"current": "guess", "new": "another long phrase", "confirm": "another long phrase"}
    )
    assert [client.post("/account/password", data=wrong).status_code for _ in range(3)] == [422, 422, 422]
    assert client.post("/account/password", data=wrong).status_code == 429


def test_a_password_set_by_an_administrator_is_changed_at_first_sign_in(app, client, login, make_agency):
    agency = make_agency()
    login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    chosen = "set by the administrator"
    fields = {"email": "new@agency.example", "role": "author", "agency": str(agency.id), "password": chosen}
    assert client.post("/admin/users", data=submit_data(page, fields)).status_code == 302

    person = app.test_client()
    sign_in(person, "new@agency.example", chosen)
    response = person.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    page = person.get("/account/password").get_data(as_text=True)
    same = submit_data(page, {"current": chosen, "new": chosen, "confirm": chosen})
    assert person.post("/account/password", data=same).status_code == 422  # one's own, not theirs
    mine = submit_data(
        page, {"current": chosen, "new": "my very own phrase", "confirm": "my very own phrase"}
    )
    assert person.post("/account/password", data=mine).status_code == 302
    assert person.get("/").status_code == 200


def test_the_deny_list_holds_thousands_of_common_passwords():
    assert len(common_passwords()) > 5000
    for password in ("qwerty123456", "startfinding", "QWERTY123456"):
        with pytest.raises(WeakPassword, match="most common"):
            check_strength(password, 12)
    check_strength("a phrase nobody has used before", 12)


# Production settings


def production_app(tmp_path, **settings):
    values = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "REPORT_DIR": str(tmp_path / "reports"),
        "SECRET_KEY": LONG_KEY,
        "PUBLIC_URL": "https://algorithms.example.gov",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-aia-session",
        "SINGLE_PROCESS": True,  # one test process: per-process limit counters are right here
        **settings,
    }
    return create_app(type("Production", (Config,), values))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "development key"),
        ({"SECRET_KEY": "short-but-set"}, "at least 32"),
        ({"SECRET_KEY": ""}, "not set"),
        ({"PUBLIC_URL": ""}, "AIA_PUBLIC_URL"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, settings, message):
    with pytest.raises(SettingsError, match=message):
        production_app(tmp_path, **settings)


def test_production_cookie_hosts_and_demo_data(tmp_path):
    app = production_app(tmp_path)
    assert Config.SESSION_COOKIE_NAME == "__Host-aia-session"  # the default, with Secure cookies
    client = app.test_client()
    response = client.get("/login", base_url="https://algorithms.example.gov")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-aia-session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    refused = client.get("/login", base_url="https://evil.example")
    assert refused.status_code == 400 and "not served at this address" in refused.get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1 and "production database" in result.output


def test_links_use_the_public_url_not_the_host_header(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://algorithms.example.gov")
    document = client.get("/register.json", headers={"Host": "evil.example"}).get_json()
    assert document["schema"] == "https://algorithms.example.gov/register/schema.json"
    feed = client.get("/register/feed.atom", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in feed and "https://algorithms.example.gov/register/" in feed


# The security log


def security_lines(caplog) -> list[dict]:
    lines = [r.getMessage() for r in caplog.records if r.name == "aia.security"]
    assert all("\n" not in line and "\r" not in line for line in lines)
    return [json.loads(line) for line in lines]


def test_security_events_are_one_json_line_each_without_secrets(app, client, login, caplog):
    forged = 'ana@agency.example\n{"event": "sign_in", "outcome": "allowed"}'
    with caplog.at_level(logging.WARNING, logger="aia.security"):
        sign_in(client, forged, "the secret I typed")
        client.post("/login", data={"email": "x@agency.example", "password": "p"})  # no CSRF token
        login("admin")
        page = client.get("/admin/agencies").get_data(as_text=True)
        client.post("/admin/agencies", data=submit_data(page, {"slug": "audit-me", "name": "Audited"}))
        client.get("/admin/users")
        elsewhere = app.test_client()
        author = login("author", on=elsewhere)
        enrol(elsewhere)
    events = security_lines(caplog)
    failed = next(e for e in events if e["event"] == "sign_in")
    assert failed["outcome"] == "refused" and failed["email"] == forged.lower().strip()
    assert {"when", "address", "method", "path"} <= failed.keys()
    assert not any(e["outcome"] == "allowed" and e["event"] == "sign_in" for e in events)
    assert any(e["event"] == "csrf" for e in events)
    created = next(e for e in events if e["event"] == "admin.agency_created")
    assert created["agency"] == "audit-me" and created["role"] == "admin"
    assert any(e["event"] == "mfa.enabled" and e["user_id"] == author.id for e in events)
    assert "the secret I typed" not in caplog.text and PASSWORD not in caplog.text


def test_denials_are_security_events(client, login, caplog):
    login("author")
    with caplog.at_level(logging.WARNING, logger="aia.security"):
        assert client.get("/admin/users").status_code == 403
    [denied] = [e for e in security_lines(caplog) if e["event"] == "denied"]
    assert denied["status"] == 403 and denied["path"] == "/admin/users" and denied["role"] == "author"
