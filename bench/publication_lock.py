"""How long another writer waits for SQLite's write lock while a revision is published.

On SQLite a transaction that writes holds the database's one write lock from its start. A
publication renders its reports (one per language, a second or more each), so where it does
that matters to everyone else who writes meanwhile: an author saving a step waits for the
lock, up to the busy timeout (15 s), and past it gets "database is locked".

Two ways of publishing the rich revision (the ads-impact questionnaire, two languages), in
interleaved rounds on one SQLite file:

- ``under lock``: render and store the reports inside the publication's transaction (what
  ``services.publish`` does when given nothing rendered ahead);
- ``ahead``: render and store them first with no transaction open (``prepare_reports``), then
  publish in a transaction that only checks they are still current and records them (what the
  publication job does).

Meanwhile a writer thread, on a connection of its own, takes the write lock every 20 ms
(BEGIN IMMEDIATE, then ROLLBACK) and records how long each took. Prints, per way: the
publication's time, and the writer's longest and median wait during it.

    python bench/publication_lock.py --rounds 3
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from aia import create_app  # noqa: E402
from aia.cli import upgrade_database  # noqa: E402
from aia.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402


class Writer(threading.Thread):
    """Takes the write lock every ``pause`` seconds and records each wait."""

    def __init__(self, database: str, pause: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.database, self.pause = database, pause
        self.waits: list[tuple[float, float]] = []  # (when it started, how long it waited)
        self.stopping = threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=60, isolation_level=None)
        while not self.stopping.is_set():
            started = time.monotonic()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
            self.waits.append((started, time.monotonic() - started))
            time.sleep(self.pause)
        connection.close()

    def during(self, start: float, end: float) -> list[float]:
        """The waits that overlapped the time from ``start`` to ``end``."""
        return [wait for when, wait in self.waits if when <= end and when + wait >= start]


def approved_revisions(app, count: int) -> tuple[list[int], int]:
    from aia.accounts import services as accounts
    from aia.assessments import lifecycle
    from aia.assessments import services as assessments
    from aia.report.samples import rich_answers

    with app.app_context():
        session = db.session
        agency = accounts.create_agency(session, None, "bench", "Benefits and Family Agency")
        author = accounts.create_user(session, None, "a@bench.example", "", "author", agency, "x" * 16)
        approver = accounts.create_user(session, None, "p@bench.example", "", "approver", agency, "x" * 16)
        definition = app.extensions["aia.questionnaires"].latest("ads-impact")
        ids = []
        for n in range(count):
            system = assessments.create_system(session, agency.id, f"Claim review triage {n}", "")
            draft = assessments.start_draft(session, system, definition, rich_answers(definition, 400))
            revision = assessments.submit(session, draft, definition, draft.lock_version, actor=author)
            lifecycle.change_status(session, approver, revision, "approve")
            ids.append(revision.id)
        session.commit()
        return ids, approver.id


def publish(app, revision_id: int, approver_id: int, ahead: bool) -> None:
    from aia.accounts.models import User
    from aia.assessments.models import Revision
    from aia.publishing import services
    from aia.report.store import prepare_reports

    with app.app_context():
        session = db.session
        prepared = prepare_reports(session, revision_id) if ahead else None
        revision = session.get(Revision, revision_id)
        services.publish(session, session.get(User, approver_id), revision, prepared=prepared)
        session.commit()
        assert revision.status == "published"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ways = {"under lock": False, "ahead": True}
    with tempfile.TemporaryDirectory() as tmp:
        database = f"{tmp}/bench.sqlite3"
        config = {"DATABASE_URL": f"sqlite:///{database}", "REPORT_DIR": f"{tmp}/reports"}
        app = create_app(type("Bench", (TestConfig,), config))
        with app.app_context():
            upgrade_database()
        ids, approver_id = approved_revisions(app, args.rounds * len(ways) + 1)
        publish(app, ids.pop(), approver_id, True)  # warm up: fonts, the rendering child
        writer = Writer(database)
        writer.start()
        windows: list[tuple[str, float, float]] = []
        for _ in range(args.rounds):
            for way, ahead in ways.items():
                started = time.monotonic()
                publish(app, ids.pop(), approver_id, ahead)
                windows.append((way, started, time.monotonic()))
                time.sleep(0.2)  # the writer's wait, if any, ends before the next round
        writer.stopping.set()
        writer.join()
    figures: dict[str, list[tuple[float, float, float]]] = {way: [] for way in ways}
    for way, started, ended in windows:
        waits = writer.during(started, ended) or [0.0]
        figures[way].append((ended - started, max(waits), statistics.median(waits)))
    print(f"{'way':<12} {'publication':>12} {'longest wait':>13} {'median wait':>12}  (medians of rounds)")
    for way, rows in figures.items():
        took, longest, median = (statistics.median(column) for column in zip(*rows, strict=True))
        print(f"{way:<12} {took:>10.2f} s {longest * 1000:>10.0f} ms {median * 1000:>9.1f} ms")


if __name__ == "__main__":
    main()
