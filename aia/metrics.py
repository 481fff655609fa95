"""Counters a monitoring system scrapes (Prometheus's text format, ``/metrics`` of aia/ops).

Under gunicorn every worker counts on its own: with ``PROMETHEUS_MULTIPROC_DIR`` set (as
deploy/gunicorn.conf.py does before any worker starts) prometheus_client keeps each process's
values in files there, and a scrape adds them up, whichever worker answers it."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "aia_http_requests",
    "Requests answered, by method, view and status.",
    ["method", "endpoint", "status"],
)
REQUEST_SECONDS = Histogram(
    "aia_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
RENDER_SECONDS = Histogram(
    "aia_report_render_seconds",
    "Time to render a report's PDF, previews and publications.",
    ["kind"],
    buckets=(0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120),
)
