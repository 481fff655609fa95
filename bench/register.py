"""The public register at scale: fills a fresh database with N published entries (100,000 by
default), then prints the median and 95th-percentile times of the list page, a filtered
search and a deep page, and the time and peak memory of the full CSV and JSON exports.

Each entry is what a publication writes: its details are built by the register's own
``entry_details`` from a revision of the main assessment (ads-impact) answered as people do
(every choice made, texts of a few sentences, hidden questions left out) and scored by the
engine; the revision rows hold those answers and scores.

    .venv/bin/python bench/register.py [--entries 100000] [--requests 50]
    AIA_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python bench/register.py

On PostgreSQL the run works in a database of its own, created and dropped here.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aia import create_app  # noqa: E402
from aia.assessments.models import Revision  # noqa: E402
from aia.cli import upgrade_database  # noqa: E402
from aia.db import engine_of  # noqa: E402
from aia.engine import Definition, answers_by_step, resolve, score  # noqa: E402
from aia.engine.questions import ChoiceQuestion, Question  # noqa: E402
from aia.extensions import questionnaires  # noqa: E402
from aia.register import queries  # noqa: E402
from aia.register.models import RegisterEntry  # noqa: E402
from aia.register.services import entry_details, search_text  # noqa: E402
from aia.report.samples import PARAGRAPHS  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.databases import own_database  # noqa: E402

DOMAINS = (
    "benefit housing permit parking fraud school grant tax licence health care "
    "transport waste water police court visa pension loan subsidy inspection fishing "
    "energy farming border customs library museum harbour airport railway forest "
    "prison probation asylum childcare disability employment student pharmacy"
).split()
SYLLABLES = "ka lo mi re tu sa ne vo di pa ri ge lu fo ba te zi mo na ki".split()
QUESTIONNAIRE = "ads-impact"
RATINGS = ("low", "moderate", "high")
ANSWER_SETS_PER_OUTCOME = 4


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Made-up words, so that a word matches about as many entries as in a real register."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _text(rng: random.Random, low: int, high: int) -> str:
    """A few sentences of plain prose, ``low`` to ``high`` characters."""
    sentences = [s.strip() + "." for p in PARAGRAPHS for s in p.split(". ") if s.strip()]
    length, parts = rng.randint(low, high), []
    while sum(len(p) + 1 for p in parts) < length:
        parts.append(rng.choice(sentences))
    return " ".join(parts)


def _answer(question: Question, concern: float, rng: random.Random) -> Any:
    """An answer to one question; ``concern`` (0 to 1) is how often a choice is the one that
    raises the most concern, the others mostly raising the least."""
    if isinstance(question, ChoiceQuestion):
        by_points = sorted(question.options, key=lambda o: o.points)
        if question.multiple:
            chosen = max(1, round(concern * len(by_points)))
            return [o.value for o in rng.sample(by_points, chosen)]
        draw = rng.random()
        if draw < concern:
            return by_points[-1].value
        if draw < concern + (1 - concern) * 0.7:
            return by_points[0].value
        return rng.choice(by_points).value
    kind = question.type_name
    if kind == "long_text":
        return _text(rng, 80, 500)
    if kind == "short_text":
        return f"{question.label[:40]}: team {rng.randint(1, 99)}, agency.example"
    if kind == "number":
        return rng.randint(100, 500_000)
    if kind == "date":
        return f"20{rng.randint(18, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    return None


def answer_sets(
    definition: Definition, rng: random.Random
) -> dict[tuple[int, str | None], list[tuple[dict, dict]]]:
    """Answered and scored assessments, a few for each impact level and charter rating."""
    outcomes: dict[tuple[int, str | None], list[tuple[dict, dict]]] = {}
    for _ in range(4000):
        concern = rng.random()
        answers = {}
        for question in definition.questions.values():
            value = _answer(question, concern, rng)
            if value is not None and question.check_value(value) is None:
                answers[question.key] = value
        answers = dict(resolve(definition, answers).answers)  # what a submission keeps
        scores = score(definition, answers)
        outcome = (scores["impact_level"], (scores["charter"] or {}).get("rating"))
        found = outcomes.setdefault(outcome, [])
        if len(found) < ANSWER_SETS_PER_OUTCOME:
            found.append((answers, scores))
        if all(
            len(outcomes.get((level, rating), [])) == ANSWER_SETS_PER_OUTCOME
            for level in range(1, 5)
            for rating in RATINGS
        ):
            break
    return outcomes


def fill(engine: sa.Engine, definition: Definition, count: int) -> dict[str, float]:
    """Agencies, systems, revisions and their register entries, inserted in bulk. Returns the
    mean size of an entry row and of the copy of the answers entries no longer keep (in
    bytes of JSON)."""
    rng = random.Random(7)
    words_pool = vocabulary(rng)
    outcomes = answer_sets(definition, rng)
    # The questions the register reads, as the questionnaire declares them.
    decision, purpose = definition.role("decision"), definition.role("purpose")
    assert decision is not None and purpose is not None, definition.ident
    decision_key, purpose_key = decision.key, purpose.key
    levels = sorted({level for level, _ in outcomes})
    meta = sa.MetaData()
    meta.reflect(engine, only=["agency", "system", "revision", "register_entry"])
    agency, system, revision, entry = (
        meta.tables[t] for t in ("agency", "system", "revision", "register_entry")
    )
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    agencies = {i: f"Agency {i} of {rng.choice(DOMAINS).title()}" for i in range(1, 51)}
    with engine.begin() as c:
        c.execute(
            agency.insert(),
            [
                {"id": i, "slug": f"agency-{i}", "name": name, "created_dt": start}
                for i, name in agencies.items()
            ],
        )
    sizes = {"entry": 0.0, "answers copy": 0.0}
    sampled = 0
    batch = 2000
    for first in range(1, count + 1, batch):
        ids = range(first, min(first + batch, count + 1))
        systems, revisions, entries = [], [], []
        for i in ids:
            domain = rng.choice(DOMAINS)
            words = rng.sample(words_pool, 6)
            name = f"{words[0].title()} {domain} {words[1]} model"
            description = (
                f"Ranks {domain} applications by {words[2]} and {words[3]}, "
                f"using {words[4]} {words[5]} records."
            )
            agency_id = rng.randint(1, 50)
            level = rng.choice(levels)
            rating = rng.choice([r for lv, r in outcomes if lv == level])
            answers, scores = rng.choice(outcomes[(level, rating)])
            answers = {
                **answers,
                decision_key: f"Which {domain} applications are checked first, by {words[2]}",
                purpose_key: f"{description} {answers.get(purpose_key, '')}".strip(),
            }
            published = start + dt.timedelta(minutes=17 * i)
            uid, revision_uid, sha256 = f"sys-{i:010x}", f"rev-{i:010x}", f"{i:064x}"
            submitted = Revision(
                id=i,
                uid=revision_uid,
                system_id=i,
                number=1,
                questionnaire_key=definition.key,
                questionnaire_version=definition.version,
                questionnaire_hash=definition.content_hash,
                answers=answers,
                scores=scores,
                impact_level=level,
                charter_rating=rating,
                sha256=sha256,
                status="published",
                submitted_dt=published,
                pdf_sha256=sha256,
            )
            details = entry_details(submitted, definition)
            withdrawn = i % 97 == 0
            systems.append(
                {
                    "id": i,
                    "uid": uid,
                    "agency_id": agency_id,
                    "name": name,
                    "description": description,
                    "created_dt": published,
                }
            )
            revisions.append({c.name: getattr(submitted, c.name) for c in revision.columns})
            row = {
                "id": i,
                "revision_id": i,
                "system_id": i,
                "agency_id": agency_id,
                "system_uid": uid,
                "revision_uid": revision_uid,
                "revision_number": 1,
                "name": name,
                "name_sort": name.casefold(),
                "agency_slug": f"agency-{agency_id}",
                "agency_name": agencies[agency_id],
                "description": description,
                "impact_level": level,
                "charter_rating": rating,
                "search_text": search_text(
                    name, agencies[agency_id], description, details["decision"], details["summary"]
                ),
                "state": "withdrawn" if withdrawn else "current",
                "published_dt": published,
                "ended_dt": published + dt.timedelta(days=30) if withdrawn else None,
                "withdrawal_reason": "No longer used." if withdrawn else None,
                "pdf_sha256": sha256,
                "details": details,
            }
            entries.append(row)
            if i % 50 == 1:  # the sizes, on a sample
                sampled += 1
                sizes["entry"] += len(json.dumps(row, default=str).encode())
                sizes["answers copy"] += len(json.dumps(answers_by_step(definition, answers)).encode())
        with engine.begin() as c:
            c.execute(system.insert(), systems)
            c.execute(revision.insert(), revisions)
            c.execute(entry.insert(), entries)
    with engine.begin() as c:
        if engine.dialect.name == "postgresql":
            for table in ("agency", "system", "revision", "register_entry"):
                c.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed table names)
                    f"(SELECT max(id) FROM {table}))"
                )
        else:
            c.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a table that has settled after a bulk load.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")
    return {k: v / max(sampled, 1) for k, v in sizes.items()}


def table_bytes(engine: sa.Engine, table: str = "register_entry") -> int:
    """What a table takes on disk, without its indexes (on PostgreSQL with its TOAST part,
    where long values are stored compressed)."""
    with engine.connect() as c:
        if engine.dialect.name == "postgresql":
            return c.execute(sa.text("SELECT pg_table_size(:t)"), {"t": table}).scalar_one()
        return c.execute(sa.text("SELECT SUM(pgsize) FROM dbstat WHERE name = :t"), {"t": table}).scalar_one()


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
    return f"{name:<44} median {statistics.median(samples) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


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
    return f"{url:<44} {elapsed:6.2f} s   {size / 1e6:6.1f} MB out   peak Python memory {peak / 1e6:5.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        own_database(Path(tmp) / "register.sqlite3", "aia_bench") as url,
    ):
        config = type("Bench", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": tmp})
        app = create_app(config)
        with app.app_context():
            upgrade_database()
        engine = engine_of(app)
        with app.app_context():
            definition = questionnaires().latest(QUESTIONNAIRE)
        start = time.perf_counter()
        sizes = fill(engine, definition, args.entries)
        print(
            f"database: {engine.dialect.name}; {args.entries:,} published entries "
            f"({definition.ident}) loaded in {time.perf_counter() - start:.1f} s"
        )
        print(
            f"an entry row: {sizes['entry']:,.0f} bytes of JSON on average; the copy of the "
            f"answers it no longer keeps would add {sizes['answers copy']:,.0f} "
            f"({sizes['answers copy'] / (sizes['entry'] + sizes['answers copy']):.0%} of "
            "such a row)"
        )
        stored = table_bytes(engine)
        print(
            f"register_entry table on disk: {stored / 1e6:,.0f} MB, "
            f"{stored / args.entries:,.0f} bytes an entry"
        )
        client = app.test_client()
        with app.app_context():
            from aia.extensions import db

            filters = queries.Filters(sort="newest")
            deep = db.session.scalar(
                sa.select(RegisterEntry)
                .where(RegisterEntry.state == "current")
                .order_by(RegisterEntry.published_dt.desc(), RegisterEntry.id.desc())
                .offset(int(args.entries * 0.9))
                .limit(1)
            )
            cursor = queries._encode(deep, queries.SORTS[filters.sort][0])
        print(line("list page (first 20, newest first)", timed(client, "/register/", args.requests)))
        print(
            line(
                "search one word (in ~2.5 % of entries)", timed(client, "/register/?q=housing", args.requests)
            )
        )
        print(line("search two words", timed(client, "/register/?q=parking+model", args.requests)))
        print(
            line("search a word in every entry ('model')", timed(client, "/register/?q=model", args.requests))
        )
        print(
            line(
                "search + level III + agency filters",
                timed(client, "/register/?q=housing&level=3&agency=agency-7", args.requests),
            )
        )
        print(
            line(
                "filters only: level IV, high risk, 2021",
                timed(client, "/register/?level=4&rating=high&from=2021-01-01&to=2021-12-31", args.requests),
            )
        )
        print(
            line(
                "deep page (at 90 % of the list)", timed(client, f"/register/?after={cursor}", args.requests)
            )
        )
        print(line("entry page", timed(client, f"/register/{deep.system_uid}", args.requests)))
        print(export(client, "/register.csv"))
        print(export(client, "/register.json"))
        engine.dispose()


if __name__ == "__main__":
    main()
