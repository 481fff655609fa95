"""The public register at scale: fills a fresh database with N published entries (100,000 by
default), then prints the median and 95th-percentile times of the list page, a filtered
search and a deep page, and the time and peak memory of the full CSV and JSON exports.

    .venv/bin/python bench/register.py [--entries 100000] [--requests 50]
    AIA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/register.py

On PostgreSQL the run works in a database of its own, created and dropped here.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aia import create_app  # noqa: E402
from aia.cli import upgrade_database  # noqa: E402
from aia.db import engine_of  # noqa: E402
from aia.register import queries  # noqa: E402
from aia.register.models import RegisterEntry  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.databases import own_database  # noqa: E402

DOMAINS = ("benefit housing permit parking fraud school grant tax licence health care "
           "transport waste water police court visa pension loan subsidy inspection fishing "
           "energy farming border customs library museum harbour airport railway forest "
           "prison probation asylum childcare disability employment student pharmacy").split()
SYLLABLES = "ka lo mi re tu sa ne vo di pa ri ge lu fo ba te zi mo na ki".split()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Made-up words, so that a word matches about as many entries as in a real register."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def fill(engine: sa.Engine, count: int) -> None:
    """Agencies, systems, revisions and their register entries, inserted in bulk."""
    rng = random.Random(7)
    words_pool = vocabulary(rng)
    meta = sa.MetaData()
    meta.reflect(engine, only=["agency", "system", "revision", "register_entry"])
    agency, system, revision, entry = (meta.tables[t] for t in
                                       ("agency", "system", "revision", "register_entry"))
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as c:
        c.execute(agency.insert(), [{"id": i, "slug": f"agency-{i}", "name": f"Agency {i} of "
                                     f"{rng.choice(DOMAINS).title()}", "created_dt": start}
                                    for i in range(1, 51)])
    batch = 5000
    for first in range(1, count + 1, batch):
        ids = range(first, min(first + batch, count + 1))
        systems, revisions, entries = [], [], []
        for i in ids:
            domain = rng.choice(DOMAINS)
            words = rng.sample(words_pool, 6)
            name = f"{words[0].title()} {domain} {words[1]} model"
            description = (f"Ranks {domain} applications by {words[2]} and {words[3]}, "
                           f"using {words[4]} {words[5]} records.")
            agency_id = rng.randint(1, 50)
            level = rng.randint(1, 4)
            rating = rng.choice(("low", "moderate", "high"))
            published = start + dt.timedelta(minutes=17 * i)
            systems.append({"id": i, "uid": f"sys-{i:010x}", "agency_id": agency_id,
                            "name": name, "description": description, "created_dt": published})
            revisions.append({
                "id": i, "uid": f"rev-{i:010x}", "system_id": i, "number": 1,
                "questionnaire_key": "starter", "questionnaire_version": 1,
                "questionnaire_hash": "0" * 64, "answers": {"decision": description},
                "scores": {"impact_level": level}, "impact_level": level,
                "charter_rating": rating, "sha256": f"{i:064x}", "status": "published",
                "submitted_dt": published, "pdf_sha256": f"{i:064x}"})
            entries.append({
                "id": i, "revision_id": i, "system_id": i, "agency_id": agency_id,
                "system_uid": f"sys-{i:010x}", "revision_uid": f"rev-{i:010x}",
                "revision_number": 1, "name": name, "name_sort": name.casefold(),
                "agency_slug": f"agency-{agency_id}", "agency_name": f"Agency {agency_id}",
                "description": description, "impact_level": level, "charter_rating": rating,
                "search_text": f"{name} agency {agency_id} {description}".casefold(),
                "state": "withdrawn" if i % 97 == 0 else "current", "published_dt": published,
                "ended_dt": published + dt.timedelta(days=30) if i % 97 == 0 else None,
                "withdrawal_reason": "No longer used." if i % 97 == 0 else None,
                "pdf_sha256": f"{i:064x}",
                "details": {"decision": description, "summary": None, "contact": None,
                            "impact_level_name": None, "obligations": [], "flags": [],
                            "questionnaire": {"key": "starter", "version": 1},
                            "revision_sha256": f"{i:064x}"}})
        with engine.begin() as c:
            c.execute(system.insert(), systems)
            c.execute(revision.insert(), revisions)
            c.execute(entry.insert(), entries)
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            for table in ("agency", "system", "revision", "register_entry"):
                c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed table names)
                                  f"(SELECT max(id) FROM {table}))")
        else:
            c.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a table that has settled after a bulk load.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")


def timed(client, url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def line(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
    return (f"{name:<44} median {statistics.median(samples) * 1000:7.1f} ms   "
            f"p95 {p95 * 1000:7.1f} ms")


def export(client, url: str) -> str:
    """Time one full export; then a second run under tracemalloc for its peak memory (the
    tracing slows it down, so the two are measured apart)."""
    start = time.perf_counter()
    response = client.get(url, buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    elapsed = time.perf_counter() - start
    response.close()
    tracemalloc.start()
    response = client.get(url, buffered=False)
    for _ in response.response:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    response.close()
    return (f"{url:<44} {elapsed:6.2f} s   {size / 1e6:6.1f} MB out   "
            f"peak Python memory {peak / 1e6:5.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, \
            own_database(Path(tmp) / "register.sqlite3", "aia_bench") as url:
        config = type("Bench", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": tmp})
        app = create_app(config)
        with app.app_context():
            upgrade_database()
        engine = engine_of(app)
        start = time.perf_counter()
        fill(engine, args.entries)
        print(f"database: {engine.dialect.name}; {args.entries:,} published entries "
              f"loaded in {time.perf_counter() - start:.1f} s")
        client = app.test_client()
        with app.app_context():
            from aia.extensions import db

            filters = queries.Filters(sort="newest")
            deep = db.session.scalar(sa.select(RegisterEntry)
                                     .where(RegisterEntry.state == "current")
                                     .order_by(RegisterEntry.published_dt.desc(),
                                               RegisterEntry.id.desc())
                                     .offset(int(args.entries * 0.9)).limit(1))
            cursor = queries._encode(deep, queries.SORTS[filters.sort][0])
        print(line("list page (first 20, newest first)",
                   timed(client, "/register/", args.requests)))
        print(line("search one word (in ~2.5 % of entries)",
                   timed(client, "/register/?q=housing", args.requests)))
        print(line("search two words",
                   timed(client, "/register/?q=parking+model", args.requests)))
        print(line("search a word in every entry ('model')",
                   timed(client, "/register/?q=model", args.requests)))
        print(line("search + level III + agency filters",
                   timed(client, "/register/?q=housing&level=3&agency=agency-7",
                         args.requests)))
        print(line("filters only: level IV, high risk, 2021",
                   timed(client, "/register/?level=4&rating=high&from=2021-01-01"
                         "&to=2021-12-31", args.requests)))
        print(line("deep page (at 90 % of the list)",
                   timed(client, f"/register/?after={cursor}", args.requests)))
        print(line("entry page", timed(client, f"/register/{deep.system_uid}",
                                       args.requests)))
        print(export(client, "/register.csv"))
        print(export(client, "/register.json"))
        engine.dispose()


if __name__ == "__main__":
    main()
