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
from ..mail.models import STATES as MAIL_STATES
from ..mail.models import OutboxMessage
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


def mail_moving() -> bool:
    """No message of the outbox has been due longer than AIA_READY_QUEUE_MINUTES."""
    limit = now_utc() - dt.timedelta(minutes=float(current_app.config.get("READY_QUEUE_MINUTES", 15)))
    overdue = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state == "queued", OutboxMessage.next_attempt_dt < limit)
    )
    return not overdue


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "report_store": report_store_writable,
    "job_queue": queue_moving,
    "mail_outbox": mail_moving,
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


def _by_state(column: sa.orm.InstrumentedAttribute[str]) -> dict[str, int]:
    try:
        return dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())
    except Exception:  # noqa: BLE001 (a table that cannot be read is left out of the scrape)
        log.warning("%s cannot be counted", column, exc_info=True)
        db.session.rollback()
        return {}


class QueueCollector(Collector):
    """The job queue's length, and the publications and the outbox's messages in each state,
    read at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending = GaugeMetricFamily("aia_jobs_pending", "Jobs waiting in the job queue.")
        try:
            pending.add_metric([], queue_of(current_app).pending_count())
        except Exception:  # noqa: BLE001 (a queue that cannot be read is left out of the scrape)
            log.warning("the job queue's length cannot be read", exc_info=True)
        yield pending
        states = GaugeMetricFamily("aia_publication_jobs", "Publication jobs by state.", labels=["state"])
        counted = _by_state(PublicationJob.state)
        for state in JOB_STATES:
            states.add_metric([state], counted.get(state, 0))
        yield states
        mail = GaugeMetricFamily("aia_mail_outbox", "Messages of the mail outbox by state.", labels=["state"])
        counted = _by_state(OutboxMessage.state)
        for state in MAIL_STATES:
            mail.add_metric([state], counted.get(state, 0))
        yield mail
