"""What every response carries (the security headers, no-store on signed-in pages), where a
request is taken to come from (trusted proxies), the refusal of per-process limit storage in
production, and sign-in limits that count per account and address, form or JSON alike.

The same points are checked over HTTPS behind nginx, against gunicorn with several workers
and Redis, in tests/production/."""

from __future__ import annotations

import re

import pytest

from aia import create_app
from aia.web_security import UnsafeDeployment
from config import Config

from .conftest import PASSWORD
from .webform import form_values, submit_data

POLICY = {
    "default-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy_of(response) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def test_every_page_carries_the_strict_policy_and_the_other_headers(client):
    for path in ("/register/", "/login", "/no-such-page"):
        response = client.get(path)
        assert policy_of(response) == POLICY, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        # Plain HTTP: no HSTS (a browser would ignore it, and a proxy might cache it).
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/register/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_are_never_stored(client, login):
    assert "no-store" not in client.get("/register/").headers.get("Cache-Control", "")
    login("author")
    for path in ("/", "/register/", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    static = client.get("/static/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_every_page_names_an_icon_the_app_serves(client, login):
    """Without one, a browser asks for /favicon.ico on every first visit and logs the 404."""
    pages = [client.get("/register/"), client.get("/login")]
    login("author")
    pages.append(client.get("/"))
    for page in pages:
        html = page.get_data(as_text=True)
        found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
        assert found, page.request.path
        icon = client.get(found.group(1))
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg ")
        icon.close()


def production(**settings) -> type[Config]:
    values = {
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": "sqlite://",
        "PUBLIC_URL": "https://algorithms.example.gov",
        **settings,
    }
    return type("ProductionForTest", (Config,), values)


def test_production_refuses_per_process_limit_storage():
    with pytest.raises(UnsafeDeployment, match="AIA_SINGLE_PROCESS"):
        create_app(production(RATELIMIT_STORAGE_URI="memory://"))


def test_production_in_one_process_may_keep_limits_in_memory():
    app = create_app(production(RATELIMIT_STORAGE_URI="memory://", SINGLE_PROCESS=True))
    assert app.config["PRODUCTION"]


def wrong_guesses(client, email: str, count: int, **headers) -> list[int]:
    statuses = []
    for _ in range(count):
        page = client.get("/login", headers=headers).get_data(as_text=True)
        data = submit_data(page, {"email": email, "password": "not the password"})
        statuses.append(client.post("/login", data=data, headers=headers).status_code)
    return statuses


def sign_in_status(client, email: str, **headers) -> int:
    page = client.get("/login", headers=headers).get_data(as_text=True)
    return client.post(
        "/login", data=submit_data(page, {"email": email, "password": PASSWORD}), headers=headers
    ).status_code


@pytest.fixture
def behind_one_proxy(app_config):
    """The app as nginx fronts it (AIA_TRUSTED_PROXIES=1), on the run's database."""
    from aia.extensions import limiter

    proxied = create_app(type("Proxied", (app_config,), {"TRUSTED_PROXIES": 1}))
    limiter.reset()
    return proxied.test_client()


def test_a_stranger_cannot_lock_the_owner_out(behind_one_proxy, make_user):
    owner = make_user("author")
    stranger = {"X-Forwarded-For": "203.0.113.66"}
    assert wrong_guesses(behind_one_proxy, owner.email, 6, **stranger) == [401] * 5 + [429]
    # The stranger stays locked out, even with the right password...
    assert sign_in_status(behind_one_proxy, owner.email, **stranger) == 429
    # ...and the owner, from their own address, signs in.
    assert sign_in_status(behind_one_proxy, owner.email, **{"X-Forwarded-For": "198.51.100.7"}) == 302


def test_the_address_comes_from_the_trusted_proxy_only(client, make_user):
    """Without trusted proxies a client naming another address in X-Forwarded-For is still
    counted at its own."""
    owner = make_user("author")
    statuses = [
        wrong_guesses(client, owner.email, 1, **{"X-Forwarded-For": f"203.0.113.{n}"})[0] for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]


def test_a_sign_in_posted_as_json_is_limited_the_same(client, make_user):
    owner = make_user("author")
    token = form_values(client.get("/login").get_data(as_text=True))["csrf_token"][0]
    statuses = [
        client.post(
            "/login",
            json={"email": owner.email.upper(), "password": "not the password"},
            headers={"X-CSRFToken": token},
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # The form shares the JSON's counter: the account is closed from this address either way.
    assert sign_in_status(client, owner.email) == 429


def test_a_successful_sign_in_clears_the_wrong_guesses_before_it(client, make_user):
    owner = make_user("author")
    assert wrong_guesses(client, owner.email, 4) == [401] * 4
    assert sign_in_status(client, owner.email) == 302
    client.get("/login")  # signed in: the form is not shown again
    other = client.application.test_client()
    assert wrong_guesses(other, owner.email, 5) == [401] * 5
