"""What the operator's tools read: /healthz, /readyz (503 when the database, the report store
or the job queue is not there, saying which and nothing more), /metrics (only with the token),
each request's id in a header and on the log lines, and JSON log lines."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys

from flask import g

from aia import create_app
from aia.ops.observe import JSONLines, RequestIdFilter
from aia.publishing.models import PublicationJob
from config import TestConfig


def own_app(tmp_path, **settings):
    config = type(
        "Own",
        (TestConfig,),
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'own.sqlite3'}",
            "REPORT_DIR": str(tmp_path / "reports"),
            **settings,
        },
    )
    return create_app(config)


def test_healthz_says_ok_and_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_the_database_store_and_queue_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "report_store": "ok", "job_queue": "ok", "mail_outbox": "ok"},
    }


def test_readyz_is_503_when_the_report_store_cannot_be_written(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    app = own_app(tmp_path, REPORT_DIR=str(tmp_path / "a-file" / "reports"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready" and body["checks"]["report_store"] == "failing"
    assert "a-file" not in response.get_data(as_text=True)  # no path, no error text


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    app = own_app(tmp_path, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "failing"
    text = response.get_data(as_text=True)
    assert "psycopg" not in text and "127.0.0.1" not in text and "nobody" not in text


def test_readyz_is_503_when_a_publication_waits_too_long(client, db_session, make_revision, make_user):
    revision = make_revision()
    approver = make_user("approver")
    job = PublicationJob(
        revision_id=revision.id,
        requested_by_id=approver.id,
        state="queued",
        requested_dt=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
    )
    db_session.add(job)
    db_session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "ok",
        "report_store": "ok",
        "job_queue": "failing",
        "mail_outbox": "ok",
    }
    job.requested_dt = dt.datetime.now(dt.UTC)
    db_session.flush()
    assert client.get("/readyz").status_code == 200


def test_every_response_carries_a_request_id_of_its_own(client):
    first, second = (
        client.get("/healthz"),
        client.get("/healthz", headers={"X-Request-ID": "made-up-by-a-client"}),
    )
    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and ids[0] != ids[1]


def test_the_trusted_proxys_request_id_is_kept(tmp_path):
    client = own_app(tmp_path, TRUSTED_PROXIES=1).test_client()
    given = "3f2a9c1e5b7d4a60b1c2d3e4f5a6b7c8"
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    made_up = {"X-Request-ID": "<script>alert(1)</script>"}
    odd = client.get("/healthz", headers=made_up).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", odd)


def test_a_log_line_is_one_json_object_with_the_request_id(app):
    with app.test_request_context("/"):
        g.request_id = "abc123def456"
        record = logging.LogRecord("aia.test", logging.WARNING, __file__, 1, "saved %s", ("step 🧮\n",), None)
        RequestIdFilter().filter(record)
        line = JSONLines().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "saved step 🧮\n" and parsed["request_id"] == "abc123def456"
    assert parsed["level"] == "WARNING" and parsed["logger"] == "aia.test"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", parsed["time"])


def test_in_production_format_the_apps_lines_are_json_with_the_request_id(tmp_path):
    """In a process of its own, as the operator runs it: a failed readiness check writes one
    JSON line naming the request, with the exception, and the response says that request."""
    (tmp_path / "a-file").write_text("")
    probe = (
        "from aia import create_app; app = create_app(); "
        "r = app.test_client().get('/readyz'); print(r.status_code, r.headers['X-Request-ID'])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AIA_")},
        "AIA_ENV": "development",
        "AIA_LOG_FORMAT": "json",
        "AIA_DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "AIA_REPORT_DIR": str(tmp_path / "a-file" / "reports"),
        "AIA_JOBS_URL": "memory://",
        "AIA_JOBS_CONSUMER": "1",
    }
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    status, request_id = done.stdout.split()
    assert status == "503"
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    failed = [line for line in lines if line["message"] == "readiness check report_store failed"]
    assert failed and failed[0]["request_id"] == request_id and "NotADirectoryError" in failed[0]["exception"]


def test_metrics_answer_only_the_scrape_with_the_token(tmp_path):
    client = own_app(tmp_path, METRICS_TOKEN="a-long-random-token").test_client()
    client.get("/healthz")
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    scraped = client.get("/metrics", headers={"Authorization": "Bearer a-long-random-token"})
    assert scraped.status_code == 200
    text = scraped.get_data(as_text=True)
    assert re.search(
        r'aia_http_requests_total\{endpoint="ops.healthz",method="GET",status="200"\} [1-9]', text
    )
    assert "aia_http_request_duration_seconds_bucket" in text
    assert "aia_jobs_pending 0.0" in text
    assert 'aia_publication_jobs{state="queued"} 0.0' in text
    assert 'aia_mail_outbox{state="queued"} 0.0' in text


def test_without_a_token_metrics_are_not_served_at_all(client):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
