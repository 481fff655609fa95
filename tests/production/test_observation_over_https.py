"""The operator's view of the production stack: the probes through nginx, the counters of
every gunicorn worker added up on gunicorn's own port and hidden from the internet, and one
request id from nginx to the app's JSON log lines."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import METRICS_TOKEN

pytestmark = pytest.mark.production

SCRAPE = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def healthz_count(text: str) -> float:
    return sum(
        float(value)
        for value in re.findall(
            r'^aia_http_requests_total\{endpoint="ops\.healthz",[^}]*\} (\S+)$', text, re.M
        )
    )


def test_the_probes_answer_through_nginx(site):
    visitor = site.visitor("127.0.0.31")
    assert json.loads(visitor.get("/healthz").body) == {"status": "ok"}
    ready = visitor.get("/readyz")
    assert ready.status == 200, ready.body
    assert json.loads(ready.body)["status"] == "ready"


def test_the_counters_are_not_served_to_the_internet(site):
    assert site.visitor("127.0.0.32").get("/metrics", headers=SCRAPE).status == 404


def test_a_scrape_adds_up_every_workers_counts(site):
    scraper = site.scraper()
    before = healthz_count(scraper.get("/metrics", headers=SCRAPE).body)
    visitor = site.visitor("127.0.0.33")
    for _ in range(30):  # spread by gunicorn over its workers
        assert visitor.get("/healthz").status == 200
    scraped = scraper.get("/metrics", headers=SCRAPE)
    assert scraped.status == 200
    assert healthz_count(scraped.body) - before == 30
    assert re.search(r"^aia_jobs_pending \d", scraped.body, re.M)
    assert scraper.get("/metrics").status == 404  # without the token, nothing


def test_nginxs_request_id_reaches_the_apps_log_lines(site):
    visitor = site.visitor("127.0.0.34")
    answer = visitor.post("/login", form={"email": "nobody@roads.example", "password": "wrong"})
    request_id = answer.header("X-Request-ID")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [
        json.loads(line)
        for line in (site.folder / "gunicorn.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert any(line["request_id"] == request_id for line in lines), lines[-5:]
