"""Signing in and out: passwords, throttling, inactivity, revocation, the account commands."""

from __future__ import annotations

import time
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from aia.accounts.models import Agency, User
from aia.accounts.passwords import WeakPassword, check_strength, common_passwords
from aia.audit.models import AuditEvent

from .conftest import PASSWORD
from .webform import field_error, submit_data


def sign_in(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data=submit_data(page, {"email": email, "password": password}))


def csrf_of(client) -> str:
    from .webform import form_values

    return form_values(client.get("/account/password").get_data(as_text=True))["csrf_token"][0]


def test_pages_need_a_signed_in_person(client, make_system):
    system = make_system()
    response = client.get(f"/systems/{system.uid}")
    assert response.status_code == 302
    assert unquote(response.headers["Location"]) == f"/login?next=/systems/{system.uid}"


def test_sign_in_and_go_where_asked(client, make_user, make_system):
    user = make_user("author")
    system = make_system(agency=user.agency)
    page = client.get(f"/login?next=/systems/{system.uid}").get_data(as_text=True)
    response = client.post(
        f"/login?next=/systems/{system.uid}",
        data=submit_data(page, {"email": user.email.upper(), "password": PASSWORD}),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/systems/{system.uid}"
    assert client.get(f"/systems/{system.uid}").status_code == 200


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil",
    "/%09/evil.example",  # browsers drop the tab: //evil.example
    "/%0a/x",  # a newline in Location was a 500
    "/%0d%0aSet-Cookie:%20x=1",
    "/%5c/evil.example",
    "%2f%2fevil.example",
    "/%20/evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user("author")
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        f"/login?next={target}", data=submit_data(page, {"email": user.email, "password": PASSWORD})
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    # And once signed in, the sign-in page sends on to the same safe place.
    response = client.get(f"/login?next={target}")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_wrong_password_unknown_email_and_disabled_account_look_alike(client, make_user, db_session):
    user = make_user("author")
    disabled = make_user("author")
    disabled.active = False
    db_session.flush()
    for email, password in [
        (user.email, "not the password"),
        ("nobody@x.example", PASSWORD),
        (disabled.email, PASSWORD),
    ]:
        response = sign_in(client, email, password)
        assert response.status_code == 401
        assert "The email address or the password is not right." in response.get_data(as_text=True)


def test_password_hash_is_argon2id(make_user):
    assert make_user("author").password_hash.startswith("$argon2id$")


def test_password_rules():
    check_strength("a long phrase nobody uses", 12)
    assert "password1234" in common_passwords() and len(common_passwords()) >= 100
    for password, message in [
        ("short", "at least 12"),
        ("Password1234", "most common"),
        ("ana.lopez@tax.example", "email"),
    ]:
        with pytest.raises(WeakPassword, match=message):
            check_strength(password, 12, "ana.lopez@tax.example")


def test_sign_in_is_throttled_per_account(client, app, make_user):
    user = make_user("author")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong").status_code == 401
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Another account from the same address is not locked out by this one.
    other = make_user("author")
    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_sign_in_is_throttled_per_address(client, make_user):
    users = [make_user("author") for _ in range(5)]
    for attempt in range(20):
        assert sign_in(client, users[attempt % 5].email + "x", "wrong").status_code == 401
    assert sign_in(client, users[0].email, PASSWORD).status_code == 429


def test_successful_sign_ins_do_not_count(client, make_user):
    user = make_user("author")
    for _ in range(8):
        assert sign_in(client, user.email, PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_of(client)})


def test_session_ends_after_inactivity(client, app, login, make_system, monkeypatch):
    user = login("author")
    system = make_system(agency=user.agency)
    assert client.get(f"/systems/{system.uid}").status_code == 200
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 0.5 / 60)
    time.sleep(0.7)  # a real expiry, not a rewound session
    response = client.get(f"/systems/{system.uid}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "signed out after 0.5 seconds without activity" in page


def test_sign_out_ends_the_session_on_the_server(app, client, login, make_system):
    """A copy of the session cookie kept from before signing out is worthless after it."""
    user = login("author")
    system = make_system(agency=user.agency)
    with client.session_transaction() as session:
        stolen = dict(session)
    assert client.post("/logout", data={"csrf_token": csrf_of(client)}).status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(stolen)
    assert replay.get(f"/systems/{system.uid}").status_code == 302


def test_password_change_ends_other_sessions(app, client, login, db_session):
    user = login("author")
    other = app.test_client()
    login(user, on=other)
    page = client.get("/account/password").get_data(as_text=True)
    new = "a different long phrase"
    response = client.post(
        "/account/password", data=submit_data(page, {"current": PASSWORD, "new": new, "confirm": new})
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # this one goes on
    assert other.get("/account/password").status_code == 302  # that one has ended
    assert sign_in(app.test_client(), user.email, new).status_code == 302
    actions = db_session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)).all()
    assert "user.password_changed" in actions


def test_password_change_refuses_weak_or_wrong(client, login):
    login("author")
    page = client.get("/account/password").get_data(as_text=True)
    response = client.post(
        "/account/password",
        data=submit_data(page, {"current": PASSWORD, "new": "password1234", "confirm": "password1234"}),
    )
    assert response.status_code == 422 and "most common" in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data=submit_data(
            page, {"current": "wrong", "new": "a fine long phrase", "confirm": "a fine long phrase"}
        ),
    )
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)


def test_disabling_an_account_ends_its_sessions(app, client, login, make_user):
    victim_client = app.test_client()
    victim = login("author", on=victim_client)
    assert victim_client.get("/account/password").status_code == 200
    login("admin")
    response = client.post(
        f"/admin/users/{victim.id}/active", data={"csrf_token": csrf_of(client), "active": "0"}
    )
    assert response.status_code == 302
    assert victim_client.get("/account/password").status_code == 302
    assert sign_in(app.test_client(), victim.email, PASSWORD).status_code == 401


def test_admin_creates_people_and_agencies(client, login, make_agency, db_session):
    login("admin")
    page = client.get("/admin/agencies").get_data(as_text=True)
    response = client.post("/admin/agencies", data=submit_data(page, {"slug": "tax", "name": "Tax Office"}))
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Tax Office" in page
    agency_id = db_session.scalar(sa.text("SELECT id FROM agency WHERE slug = 'tax'"))
    response = client.post(
        "/admin/users",
        data=submit_data(
            page,
            {
                "email": "Ana@Tax.example",
                "name": "Ana",
                "role": "author",
                "agency": str(agency_id),
                "password": "a long enough phrase",
            },
        ),
    )
    assert response.status_code == 302
    user = db_session.scalar(sa.select(User).where(User.email == "ana@tax.example"))
    assert user.role == "author" and user.agency_id == agency_id
    # An author needs an agency; an auditor has none.
    response = client.post(
        "/admin/users",
        data=submit_data(
            page,
            {"email": "x@tax.example", "role": "author", "agency": "0", "password": "a long enough phrase"},
        ),
    )
    assert response.status_code == 422 and "must belong to an agency" in response.get_data(as_text=True)


def test_session_cookie_flags(app, client, make_user):
    user = make_user("author")
    response = sign_in(client, user.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from config import Config

    assert Config.SESSION_COOKIE_SECURE is True  # outside development


def test_create_user_command(app, db_session, make_agency):
    agency = make_agency(slug="tax")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "ana@tax.example", "--agency", "tax", "--role", "author", "--password-stdin"],
        input="a long enough phrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "author ana@tax.example created for agency tax" in result.output
    result = runner.invoke(
        args=["create-user", "bo@tax.example", "--agency", "tax", "--role", "approver"],
        input="short\nshort\n",
    )
    assert result.exit_code == 1 and "at least 12" in result.output
    result = runner.invoke(
        args=["create-user", "cy@tax.example", "--role", "approver", "--password-stdin"],
        input="a long enough phrase\n",
    )
    assert result.exit_code == 1 and "must belong to an agency" in result.output
    result = runner.invoke(
        args=["create-user", "dee@x.example", "--agency", "nowhere", "--role", "author", "--password-stdin"],
        input="x" * 20,
    )
    assert result.exit_code == 1 and "no agency nowhere" in result.output
    assert agency.id


def test_an_address_that_is_not_one_is_refused_where_staff_type_it(
    app, client, login, make_agency, db_session
):
    agency = make_agency(slug="tax")
    login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    response = client.post(
        "/admin/users",
        data=submit_data(
            page,
            {"email": "bad@", "role": "author", "agency": str(agency.id), "password": "a long enough phrase"},
        ),
    )
    assert response.status_code == 422
    assert (
        field_error(response.get_data(as_text=True), "email")
        == "Enter an email address like name@example.org."
    )
    assert db_session.scalar(sa.select(User).where(User.email == "bad@")) is None
    result = app.test_cli_runner().invoke(
        args=["create-user", "bad@", "--agency", "tax", "--role", "author", "--password-stdin"],
        input="a long enough phrase\n",
    )
    assert result.exit_code == 1 and "Enter an email address like name@example.org." in result.output
    assert db_session.scalar(sa.select(User).where(User.email == "bad@")) is None


def test_asking_for_a_reset_with_an_address_that_is_not_one_says_so(client, smtp):
    page = client.get("/login/forgot").get_data(as_text=True)
    response = client.post("/login/forgot", data=submit_data(page, {"email": "bad@"}))
    assert response.status_code == 422
    assert "Enter an email address like name@example.org." in response.get_data(as_text=True)
    assert smtp.messages == []


def test_an_agency_s_short_name_is_lower_case_letters_digits_and_hyphens(app, client, login, db_session):
    login("admin")
    page = client.get("/admin/agencies").get_data(as_text=True)
    response = client.post("/admin/agencies", data=submit_data(page, {"slug": "Bad Slug!", "name": "Bad"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Use only lower case letters, digits and hyphens" in field_error(html, "slug")
    assert 'value="Bad Slug!"' in html  # what was typed is kept
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 0
    result = app.test_cli_runner().invoke(args=["create-agency", "Bad Slug!", "Bad"])
    assert result.exit_code == 1 and "lower case letters, digits and hyphens" in result.output
    response = client.post("/admin/agencies", data=submit_data(page, {"slug": "tax-office-2", "name": "Tax"}))
    assert response.status_code == 302
