"""The translations of a draft's written answers: a page reached from the review page where an
author gives each written answer in the questionnaire's other languages (engine.translations),
for the report in each language."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import HiddenField, TextAreaField

from ..accounts.access import viewer
from ..engine import Definition, resolve
from ..engine.group import Group
from ..engine.translations import Written, other_languages, stale_keys, translatable, translations_of
from ..extensions import db
from ..i18n import LANGUAGES, Form
from . import bp, services
from .routes import _draft_or_redirect, _int, _submitted_meanwhile, _system, as_shown, definition_of


def field_for(language: str, key: str) -> str:
    return f"t_{language}_{key}"


def label_of(shown: Definition, item: Written) -> str:
    """What a written answer answers, in the page's language: its question's label; for a text
    in a group's row, the group's, the row's and the question's ("The risk register, Risk 2:
    The measures taken")."""
    if item.group is None:
        return shown.questions[item.key].label
    group = shown.questions[item.group.key]
    assert isinstance(group, Group)
    column = next(q for q in group.questions if q.key == item.question.key)
    return _(
        "%(group)s, %(row)s %(number)s: %(question)s",
        group=group.label,
        row=group.row_label,
        number=item.row,
        question=column.label,
    )


@bp.route("/systems/<uid>/review/translations", methods=["GET", "POST"])
def draft_translations(uid: str):
    system = _system(uid, "edit")
    draft = _draft_or_redirect(system)
    if draft is None:
        return redirect(url_for(".system", uid=uid))
    definition = definition_of(draft)
    languages = [lang for lang in other_languages(definition) if lang in LANGUAGES]
    if not languages:
        abort(404)  # a questionnaire in one language has nothing to translate into
    resolution = resolve(definition, draft.answers)
    written = translatable(definition, resolution.answers)
    stored = translations_of(draft.answers)
    stale = stale_keys(definition, draft.answers)
    form_class = type("TranslationsForm", (Form,), {"lock_version": HiddenField()})
    for item in written:
        for language in languages:
            setattr(
                form_class,
                field_for(language, item.key),
                TextAreaField(default=stored.get(language, {}).get(item.key, "")),
            )
    form = form_class()
    status = 200
    if form.validate_on_submit():
        posted = {
            lang: {w.key: form[field_for(lang, w.key)].data or "" for w in written} for lang in languages
        }
        try:
            services.save_translations(
                db.session, draft, definition, posted, _int(form.lock_version.data), viewer()
            )
        except services.DraftGone as gone:
            return _submitted_meanwhile(system, gone)
        except services.DraftConflict:
            flash(
                _(
                    "Someone else changed this draft after you opened this page. Nothing was "
                    "saved: check and save again."
                ),
                "error",
            )
            status = 409
        else:
            flash(_("Translations saved."), "success")
            return redirect(url_for(".review", uid=uid))
    elif form.is_submitted():
        flash(
            _(
                "Your session expired before the translations were saved. Nothing was lost: "
                "please save again."
            ),
            "error",
        )
        status = 400
    form.lock_version.data = str(draft.lock_version)
    shown = as_shown(definition)
    return render_template(
        "assessments/translations.html",
        system=system,
        definition=shown,
        written=[(item, label_of(shown, item)) for item in written],
        languages=languages,
        form=form,
        field_for=field_for,
        stale=stale,
    ), status
