"""Thin views: the list of systems, a new system, the step pages, review, submit, results."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2

from ..accounts.access import may, require, viewer
from ..accounts.models import User
from ..accounts.sessions import keeps_form_on_expiry, take_pending_form
from ..catalogue.queries import by_origin
from ..db import now_utc
from ..engine import (
    Definition,
    Registry,
    answers_from_form,
    build_step_form,
    field_name,
    form_data,
    missing_required,
    resolve,
)
from ..engine.conditions import is_answered
from ..engine.group import ROW_MARK, Group
from ..engine.importers.canada import FORMAT as CANADA_FORMAT
from ..engine.importers.canada_answers import parse_json, read_answer_file, write_answer_file
from ..engine.scoring_texts import scores_in_language
from ..engine.translations import current_translations, other_languages, stale_keys, translatable
from ..extensions import csrf, db, questionnaire, questionnaires
from ..i18n import LANGUAGES, current_language, translate_errors
from ..web_input import bounded_int, clean_document
from . import bp, choosing, fria, lifecycle, live_score, overview, queries, services, tasks, wizard
from .forms import (
    AnswerFileForm,
    FriaNotifiedForm,
    NewSystemForm,
    ReasonForm,
    StartDraftForm,
    StepMeta,
    SubmitForm,
)
from .models import AWAITING_DECISION, Draft, Revision, System


def registry() -> Registry:
    return questionnaires()


def definition_of(draft: Draft) -> Definition:
    definition = questionnaire(draft.questionnaire_key, draft.questionnaire_version)
    if definition is None:
        abort(
            500,
            f"questionnaire {draft.questionnaire_key} v{draft.questionnaire_version} is no longer installed",
        )
    return definition


def as_shown(definition: Definition) -> Definition:
    """The questionnaire as a page shows it: its texts in the page's language where it gives
    them. Answers are stored and scored with the questionnaire itself, whatever the page's
    language, so that a revision never depends on who submitted it."""
    return definition.in_language(current_language())


def questionnaire_choices() -> list[SelectChoice]:
    return [
        SelectChoice(
            f"{d.key}:{d.version}",
            _("%(title)s (version %(version)s)", title=as_shown(d).title, version=d.version),
        )
        for d in choosing.ordered(registry())
    ]


def chosen_definition(value: str) -> Definition:
    key, _, version = value.partition(":")
    try:
        definition = questionnaire(key, bounded_int(version))
    except ValueError:
        definition = None
    if definition is None:
        abort(400, "unknown questionnaire")
    return definition


def _system(uid: str, action: str = "read") -> System:
    """The system, if the signed-in person may see it (else 404) and do ``action`` (else 403)."""
    system = queries.system_or_404(db.session, uid, viewer())
    require(action, system)
    return system


@bp.route("/")
def index():
    user = viewer()
    if user.role == "admin":
        return redirect(url_for("accounts.users"))
    systems = queries.systems_overview(db.session, user)
    return render_template("assessments/index.html", systems=systems)


@bp.route("/systems/new", methods=["GET", "POST"])
def new_system():
    user = require("edit")
    form = NewSystemForm()
    # Authors and approvers create systems for their own agency only.
    assert user.agency is not None  # the database gives authors and approvers an agency
    form.agency.choices = [SelectChoice(user.agency.id, user.agency.name)]
    form.questionnaire.choices = questionnaire_choices()
    if form.validate_on_submit():
        system = services.create_system(
            db.session, form.agency.data, form.name.data or "", form.description.data or "", actor=user
        )
        draft = services.start_draft(
            db.session, system, chosen_definition(form.questionnaire.data), actor=user
        )
        # First-strong isolates keep a right-to-left name from reordering the sentence.
        flash(
            _("“%(name)s” created. Its answers are saved as you go.", name=f"\u2068{system.name}\u2069"),
            "success",
        )
        return redirect(url_for(".step", uid=system.uid, step_key=draft.step_key))
    return render_template(
        "assessments/new_system.html",
        form=form,
        about=choosing.about(registry()),
        first_check=choosing.first_check(registry()),
    )


@bp.route("/systems/<uid>")
def system(uid: str):
    return system_page(_system(uid))


def system_page(system: System, upload_form: AnswerFileForm | None = None, status: int = 200):
    start_form = StartDraftForm()
    start_form.questionnaire.choices = questionnaire_choices()
    latest = system.latest_revision
    awaiting = latest if latest and latest.status in AWAITING_DECISION else None
    if latest is not None:
        definition = questionnaire(latest.questionnaire_key, latest.questionnaire_version)
        follow_up = definition.follow_up if definition else None
        if follow_up is not None:
            # After a check, what comes next is the questionnaire it leads to.
            target = registry().latest(follow_up.questionnaire)
            assert target is not None  # the registry refuses a follow-up it does not hold
            start_form.questionnaire.data = f"{target.key}:{target.version}"
            awaiting = None
        else:
            start_form.questionnaire.data = f"{latest.questionnaire_key}:{latest.questionnaire_version}"
    canada_imported = any(d.origin is not None and d.origin.format == CANADA_FORMAT for d in registry().all())
    return render_template(
        "assessments/system.html",
        system=system,
        start_form=start_form,
        answer_file_form=(upload_form or AnswerFileForm()) if canada_imported else None,
        may_edit=may(viewer(), "edit", system),
        awaiting=awaiting,
        about=choosing.about(registry(), latest),
        first_check=None if latest else choosing.first_check(registry()),
    ), status


@bp.route("/systems/<uid>/answer-file", methods=["POST"])
def upload_answer_file(uid: str):
    """Start a draft from an answer file saved by Canada's AIA tool, and say what was read."""
    system = _system(uid, "edit")
    form = AnswerFileForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            flash(_("The form had expired. Please choose the file again."), "error")
        return system_page(system, form, 422)
    content = form.answer_file.data.read()
    filename = form.answer_file.data.filename or "answers.json"
    try:
        document = clean_document(parse_json(content))
        answer_file = read_answer_file(
            document, lambda version: by_origin(registry(), CANADA_FORMAT, version)
        )
    except ValueError as error:  # an AnswerFileError, or a document nested too deeply
        form.answer_file.errors = [_("This file cannot be read: %(reason)s", reason=str(error))]
        return system_page(system, form, 422)
    try:
        draft = services.start_draft_from_answer_file(
            db.session, system, answer_file, content, filename, viewer()
        )
    except (services.DraftExists, services.DraftNotAllowed):
        form.answer_file.errors = [
            _(
                "A draft is in progress, or a revision awaits a decision: the file can start "
                "a draft once neither is."
            )
        ]
        return system_page(system, form, 409)
    return render_template(
        "assessments/answer_file_read.html",
        system=system,
        draft=draft,
        answer_file=answer_file,
        filename=filename,
        hidden=answer_file.hidden_names(),
    )


@bp.route("/systems/<uid>/draft", methods=["POST"])
def start_draft(uid: str):
    system = _system(uid, "edit")
    form = StartDraftForm()
    form.questionnaire.choices = questionnaire_choices()
    if not form.validate_on_submit():
        flash(_("Could not start a new draft: the form had expired. Please try again."), "error")
        return redirect(url_for(".system", uid=uid))
    definition = chosen_definition(form.questionnaire.data)
    previous = system.latest_revision
    try:
        draft = services.start_draft(
            db.session,
            system,
            definition,
            actor=viewer(),
            carried_from=previous,
            follows_up=questionnaire(previous.questionnaire_key, previous.questionnaire_version)
            if previous
            else None,
        )
    except services.DraftNotAllowed as refused:
        flash(
            _(
                "Revision %(number)s awaits a decision: a new draft can start "
                "once it is published or sent back for changes.",
                number=refused.revision.number,
            ),
            "error",
        )
        return redirect(url_for(".system", uid=uid)), 409
    return redirect(url_for(".step", uid=uid, step_key=draft.step_key))


def _draft_or_redirect(system: System) -> Draft | None:
    if system.draft is None:
        flash(_("This system has no draft in progress."), "info")
    return system.draft


@bp.route("/systems/<uid>/draft/<step_key>", methods=["GET", "POST"])
@csrf.exempt  # the step form checks its own token, so that an expired one loses nothing
def step(uid: str, step_key: str):
    system = _system(uid, "edit")
    # A form posted after the session ended is saved now, as if it had just been posted.
    kept = take_pending_form(db.session, viewer(), request.path)
    if (
        system.draft is None
        and (request.method == "POST" or kept is not None)
        and system.latest_revision is not None
    ):
        return _posted_after_submission(system, step_key, kept)
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    definition = as_shown(definition_of(draft))
    if not definition.has_step(step_key):
        abort(404)
    step = definition.step(step_key)
    resolution = resolve(definition, draft.answers)
    posting = request.method == "POST" or kept is not None
    if step_key not in resolution.step_keys() and not posting:
        return step_or_review(uid, wizard.neighbour(definition, resolution, step_key, 1))
    conditions = wizard.browser_conditions(definition, step)
    keys = wizard.rendered_keys(step, resolution, conditions)
    form_class = build_step_form(step, keys, base=StepMeta)

    if not posting:
        form = form_class(
            data={
                **form_data(definition, keys, draft.answers),
                "lock_version": draft.lock_version,
                "shown": ",".join(k for k in keys if k in resolution.visible),
                "return_to": wizard.REVIEW if request.args.get("return_to") == wizard.REVIEW else "",
            }
        )
        return _render_step(definition, draft, step, form, keys, resolution, conditions)

    # A kept form had its CSRF token checked when it was kept (sessions.stash_form).
    formdata = wizard.with_field_names(kept if kept is not None else request.form, keys)
    action = formdata.get("action", "save")
    # "Add a risk", "Remove", "Move up/down" of a group's rows: the rows change in what was
    # posted, and the step is saved as Save draft saves it.
    row_change = wizard.row_change(step, keys, action)
    if row_change is not None:
        formdata = wizard.changed_rows(formdata, row_change)
        action = "save"
    form = (
        form_class(formdata=formdata) if kept is None else form_class(formdata=formdata, meta={"csrf": False})
    )
    if action == AUTOSAVE and kept is not None:
        action = "save"  # kept while the session had ended: saved now, and the page shown
    valid = form.validate()
    translate_errors(form)  # the engine's messages, in the page's language
    csrf_expired = "csrf_token" in form.errors
    if action == AUTOSAVE:
        return _autosave(draft, step, form, step_key, csrf_expired)
    if csrf_expired:
        # The posted answers are shown again; nothing is saved until the user saves again.
        form.csrf_token.errors = []
        form.lock_version.data = str(form.lock_version.data or draft.lock_version)
        flash(
            _(
                "Your session expired before this step was saved. Your answers are still below: "
                "press Save or Next again to keep them."
            ),
            "error",
        )
        return _render_step(definition, draft, step, form, keys, resolution, conditions), 400

    posted = answers_from_form(step, form)
    expected = _int(form.lock_version.data)
    try:
        services.save_answers(
            db.session, draft, posted, step_key, expected, viewer(), "form" if kept is None else "kept_form"
        )
    except services.DraftGone as gone:
        _flash_submitted_while_editing(gone.revision)
        return _render_step(definition, gone.draft or draft, step, form, keys, resolution, conditions), 409
    except services.DraftConflict as conflict:
        assert conflict.draft is not None  # only a draft that is gone has none (caught above)
        theirs = _their_changes(definition, conflict.draft, posted, keys)
        form.lock_version.data = str(conflict.draft.lock_version)
        flash(
            _(
                "Someone else saved this draft while you were editing it. Your answers are kept "
                "in the form; theirs are shown under each question that differs. Save again to "
                "keep yours."
            ),
            "error",
        )
        return _render_step(
            definition, conflict.draft, step, form, keys, resolution, conditions, theirs=theirs
        ), 409
    form.lock_version.data = str(draft.lock_version)

    # The steps on the path when the page was shown (autosave may have saved since).
    before = overview.path_posted(definition, formdata.get("path")) or resolution.step_keys()
    resolution = resolve(definition, draft.answers)
    overview.say_changed_path(definition, before, resolution)
    shown = set((form.shown.data or "").split(","))
    if not valid:
        if action == "next":
            # All in one round: the answers still missing are named with the ones to correct.
            for key in missing_required(definition, resolution, step_key):
                if key in shown and not form[field_name(key)].errors:
                    wizard.mark_missing(definition, form, key, draft.answers.get(key))
        flash(
            _("Some answers need correcting: see the messages by each question. Everything else is saved."),
            "error",
        )
        return _render_step(definition, draft, step, form, keys, resolution, conditions), 422
    if action == "back":
        return step_or_review(uid, wizard.neighbour(definition, resolution, step_key, -1))
    returning = form.return_to.data == wizard.REVIEW
    if action != "next":
        # A None value is left out of the address.
        back_to = wizard.REVIEW if returning else None
        if row_change is not None:
            message, anchor = wizard.row_change_said(definition, row_change, draft.answers)
            flash(message, "success")
            return redirect(url_for(".step", uid=uid, step_key=step_key, return_to=back_to, _anchor=anchor))
        flash(_("Draft saved."), "success")
        return redirect(url_for(".step", uid=uid, step_key=step_key, return_to=back_to))

    revealed = [
        q.key
        for q in step.questions
        if q.key in resolution.visible and q.key not in shown and not is_answered(draft.answers.get(q.key))
    ]
    missing = [k for k in missing_required(definition, resolution, step_key) if k in shown]
    if revealed or missing:
        if revealed:
            flash(_("Your answers opened more questions on this step: please answer them too."), "info")
        if missing:
            flash(_("Some questions still need an answer: see the messages by each question."), "error")
        keys = wizard.rendered_keys(step, resolution, conditions)
        form_class = build_step_form(step, keys, base=StepMeta)
        fresh = form_class(
            formdata=None,
            data={
                **form_data(definition, keys, draft.answers),
                "lock_version": draft.lock_version,
                "return_to": form.return_to.data if returning else "",
            },
        )
        for key in missing:
            wizard.mark_missing(definition, fresh, key, draft.answers.get(key))
        fresh.shown.data = ",".join(k for k in keys if k in resolution.visible)
        return _render_step(definition, draft, step, fresh, keys, resolution, conditions), 422
    if returning:
        # Opened from the review page's Change: back there, which lists anything still missing.
        return step_or_review(uid, wizard.REVIEW)
    return step_or_review(uid, wizard.neighbour(definition, resolution, step_key, 1))


@keeps_form_on_expiry("assessments.step")
def _kept_step_form(person: User) -> list[tuple[str, str]] | None:
    """A step posted just after ``person``'s session ended: its fields, if it is a step of a
    draft they may edit (see wizard.kept_step_fields for the sizes)."""
    args = request.view_args or {}
    system = queries.visible_system(db.session, str(args.get("uid", "")), person)
    if system is None or system.draft is None or not may(person, "edit", system):
        return None
    definition = questionnaire(system.draft.questionnaire_key, system.draft.questionnaire_version)
    step_key = str(args.get("step_key", ""))
    if definition is None or not definition.has_step(step_key):
        return None
    return wizard.kept_step_fields(definition.step(step_key), request.form)


AUTOSAVE = "autosave"  # what the browser script posts as it saves while one types


def _autosave(draft: Draft, step, form, step_key: str, csrf_expired: bool):
    """A save by the page's script: the answers that are valid are kept, as Save draft keeps
    them, and the answer is JSON; messages by the questions wait for Next or Save draft. A
    conflict is only reported: the script then posts the form as Save draft would, and the page
    shows both versions as it always has."""
    if csrf_expired:
        return jsonify(saved=False, reason="expired"), 400
    try:
        services.save_answers(
            db.session,
            draft,
            answers_from_form(step, form),
            step_key,
            _int(form.lock_version.data),
            viewer(),
            "autosave",
        )
    except services.DraftGone:
        return jsonify(saved=False, reason="submitted"), 409
    except services.DraftConflict:
        return jsonify(saved=False, reason="conflict"), 409
    return jsonify(saved=True, lock_version=draft.lock_version, errors=sorted(form.errors))


def _flash_submitted_while_editing(revision: Revision | None) -> None:
    """What a person is told when the draft they were editing was submitted by a colleague."""
    flash(
        (
            _("Someone else submitted this draft while you were editing it: it became revision %(number)s.")
            % {"number": revision.number}
            if revision is not None
            else _("Someone else submitted this draft while you were editing it.")
        )
        + " "
        + _(
            "What you typed on this page was not saved, and is still below: copy what you "
            "need, then start a new draft from the system's page."
        ),
        "error",
    )


def _posted_after_submission(system: System, step_key: str, kept: Any):
    """A step posted after a colleague submitted the draft: nothing can be saved, and what the
    person typed is shown again with what happened (409), never dropped."""
    revision = system.latest_revision
    assert revision is not None  # what the draft became (see step)
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version)
    if definition is None or not definition.has_step(step_key):
        abort(404)
    step = definition.step(step_key)
    resolution = resolve(definition, revision.answers)
    conditions = wizard.browser_conditions(definition, step)
    keys = [q.key for q in step.questions]
    form_class = build_step_form(step, keys, base=StepMeta)
    form = (
        form_class(formdata=kept, meta={"csrf": False})
        if kept is not None
        else form_class(meta={"csrf": False})
    )
    _flash_submitted_while_editing(revision)
    detached = Draft(
        system_id=system.id,
        questionnaire_key=definition.key,
        questionnaire_version=definition.version,
        questionnaire_hash=definition.content_hash,
        answers=dict(revision.answers),
        step_key=step_key,
        lock_version=1,
    )
    return _render_step(definition, detached, step, form, keys, resolution, conditions, system=system), 409


def _int(value: Any) -> int:
    """A lock version as posted; anything that is not one (too large among them) is -1,
    which no draft has, so that the save is told of a conflict."""
    try:
        return bounded_int(str(value))
    except ValueError:
        return -1


def _their_changes(
    definition: Definition, draft: Draft, mine: dict[str, Any], keys: list[str]
) -> dict[str, str]:
    """question key -> the other person's saved answer, where it differs from what was posted."""
    return {
        k: definition.questions[k].display(draft.answers.get(k)) or "(no answer)"
        for k in keys
        if draft.answers.get(k) != mine.get(k)
    }


def _render_step(
    definition: Definition,
    draft: Draft,
    step,
    form,
    keys,
    resolution,
    conditions,
    theirs: dict[str, str] | None = None,
    system: System | None = None,
):
    position, total = wizard.progress(resolution, step.key)
    return render_template(
        "assessments/step.html",
        system=system or draft.system,
        draft=draft,
        definition=definition,
        step=step,
        form=form,
        keys=keys,
        field_name=field_name,
        # field name -> row label of each group on the step (for its buttons and messages)
        groups={
            field_name(q.key): q.row_label for q in step.questions if q.key in keys and isinstance(q, Group)
        },
        ROW_MARK=ROW_MARK,
        # a blank row of each group, which the page's script copies to add a row in place
        row_templates={
            q.key: q.row_form()(prefix=f"{field_name(q.key)}-__index__-")
            for q in step.questions
            if q.key in keys and isinstance(q, Group)
        },
        visible=resolution.visible,
        conditions=conditions,
        known=wizard.known_answers(definition, step, resolution, conditions),
        position=position,
        total=total,
        theirs=theirs or {},
        past_dates=wizard.past_review_dates(definition, step, draft.answers, now_utc().date()),
        is_first=wizard.neighbour(definition, resolution, step.key, -1) == step.key,
        added_because=tasks.added_because(definition, resolution, step),
        path=resolution.step_keys(),
        score=live_score.provisional(definition, draft.answers),
    )


def step_or_review(uid: str, step_key: str):
    if step_key == wizard.REVIEW:
        return redirect(url_for(".review", uid=uid))
    return redirect(url_for(".step", uid=uid, step_key=step_key))


@bp.route("/systems/<uid>/review", methods=["GET", "POST"])
@csrf.exempt  # checked by SubmitForm, which says what happened
def review(uid: str):
    system = _system(uid, "edit")
    if system.draft is None and request.method == "POST" and system.latest_revision:
        return _submitted_meanwhile(system, services.DraftGone(None, system.latest_revision))
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    definition = definition_of(draft)
    form = SubmitForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                revision = services.submit(
                    db.session, draft, definition, _int(form.lock_version.data), actor=viewer()
                )
            except services.DraftGone as gone:
                return _submitted_meanwhile(system, gone)
            except services.DraftConflict:
                flash(
                    _(
                        "Someone else changed this draft after you opened this page. Check the "
                        "answers below before submitting."
                    ),
                    "error",
                )
                status = 409
            except services.AwaitingDecision as awaiting:
                flash(
                    _(
                        "Revision %(number)s awaits a decision: this draft can be submitted once "
                        "it is published or sent back for changes. Your answers are kept.",
                        number=awaiting.revision.number,
                    ),
                    "error",
                )
                status = 409
            except services.IncompleteDraft:
                flash(_("Some required answers are missing: see the list below."), "error")
                status = 422
            else:
                return redirect(url_for(".submitted", uid=uid, number=revision.number))
        else:
            flash(
                _(
                    "Your session expired before the submission went through. Nothing was lost: "
                    "please submit again."
                ),
                "error",
            )
            status = 400
        draft = db.session.get(Draft, draft.id, populate_existing=True) or draft
    definition = as_shown(definition)  # submitted above as it is; shown in the page's language
    resolution = resolve(definition, draft.answers)
    missing = missing_required(definition, resolution)
    form.lock_version.data = str(draft.lock_version)
    return render_template(
        "assessments/review.html",
        system=system,
        draft=draft,
        definition=definition,
        resolution=resolution,
        missing=missing,
        form=form,
        field_name=field_name,
        score=live_score.provisional(definition, draft.answers),
        # the languages its written answers can be translated into, for the report in each
        translation_languages=[lang for lang in other_languages(definition) if lang in LANGUAGES]
        if translatable(definition, resolution.answers)
        else [],
        translations=current_translations(definition, draft.answers),
        stale_translations=len(stale_keys(definition, draft.answers)),
    ), status


def _submitted_meanwhile(system: System, gone: services.DraftGone):
    """Two people pressed Submit on one draft: the other one's submission won."""
    revision = gone.revision
    flash(
        _(
            "Someone else submitted this draft at the same time: it became revision %(number)s, "
            "shown here. Nothing was lost.",
            number=revision.number,
        )
        if revision is not None
        else _("Someone else submitted this draft at the same time."),
        "error",
    )
    if revision is None:
        return redirect(url_for(".system", uid=system.uid)), 409
    return revision_page(system, revision, status=409)


@bp.route("/systems/<uid>/revisions/<int:number>")
def revision(uid: str, number: int):
    system = _system(uid)
    return revision_page(system, queries.revision_or_404(db.session, system, number))


@bp.route("/systems/<uid>/revisions/<int:number>/answer-file.json")
def revision_answer_file(uid: str, number: int):
    """A revision of an imported Canadian questionnaire as an answer file the Canadian tool
    loads (its question names and values)."""
    system = _system(uid)
    revision = queries.revision_or_404(db.session, system, number)
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version)
    if definition is None or definition.origin is None or definition.origin.format != CANADA_FORMAT:
        abort(404)
    document = write_answer_file(definition, revision.answers)
    name = f"{system.uid}-revision-{revision.number}-aia-{definition.origin.version}.json"
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def revision_page(system: System, revision: Revision, status: int = 200, fria_form: Any = None):
    definition = questionnaire(revision.questionnaire_key, revision.questionnaire_version)
    user = viewer()
    fria_part = None
    if fria.is_fria(revision):
        fria_part = {
            "notified_on": fria.notified_on(db.session, revision),
            "registers": fria.registers(revision),
            "form": fria_form or FriaNotifiedForm(),
            "may_record": may(user, "edit", system),
        }
    return render_template(
        "assessments/revision.html",
        system=system,
        revision=revision,
        definition=as_shown(definition) if definition else None,
        # the stored figures, in the words of the page's language
        scores=scores_in_language(as_shown(definition), revision.scores, revision.answers)
        if definition
        else revision.scores,
        actions=lifecycle.allowed_actions(db.session, user, revision),
        publication_refusal=lifecycle.publication_refusal(revision),
        may_review=may(user, "review", system),
        reason_form=ReasonForm(),
        follow_up=_follow_up(system, revision, definition, user),
        fria=fria_part,
    ), status


def _follow_up(system: System, revision, definition: Definition | None, user) -> dict | None:
    """What a check such as the threshold check leads to: whether the flag that calls for the
    follow-up questionnaire was raised, and a form to start it with the shared answers."""
    if definition is None or definition.follow_up is None:
        return None
    rule = definition.follow_up
    target = registry().latest(rule.questionnaire)
    assert target is not None  # the registry refuses a follow-up it does not hold
    needed = any(flag["key"] == rule.when_flag for flag in revision.scores.get("flags", []))
    is_latest = system.latest_revision is not None and system.latest_revision.id == revision.id
    form = StartDraftForm()
    form.questionnaire.choices = questionnaire_choices()
    form.questionnaire.data = f"{target.key}:{target.version}"
    return {
        "needed": needed,
        "label": rule.label,
        "flag": definition.flags[rule.when_flag],
        "target": target,
        "form": form,
        "may_start": (needed and is_latest and system.draft is None and may(user, "edit", system)),
    }


# Views kept in modules of their own (answer files, questionnaires, the page after Submit, the
# system's page, translations of written answers) join the blueprint once this module is loaded.
from . import (  # noqa: E402, F401
    answer_file_views,
    fria_views,
    questionnaire_views,
    submitted_views,
    system_views,
    translation_routes,
)
