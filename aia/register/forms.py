from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2
from wtforms.validators import DataRequired, Email, Length, Optional

from .services import MAX_FEEDBACK, MAX_REPLY_TO


class FeedbackForm(FlaskForm):
    kind = RadioField(
        "What is it?",
        choices=[
            SelectChoice("question", "A question about this system"),
            SelectChoice("complaint", "A complaint about a decision or about the system"),
        ],
        validators=[DataRequired("Choose a question or a complaint.")],
    )
    message = TextAreaField(
        "Your message",
        validators=[
            DataRequired("Write your question or complaint."),
            Length(max=MAX_FEEDBACK, message=f"Keep the message under {MAX_FEEDBACK} characters."),
        ],
        description="Do not include personal details you do not want the agency to see.",
    )
    reply_to = EmailField(
        "Email for a reply (optional)",
        validators=[
            Optional(),
            Email("Enter an email address like name@example.org, or leave it empty."),
            Length(max=MAX_REPLY_TO),
        ],
    )
