from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from ..i18n import Form, _l
from ..register.services import MAX_FEEDBACK


class AnswerFeedbackForm(Form):
    answer = TextAreaField(
        _l("Answer"),
        validators=[Length(max=MAX_FEEDBACK)],
        description=_l("Leave empty and choose Close to close without an answer."),
    )
    publish = BooleanField(
        _l("Show the message and this answer on the public entry"),
        description=_l("The sender's address is never shown."),
    )
