"""The app served over real HTTP on a loopback port, and Debian's Chromium to drive it.

Shared by the browser tests and ``scripts/screenshots.py``. The server runs in a thread of
this process with its own database (a fresh SQLite file, or a fresh PostgreSQL database when
``AIA_DATABASE_URL`` names a server), built by the migrations and filled with the demo data,
with every request committing as in production.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from aia import create_app
from aia.cli import upgrade_database
from aia.db import engine_of
from aia.extensions import db
from aia.seed import load_demo
from config import TestConfig

from ..databases import own_database

# A browser that never phones home: no updates, no sync, no first-run screens, no GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """Debian's Chromium (``apt-get install chromium``), or the one named by AIA_CHROMIUM."""
    for candidate in (os.environ.get("AIA_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are not logged; errors still are."""


def database(tmp: Path):
    """A database of the browser tests' own (see tests.databases)."""
    return own_database(tmp / "browser.sqlite3", "aia_browser")


# The people the browser signs in as: role -> (email, agency slug of the demo data).
PASSWORD = "correct horse battery staple"
PEOPLE = {
    "author": ("author@browser.example", "hay-ministry"),
    "approver": ("approver@browser.example", "benefits"),
    "auditor": ("auditor@browser.example", None),
    "admin": ("admin@browser.example", None),
}


def make_live_app(database_url: str, report_dir: Path) -> Flask:
    """An app on ``database_url``, migrated to head, holding the demo data and the PEOPLE."""
    from aia.accounts import services as account_services

    config = type(
        "LiveConfig",
        (TestConfig,),
        {
            "DATABASE_URL": database_url,
            "REPORT_DIR": str(report_dir),
        },
    )
    app = create_app(config)
    with app.app_context():
        upgrade_database()
        load_demo(db.session, app.extensions["aia.questionnaires"])
        for role, (email, slug) in PEOPLE.items():
            agency = account_services.agency_by_slug(db.session, slug) if slug else None
            account_services.create_user(db.session, None, email, f"Browser {role}", role, agency, PASSWORD)
        db.session.commit()
    return app


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port; yields its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        engine_of(app).dispose()


@contextmanager
def live_server(tmp: Path) -> Iterator[str]:
    """Database, app and server in one: yields the base URL."""
    with database(tmp) as url:
        app = make_live_app(url, tmp)
        with serve(app) as base_url:
            yield base_url


def sign_in(page, role: str = "author") -> None:
    """Sign ``page`` (a Playwright page with the app as base URL) in through the login form,
    as the person of PEOPLE with this role. The one place the browser signs in."""
    email, _ = PEOPLE[role]
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
