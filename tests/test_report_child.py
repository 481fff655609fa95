"""The warm rendering child retires after RENDERS_PER_CHILD reports: the report after that goes
to a fresh child, never to the one that has ended."""

from __future__ import annotations

from types import SimpleNamespace

from aia.report.child import RENDERS_PER_CHILD, WarmChild


def echo_pdf(html: str, attachments: tuple) -> SimpleNamespace:
    """A stand-in for WeasyPrint's render, at module level so that the child finds it by name:
    what is tested here is the child's turnover, not the PDF."""
    return SimpleNamespace(pdf=html.encode("utf-8"), peak_rss_kib=0)


def test_the_report_after_a_childs_last_goes_to_a_fresh_child():
    child = WarmChild(echo_pdf)
    try:
        results = [child.render(f"report {n}", (), 30, 1024) for n in range(RENDERS_PER_CHILD * 2 + 1)]
    finally:
        child._stop()
    assert [r.pdf for r in results] == [f"report {n}".encode() for n in range(RENDERS_PER_CHILD * 2 + 1)]
