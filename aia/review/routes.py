"""Thin views: the review queue, a reviewer's page, a system's history and trail, and two
revisions side by side; and the reviewers' comments shown on the authors' pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from flask import Response, abort, flash, g, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..accounts.access import may, require, viewer
from ..accounts.routes import safe_next
from ..assessments import lifecycle
from ..assessments import queries as assessment_queries
from ..assessments.models import Revision, System
from ..audit.models import EVENT_LABELS
from ..audit.queries import system_trail
from ..engine import Definition, answers_by_step
from ..extensions import csrf, db, questionnaire
from ..i18n import current_language
from ..presentation import spreadsheet_safe
from ..web_input import bounded_int
from . import bp, queries, services
from .forms import OVERALL, ReplyForm, comment_field_name, posted_comments, review_form
from .models import Comment


def _definition(key: str, version: int) -> Definition:
    definition = questionnaire(key, version)
    if definition is None:
        abort(500, f"questionnaire {key} v{version} is no longer installed")
    return definition.in_language(current_language())  # its texts in the page's language


def _revision(uid: str, number: int, action: str):
    user = viewer()
    system = assessment_queries.system_or_404(db.session, uid, user)
    require(action, system)
    return user, system, assessment_queries.revision_or_404(db.session, system, number)


@bp.app_template_global("review_comments_for")
def review_comments_for(system: System) -> tuple[Revision | None, dict]:
    """For the authors' pages of a system (its page, the steps of its draft): the revision sent
    back for changes and the reviewers' comments on it, by question (None: on the whole).
    Assessments' templates call this; assessments itself knows nothing of review."""
    return queries.comments_for_draft(db.session, system)


@bp.app_template_global("mitigation_cliff_for")
def mitigation_cliff_for(revision: Revision) -> dict | None:
    """For a revision's pages: whether mitigation crossed the line that reduces the score
    since the system's revision before it (see queries.mitigation_cliff)."""
    earlier = next((r for r in revision.system.revisions if r.number == revision.number - 1), None)
    return queries.mitigation_cliff(earlier.scores, revision.scores) if earlier is not None else None


@bp.app_template_global("comment_thread")
def comment_thread(comment: Comment) -> dict:
    """For a comment shown on any page: its replies and state, and what the person reading
    may do with it. The page then writes the forms those buttons belong to, outside any
    other form (``comment_forms``)."""
    user = viewer()
    revision = db.session.get(Revision, comment.revision_id)
    assert revision is not None  # noqa: S101  # a comment's revision is never deleted
    shown = g.setdefault("comment_forms", {})
    shown[comment.id] = revision
    threads = g.setdefault("comment_threads", {})  # per revision, loaded once per page
    if revision.id not in threads:
        threads[revision.id] = queries.threads_of_revision(db.session, revision.id)
    return {
        "thread": threads[revision.id].get(comment.id) or queries.thread(db.session, comment.id),
        "may_reply": services.may_reply(user, revision),
        "may_resolve": services.may_resolve(user, comment, revision),
    }


@bp.app_template_global("comment_forms")
def comment_forms() -> list[tuple[int, str, str]]:
    """The comments shown on this page so far: their id and where their reply and resolve
    forms post."""
    shown = g.get("comment_forms", {})
    return [
        (
            comment_id,
            url_for("review.reply", uid=r.system.uid, number=r.number, comment_id=comment_id),
            url_for("review.resolve", uid=r.system.uid, number=r.number, comment_id=comment_id),
        )
        for comment_id, r in shown.items()
    ]


def _comment(uid: str, number: int, comment_id: int):
    user = viewer()
    system = assessment_queries.system_or_404(db.session, uid, user)
    revision = assessment_queries.revision_or_404(db.session, system, number)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.revision_id != revision.id:
        abort(404)
    return user, system, revision, comment


def _back(form: ReplyForm, system: System, revision: Revision, comment: Comment):
    target = safe_next(form.back.data)
    if target is None:
        target = (
            url_for(".review", uid=system.uid, number=revision.number)
            if may(viewer(), "review", system)
            else url_for("assessments.system", uid=system.uid)
        )
    return redirect(target.split("#")[0] + f"#comment-{comment.id}", 303)


@bp.route("/systems/<uid>/revisions/<int:number>/comments/<int:comment_id>/reply", methods=["POST"])
def reply(uid: str, number: int, comment_id: int):
    user, system, revision, comment = _comment(uid, number, comment_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(_("The reply is too long: nothing was saved."), "error")
        return _back(form, system, revision, comment)
    try:
        services.reply(db.session, user, revision, comment, form.body.data or "")
    except lifecycle.NotPermitted:
        abort(403)
    except lifecycle.TransitionRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("Your reply is saved."), "success")
    return _back(form, system, revision, comment)


@bp.route("/systems/<uid>/revisions/<int:number>/comments/<int:comment_id>/resolved", methods=["POST"])
def resolve(uid: str, number: int, comment_id: int):
    user, system, revision, comment = _comment(uid, number, comment_id)
    form = ReplyForm()
    resolved = request.form.get("resolved") == "yes"
    try:
        services.set_resolved(db.session, user, revision, comment, resolved)
    except lifecycle.NotPermitted:
        abort(403)
    except lifecycle.TransitionRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("Comment marked resolved.") if resolved else _("Comment reopened."), "success")
    return _back(form, system, revision, comment)


@bp.route("/review")
def queue():
    user = require("review")
    return render_template("review/queue.html", revisions=queries.queue(db.session, user))


@bp.route("/systems/<uid>/revisions/<int:number>/review", methods=["GET", "POST"])
@csrf.exempt  # the review form checks its own token, so that an expired one loses no comment
def review(uid: str, number: int):
    user, system, revision = _revision(uid, number, "review")
    definition = _definition(revision.questionnaire_key, revision.questionnaire_version)
    steps = answers_by_step(definition, revision.answers)
    keys = [q["key"] for step in steps for q in step["questions"]]
    form = review_form(keys)
    status = 200
    confirming = False
    if request.method == "POST":
        decision = request.form.get("decision") or None
        if form.validate_on_submit():
            comments = posted_comments(form, keys)
            if decision == "request_changes" and not any(body.strip() for body in comments.values()):
                # Said at the field that needs it, which the page then focuses.
                form[OVERALL].errors = [
                    _(
                        "Say what must change: write a comment on the whole revision here, or "
                        "on at least one answer."
                    )
                ]
                status = 400
            elif decision == "cancel":
                pass  # back from the confirmation, every comment typed still in the form
            elif (
                decision == "approve"
                and request.form.get("confirmed") != "yes"
                and "approve" in lifecycle.allowed_actions(db.session, user, revision)
            ):
                confirming = True  # the page asks once more, keeping every comment typed
            else:
                try:
                    added = services.review(db.session, user, revision, comments, decision)
                except lifecycle.NotPermitted:
                    abort(403)
                except lifecycle.TransitionRefused as refused:
                    flash(str(refused), "error")
                    status = 409
                else:
                    flash(_review_message(revision, decision, len(added)), "success")
                    return redirect(url_for("assessments.revision", uid=uid, number=number))
        else:
            flash(
                _(
                    "The form expired or a comment is too long: nothing was saved. Your "
                    "comments are still below."
                ),
                "error",
            )
            status = 400
    return render_template(
        "review/review.html",
        system=system,
        revision=revision,
        steps=steps,
        form=form,
        field_name=comment_field_name,
        confirming=confirming,
        publication_refusal=lifecycle.publication_refusal(revision),
        comments=queries.comments_by_question(db.session, revision.id),
        answered=queries.answered_comments(db.session, revision),
        labels={q["key"]: q["label"] for step in steps for q in step["questions"]},
        actions=lifecycle.allowed_actions(db.session, user, revision),
        approval_refusal=(
            lifecycle.approval_refusal(db.session, user, revision)
            if revision.status == "submitted" and may(user, "approve", system)
            else None
        ),
    ), status


def _review_message(revision, decision: str | None, added: int) -> str:
    if decision == "approve":
        if lifecycle.publication_refusal(revision):
            return _("Revision %(number)s approved: its outcome is confirmed.", number=revision.number)
        return _("Revision %(number)s approved. It can now be published.", number=revision.number)
    if decision == "request_changes":
        return _(
            "Changes requested on revision %(number)s. The authors see your comments next to "
            "the questions in their next draft.",
            number=revision.number,
        )
    if added:
        return ngettext("%(num)d comment saved.", "%(num)d comments saved.", added)
    return _("Nothing to save: every comment was empty.")


@bp.route("/systems/<uid>/history")
def history(uid: str):
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    events = system_trail(db.session, system.id)
    return render_template(
        "review/history.html",
        system=system,
        events=events,
        names=queries.names_of(db.session, {e.actor_id for e in events if e.actor_id}),
        event_labels=EVENT_LABELS,
        revision_numbers={r.id: r.number for r in system.revisions},
    )


@bp.route("/systems/<uid>/compare")
def compare(uid: str):
    system = assessment_queries.system_or_404(db.session, uid, viewer())
    numbers = [r.number for r in system.revisions]
    old_number = request.args.get("from", type=bounded_int)
    new_number = request.args.get("to", type=bounded_int)
    if old_number is None or new_number is None:
        if len(numbers) < 2:
            flash(_("There is only one revision: nothing to compare yet."), "info")
            return redirect(url_for(".history", uid=uid))
        old_number, new_number = numbers[-2], numbers[-1]
    old = assessment_queries.revision_or_404(db.session, system, old_number)
    new = assessment_queries.revision_or_404(db.session, system, new_number)
    comparison = queries.compare(
        old,
        new,
        _definition(old.questionnaire_key, old.questionnaire_version),
        _definition(new.questionnaire_key, new.questionnaire_version),
    )
    return render_template(
        "review/compare.html",
        system=system,
        old=old,
        new=new,
        numbers=numbers,
        comparison=comparison,
        cliff=queries.mitigation_cliff(old.scores, new.scores),
        changes_only=request.args.get("changes") == "only",
    )


@bp.route("/audit")
def audit_log():
    """Every agency's audit events for an auditor (their own agency's for an approver), newest
    first, narrowed by agency, kind of event, system and dates; a hundred at a time."""
    user = require("review")
    filters = queries.LogFilters.from_args(request.args)
    before = request.args.get("before", type=bounded_int)
    lines = queries.audit_log(db.session, user, filters, before, queries.LOG_PAGE_SIZE + 1)
    older = lines[queries.LOG_PAGE_SIZE].event.id + 1 if len(lines) > queries.LOG_PAGE_SIZE else None
    return render_template(
        "review/audit_log.html",
        lines=lines[: queries.LOG_PAGE_SIZE],
        filters=filters,
        agencies=queries.log_agencies(db.session, user),
        kinds=sorted(((code, str(label)) for code, label in EVENT_LABELS.items()), key=lambda kind: kind[1]),
        event_labels=EVENT_LABELS,
        older=older,
        paged=before is not None,
    )


@bp.route("/audit.csv")
def audit_log_csv():
    """The same events as a spreadsheet: UTF-8 with a byte order mark, no cell a spreadsheet
    would run as a formula."""
    user = require("review")
    filters = queries.LogFilters.from_args(request.args)
    lines = queries.audit_log(db.session, user, filters)
    response = Response(
        stream_with_context(audit_csv(lines)),
        mimetype="text/csv",
        headers={"X-Content-Type-Options": "nosniff"},
    )
    response.headers["Content-Disposition"] = "attachment; filename=audit-log.csv"
    response.cache_control.no_store = True
    return response


CSV_HEADINGS = (
    "event",
    "when_utc",
    "who",
    "recorded_as",
    "what",
    "code",
    "agency",
    "system",
    "system_name",
    "revision",
    "reason",
    "hash",
)


def audit_csv(lines: list[queries.LogLine]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    for line in lines:
        event = line.event
        cells = (
            str(event.id),
            event.created_dt.astimezone(dt.UTC).isoformat(),
            line.who,
            event.actor,
            str(EVENT_LABELS.get(event.action, event.action)),
            event.action,
            line.agency,
            line.system_uid,
            line.system_name,
            "" if line.revision_number is None else str(line.revision_number),
            event.reason or "",
            event.hash,
        )
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
