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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from aia import create_app
from aia.cli import upgrade_database
from aia.db import Database
from aia.extensions import db
from aia.seed import load_demo
from config import TestConfig

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
    for candidate in (os.environ.get("AIA_CHROMIUM"), "chromium", "chromium-browser",
                      "/usr/bin/chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are not logged; errors still are."""


@contextmanager
def database(tmp: Path) -> Iterator[str]:
    """A database URL of its own: a SQLite file in ``tmp``, or a new PostgreSQL database
    (created here and dropped afterwards) on the server AIA_DATABASE_URL names."""
    configured = os.environ.get("AIA_DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        yield f"sqlite:///{tmp / 'browser.sqlite3'}"
        return
    name = f"aia_browser_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(configured).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def make_live_app(database_url: str, report_dir: Path) -> Flask:
    """An app on ``database_url``, migrated to head and holding the demo data."""
    config = type("LiveConfig", (TestConfig,), {
        "DATABASE_URL": database_url,
        "REPORT_DIR": str(report_dir),
    })
    app = create_app(config)
    with app.app_context():
        upgrade_database()
        load_demo(db.session, app.extensions["aia.questionnaires"])
        db.session.commit()
    return app


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port; yields its base URL."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True,
                                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        Database.state(app).engine.dispose()


@contextmanager
def live_server(tmp: Path) -> Iterator[str]:
    """Database, app and server in one: yields the base URL."""
    with database(tmp) as url:
        app = make_live_app(url, tmp)
        with serve(app) as base_url:
            yield base_url


def sign_in(page, base_url: str) -> None:
    """Bring ``page`` (a Playwright page) to a state where the assessment pages open.

    Every page of the app is open today, so there is nothing to do. When the app asks for a
    login, this is the one place that signs in, through the real login form."""
