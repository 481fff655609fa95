from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from ..i18n import Form, _l

COMMENT_MAX = 5000
OVERALL = "overall"


def comment_field_name(question_key: str) -> str:
    return f"comment__{question_key}"


def review_form(question_keys: list[str]) -> Form:
    """A form with a comment box for each answer shown, and one on the whole revision; built
    for this request (never a shared class patched)."""
    form_class = type("ReviewForm", (Form,), {})
    for key in question_keys:
        setattr(
            form_class,
            comment_field_name(key),
            TextAreaField(_l("Comment on this answer"), validators=[Length(max=COMMENT_MAX)]),
        )
    setattr(
        form_class,
        OVERALL,
        TextAreaField(
            _l("Comment on the whole revision"),
            validators=[Length(max=COMMENT_MAX)],
            description=_l("Needed to request changes unless you commented on an answer."),
        ),
    )
    return form_class()


def posted_comments(form: Form, question_keys: list[str]) -> dict[str | None, str]:
    comments: dict[str | None, str] = {key: form[comment_field_name(key)].data or "" for key in question_keys}
    comments[None] = form[OVERALL].data or ""
    return comments


class ReplyForm(Form):
    """An answer to a comment, under it."""

    body = TextAreaField(_l("Your reply"), validators=[Length(max=COMMENT_MAX)])
    back = HiddenField()
