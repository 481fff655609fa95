"""A real PostgreSQL restart in the middle of the load: the test starts a PostgreSQL server of
its own (initdb and pg_ctl, in a temporary folder, on a free port), serves aia from it with
gunicorn and several workers, and stops the server the hard way (``pg_ctl restart -m
immediate``: every backend killed, crash recovery on start) while authors submit. Nothing here
depends on timing: whatever the interleaving, each draft is one revision or still a draft,
nobody is answered 500, and the app serves again without a restart of its own."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aia.db import engine_of

from .test_concurrency import (  # noqa: F401 (people and server are fixtures)
    PASSWORD,
    _app,
    complete_drafts,
    free_port,
    nothing_half_written,
    people,
    server,
    the_rest_goes_through,
)
from .webform import HttpBrowser as Browser
from .webform import submit_data

DRAFTS_EACH = 4


def postgresql_programs() -> Path | None:
    """The folder of initdb and pg_ctl: pg_config's, or Debian's versioned folder."""
    found = shutil.which("pg_config")
    if found:
        folder = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


class PrivatePostgres:
    """A PostgreSQL server that only this test uses. As root (the servers refuse to run as
    root), its programs run as the ``postgres`` account."""

    def __init__(self, programs: Path) -> None:
        self.programs = programs
        self.folder = Path(tempfile.mkdtemp(prefix="aia-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self.as_owner, str(self.programs / program), *args], capture_output=True, text=True, timeout=120
        )
        if done.returncode:
            raise RuntimeError(f"{program} {' '.join(args)}: {done.stdout}{done.stderr}{self.log()}")

    def ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-o", options, *args
        )

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    if not os.environ.get("AIA_DATABASE_URL", "").startswith("postgresql"):
        pytest.skip("PostgreSQL only: run the suite with AIA_DATABASE_URL=postgresql+psycopg://...")
    programs = postgresql_programs()
    if programs is None:
        pytest.skip("initdb and pg_ctl are not installed: this test starts a PostgreSQL server of its own")
    private = PrivatePostgres(programs)
    try:
        private.ctl("start")
        yield private
    finally:
        private.remove()


@pytest.fixture
def database(postgres: PrivatePostgres) -> Iterator[str]:
    """What the ``people`` and ``server`` fixtures of test_concurrency use: here, a database of
    the private server."""
    admin = sa.create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql('CREATE DATABASE "aia_restart"')
    admin.dispose()
    yield postgres.url("aia_restart")


def test_postgresql_restarted_mid_submit_leaves_nothing_half_written_and_answers_no_500(
    postgres: PrivatePostgres,
    server: str,
    people,
    database: str,
    tmp_path: Path,
):
    app = _app(database, tmp_path)
    drafts = complete_drafts(app, people, DRAFTS_EACH)
    signed_in, done = threading.Semaphore(0), threading.Semaphore(0)
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()

    def author(email: str) -> None:
        browser = Browser(server)
        _, page = browser.request("/login")
        status, _ = browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))
        assert status == 302
        signed_in.release()
        for uid in drafts[email]:
            status, page = browser.request(f"/systems/{uid}/review")
            if status == 200:
                status, _ = browser.request(f"/systems/{uid}/review", submit_data(page))
            with lock:
                outcomes.append((uid, status))
            done.release()

    threads = [threading.Thread(target=author, args=(email,)) for email, _ in people]
    for thread in threads:
        thread.start()
    for _ in people:  # everyone signed in, and a first round of submits done or under way
        signed_in.acquire()
    for _ in people:
        done.acquire()
    postgres.ctl("restart", "-m", "immediate")  # returns once the server takes connections again
    for thread in threads:
        thread.join()
    assert len(outcomes) == len(people) * DRAFTS_EACH
    # Submitted (302), or told the database could not save it (503): never a 500.
    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert {status for _, status in outcomes} <= {302, 503}, log[-6000:]
    assert "unhandled error" not in log, log[-3000:]
    still_drafts = nothing_half_written(app, drafts, tmp_path / "reports")
    # The app recovered by itself: the submits that did not go through go through now.
    the_rest_goes_through(app, server, people[0][0], drafts, still_drafts, tmp_path / "reports")


def test_while_the_database_is_down_pages_say_nothing_was_kept_and_work_again_after(
    postgres: PrivatePostgres,
    people,
    database: str,
    tmp_path: Path,
):
    """Signed in, then the server stops: a page and a save answer 503 "Not saved" (the page
    reads nothing from the database), never 500; once it is back, the same session goes on."""
    app = _app(database, tmp_path)
    email, uid = people[0]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert (
        client.post("/login", data=submit_data(page, {"email": email, "password": PASSWORD})).status_code
        == 302
    )
    step = client.get(f"/systems/{uid}/draft/about")
    assert step.status_code == 200
    postgres.ctl("stop", "-m", "immediate")
    try:
        saved = submit_data(step.get_data(as_text=True), {}, "save")
        for response, says in (
            (client.get(f"/systems/{uid}/draft/about"), "could not be reached to show this page"),
            (client.post(f"/systems/{uid}/draft/about", data=saved), "nothing of this request was kept"),
            (client.get("/register/"), "could not be reached to show this page"),
            (client.get("/register/", headers={"Accept-Language": "fr"}), "Réessayez dans un instant"),
        ):
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "5"
            assert says in response.get_data(as_text=True)
    finally:
        postgres.ctl("start")
    assert client.get(f"/systems/{uid}/draft/about").status_code == 200
    engine_of(app).dispose()
