"""Whether this process can serve: the database answers, the report store takes a file, and
no publication has waited for a worker too long. Each check says ok or not, nothing more: the
reason goes to the log, never to the caller."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ..db import now_utc
from ..extensions import db
from ..jobs import queue_of
from ..publishing.models import JOB_STATES, PublicationJob

log = logging.getLogger(__name__)


def database_answers() -> bool:
    db.session.execute(sa.text("SELECT 1"))
    return True


def report_store_writable() -> bool:
    folder = Path(current_app.config["REPORT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".ready-", suffix=".part")
    try:
        os.write(handle, b"ready")
    finally:
        os.close(handle)
        os.unlink(name)
    return True


def queue_moving() -> bool:
    """No publication waits for a worker longer than AIA_READY_QUEUE_MINUTES, and the queue's
    storage answers."""
    queue_of(current_app).pending_count()
    limit = now_utc() - dt.timedelta(minutes=float(current_app.config.get("READY_QUEUE_MINUTES", 15)))
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PublicationJob)
        .where(PublicationJob.state == "queued", PublicationJob.requested_dt < limit)
    )
    return not waiting


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "report_store": report_store_writable,
    "job_queue": queue_moving,
}


def readiness() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception:  # noqa: BLE001 (any failure means not ready; the log says which)
            log.warning("readiness check %s failed", name, exc_info=True)
            results[name] = False
            db.session.rollback()
    return results


class QueueCollector(Collector):
    """The job queue's length and the publications in each state, read at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending = GaugeMetricFamily("aia_jobs_pending", "Jobs waiting in the job queue.")
        try:
            pending.add_metric([], queue_of(current_app).pending_count())
        except Exception:  # noqa: BLE001 (a queue that cannot be read is left out of the scrape)
            log.warning("the job queue's length cannot be read", exc_info=True)
        yield pending
        states = GaugeMetricFamily("aia_publication_jobs", "Publication jobs by state.", labels=["state"])
        try:
            counted = dict(
                db.session.execute(
                    sa.select(PublicationJob.state, sa.func.count()).group_by(PublicationJob.state)
                ).all()
            )
        except Exception:  # noqa: BLE001 (as above)
            log.warning("publication jobs cannot be counted", exc_info=True)
            db.session.rollback()
            counted = {}
        for state in JOB_STATES:
            states.add_metric([state], counted.get(state, 0))
        yield states
