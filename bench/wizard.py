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
from aia.cli import upgrade_database  # noqa: E402
from aia.extensions import db  # noqa: E402
from aia.seed import load_demo  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.webform import submit_data  # noqa: E402


def figures(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return (f"{name}: n={len(samples)} median {statistics.median(samples) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, min {samples[0] * 1000:.1f} ms")


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

            drafted = db.session.scalar(sa.select(System).where(System.draft.has())
                                        .order_by(System.id.desc()))
            uid = drafted.uid
            revision = db.session.scalar(sa.select(Revision).order_by(Revision.id.desc()))
            pdf_url = f"/systems/{revision.system.uid}/revisions/{revision.number}/report.pdf"
        client = app.test_client()
        url_step = f"/systems/{uid}/draft/about"
        saves = []
        for i in range(args.saves):
            page = client.get(url_step).get_data(as_text=True)
            data = submit_data(page, {"decision": f"Decision {i}", "purpose": "Why " * 50,
                                      "decision_area": "services"}, "save")
            start = time.perf_counter()
            response = client.post(url_step, data=data)
            saves.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
        renders = []
        size = 0
        for _ in range(args.renders):
            start = time.perf_counter()
            response = client.get(pdf_url)
            renders.append(time.perf_counter() - start)
            size = len(response.data)
        print(f"database: {url.split(':')[0]}")
        print(figures("save one step (POST, validate, compare-and-set, commit)", saves))
        print(figures(f"render the PDF of one revision ({size // 1024} KiB)", renders))


if __name__ == "__main__":
    main()
