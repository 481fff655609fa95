"""A draft's answers in and out: downloaded as an answer file (docs/answer-file.md), and loaded
from one, after showing what the file holds, what it would replace and what it leaves out.
Nothing is saved from a file with a refused answer. (Canada's answer files start a draft from
the system's page instead: see upload_answer_file.)"""

from __future__ import annotations

import hashlib
import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.access import viewer
from ..engine.answer_file import (
    AnswerFileProblem,
    ReadAnswers,
    differences,
    parse_answer_file,
    read_answer_file,
    write_answer_file,
)
from ..extensions import db
from . import bp, services
from .forms import DraftAnswersForm, LoadAnswersForm
from .models import Draft, System
from .routes import _draft_or_redirect, _int, _system, definition_of


def _page(system: System, draft: Draft, form: DraftAnswersForm | None = None, status: int = 200, **read):
    return render_template(
        "assessments/draft_answers.html",
        system=system,
        draft=draft,
        definition=definition_of(draft),
        form=form or DraftAnswersForm(),
        **read,
    ), status


@bp.route("/systems/<uid>/draft/answers")
def draft_answers(uid: str):
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    return _page(system, draft)


@bp.route("/systems/<uid>/draft/answers.json")
def draft_answer_file(uid: str):
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    document = write_answer_file(definition_of(draft), draft.answers)
    name = f"{system.uid}-draft-answers-{draft.questionnaire_key}-v{draft.questionnaire_version}.json"
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _read(content: bytes, draft: Draft) -> ReadAnswers:
    return read_answer_file(parse_answer_file(content), definition_of(draft))


@bp.route("/systems/<uid>/draft/answers", methods=["POST"])
def read_draft_answers(uid: str):
    """Read a file and show what it would change; nothing is saved yet."""
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    form = DraftAnswersForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            flash(_("The form had expired. Please choose the file again."), "error")
        return _page(system, draft, form, 422)
    content = form.answer_file.data.read()
    filename = form.answer_file.data.filename or "answers.json"
    try:
        read = _read(content, draft)
    except AnswerFileProblem as problem:
        form.answer_file.errors = [_("This file cannot be read: %(reason)s.", reason=str(problem))]
        return _page(system, draft, form, 422)
    load = LoadAnswersForm(
        formdata=None,
        data={
            "content": content.decode("utf-8-sig"),
            "filename": filename,
            "lock_version": draft.lock_version,
        },
    )
    return _page(
        system,
        draft,
        status=200 if read.usable else 422,
        read=read,
        filename=filename,
        replaced=differences(read, draft.answers),
        load_form=load,
    )


@bp.route("/systems/<uid>/draft/answers/load", methods=["POST"])
def load_draft_answers(uid: str):
    """Put the answers of the file shown into the draft."""
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    form = LoadAnswersForm()
    if not form.validate_on_submit():
        flash(_("The form had expired: nothing was loaded. Please choose the file again."), "error")
        return _page(system, draft, status=400)
    content = (form.content.data or "").encode("utf-8")
    try:
        read = _read(content, draft)
    except AnswerFileProblem as problem:
        flash(_("This file cannot be read: %(reason)s.", reason=str(problem)), "error")
        return _page(system, draft, status=422)
    if not read.usable:
        flash(_("Nothing was loaded: some answers in the file are refused."), "error")
        return _page(system, draft, status=422)
    try:
        services.load_answers(
            db.session,
            draft,
            read.answers,
            _int(form.lock_version.data),
            {
                "file": form.filename.data or "answers.json",
                "sha256": hashlib.sha256(content).hexdigest(),
                "version": read.version,
                "unknown_questions": read.unknown,
            },
            actor=viewer(),
        )
    except services.DraftConflict:
        flash(
            _(
                "Someone saved this draft after the file was read: nothing was loaded. Choose the "
                "file again to see what it would change now."
            ),
            "error",
        )
        return redirect(url_for(".draft_answers", uid=uid)), 303
    flash(
        _(
            "%(num)s answers loaded from the file. Check them on the review page before submitting.",
            num=len(read.answers),
        ),
        "success",
    )
    return redirect(url_for(".review", uid=uid))
