"""Load, measured: aia under gunicorn (deploy/gunicorn.conf.py, 4 workers) on PostgreSQL, and in
the same run a bare Flask + SQLAlchemy app (bench/bare_app.py) that saves one form to one row,
under the same server and database. Needs AIA_DATABASE_URL=postgresql+psycopg://...; works in
databases of its own, dropped afterwards.

Seven cases, each SECONDS long: authors saving steps (GET the step, POST it) alone; the same
authors saving as the page's script does while they type (one POST each, answered with JSON);
citizens reading and searching the register alone; the citizens while the authors save, on the
same workers; the same with the register on workers of its own (--public-workers of the
WORKERS, as deploy/nginx.conf routes it, the authors' at nice --staff-nice as deploy/systemd
runs them); and the bare app's clients saving its form, with a GET
before each POST and without. Prints, for each, the throughput, p50/p95/p99, the errors and the
CPU the clients themselves used, then the ratios.

    AIA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        nice -n 10 .venv/bin/python bench/load.py --seconds 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.bare_app import prepare as prepare_bare  # noqa: E402
from bench.serving import own_database, serve, stop  # noqa: E402
from tests.webform import HttpBrowser as Browser  # noqa: E402
from tests.webform import submit_data  # noqa: E402

PASSWORD = "correct horse battery staple"
SETUP = """
import json, sys
from aia import create_app
from aia.accounts import services as accounts
from aia.assessments import services as assessments
from aia.cli import upgrade_database
from aia.extensions import db, questionnaires
from aia.seed import load_demo
app = create_app({"DATABASE_URL": sys.argv[1], "REPORT_DIR": sys.argv[2],
                  "PASSWORD_HASH_PROFILE": "CHEAPEST", "JOBS_URL": "memory://", "JOBS_IMMEDIATE": True})
people = []
with app.app_context():
    upgrade_database()
    load_demo(db.session, questionnaires())  # the register's entries, with their reports
    agency = accounts.create_agency(db.session, None, "works", "Public Works")
    starter = questionnaires().latest("starter")
    for n in range(int(sys.argv[3])):
        user = accounts.create_user(db.session, None, f"author{n}@works.example", "", "author",
                                    agency, sys.argv[4])
        system = assessments.create_system(db.session, agency.id, f"System {n}", "", actor=user)
        assessments.start_draft(db.session, system, starter, actor=user)
        people.append((user.email, system.uid))
    db.session.commit()
print(json.dumps(people))
"""
REGISTER_PAGES = ("/register/", "/register/?q=claim", "/register/?q=review+tickets", "/register.json")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []
        self.errors = 0

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.seconds.append(seconds)
            self.errors += not ok

    def summary(self, elapsed: float) -> dict:
        ordered = sorted(self.seconds) or [0.0]

        def at(share: float) -> float:
            return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

        return {
            "per_s": (len(self.seconds) - self.errors) / elapsed,
            "p50_ms": at(0.50),
            "p95_ms": at(0.95),
            "p99_ms": at(0.99),
            "mean_ms": 1000 * statistics.fmean(ordered),
            "client_cores": CLIENT_CPU.get(elapsed, 0.0) / elapsed,
            "requests": len(self.seconds),
            "errors": self.errors,
        }


def timed(tally: Tally, call: Callable[[], bool]) -> None:
    started = time.perf_counter()
    try:
        ok = call()
    except OSError:
        ok = False
    tally.add(time.perf_counter() - started, ok)


CLIENT_CPU: dict[float, float] = {}  # seconds measured -> CPU seconds this process spent in them


def run_for(seconds: float, workers: list[Callable[[Callable[[], bool]], None]]) -> float:
    """Run each worker loop until the time is up; returns the seconds measured. The clients'
    own CPU time (parsing pages, building forms) is kept in CLIENT_CPU: on a machine of few
    cores it is taken from the server under test."""
    stop = threading.Event()
    threads = [threading.Thread(target=loop, args=(stop.is_set,)) for loop in workers]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    CLIENT_CPU[elapsed] = time.process_time() - cpu
    return elapsed


def author(base: str, email: str, uid: str, tally: Tally) -> Callable[[Callable[[], bool]], None]:
    browser = Browser(base)
    _, page = browser.request("/login")
    status, _ = browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))
    assert status == 302, f"{email} could not sign in ({status})"
    count = [0]

    def loop(stopped: Callable[[], bool]) -> None:
        while not stopped():
            count[0] += 1
            status, page = browser.request(f"/systems/{uid}/draft/about")
            if status != 200:
                tally.add(0.0, False)
                continue
            data = submit_data(page, {"q_decision": f"Save {count[0]} of {email}"}, "save")
            timed(tally, lambda data=data: browser.request(f"/systems/{uid}/draft/about", data)[0] == 302)

    return loop


def autosaver(base: str, email: str, uid: str, tally: Tally) -> Callable[[Callable[[], bool]], None]:
    """An author whose page's script saves as they type: the step is read once, then each
    save is one POST (action "autosave") answered with JSON, which gives the next lock version."""
    browser = Browser(base)
    _, page = browser.request("/login")
    status, _ = browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))
    assert status == 302, f"{email} could not sign in ({status})"
    _, page = browser.request(f"/systems/{uid}/draft/about")
    data = submit_data(page, {}, "autosave")
    count = [0]

    def save() -> bool:
        count[0] += 1
        data["q_decision"] = f"Autosave {count[0]} of {email}"
        status, body = browser.request(f"/systems/{uid}/draft/about", data)
        if status != 200:
            return False
        answer = json.loads(body)
        data["lock_version"] = str(answer["lock_version"])
        return bool(answer["saved"])

    def loop(stopped: Callable[[], bool]) -> None:
        while not stopped():
            timed(tally, save)

    return loop


def bare_poster(base: str, row: int, tally: Tally) -> Callable[[Callable[[], bool]], None]:
    """The bare app's counterpart of ``autosaver``: POSTs only."""
    browser = Browser(base)

    def loop(stopped: Callable[[], bool]) -> None:
        number = 0
        while not stopped():
            number += 1
            data = {"text": f"Save {number} of row {row}", "action": "save"}
            timed(tally, lambda data=data: browser.request(f"/rows/{row}", data)[0] == 302)

    return loop


def bare_client(base: str, row: int, tally: Tally) -> Callable[[Callable[[], bool]], None]:
    browser = Browser(base)

    def loop(stopped: Callable[[], bool]) -> None:
        number = 0
        while not stopped():
            number += 1
            status, _ = browser.request(f"/rows/{row}")
            if status != 200:
                tally.add(0.0, False)
                continue
            data = {"text": f"Save {number} of row {row}", "action": "save"}
            timed(tally, lambda data=data: browser.request(f"/rows/{row}", data)[0] == 302)

    return loop


def citizen(base: str, offset: int, tally: Tally) -> Callable[[Callable[[], bool]], None]:
    browser = Browser(base)

    def loop(stopped: Callable[[], bool]) -> None:
        number = offset
        while not stopped():
            number += 1
            path = REGISTER_PAGES[number % len(REGISTER_PAGES)]
            timed(tally, lambda path=path: browser.request(path)[0] == 200)

    return loop


def both_at_once(staff: str, public: str, people: list, citizens: int, seconds: float) -> tuple[dict, dict]:
    """The citizens reading the register at ``public`` while the authors save at ``staff``
    (the same server or two): the readers' figures, then the savers'."""
    saves, reads = Tally(), Tally()
    loops = [author(staff, email, uid, saves) for email, uid in people]
    readers = [citizen(public, n, reads) for n in range(citizens)]
    elapsed = run_for(seconds, loops + readers)
    return reads.summary(elapsed), saves.summary(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each case")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker, for both apps (more than 1: gunicorn's threaded worker)",
    )
    parser.add_argument("--authors", type=int, default=8)
    parser.add_argument("--citizens", type=int, default=4)
    parser.add_argument(
        "--public-workers",
        type=int,
        default=0,
        help="also run the register on this many workers of its own beside WORKERS minus these "
        "for the authors (0: skip that case)",
    )
    parser.add_argument(
        "--staff-nice",
        type=int,
        default=10,
        help="with --public-workers, the authors' gunicorn at this CPU priority, as "
        "deploy/systemd/aia-web.service runs it beside aia-public (0: the same as the register's)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        aia_url, drop_aia = own_database(folder, "load_app", postgresql_only=True)
        bare_url, drop_bare = own_database(folder, "load_bare", postgresql_only=True)
        env = {
            **os.environ,
            "AIA_ENV": "development",
            "AIA_SECRET_KEY": "load-bench-" + "x" * 32,
            "AIA_PASSWORD_HASH_PROFILE": "CHEAPEST",
            "AIA_REPORT_DIR": str(folder / "reports"),
            "AIA_JOBS_URL": f"sqlite:///{folder / 'jobs.sqlite3'}",
            "AIA_LOG_LEVEL": "WARNING",
            "AIA_DATABASE_URL": aia_url,
            "BARE_DATABASE_URL": bare_url,
        }
        try:
            people = json.loads(
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        SETUP,
                        aia_url,
                        str(folder / "reports"),
                        str(args.authors),
                        PASSWORD,
                    ],
                    cwd=HERE,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.splitlines()[-1]
            )
            prepare_bare(bare_url, args.authors)
            server, base = serve("aia:create_app()", env, args.workers, folder, threads=args.threads)
            try:
                saves = Tally()
                loops = [author(base, email, uid, saves) for email, uid in people]
                results["aia step save"] = saves.summary(run_for(args.seconds, loops))
                autosaves = Tally()
                loops = [autosaver(base, email, uid, autosaves) for email, uid in people]
                results["aia autosave (posts only)"] = autosaves.summary(run_for(args.seconds, loops))
                reads = Tally()
                readers = [citizen(base, n, reads) for n in range(args.citizens)]
                results["register alone"] = reads.summary(run_for(args.seconds, readers))
                reading, saving = both_at_once(base, base, people, args.citizens, args.seconds)
                results["register while authors save"] = reading
                results["aia step save with readers"] = saving
            finally:
                stop(server)
            if args.public_workers:
                # The same app and database, the register served by workers of its own (a second
                # gunicorn, as deploy/ runs aia-public behind nginx), the authors' at a lower CPU
                # priority (--staff-nice, as aia-web's Nice=): as many processes in all.
                staff_workers = args.workers - args.public_workers
                staff, staff_base = serve(
                    "aia:create_app()", env, staff_workers, folder, threads=args.threads, nice=args.staff_nice
                )
                public, public_base = serve(
                    "aia:create_app()", env, args.public_workers, folder, threads=args.threads
                )
                try:
                    reading, saving = both_at_once(
                        staff_base, public_base, people, args.citizens, args.seconds
                    )
                    results["register on its own workers, authors saving"] = reading
                    results["aia step save, register on its own workers"] = saving
                finally:
                    stop(staff)
                    stop(public)
            server, base = serve(
                "bench.bare_app:create_app()",
                env,
                args.workers,
                folder,
                threads=args.threads,
                probe="/rows/1",
            )
            try:
                bare = Tally()
                loops = [bare_client(base, n + 1, bare) for n in range(args.authors)]
                results["bare save"] = bare.summary(run_for(args.seconds, loops))
                posts = Tally()
                loops = [bare_poster(base, n + 1, posts) for n in range(args.authors)]
                results["bare save (posts only)"] = posts.summary(run_for(args.seconds, loops))
            finally:
                stop(server)
        finally:
            drop_aia()
            drop_bare()
    if args.json:
        print(json.dumps(results))
        return
    print(
        f"{args.workers} gunicorn workers of {args.threads} thread(s), {args.authors} authors, "
        f"{args.citizens} citizens, "
        f"{args.seconds:g} s a case"
    )
    for name, figures in results.items():
        print(
            f"{name:32} {figures['per_s']:7.1f}/s  p50 {figures['p50_ms']:6.1f} ms  p95 "
            f"{figures['p95_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms  errors "
            f"{figures['errors']} of {figures['requests']}  clients used {figures['client_cores']:.2f} cores"
        )
    ratio = results["aia step save"]["per_s"] / max(results["bare save"]["per_s"], 1e-9)
    print(f"step save / bare save throughput: {ratio:.2f}")
    posts_only = results["aia autosave (posts only)"]["per_s"] / max(
        results["bare save (posts only)"]["per_s"], 1e-9
    )
    print(f"autosave / bare save, posts only: {posts_only:.2f}")
    print(
        f"register p95 alone {results['register alone']['p95_ms']:.0f} ms, while authors save "
        f"{results['register while authors save']['p95_ms']:.0f} ms"
    )
    if args.public_workers:
        print(
            f"register p95 on {args.public_workers} worker(s) of its own while authors save on "
            f"{args.workers - args.public_workers} at nice {args.staff_nice}: "
            f"{results['register on its own workers, authors saving']['p95_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
