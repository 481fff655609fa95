from __future__ import annotations

from wtforms import EmailField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2
from wtforms.validators import DataRequired, Email, Length, Optional

from ..i18n import Form, _l
from .services import MAX_FEEDBACK, MAX_REPLY_TO


class FeedbackForm(Form):
    kind = RadioField(
        _l("What is it?"),
        choices=[
            SelectChoice("question", _l("A question about this system")),
            SelectChoice("complaint", _l("A complaint about a decision or about the system")),
        ],
        validators=[DataRequired(_l("Choose a question or a complaint."))],
    )
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write your question or complaint.")),
            Length(max=MAX_FEEDBACK, message=_l("Keep the message under %(max)d characters.")),
        ],
        description=_l("Do not include personal details you do not want the agency to see."),
    )
    reply_to = EmailField(
        _l("Email for a reply (optional)"),
        validators=[
            Optional(),
            Email(_l("Enter an email address like name@example.org, or leave it empty.")),
            Length(max=MAX_REPLY_TO),
        ],
    )
