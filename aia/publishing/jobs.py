"""Publication through the job queue: the request records a job and hands it over; a worker
renders, stores and publishes. A render that fails is tried again (``AIA_PUBLISH_ATTEMPTS`` in
all); when every attempt failed, the job says why and the revision stays approved: the work of
a failed attempt is rolled back whole, so nothing is ever half published."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from ..accounts.models import User
from ..assessments import lifecycle
from ..assessments.models import Revision
from ..db import Session, now_utc
from ..extensions import db
from ..jobs import jobs
from ..report.errors import ReportTooLarge, ReportUnsafe
from ..report.store import prepare_reports
from . import services
from .models import PublicationJob

log = logging.getLogger(__name__)

# Failures that another attempt cannot mend: the revision changed state, the person may no
# longer publish, its text is over the report's limits, the report is unsafe.
FINAL_FAILURES = (lifecycle.TransitionRefused, ReportTooLarge, ReportUnsafe)
ACTIVE = ("queued", "running")


def job_of(session: Session, revision: Revision) -> PublicationJob | None:
    return session.scalar(sa.select(PublicationJob).where(PublicationJob.revision_id == revision.id))


def request_publication(
    session: Session, actor: User, revision: Revision, reason: str
) -> tuple[PublicationJob, bool]:
    """Record that ``actor`` asks for ``revision`` to be published. Returns the job and whether
    it must be handed to the queue (False when one is already waiting or running). Refuses as
    publishing itself would, so that a refusal is said at once, not by the worker."""
    services.check_publishable(session, actor, revision)
    job = job_of(session, revision)
    if job is not None and job.state in ACTIVE:
        return job, False
    if job is None:
        job = PublicationJob(revision_id=revision.id, requested_by_id=actor.id, reason=reason)
        session.add(job)
    else:  # failed before: try again, from the first attempt
        job.requested_by_id, job.reason = actor.id, reason
        job.state, job.attempts, job.error, job.finished_dt = "queued", 0, None, None
        job.requested_dt = now_utc()
    session.flush()
    return job, True


@jobs.handler(
    "publish",
    retries=lambda config: max(0, int(config["PUBLISH_ATTEMPTS"]) - 1),
    retry_delay=lambda config: float(config["PUBLISH_RETRY_SECONDS"]),
)
def run_publication(job_id: int, attempts_allowed: int) -> None:
    """One attempt at a publication job (in a worker, inside an app context)."""
    session = db.session
    job = session.get(PublicationJob, job_id)
    if job is None or job.state not in ACTIVE:
        return  # done, given up, or gone: nothing to do
    job.state = "running"
    job.attempts += 1
    attempt, revision_id = job.attempts, job.revision_id
    session.commit()
    try:
        # Render first, holding no write lock (on SQLite a writing transaction holds the
        # database's lock from its start); then publish, which uses the copies if nothing
        # they show changed meanwhile.
        prepared = prepare_reports(session, revision_id)
        job = session.get(PublicationJob, job_id)
        assert job is not None
        services.publish(session, job.requested_by, job.revision, job.reason, prepared=prepared)
        job.state, job.error, job.finished_dt = "done", None, now_utc()
        session.commit()
        log.info("publication job %s done in %d attempt(s)", job_id, attempt)
    except Exception as error:
        session.rollback()  # nothing of the attempt is kept: the revision stays approved
        final = isinstance(error, FINAL_FAILURES) or attempt >= attempts_allowed
        job = session.get(PublicationJob, job_id)
        assert job is not None
        job.state = "failed" if final else "queued"
        job.error = str(error) or type(error).__name__
        job.finished_dt = now_utc() if final else None
        session.commit()
        log.warning(
            "publication job %s: attempt %d of %d failed%s: %s",
            job_id,
            attempt,
            attempts_allowed,
            "" if final else ", to be tried again",
            job.error,
        )
        if not final:
            raise  # the queue tries again after its delay
