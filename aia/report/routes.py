"""The PDF of a revision: the stored bytes once published, a marked preview before."""

from __future__ import annotations

import logging

from flask import Response, abort, current_app, render_template, request
from limits import parse_many

from ..accounts.access import viewer
from ..assessments import fria, queries
from ..engine.scoring_texts import scores_in_language
from ..engine.translations import answers_in_language
from ..extensions import db, limiter
from ..i18n import current_language
from . import bp
from .build import definition_for, preview_pdf
from .context import fria_part
from .copies import docx_response, editable_copy
from .errors import ReportError
from .render import render_pdf
from .scripts import script_runs, text_direction
from .store import download_name, stored_file_for, stored_pdf_bytes, stored_report_bytes

log = logging.getLogger(__name__)

PUBLISHED_STATUSES = ("published", "superseded", "withdrawn")


bp.add_app_template_filter(text_direction, "text_dir")
bp.add_app_template_filter(script_runs, "script_runs")


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
        pdf = preview_pdf(db.session, revision, before_render=_count_a_preview)
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


@bp.route("/systems/<uid>/revisions/<int:number>/report.docx")
def revision_docx(uid: str, number: int):
    """The editable copy: built from the report's context on each request (it is not the
    reference version, which its first page names)."""
    system = queries.system_or_404(db.session, uid, viewer())
    revision = queries.revision_or_404(db.session, system, number)
    return docx_response(editable_copy(db.session, revision), system.uid, revision.number)


def _count_a_preview() -> None:
    """Previews each person may have rendered (a cached one does not count): 429 beyond."""
    person = str(viewer().id)
    if not all(
        limiter.limiter.hit(limit, "report-preview", person)
        for limit in parse_many(current_app.config["REPORT_PREVIEW_LIMIT"])
    ):
        abort(429)


@bp.app_errorhandler(ReportError)
def report_error(error: ReportError):
    """Wherever a report fails (a download, a publication), the operator sees why."""
    db.session.rollback()  # nothing of a failed publication is kept
    log.error("report error: %s", error)
    return render_template(
        "errors/error.html", code=error.status_code, title=error.title, message=str(error)
    ), error.status_code


@bp.route("/systems/<uid>/revisions/<int:number>/fria/notification.pdf")
def fria_notification_pdf(uid: str, number: int):
    """The notification of a fundamental rights impact assessment's results, as a PDF (the
    content of its JSON document, fria.notification), made on each request."""
    system = queries.system_or_404(db.session, uid, viewer())
    revision = queries.revision_or_404(db.session, system, number)
    definition = definition_for(revision).in_language(current_language())
    if not fria.is_fria(revision):
        abort(404)
    document = fria.notification(db.session, revision, definition)
    pdf = render_pdf(
        "report/fria_notification.html",
        notification=document,
        fria=fria_part(
            definition,
            scores_in_language(definition, revision.scores, revision.answers),
            answers_in_language(definition, revision.answers, current_language()),
        ),
    )
    name = f"{system.uid}-revision-{revision.number}-fria-notification.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"', "X-Content-Type-Options": "nosniff"},
    )
