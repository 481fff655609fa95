"""Browser tests: Debian's Chromium, driven by Playwright, against the app served over HTTP.

The tests in this folder do not use the rolled-back-transaction fixtures of ``tests/``: a live
server commits, so it gets a database of its own (``live.database``), filled once with the demo
data. Each test works on systems it creates itself, so tests do not depend on each other.

Without Chromium the tests are skipped, except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from . import live


def require_chromium() -> str:
    """Chromium's path; without it, skip the test, or fail it in CI."""
    path = live.find_chromium()
    if path is None:
        message = (
            "Chromium is not installed (Debian: apt-get install chromium), so the browser tests cannot run"
        )
        if live.in_ci():
            pytest.fail(f"{message}; in CI this is a failure, not a skip", pytrace=False)
        pytest.skip(f"{message}: skipped")
    return path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=live.CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a database of its own, migrated and holding the demo data."""
    tmp = tmp_path_factory.mktemp("live")
    with live.database(tmp) as database_url:
        yield live.make_live_app(database_url, tmp)


@pytest.fixture(scope="session")
def live_url(live_app: Flask) -> Iterator[str]:
    """Base URL of the app, served on a loopback port for the whole run."""
    with live.serve(live_app) as base_url:
        yield base_url


@pytest.fixture
def open_page(browser, live_url: str) -> Iterator[Callable[..., object]]:
    """``open_page(path="/", as_role="author", **context_options)``: a tab signed in through
    the login form, in a browser context of its own (own cookies), opened at ``path``.
    ``as_role=None`` gives a tab nobody signed in to. The author works for the agency with the
    right-to-left demo draft; the auditor reads every agency. Context options go to
    Playwright's ``new_context``, e.g. ``java_script_enabled=False`` or ``viewport=...``.

    This is the one place where tests get a page the app lets them use."""
    contexts = []
    elsewhere: list[str] = []  # requests for anything not served by the app itself
    refused_by_policy: list[str] = []  # what the Content-Security-Policy blocked on any page

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            refused_by_policy.append(f"{message.page.url if message.page else ''}: {message.text}")

    def refuse(route) -> None:
        elsewhere.append(route.request.url)
        route.abort()

    def open_page(path: str | None = "/", as_role: str | None = "author", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_url, **options)
        context.set_default_timeout(10_000)
        # The pages must work offline: no CDN, no web font, no tracker.
        context.route(re.compile(rf"^(?!{re.escape(live_url)}/|data:|blob:)"), refuse)
        context.on("console", watch)
        contexts.append(context)
        page = context.new_page()
        if as_role is not None:
            live.sign_in(page, as_role)
        if path is not None:
            page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not elsewhere, f"pages asked for something outside the app: {sorted(set(elsewhere))}"
    # Every page works under the strict policy: no inline script, style or handler anywhere.
    assert not refused_by_policy, f"the Content-Security-Policy refused: {refused_by_policy}"


@pytest.fixture
def page(open_page):
    """A tab signed in as an author, on the list of assessments."""
    return open_page("/")
