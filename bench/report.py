"""Time and memory of the transparency report: the largest demo report (every flag raised, long
answers), rendered as in production (child process, PDF/A-3u, tagged, with its attachment), and a
plain WeasyPrint document of the same number of pages, in the same run. Prints figures (median
of several runs); asserts nothing.

    .venv/bin/python bench/report.py [--runs 7] [--chars 400] [--questionnaire ads-impact]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from weasyprint import HTML  # noqa: E402

from aia import create_app  # noqa: E402
from aia.cli import upgrade_database  # noqa: E402
from aia.extensions import db  # noqa: E402
from config import TestConfig  # noqa: E402

PLAIN_PARAGRAPH = (
    "The plain document has no styles beyond the page size, no header, no figures "
    "and no table of contents: only paragraphs of ordinary text, so that it shows "
    "what WeasyPrint itself needs for this many pages on this machine. "
) * 3


def rich_revision(questionnaire: str, chars: int):
    from flask import current_app

    from aia.accounts.models import Agency
    from aia.assessments import services
    from aia.report.samples import rich_answers

    registry = current_app.extensions["aia.questionnaires"]
    definition = registry.latest(questionnaire) or registry.latest("starter")
    agency = Agency(slug="bench", name="Benefits and Family Agency 👪")
    db.session.add(agency)
    db.session.flush()
    system = services.create_system(
        db.session, agency.id, "Claim review triage 🧮", "Ranks benefit claims for manual review."
    )
    draft = services.start_draft(db.session, system, definition, rich_answers(definition, chars))
    return services.submit(db.session, draft, definition, draft.lock_version), definition


def plain_html(paragraphs: int) -> str:
    body = "".join(f"<p>{i}. {PLAIN_PARAGRAPH}</p>" for i in range(paragraphs))
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Plain</title>"
        "<style>@page { size: A4; margin: 20mm } body { font-family: 'DejaVu Sans'; "
        f"font-size: 9.5pt }}</style></head><body>{body}</body></html>"
    )


def plain_of_pages(pages: int) -> str:
    paragraphs = pages * 4
    for _ in range(8):
        count = len(HTML(string=plain_html(paragraphs)).render().pages)
        if count == pages:
            break
        paragraphs = (
            max(1, round(paragraphs * pages / count))
            if abs(count - pages) > 1
            else (paragraphs + (1 if count < pages else -1))
        )
    return plain_html(paragraphs)


def timed(runs: int, action) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--chars", type=int, default=400, help="characters in each long answer of the rich revision"
    )
    parser.add_argument("--questionnaire", default="ads-impact")
    args = parser.parse_args()

    import pypdf

    from aia.report.build import TEMPLATE, revision_attachment
    from aia.report.context import report_context
    from aia.report.record import review_record
    from aia.report.render import RenderLimits, render_html, write_pdf, write_pdf_limited

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("AIA_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app(type("Bench", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": tmp}))
        with app.app_context():
            upgrade_database()
            revision, definition = rich_revision(args.questionnaire, args.chars)
            limits = RenderLimits.from_config(app.config)
            attachments = (revision_attachment(revision),)

            def html() -> str:
                context = report_context(
                    revision, definition, published=True, **review_record(db.session, revision)
                )
                return render_html(TEMPLATE, report=context)

            report_html = html()
            write_pdf_limited(report_html, attachments, limits)  # starts the fork server
            full, result = timed(args.runs, lambda: write_pdf_limited(html(), attachments, limits))
            in_process, _ = timed(args.runs, lambda: write_pdf(html(), attachments))
            db.session.rollback()
        pages = len(pypdf.PdfReader(io.BytesIO(result.pdf)).pages)
        plain = plain_of_pages(pages)
        plain_pages = len(HTML(string=plain).render().pages)
        plain_time, _ = timed(args.runs, lambda: HTML(string=plain).write_pdf())

    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"questionnaire: {definition.ident}, {args.chars} characters per long answer")
    print(
        f"full report ({pages} pages, {len(result.pdf) // 1024} KiB, child process, PDF/A-3u, "
        f"tagged): median {full * 1000:.0f} ms of {args.runs}"
    )
    print(f"full report, same, rendered in this process: median {in_process * 1000:.0f} ms")
    print(f"plain WeasyPrint document ({plain_pages} pages): median {plain_time * 1000:.0f} ms")
    print(f"ratio full / plain: {full / plain_time:.2f}")
    print(f"peak memory: rendering child {result.peak_rss_kib // 1024} MB, benchmark process {own_peak} MB")


if __name__ == "__main__":
    main()
