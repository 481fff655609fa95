from __future__ import annotations

from flask import Response, current_app

from ..accounts.access import require
from ..assessments import queries
from ..extensions import db
from . import bp
from .context import report_context
from .render import render_pdf


@bp.route("/systems/<uid>/revisions/<int:number>/report.pdf")
def revision_pdf(uid: str, number: int):
    system = queries.system_or_404(db.session, uid, require("read"))
    revision = queries.revision_or_404(db.session, system, number)
    definition = current_app.extensions["aia.questionnaires"].get(
        revision.questionnaire_key, revision.questionnaire_version)
    pdf = render_pdf("report/report.html", report=report_context(revision, definition))
    filename = f"{system.uid}-revision-{revision.number}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "X-Content-Type-Options": "nosniff"})
