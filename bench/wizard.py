"""Time to save one step of the form, and to render a revision's PDF, on a fresh SQLite
database (AIA_DATABASE_URL picks another). Prints figures; asserts nothing.

    .venv/bin/python bench/wizard.py [--saves 200] [--renders 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aia import create_app  # noqa: E402
from aia.accounts import services  # noqa: E402
from aia.cli import upgrade_database  # noqa: E402
from aia.extensions import db  # noqa: E402
from aia.seed import load_demo  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.webform import as_fields, submit_data  # noqa: E402

PASSWORD = "benchmark only, never a real password"


def figures(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return (
        f"{name}: n={len(samples)} median {statistics.median(samples) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, min {samples[0] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--renders", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("AIA_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        config = type("Bench", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": tmp})
        app = create_app(config)
        with app.app_context():
            upgrade_database()
            load_demo(db.session, app.extensions["aia.questionnaires"])
            db.session.commit()
            import sqlalchemy as sa

            from aia.assessments.models import Revision, System

            drafted = db.session.scalar(
                sa.select(System).where(System.draft.has()).order_by(System.id.desc())
            )
            uid = drafted.uid
            # A revision of the same agency that is not published: rendered on each request.
            revision = db.session.scalar(
                sa.select(Revision)
                .join(System)
                .where(System.agency_id == drafted.agency_id, Revision.status != "published")
                .order_by(Revision.id.desc())
            )
            pdf_url = f"/systems/{revision.system.uid}/revisions/{revision.number}/report.pdf"
            account = services.create_user(
                db.session, None, "bench@agency.example", "Bench", "author", drafted.agency, PASSWORD
            )
            db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        signed_in = client.post(
            "/login", data=submit_data(page, {"email": account.email, "password": PASSWORD})
        )
        assert signed_in.status_code == 302, "could not sign in"
        url_step = f"/systems/{uid}/draft/about"
        saves = []
        for i in range(args.saves):
            page = client.get(url_step).get_data(as_text=True)
            data = submit_data(
                page,
                as_fields({"decision": f"Decision {i}", "purpose": "Why " * 50, "decision_area": "services"}),
                "save",
            )
            start = time.perf_counter()
            response = client.post(url_step, data=data)
            saves.append(time.perf_counter() - start)
            assert response.headers["Location"].endswith(url_step), response.status_code
        renders = []
        size = 0
        for _ in range(args.renders):
            start = time.perf_counter()
            response = client.get(pdf_url)
            renders.append(time.perf_counter() - start)
            assert response.mimetype == "application/pdf", response.status_code
            size = len(response.data)
        print(f"database: {url.split(':')[0]}")
        print(figures("save one step (POST, validate, compare-and-set, commit)", saves))
        print(
            figures(
                f"render the preview PDF of one starter revision ({size // 1024} KiB, child process)", renders
            )
        )


if __name__ == "__main__":
    main()
