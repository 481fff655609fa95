"""Concurrent writers under gunicorn: CLIENTS threads, each signed in as its own author,
saving a step of its own draft over and over, against a fresh database (a SQLite file, or
PostgreSQL with AIA_DATABASE_URL). Prints, for each number of workers, the saves per second
and the share of requests that failed.

    python bench/concurrency.py                      # this checkout
    python bench/concurrency.py --root ../old-tree   # another checkout of aia, same figures

``--root`` runs the app of another checkout (for example the commit before a change) with
the same clients, so that both are measured on one machine in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

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
from aia.extensions import db
app = create_app({"DATABASE_URL": sys.argv[1], "REPORT_DIR": sys.argv[2],
                  "PASSWORD_HASH_PROFILE": "CHEAPEST"})
people = []
with app.app_context():
    upgrade_database()
    agency = accounts.create_agency(db.session, None, "works", "Public Works")
    starter = app.extensions["aia.questionnaires"].latest("starter")
    for n in range(int(sys.argv[3])):
        user = accounts.create_user(db.session, None, f"author{n}@works.example", "", "author",
                                    agency, sys.argv[4])
        system = assessments.create_system(db.session, agency.id, f"System {n}", "", actor=user)
        assessments.start_draft(db.session, system, starter, actor=user)
        people.append((user.email, system.uid))
    db.session.commit()
print(json.dumps(people))
"""


def run(root: Path, workers: int, clients: int, saves: int, folder: Path) -> dict:
    url, drop = own_database(folder, f"concurrency_w{workers}")
    env = {
        **os.environ,
        "AIA_ENV": "development",
        "AIA_DATABASE_URL": url,
        "AIA_SECRET_KEY": "bench",
        "AIA_PASSWORD_HASH_PROFILE": "CHEAPEST",
        "AIA_REPORT_DIR": str(folder / "reports"),
        "AIA_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(root),
    }
    people = json.loads(
        subprocess.run(
            [sys.executable, "-c", SETUP, url, str(folder / "reports"), str(clients), PASSWORD],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    server, base = serve(
        "aia:create_app()", env, workers, folder, probe="/login", production_config=False, root=root
    )
    try:
        counts = {"saves": 0, "failed": 0, "requests": 0, "sign_in_failed": 0}
        lock = threading.Lock()
        ready = threading.Barrier(clients + 1)

        def work(email: str, uid: str) -> None:
            browser = Browser(base)
            _, page = browser.request("/login")
            status, _ = browser.request("/login", submit_data(page, {"email": email, "password": PASSWORD}))
            with lock:
                counts["sign_in_failed"] += status != 302
            ready.wait()
            for number in range(saves):
                status, page = browser.request(f"/systems/{uid}/draft/about")
                ok = status == 200
                if ok:
                    status, _ = browser.request(
                        f"/systems/{uid}/draft/about",
                        submit_data(page, {"decision": f"Save {number}"}, "save"),
                    )
                    ok = status == 302
                with lock:
                    counts["requests"] += 1
                    counts["saves"] += ok
                    counts["failed"] += not ok

        threads = [threading.Thread(target=work, args=person) for person in people]
        for thread in threads:
            thread.start()
        ready.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        stop(server)
        drop()
    return {
        "workers": workers,
        "clients": clients,
        "saves_per_s": counts["saves"] / elapsed,
        "failed_pct": 100 * counts["failed"] / max(counts["requests"], 1),
        "sign_ins_failed": counts["sign_in_failed"],
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout of aia to serve")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--saves", type=int, default=25, help="saves per client")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for workers in args.workers:
            result = run(args.root.resolve(), workers, args.clients, args.saves, Path(folder))
            if args.json:
                print(json.dumps(result))
            else:
                print(
                    f"{workers} worker(s), {result['clients']} clients: "
                    f"{result['saves_per_s']:.0f} saves/s, {result['failed_pct']:.0f} % of "
                    f"saves failed, {result['sign_ins_failed']} sign-in(s) failed"
                )


if __name__ == "__main__":
    main()
