"""Time and memory of the transparency report, against two plain documents, in one run.

The cases, each run once per round, the rounds one after the other (so that a busy moment of the
machine falls on every case alike); minimum and median over the rounds:

- full: the largest demo report (every flag raised, long answers with emoji, right-to-left
  script and very long words), rendered as in production: in the warm child process,
  PDF/A-3u, tagged, with its JSON attachment;
- in process: the same, rendered in this process;
- plain: paragraphs of ordinary text in one font, of the report's page count, rendered in this
  process without PDF/A, tags or an attachment (it carries about twice the report's text);
- fair plain: the report's own text (the same emoji, scripts and long words) as plain
  paragraphs, in the report's fonts, rendered as the report is (warm child, PDF/A-3u, tagged,
  the same attachment): what the text and the kind of PDF cost without the report's layout;
- worst: the same questionnaire with every text answer at its limits: as many emoji as it may
  hold (``max_emoji``), the rest of its length in very long words, as far as the report's limit
  on a revision's answers allows (beyond it the report is refused).

    .venv/bin/python bench/report.py [--rounds 7] [--worst-rounds 3] [--chars 400]
        [--questionnaire ads-impact] [--json] [--worst-emoji N] [--emoji-cache-ab]

``--emoji-cache-ab`` also renders the worst case in this process with the emoji cache and
without it (as WeasyPrint alone draws), in the same rounds; ``--worst-emoji 9999`` keeps
that affordable.

With ``--json`` the last line is one JSON object of the figures (seconds are medians).
"""

from __future__ import annotations

import argparse
import gc
import html as html_lib
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from html.parser import HTMLParser
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
# The emoji the worst case is made of: the people, forms and vehicles of the demo answers and
# a few more, so that the report draws several glyph images, not one.
WORST_EMOJI = "👪📋🚗🧮📬😀🏠🚑"
WORST_WORD = " Rechtsschutzversicherungsgesellschaften"
# The report's own fonts (aia/static/report/report.css).
REPORT_FONTS = '"DejaVu Sans", "Noto Sans", sans-serif'


def make_revision(definition, answers, label: str):
    from aia.accounts.models import Agency
    from aia.assessments import services

    agency = Agency(slug=f"bench-{label}", name="Benefits and Family Agency 👪")
    db.session.add(agency)
    db.session.flush()
    system = services.create_system(
        db.session, agency.id, "Claim review triage 🧮", "Ranks benefit claims for manual review."
    )
    draft = services.start_draft(db.session, system, definition, answers)
    return services.submit(db.session, draft, definition, draft.lock_version)


def worst_answers(definition, answers: dict, most: int | None = None) -> tuple[dict, int]:
    """Every text answer at its limit in emoji (the most emoji it may hold, within its length),
    while the answers stay within the report's limit (the last one filled only as far as it
    allows), and within ``most`` emoji in all when given. Returns the answers and the number of
    emoji."""
    from aia.engine import canonical_json
    from aia.report.context import MAX_ANSWERS_BYTES

    answers = dict(answers)
    emoji_count = 0
    for key, question in definition.questions.items():
        if question.type_name not in ("long_text", "short_text") or key not in answers:
            continue
        room = (MAX_ANSWERS_BYTES - len(canonical_json(answers)) + len(answers[key].encode())) // 4
        count = min(question.max_length, question.max_emoji, room - 16)
        if most is not None:
            count = min(count, most - emoji_count)
        if count <= 0:
            break
        emoji = (WORST_EMOJI * (count // len(WORST_EMOJI) + 1))[:count]
        # The rest of the answer's length in long words (39 letters), which hyphenation and line
        # breaking work hardest on.
        rest = (WORST_WORD * (question.max_length // len(WORST_WORD) + 1))[: question.max_length - count]
        answers[key] = emoji + rest[: max(0, room - 16 - count)]
        emoji_count += count
    return answers, emoji_count


# The report's four page-margin boxes (system name and revision above, agency and page number
# below) as two, each holding both texts of its edge, and as none: what the boxes cost.
TWO_MARGIN_BOXES = (
    "<style>@page { @top-right { content: none } @bottom-right { content: none }"
    ' @top-left { content: string(system-name) " · " string(revision-line); width: 100% }'
    ' @bottom-left { content: string(agency) " · " counter(page) " / " counter(pages); width: 100% } }'
    " @page :first { @top-left { content: none } }</style>"
)
NO_MARGIN_BOXES = (
    "<style>@page { @top-left { content: none } @top-right { content: none }"
    " @bottom-left { content: none } @bottom-right { content: none } }</style>"
)


def margin_box_variants(report_html: str) -> tuple[str, str]:
    """The report's HTML with two margin boxes, and with none."""
    assert "</head>" in report_html
    return tuple(
        report_html.replace("</head>", extra + "</head>", 1) for extra in (TWO_MARGIN_BOXES, NO_MARGIN_BOXES)
    )


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


class _Text(HTMLParser):
    """The text a page shows, one string per element that holds text (no styles, no SVG)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("style", "script", "svg", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "svg", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def fair_plain_html(report_html: str) -> tuple[str, int]:
    """The report's text, as paragraphs in the report's fonts; and its length in characters."""
    parser = _Text()
    parser.feed(report_html)
    body = "".join(f"<p>{html_lib.escape(part)}</p>" for part in parser.parts)
    document = (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Plain, the report's text</title>"
        "<style>@page { size: A4; margin: 20mm } "
        f"body {{ font-family: {REPORT_FONTS}; font-size: 9.5pt; overflow-wrap: anywhere }}</style>"
        f"</head><body>{body}</body></html>"
    )
    return document, sum(len(part) for part in parser.parts)


def interleaved(rounds: int, cases: dict[str, tuple[int, Callable[[], object]]]) -> dict[str, list[float]]:
    """Run each case once per round, in turn; ``cases`` maps a name to (rounds, action).
    Wall seconds under each name; under ``<name>_cpu``, this process's CPU seconds (which
    waiting for a busy machine does not inflate: meaningful for the cases rendered in process).
    Each case starts with no garbage left by the one before it."""
    samples: dict[str, list[float]] = {}
    for name in cases:
        samples[name], samples[f"{name}_cpu"] = [], []
    for number in range(rounds):
        for name, (its_rounds, action) in cases.items():
            if number < its_rounds:
                # The garbage an earlier case left is collected now, not in this case's time
                # (cases rendered in this process would otherwise pay for each other's).
                gc.collect()
                start, start_cpu = time.perf_counter(), time.process_time()
                action()
                samples[name].append(time.perf_counter() - start)
                samples[f"{name}_cpu"].append(time.process_time() - start_cpu)
    return samples


def without_emoji_cache(action: Callable[[], object]) -> object:
    """Run ``action`` with the renderer's emoji cache switched off (as WeasyPrint is alone)."""
    import contextlib

    from aia.report import render

    cache = render.glyph_images
    render.glyph_images = contextlib.nullcontext  # type: ignore[assignment]
    try:
        return action()
    finally:
        render.glyph_images = cache


def page_count(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--worst-rounds", type=int, default=3, help="rounds that also render the worst case")
    parser.add_argument(
        "--chars", type=int, default=400, help="characters in each long answer of the rich revision"
    )
    parser.add_argument("--questionnaire", default="ads-impact")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    parser.add_argument("--worst-emoji", type=int, default=None, help="at most this many emoji, worst case")
    parser.add_argument(
        "--margin-boxes-ab",
        action="store_true",
        help="also render the full report in this process with two page-margin boxes and with none",
    )
    parser.add_argument(
        "--emoji-cache-ab",
        action="store_true",
        help="also render the worst case in this process with and without the emoji cache",
    )
    args = parser.parse_args()

    from flask import current_app

    from aia.report.build import TEMPLATE, revision_attachment
    from aia.report.context import report_context
    from aia.report.record import review_record
    from aia.report.render import RenderLimits, render_html, write_pdf, write_pdf_limited
    from aia.report.samples import rich_answers

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("AIA_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app(type("Bench", (TestConfig,), {"DATABASE_URL": url, "REPORT_DIR": tmp}))
        with app.app_context():
            upgrade_database()
            registry = current_app.extensions["aia.questionnaires"]
            definition = registry.latest(args.questionnaire) or registry.latest("starter")
            answers = rich_answers(definition, args.chars)
            revision = make_revision(definition, answers, "rich")
            worst, emoji_count = worst_answers(definition, answers, args.worst_emoji)
            worst_revision = make_revision(definition, worst, "worst")
            limits = RenderLimits.from_config(app.config)
            # The worst case is timed to its end, whatever the production time limit.
            worst_limits = RenderLimits(timeout=3600, memory_mb=limits.memory_mb)

            def html(of) -> str:
                context = report_context(of, definition, published=True, **review_record(db.session, of))
                return render_html(TEMPLATE, report=context)

            attachments = (revision_attachment(revision),)
            worst_attachments = (revision_attachment(worst_revision),)
            report_html = html(revision)
            result = write_pdf_limited(report_html, attachments, limits)  # starts the warm child
            pages = page_count(result.pdf)
            plain = plain_of_pages(pages)
            plain_pages = len(HTML(string=plain).render().pages)
            fair, fair_chars = fair_plain_html(report_html)
            fair_pdf = write_pdf_limited(fair, attachments, limits).pdf
            outcome: dict[str, object] = {}

            def worst_case() -> None:
                rendered = write_pdf_limited(html(worst_revision), worst_attachments, worst_limits)
                outcome["worst_pages"] = page_count(rendered.pdf)
                outcome["worst_peak_mb"] = rendered.peak_rss_kib // 1024

            cases = {
                "full": (args.rounds, lambda: write_pdf_limited(html(revision), attachments, limits)),
                "in_process": (args.rounds, lambda: write_pdf(html(revision), attachments)),
                "plain": (args.rounds, lambda: HTML(string=plain).write_pdf()),
                "fair_plain": (args.rounds, lambda: write_pdf_limited(fair, attachments, limits)),
                "worst": (args.worst_rounds, worst_case),
            }
            if args.emoji_cache_ab:
                worst_html = html(worst_revision)
                cases["worst_cached"] = (args.worst_rounds, lambda: write_pdf(worst_html, worst_attachments))
                cases["worst_uncached"] = (
                    args.worst_rounds,
                    lambda: without_emoji_cache(lambda: write_pdf(worst_html, worst_attachments)),
                )
            if args.margin_boxes_ab:
                two, none = margin_box_variants(report_html)
                cases["two_boxes"] = (args.rounds, lambda: write_pdf(two, attachments))
                cases["no_boxes"] = (args.rounds, lambda: write_pdf(none, attachments))
            samples = interleaved(args.rounds, cases)
            db.session.rollback()

    median = {name: statistics.median(times) for name, times in samples.items() if times}
    least = {name: min(times) for name, times in samples.items() if times}
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    def line(label: str, name: str) -> str:
        if name not in median:
            return f"{label}: not run"
        return (
            f"{label}: median {median[name] * 1000:.0f} ms, minimum {least[name] * 1000:.0f} ms "
            f"({len(samples[name])} rounds)"
        )

    print(f"questionnaire: {definition.ident}, {args.chars} characters per long answer")
    print(
        line(
            f"full report ({pages} pages, {len(result.pdf) // 1024} KiB, warm child, PDF/A-3u, tagged)",
            "full",
        )
    )
    print(line("full report, rendered in this process", "in_process"))
    print(line(f"plain document ({plain_pages} pages, one font, no PDF/A, tags or attachment)", "plain"))
    print(
        line(
            f"fair plain document (the report's {fair_chars:,} characters of text, "
            f"{page_count(fair_pdf)} pages, its fonts, PDF/A-3u, tagged, attachment)",
            "fair_plain",
        )
    )
    print(
        line(
            f"worst case ({emoji_count:,} emoji in the text answers, "
            f"{outcome.get('worst_pages', '?')} pages, warm child)",
            "worst",
        )
    )
    if args.margin_boxes_ab:
        print(line("full report in this process, header and footer in two margin boxes", "two_boxes"))
        print(line("full report in this process, no margin boxes", "no_boxes"))
        for label, name in (("four margin boxes", "in_process"), ("two", "two_boxes"), ("none", "no_boxes")):
            cpu = samples[f"{name}_cpu"]
            print(f"  CPU seconds, {label}: median {median[name + '_cpu']:.3f}, minimum {min(cpu):.3f}")
    if args.emoji_cache_ab:
        print(line("worst case in this process, emoji cache on", "worst_cached"))
        print(line("worst case in this process, emoji cache off", "worst_uncached"))
    figures = {
        "pages": pages,
        "full_s": round(median["full"], 3),
        "full_min_s": round(least["full"], 3),
        "in_process_s": round(median["in_process"], 3),
        "plain_s": round(median["plain"], 3),
        "ratio": round(median["full"] / median["plain"], 2),
        "fair_plain_s": round(median["fair_plain"], 3),
        "fair_ratio": round(median["full"] / median["fair_plain"], 2),
        "worst_s": round(median["worst"], 3) if "worst" in median else None,
        "worst_emoji": emoji_count,
        "worst_pages": outcome.get("worst_pages"),
        "peak_child_mb": result.peak_rss_kib // 1024,
        "peak_worst_child_mb": outcome.get("worst_peak_mb"),
        "rounds": args.rounds,
    }
    for name in (
        "worst_cached",
        "worst_uncached",
        "two_boxes",
        "no_boxes",
        "in_process_cpu",
        "two_boxes_cpu",
        "no_boxes_cpu",
    ):
        if name in median:
            figures[f"{name}_s"] = round(median[name], 3)
    print(f"ratio full / plain: {figures['ratio']:.2f}; full / fair plain: {figures['fair_ratio']:.2f}")
    print(f"peak memory: rendering child {figures['peak_child_mb']} MB, benchmark process {own_peak} MB")
    if args.json:
        print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
