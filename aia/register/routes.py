"""Public pages of the register: no login. Only entries written at publication appear."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..assessments import fria
from ..assessments.models import Revision
from ..db import now_utc
from ..engine import Definition
from ..engine.scoring_texts import scores_in_language
from ..extensions import db, limiter, questionnaires
from ..i18n import current_language
from ..presentation import public_url_for
from ..report.copies import docx_response, editable_copy, published_revision
from ..report.store import download_name, stored_report_bytes
from . import bp, exports, queries, services
from .forms import FeedbackForm

log = logging.getLogger(__name__)


@bp.route("/register/")
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.search(db.session, filters, request.args.get("after"))
    return render_template(
        "register/index.html", page=page, filters=filters, agencies=queries.agencies(db.session)
    )


def _latest_or_404(uid: str):
    entry = queries.latest_entry(db.session, uid)
    if entry is None:
        abort(404)
    return entry


@bp.route("/register/<uid>")
def entry(uid: str):
    return _entry_page(_latest_or_404(uid), FeedbackForm())


def _entry_page(entry, form: FeedbackForm, status: int = 200):
    history = [e for e in queries.entry_history(db.session, entry.system_uid) if e.id != entry.id]
    answered = entry.details.get("questionnaire", {})
    definition = questionnaires().get(answered.get("key", ""), answered.get("version", 0))
    return render_template(
        "register/entry.html",
        entry=entry,
        details=_in_page_language(entry, definition),
        reports_of=exports.entry_reports,
        # the questionnaire answered, for the notice an imported one's licence asks for
        definition=definition.in_language(current_language()) if definition else None,
        history=history,
        form=form,
        counts=services.feedback_counts(db.session, entry.system_id),
        # the day the FRIA's results were sent to the authority (recorded beside the revision)
        fria_notified=fria_notified_on(entry),
    ), status


def fria_notified_on(entry) -> Any:
    if "fria" not in entry.details:
        return None
    revision = db.session.get(Revision, entry.revision_id)
    return fria.notified_on(db.session, revision) if revision is not None else None


def _in_page_language(entry, definition: Definition | None) -> dict[str, Any]:
    """The entry's details, with the questionnaire's words (the level's name, its obligations,
    the flags) in the page's language where the questionnaire gives them; what the agency
    wrote stays as written."""
    if definition is None:
        return entry.details
    words = scores_in_language(
        definition.in_language(current_language()),
        {"impact_level": entry.impact_level, "flags": entry.details.get("flags", [])},
    )
    return {
        **entry.details,
        "impact_level_name": words.get("impact_level_name", entry.details.get("impact_level_name")),
        "obligations": words.get("obligations", entry.details.get("obligations", [])),
        "flags": [{"key": f["key"], "label": f["label"]} for f in words["flags"]],
    }


@bp.route("/register/<uid>/feedback", methods=["POST"])
@limiter.limit(lambda: current_app.config["FEEDBACK_LIMIT"])
def feedback(uid: str):
    entry = _latest_or_404(uid)
    form = FeedbackForm()
    if form.validate_on_submit():
        services.submit_feedback(
            db.session, entry, form.kind.data, form.message.data or "", form.reply_to.data
        )
        flash(
            _(
                "Thank you: your message was sent to the agency. The count on this page shows "
                "how many messages it has received and answered."
            ),
            "success",
        )
        return redirect(url_for(".entry", uid=uid) + "#feedback")
    return _entry_page(entry, form, 422)


@bp.route("/register/<uid>/revisions/<int:number>/report.pdf")
def report(uid: str, number: int):
    """The stored bytes of a published report (the reference copy, in its questionnaire's
    language), never a new render, after checking them against the entry's hash; a missing
    or altered file is an error page that names the problem (see report.routes.report_error),
    never the bytes."""
    entry = queries.entry_for_revision(db.session, uid, number)
    if entry is None or not entry.pdf_sha256:
        abort(404)
    return _stored_report(entry, entry.pdf_sha256, download_name(uid, number, preview=False))


@bp.route("/register/<uid>/revisions/<int:number>/report.<lang>.pdf")
def report_in_language(uid: str, number: int, lang: str):
    """The stored copy of a published report in one language, checked as the reference is."""
    entry = queries.entry_for_revision(db.session, uid, number)
    copy = next((r for r in exports.entry_reports(entry) if r["language"] == lang), None) if entry else None
    if entry is None or copy is None:
        abort(404)
    name = download_name(uid, number, preview=False).removesuffix(".pdf") + f".{copy['language']}.pdf"
    return _stored_report(entry, copy["sha256"], name)


def _stored_report(entry, sha256: str, filename: str):
    # Checked against the hash the public sees on the entry, sealed at publication.
    label = f"the register entry of revision {entry.revision_number} of system {entry.system_uid}"
    pdf = stored_report_bytes(sha256, label)
    response = Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
    response.set_etag(sha256)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


@bp.route("/register/<uid>/revisions/<int:number>/report.docx")
def report_docx(uid: str, number: int):
    """The editable copy of a published report, built from the same context; its first page
    names the stored PDF, by its hash, as the reference version."""
    entry = queries.entry_for_revision(db.session, uid, number)
    if entry is None or not entry.pdf_sha256:
        abort(404)
    revision = published_revision(db.session, uid, number)
    if revision is None or revision.pdf_sha256 != entry.pdf_sha256:
        abort(404)
    return docx_response(editable_copy(db.session, revision), uid, number)


@bp.route("/register/<uid>.json")
def entry_json(uid: str):
    entry = _latest_or_404(uid)
    document = exports.entry_document(
        entry, exports.Links(public_url_for), queries.entry_history(db.session, uid)
    )
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")


@bp.route("/register.json")
def register_json():
    stream = exports.json_stream(
        queries.iter_current(db.session), exports.Links(public_url_for), now_utc().isoformat()
    )
    return Response(stream_with_context(stream), mimetype="application/json")


@bp.route("/register.csv")
def register_csv():
    stream = exports.csv_stream(queries.iter_current(db.session), exports.Links(public_url_for))
    return Response(
        stream_with_context(stream),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="register.csv"'},
    )


@bp.route("/register/feed.atom")
def feed():
    events = queries.feed_events(db.session)
    updated = (events[0][1] if events else now_utc()).isoformat()
    return Response(
        exports.atom_feed(events, exports.Links(public_url_for), updated), mimetype="application/atom+xml"
    )


@bp.route("/register/method")
def method():
    """The scoring method, as written in aia/docs/scoring.md: public, so that anyone can redo a
    score by hand."""
    # The method in the page's language where it is written in it (scoring.fr.md), else in
    # English, marked so.
    language = current_language()
    path = Path(current_app.config["DOCS_DIR"]) / f"scoring.{language}.md"
    if not path.is_file():
        language, path = "en", Path(current_app.config["DOCS_DIR"]) / "scoring.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.error("the scoring method document %s cannot be read", path)
        abort(404)
    # Our own document, not user text; raw HTML in it is not passed through.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    method_html = Markup(html)  # noqa: S704  # nosec B704
    return render_template("register/method.html", method_html=method_html, method_lang=language)


@bp.route("/register/schema.json")
def schema():
    return Response(exports.SCHEMA_PATH.read_text(encoding="utf-8"), mimetype="application/schema+json")
