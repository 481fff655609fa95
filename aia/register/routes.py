"""Public pages of the register: no login. Only entries written at publication appear."""

from __future__ import annotations

import json
import logging
import re
import secrets
from pathlib import Path
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..assessments import fria
from ..assessments.models import Revision
from ..db import now_utc
from ..engine import Definition
from ..engine.definition import answer_text
from ..engine.scoring_texts import scores_in_language
from ..extensions import db, limiter, questionnaire
from ..i18n import current_language
from ..presentation import public_url_for
from ..report.copies import docx_response, editable_copy, published_revision
from ..report.store import download_name, stored_report_bytes
from . import bp, exports, queries, records, services
from .forms import FeedbackForm

log = logging.getLogger(__name__)

EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
WEB = re.compile(r"https://[^\s<>\"']+")


@bp.route("/register/")
def index():
    filters = queries.Filters.from_args(request.args)
    page = queries.search(db.session, filters, request.args.get("after"))
    withdrawn_matches = (
        queries.count_withdrawn(db.session, filters) if page.total == 0 and filters.state == "current" else 0
    )
    agencies = queries.agencies(db.session, filters.state)
    if filters.agency and filters.agency not in {slug for slug, _ in agencies}:
        # An agency chosen with another state stays chosen, and named
        agencies += [
            (slug, name) for slug, name in queries.agencies(db.session, "all") if slug == filters.agency
        ]
    return render_template(
        "register/index.html",
        page=page,
        filters=filters,
        agencies=agencies,
        withdrawn_matches=withdrawn_matches,
        export_args={k: v for k, v in filters.args().items() if k != "sort"},
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
    definition = questionnaire(answered.get("key", ""), answered.get("version", 0))
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
        contact_link=contact_link,
        published_answers=queries.published_answers(db.session, entry.system_id),
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
    local = definition.in_language(current_language())
    words = scores_in_language(
        local, {"impact_level": entry.impact_level, "flags": entry.details.get("flags", [])}
    )
    # A choice's words (the stage, who built it, a commitment's status) in the page's
    # language; what the agency wrote stays as written.
    about = {}
    for role, part in entry.details.get("about", {}).items():
        keys = local.roles.questions.get(role, ())
        about[role] = {**part, "text": (keys and _choice_text(local, keys[0], part["value"])) or part["text"]}
    titles = [str(c.title) for c in local.commitments]
    commitments = [
        {
            **c,
            "title": titles[i] if i < len(titles) else c["title"],
            "status_text": _choice_text(local, local.commitments[i].status, c["status"])
            if i < len(titles)
            else c["status_text"],
        }
        for i, c in enumerate(entry.details.get("commitments", []))
    ]
    return {
        **entry.details,
        "about": about,
        "commitments": commitments,
        "impact_level_name": words.get("impact_level_name", entry.details.get("impact_level_name")),
        "obligations": words.get("obligations", entry.details.get("obligations", [])),
        "flags": [{"key": f["key"], "label": f["label"]} for f in words["flags"]],
    }


def _choice_text(definition: Definition, key: str, value: Any) -> str | None:
    question = definition.questions.get(key)
    return (answer_text(question, {key: value}) or None) if question is not None else None


def contact_link(contact: str | None) -> str | None:
    """Where a contact point given as an email address or a web address leads (mailto: or
    https:), or None for anything else, which the page shows as text."""
    text = (contact or "").strip()
    if EMAIL.fullmatch(text):
        return "mailto:" + text
    if WEB.fullmatch(text):
        return text
    return None


@bp.route("/register/<uid>/feedback", methods=["POST"])
@limiter.limit(lambda: current_app.config["FEEDBACK_LIMIT"])
def feedback(uid: str):
    entry = _latest_or_404(uid)
    form = FeedbackForm()
    if form.validate_on_submit():
        sender = session.setdefault("sender", secrets.token_urlsafe(16))
        key = services.sending_key(
            sender, entry.system_uid, form.kind.data, form.message.data or "", form.reply_to.data
        )
        received = services.submit_feedback(
            db.session,
            entry,
            form.kind.data,
            form.message.data or "",
            form.reply_to.data,
            key,
            current_language(),
        )
        return redirect(url_for(".feedback_sent", uid=uid, reference=received.reference))
    return _entry_page(entry, form, 422)


@bp.route("/register/<uid>/feedback/<reference>")
def feedback_sent(uid: str, reference: str):
    """The confirmation of a message sent: its reference, what happens next. It shows
    nothing of the message itself (anyone holding the address could read it)."""
    entry = _latest_or_404(uid)
    received = services.feedback_by_reference(db.session, entry, reference[:16])
    if received is None:
        abort(404)
    return render_template("register/feedback_sent.html", entry=entry, feedback=received)


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
    headers = {"X-Content-Type-Options": "nosniff", "X-Register-Status": entry.state}
    if entry.state == "withdrawn":
        # The stored PDF never changes and still reads "Published": the response says what
        # the register says, in a header, in the file's name, and with a link to the entry.
        filename = filename.removesuffix(".pdf") + "-withdrawn.pdf"
        headers["X-Register-Status"] = f"withdrawn; date={entry.ended_dt.date().isoformat()}"
        headers["Link"] = f'<{public_url_for("register.entry", uid=entry.system_uid)}>; rel="describedby"'
    elif entry.state == "superseded":
        filename = filename.removesuffix(".pdf") + "-superseded.pdf"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response = Response(pdf, mimetype="application/pdf", headers=headers)
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


@bp.route("/register/<uid>/atrs.json")
def entry_atrs(uid: str):
    """The entry as a UK Algorithmic Transparency Recording Standard record."""
    return _record(uid, records.atrs_record)


@bp.route("/register/<uid>/algoritmeregister.json")
def entry_algoritmeregister(uid: str):
    """The entry as a record of the Dutch algorithm register."""
    return _record(uid, records.algoritmeregister_record)


def _record(uid: str, make) -> Response:
    entry = _latest_or_404(uid)
    document = exports.entry_document(entry, exports.Links(public_url_for))
    record = make(document, records.answer_values(entry.details))
    return Response(json.dumps(record, ensure_ascii=False, indent=2), mimetype="application/json")


@bp.route("/register.json")
def register_json():
    """The entries the register's page lists for the same filters (current ones unless
    ``state`` says otherwise; ``state=all`` adds the withdrawn, with their state)."""
    filters = queries.Filters.from_args(request.args)
    stream = exports.json_stream(
        queries.iter_matching(db.session, filters),
        exports.Links(public_url_for),
        now_utc().isoformat(),
        filters.args(),
    )
    return Response(stream_with_context(stream), mimetype="application/json")


@bp.route("/register.csv")
def register_csv():
    """As register_json, as CSV for spreadsheets."""
    filters = queries.Filters.from_args(request.args)
    stream = exports.csv_stream(queries.iter_matching(db.session, filters), exports.Links(public_url_for))
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
    """How an assessment is scored, in plain words for anyone (aia/docs/method.md, and
    method.fr.md in French), then the points of every question of the full assessment, read
    from the questionnaire itself in the page's language: anyone can redo a score by hand."""
    # The method in the page's language where it is written in it, else in English, marked so.
    language = current_language()
    docs = Path(current_app.config["DOCS_DIR"])
    path = docs / f"method.{language}.md"
    if not path.is_file():
        language, path = "en", docs / "method.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.error("the method document %s cannot be read", path)
        abort(404)
    # Our own document, not user text; raw HTML in it is not passed through.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    method_html = Markup(html)  # noqa: S704  # nosec B704
    # The packaged questionnaire, the one this page's text describes.
    full = current_app.extensions["aia.questionnaires"].latest(METHOD_QUESTIONNAIRE)
    return render_template(
        "register/method.html",
        method_html=method_html,
        method_lang=language,
        points=points_by_step(full.in_language(current_language())) if full else [],
    )


# The questionnaire whose points the method page lists: the full assessment.
METHOD_QUESTIONNAIRE = "ads-impact"


def points_by_step(definition: Definition) -> list[dict[str, Any]]:
    """Each step's scored questions: their wording, kind (risk or safeguard), the points of
    each answer and the most they give."""
    steps = []
    for step in definition.steps:
        rows = [
            {
                "label": str(q.label),
                "kind": q.scoring,
                "answers": [(str(o.label), o.points) for o in getattr(q, "options", ())],
                "max": q.max_points(),
                "multiple": bool(getattr(q, "multiple", False)),
            }
            for q in step.questions
            if q.scoring
        ]
        if rows:
            steps.append({"title": str(step.title), "rows": rows})
    return steps


@bp.route("/register/schema.json")
def schema():
    return Response(exports.SCHEMA_PATH.read_text(encoding="utf-8"), mimetype="application/schema+json")
