"""Concurrent writers on a real database: gunicorn with several worker processes serving a
database of its own (a SQLite file, or a PostgreSQL database when the run uses PostgreSQL),
real HTTP clients in threads, real sign-ins. Nothing here depends on timing: every client
must succeed whatever the interleaving."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aia import create_app
from aia.accounts import services as accounts
from aia.assessments import services as assessments
from aia.assessments.models import Draft, Revision, System
from aia.cli import upgrade_database
from aia.db import db, engine_of
from aia.extensions import questionnaires
from aia.integrity.verify import verify_chain
from config import TestConfig

from .answers import STARTER_COMPLETE
from .databases import own_database
from .redis_store import forget, require_redis, run_prefix
from .webform import HttpBrowser as Browser
from .webform import as_fields, submit_data

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
CLIENTS = 8
SAVES = 10
WORKERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    with own_database(tmp_path / "concurrent.sqlite3", prefix="aia_concurrent") as url:
        yield url


def _app(url: str, tmp_path: Path):
    return create_app(
        type("Concurrent", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": str(tmp_path / "reports")})
    )


@pytest.fixture
def people(database: str, tmp_path: Path) -> list[tuple[str, str]]:
    """CLIENTS authors of one agency, each with a system and a draft: (email, system uid)."""
    app = _app(database, tmp_path)
    made = []
    with app.app_context():
        upgrade_database()
        agency = accounts.create_agency(db.session, None, "works", "Public Works")
        starter = questionnaires().latest("starter")
        for number in range(CLIENTS):
            user = accounts.create_user(
                db.session, None, f"author{number}@works.example", "", "author", agency, PASSWORD
            )
            system = assessments.create_system(db.session, agency.id, f"System {number}", "", actor=user)
            assessments.start_draft(db.session, system, starter, actor=user)
            made.append((user.email, system.uid))
        db.session.commit()
    engine_of(app).dispose()
    return made


@pytest.fixture
def server(database: str, people, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    prefix = run_prefix()
    env = {
        **os.environ,
        # The production settings, but for cookies: the test speaks plain HTTP on loopback,
        # where a browser would not send a Secure cookie back.
        "AIA_ENV": "production",
        "AIA_COOKIE_SECURE": "0",
        "AIA_DATABASE_URL": database,
        "AIA_SECRET_KEY": "concurrency-test-" + "k" * 32,
        "AIA_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "AIA_PASSWORD_HASH_PROFILE": "CHEAPEST",
        "AIA_REPORT_DIR": str(tmp_path / "reports"),
        "AIA_LOG_LEVEL": "WARNING",
        # Production refuses per-process limit counters: the workers share Redis.
        "AIA_RATELIMIT_STORAGE_URI": require_redis(),
        "AIA_RATELIMIT_KEY_PREFIX": prefix,
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--control-socket",
            str(tmp_path / "gunicorn.ctl"),
            "aia:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # ready when it answers; a generous deadline, not a measured wait
            try:
                urllib.request.urlopen(base + "/login", timeout=30).close()
                break
            except OSError:  # refused, reset or timed out while the workers start
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "gunicorn.log").read_text()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        forget(prefix)


def test_concurrent_sign_ins_and_step_saves_all_succeed(server: str, people, database: str, tmp_path: Path):
    outcomes: dict[str, list[int]] = {email: [] for email, _ in people}

    def work(email: str, uid: str) -> None:
        browser = Browser(server)
        status, page = browser.request("/login")
        status, _ = browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))
        outcomes[email].append(status)
        for number in range(SAVES):
            status, page = browser.request(f"/systems/{uid}/draft/about")
            if status != 200:
                outcomes[email].append(status)
                continue
            status, _ = browser.request(
                f"/systems/{uid}/draft/about",
                submit_data(page, as_fields({"decision": f"Save {number} by {email}"}), "save"),
            )
            outcomes[email].append(status)

    threads = [threading.Thread(target=work, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    failed = {email: [s for s in statuses if s != 302] for email, statuses in outcomes.items()}
    assert all(not bad for bad in failed.values()), failed
    assert all(len(statuses) == SAVES + 1 for statuses in outcomes.values())
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        drafts = connection.execute(sa.select(Draft.answers, Draft.lock_version)).all()
    engine.dispose()
    assert sorted(lock for _, lock in drafts) == [1 + SAVES] * CLIENTS
    assert {answers["decision"] for answers, _ in drafts} == {
        f"Save {SAVES - 1} by {email}" for email, _ in people
    }


def test_concurrent_submits_of_one_draft_give_one_revision_and_clear_conflicts(
    server: str, people, database: str
):
    """Everyone signs in as the same agency's authors and presses Submit on one complete
    draft at once: exactly one revision; every other person gets the 409 page that names it."""
    target_uid = people[0][1]
    engine = sa.create_engine(database)
    with engine.begin() as connection:
        connection.execute(
            sa.update(Draft).values(
                answers={
                    "decision": "Who is invited to a review interview",
                    "purpose": "Sorts claims.",
                    "decision_area": "services",
                    "affects_rights": "no",
                    "uses_group_data": "no",
                    "black_box": "no",
                    "harm_likelihood": "improbable",
                    "harm_impact": "low",
                    "human_review": "yes",
                    "appeal": "yes",
                    "contact": "team@works.example",
                }
            )
        )
    browsers, pages = [], []
    for email, _ in people:
        browser = Browser(server)
        _, page = browser.request("/login")
        assert browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))[0] == 302
        status, page = browser.request(f"/systems/{target_uid}/review")
        assert status == 200, page[:500]
        browsers.append(browser)
        pages.append(page)
    results: list[tuple[int, str]] = [(0, "")] * len(browsers)
    start = threading.Barrier(len(browsers))

    def press(index: int) -> None:
        start.wait()
        results[index] = browsers[index].request(f"/systems/{target_uid}/review", submit_data(pages[index]))

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in results)
    assert statuses == [302] + [409] * (len(browsers) - 1), statuses
    assert all("it became revision 1" in html for status, html in results if status == 409)
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(Revision)) == 1
    engine.dispose()


def test_concurrent_saves_of_one_draft_let_one_win_and_tell_the_others(server: str, people, database: str):
    """Every author opens the same step of one draft, then all press Save at once, each with an
    answer of their own: exactly one save is kept; every other person gets the 409 page that
    says someone else saved meanwhile, with their own answer still in the form (nothing typed
    is lost), and the draft moved on by one version."""
    target_uid = people[0][1]
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        before = connection.scalar(
            sa.select(Draft.lock_version).join(Draft.system).where(System.uid == target_uid)
        )
    browsers, forms = [], []
    for number, (email, _) in enumerate(people):
        browser = Browser(server)
        _, page = browser.request("/login")
        assert browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))[0] == 302
        status, page = browser.request(f"/systems/{target_uid}/draft/about")
        assert status == 200, page[:500]
        browsers.append(browser)
        forms.append(submit_data(page, {"q_decision": f"The answer of author {number}"}, "save"))
    results: list[tuple[int, str]] = [(0, "")] * len(browsers)
    start = threading.Barrier(len(browsers))

    def press(index: int) -> None:
        start.wait()
        results[index] = browsers[index].request(f"/systems/{target_uid}/draft/about", forms[index])

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [status for status, _ in results]
    assert sorted(statuses) == [302] + [409] * (len(browsers) - 1), statuses
    winner = statuses.index(302)
    for number, (status, html) in enumerate(results):
        if status == 409:
            assert "Someone else saved this draft while you were editing it" in html
            assert f"The answer of author {number}" in html  # their own answer, still in the form
    with engine.connect() as connection:
        draft = connection.execute(
            sa.select(Draft.answers, Draft.lock_version).join(Draft.system).where(System.uid == target_uid)
        ).one()
    assert draft.answers["decision"] == f"The answer of author {winner}"
    assert draft.lock_version == before + 1
    engine.dispose()


def test_concurrent_audited_writes_keep_one_unbroken_chain(database: str, people, tmp_path: Path):
    """Eight threads, each with its own connection, append 30 audit events each (creating
    systems): none fails, and the chain has every event once, in order."""
    app = _app(database, tmp_path)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            with app.app_context():
                agency_id = db.session.scalar(sa.text("SELECT id FROM agency"))
                for index in range(30):
                    assessments.create_system(db.session, agency_id, f"T{number}-{index}", "")
                    db.session.commit()
        except BaseException as error:  # noqa: BLE001  (reported below, with the others)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        check = verify_chain(db.session)
    engine_of(app).dispose()
    assert check.ok, check.problems
    # The agency; three events per person (account, system, draft); 240 systems.
    assert check.checked == 1 + 3 * len(people) + 240


def test_postgresql_connections_survive_the_server_dropping_them(database: str, tmp_path: Path):
    """What a server restart does to the app's pooled connections: the server ends them.
    The next request still works (the pool checks a connection before using it)."""
    if not database.startswith("postgresql"):
        pytest.skip("PostgreSQL only: run the suite with AIA_DATABASE_URL=postgresql+psycopg://...")
    app = _app(database, tmp_path)
    with app.app_context():
        upgrade_database()
    client = app.test_client()
    assert client.get("/register/").status_code == 200
    name = sa.make_url(database).database
    admin = sa.create_engine(os.environ["AIA_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.scalar(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    admin.dispose()
    assert ended >= 1
    assert client.get("/register/").status_code == 200
    engine_of(app).dispose()


DRAFTS_EACH = 5


def gunicorn_workers(base: str) -> list[int]:
    """The worker processes of the gunicorn serving ``base`` (children of its master)."""
    bind = base.removeprefix("http://")
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"gunicorn" in b" ".join(command) and bind.encode() in command:
            found[int(entry.name)] = parent
    return [pid for pid, parent in found.items() if parent in found]


def test_a_worker_killed_and_connections_dropped_mid_submit_leave_nothing_half_written(
    server: str, people, database: str, tmp_path: Path
):
    """Authors submit complete drafts as fast as they can while one gunicorn worker is killed
    (SIGKILL, as the kernel's out-of-memory killer would) and, on PostgreSQL, every database
    connection is ended (what a server restart does): each draft became exactly one revision or
    is still a draft, the audit trail and every revision verify, and every submit that failed
    goes through when tried again, with no restart of anything."""
    import signal

    app = _app(database, tmp_path)
    drafts = complete_drafts(app, people, DRAFTS_EACH)
    done = threading.Semaphore(0)
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()

    def author(email: str) -> None:
        browser = Browser(server)
        for _attempt in range(5):  # a sign-in cut off by the killed worker is tried again
            try:
                status, page = browser.request("/login")
                if status == 302:  # the sign-in went through before its answer was cut off
                    break
                fields = {"email": email, "password": PASSWORD}
                if browser.request("/login", submit_data(page, fields))[0] == 302:
                    break
            except (OSError, http.client.HTTPException):
                continue
        for uid in drafts[email]:
            try:
                status, page = browser.request(f"/systems/{uid}/review")
                if status == 200:
                    status, _ = browser.request(f"/systems/{uid}/review", submit_data(page))
            except (OSError, http.client.HTTPException):  # the worker answering was killed
                status = 0
            with lock:
                outcomes.append((uid, status))
            done.release()

    threads = [threading.Thread(target=author, args=(email,)) for email, _ in people]
    for thread in threads:
        thread.start()
    for _ in range(len(people)):  # a first round of submits under way, then the first blow
        done.acquire()
    os.kill(gunicorn_workers(server)[0], signal.SIGKILL)
    for _ in range(len(people)):
        done.acquire()
    if database.startswith("postgresql"):
        admin = sa.create_engine(os.environ["AIA_DATABASE_URL"], isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": sa.make_url(database).database},
            )
        admin.dispose()
    for thread in threads:
        thread.join()
    assert len(outcomes) == len(people) * DRAFTS_EACH
    still_drafts = nothing_half_written(app, drafts, tmp_path / "reports")
    # The app recovered by itself: each submit that did not go through goes through now.
    the_rest_goes_through(app, server, people[0][0], drafts, still_drafts, tmp_path / "reports")


def complete_drafts(app, people, each: int) -> dict[str, list[str]]:
    """``each`` complete starter drafts per person, ready to submit: {email: [system uid]}."""
    drafts: dict[str, list[str]] = {}
    with app.app_context():
        starter = questionnaires().latest("starter")
        agency_id = db.session.scalar(sa.text("SELECT id FROM agency"))
        for email, _ in people:
            user = accounts.user_by_email(db.session, email)
            drafts[email] = []
            for number in range(each):
                system = assessments.create_system(db.session, agency_id, f"{email} {number}", "", actor=user)
                assessments.start_draft(db.session, system, starter, dict(STARTER_COMPLETE), actor=user)
                drafts[email].append(system.uid)
        db.session.commit()
    engine_of(app).dispose()
    return drafts


def nothing_half_written(app, drafts: dict[str, list[str]], reports: Path) -> set[str]:
    """Each draft became exactly one revision or is still a draft, and every check of `aia
    verify` passes. Returns the systems still holding a draft."""
    from aia.integrity.verify import verify_all

    every_uid = [uid for uids in drafts.values() for uid in uids]
    with app.app_context():
        revisions = dict(
            db.session.execute(
                sa.select(System.uid, sa.func.count(Revision.id))
                .join(Revision, Revision.system_id == System.id)
                .where(System.uid.in_(every_uid))
                .group_by(System.uid)
            ).all()
        )
        still_drafts = set(
            db.session.scalars(
                sa.select(System.uid)
                .join(Draft, Draft.system_id == System.id)
                .where(System.uid.in_(every_uid))
            )
        )
        for uid in every_uid:
            assert (revisions.get(uid, 0), uid in still_drafts) in ((1, False), (0, True)), uid
        for check in verify_all(db.session, reports):
            assert check.ok, (check.name, check.problems)
    engine_of(app).dispose()
    return still_drafts


def the_rest_goes_through(
    app, server: str, email: str, drafts: dict[str, list[str]], still_drafts: set[str], reports: Path
) -> None:
    """Signed in again as ``email``, each draft left is submitted at the first try, with no
    restart of anything; then every draft is a revision and `aia verify` still passes."""
    from aia.integrity.verify import verify_all

    browser = Browser(server)
    _, page = browser.request("/login")
    assert browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))[0] == 302
    for uid in sorted(still_drafts):
        status, page = browser.request(f"/systems/{uid}/review")
        assert status == 200, page[:300]
        assert browser.request(f"/systems/{uid}/review", submit_data(page))[0] == 302
    every_uid = [uid for uids in drafts.values() for uid in uids]
    with app.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count(Revision.id))
            .join(System, Revision.system_id == System.id)
            .where(System.uid.in_(every_uid))
        ) == len(every_uid)
        for check in verify_all(db.session, reports):
            assert check.ok, (check.name, check.problems)
    engine_of(app).dispose()
