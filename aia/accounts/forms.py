from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from .models import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter your email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new = PasswordField(
        "New password",
        validators=[DataRequired("Choose a new password.")],
        description="At least {min} characters; a long phrase is easiest to remember.",
    )
    confirm = PasswordField(
        "New password again", validators=[EqualTo("new", "The two new passwords differ.")]
    )


class NewUserForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter an email address."), Length(max=254)])
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    agency = SelectField(
        "Agency",
        coerce=int,
        validators=[Optional()],
        description="For authors and approvers; auditors and administrators belong to no agency.",
    )
    password = PasswordField(
        "First password",
        validators=[DataRequired("Choose a password.")],
        description="Tell it to the person; they can change it after signing in.",
    )


class NewAgencyForm(FlaskForm):
    slug = StringField(
        "Short name",
        validators=[DataRequired("Give a short name."), Length(max=64)],
        description="Lower case letters, digits and hyphens, e.g. tax-office.",
    )
    name = StringField("Name", validators=[DataRequired("Give the agency's name."), Length(max=200)])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
