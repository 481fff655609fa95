from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import DataRequired, InputRequired, Length

from ..i18n import Form, _l


class NewSystemForm(Form):
    name = StringField(
        _l("Name of the system"),
        validators=[DataRequired(_l("Give the system a name.")), Length(max=200)],
        description=_l("The name the public would know it by, for example 'Housing benefit triage'."),
    )
    agency = SelectField(_l("Agency"), coerce=int, validators=[InputRequired(_l("Choose an agency."))])
    description = TextAreaField(_l("What it does, in one or two sentences"), validators=[Length(max=2000)])
    questionnaire = RadioField(_l("Questionnaire"), validators=[InputRequired(_l("Choose a questionnaire."))])


class SystemForm(Form):
    """The system's name and description, as its authors correct them later."""

    name = StringField(
        _l("Name of the system"),
        validators=[DataRequired(_l("Give the system a name.")), Length(max=200)],
        description=_l(
            "The name the public would know it by. The register shows the name of the published "
            "revision: a change reaches it with the next publication."
        ),
    )
    description = TextAreaField(_l("What it does, in one or two sentences"), validators=[Length(max=2000)])


class StepMeta(Form):
    """Hidden fields every step form carries."""

    csrf_token: CSRFTokenField  # added by Flask-WTF; declared for the type checker
    lock_version = HiddenField()
    shown = HiddenField()
    # "review" when the step was opened by a Change link of the review page: Next goes back
    # there. Only that word is read, never an address, so it cannot send anyone elsewhere.
    return_to = HiddenField()


class SubmitForm(Form):
    lock_version = HiddenField()


class StartDraftForm(Form):
    questionnaire = RadioField(_l("Questionnaire"), validators=[InputRequired(_l("Choose a questionnaire."))])


class ReasonForm(Form):
    """Why a revision moves on (withdrawal); kept in the audit trail."""

    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])


class AnswerFileForm(Form):
    """An answer file saved by Canada's AIA tool, to start a draft from."""

    answer_file = FileField(
        _l("Answer file of Canada's AIA tool (.json)"),
        validators=[FileRequired(_l("Choose the answer file to read."))],
    )


class DraftAnswersForm(Form):
    """An answer file saved from a draft of this questionnaire (docs/answer-file.md)."""

    answer_file = FileField(
        _l("Answer file (.json)"), validators=[FileRequired(_l("Choose the answer file to load."))]
    )


class LoadAnswersForm(Form):
    """The file's content, read and shown, sent again to put it in the draft."""

    content = HiddenField()
    filename = HiddenField()
    lock_version = HiddenField()


class FriaNotifiedForm(Form):
    """The day the results of a fundamental rights impact assessment were sent to the market
    surveillance authority (Article 27(3))."""

    sent_on = DateField(
        _l("Date the notification was sent"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("Give the date, as YYYY-MM-DD."))],
        description=_l("As YYYY-MM-DD, for example 2026-08-03."),
    )
