"""The PDF of a revision: the stored bytes once published, a marked preview before."""

from __future__ import annotations

import logging

from flask import Response, render_template, request

from ..accounts.access import viewer
from ..assessments import queries
from ..extensions import db
from ..i18n import current_language
from . import bp
from .build import build_pdf
from .context import text_direction
from .errors import ReportError
from .store import download_name, stored_file_for, stored_pdf_bytes, stored_report_bytes

log = logging.getLogger(__name__)

PUBLISHED_STATUSES = ("published", "superseded", "withdrawn")


bp.add_app_template_filter(text_direction, "text_dir")


@bp.route("/systems/<uid>/revisions/<int:number>/report.pdf")
def revision_pdf(uid: str, number: int):
    system = queries.system_or_404(db.session, uid, viewer())
    revision = queries.revision_or_404(db.session, system, number)
    stored = bool(revision.pdf_sha256) or revision.status in PUBLISHED_STATUSES
    etag = revision.pdf_sha256
    if stored:
        # The stored copy in the reader's language where there is one, else the reference.
        copy = stored_file_for(db.session, revision, current_language())
        if copy is not None and copy.sha256 != revision.pdf_sha256:
            label = f"revision {revision.number} of system {system.uid} in {copy.language}"
            pdf, etag = stored_report_bytes(copy.sha256, label), copy.sha256
        else:
            pdf = stored_pdf_bytes(revision)
    else:
        pdf = build_pdf(db.session, revision, published=False)
    filename = download_name(system.uid, revision.number, preview=not stored)
    response = Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
    if stored:
        # The stored bytes never change: the hash is a strong validator.
        assert etag  # stored_pdf_bytes refuses a revision without one
        response.set_etag(etag)
        response.cache_control.private = True
        response.cache_control.max_age = 3600
        return response.make_conditional(request)
    response.cache_control.no_store = True
    return response


@bp.app_errorhandler(ReportError)
def report_error(error: ReportError):
    """Wherever a report fails (a download, a publication), the operator sees why."""
    db.session.rollback()  # nothing of a failed publication is kept
    log.error("report error: %s", error)
    return render_template(
        "errors/error.html", code=error.status_code, title=error.title, message=str(error)
    ), error.status_code
