from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; its stubs are 3.2
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..i18n import Form, _l
from .models import ROLE_LABELS, SLUG_PATTERN

# A person's address typed by staff is checked as the public register's form checks one.
EMAIL_CHECK = Email(_l("Enter an email address like name@example.org."))


class LoginForm(Form):
    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class NewPasswordForm(Form):
    """A new password typed twice: through a link (a reset, an invitation accepted), or
    changed while signed in (PasswordForm)."""

    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a new password."))],
        description=_l("At least %(min)d characters; a long phrase is easiest to remember."),
    )
    confirm = PasswordField(
        _l("New password again"), validators=[EqualTo("new", _l("The two new passwords differ."))]
    )


class PasswordForm(NewPasswordForm):
    """Changing one's password while signed in: the current one first."""

    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class NewUserForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), Length(max=254), EMAIL_CHECK],
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    agency = SelectField(
        _l("Agency"),
        coerce=int,
        validators=[Optional()],
        description=_l("For authors and approvers; auditors and administrators belong to no agency."),
    )
    password = PasswordField(
        _l("First password"),
        validators=[DataRequired(_l("Choose a password."))],
        description=_l("Tell it to the person; they can change it after signing in."),
    )


class NewAgencyForm(Form):
    slug = StringField(
        _l("Short name"),
        validators=[
            DataRequired(_l("Give a short name.")),
            Length(max=64),
            Regexp(
                SLUG_PATTERN,
                message=_l("Use only lower case letters, digits and hyphens, e.g. tax-office."),
            ),
        ],
        description=_l("Lower case letters, digits and hyphens, e.g. tax-office."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the agency's name.")), Length(max=200)])


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token."""


class CodeForm(Form):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
        description=_l("The 6 digits your authenticator app shows now, or one of your recovery codes."),
    )


class MfaSetupForm(Form):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(_l("Enter the 6 digits the app shows.")), Length(max=32)],
        description=_l("Add the key to your authenticator app, then enter the 6 digits it shows."),
    )


class MfaDisableForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))])


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254), EMAIL_CHECK],
    )


class InviteForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), Length(max=254), EMAIL_CHECK],
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"))
    agency = SelectField(_l("Agency"), coerce=int, validators=[Optional()])


class EditUserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the person's name.")), Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    agency = SelectField(
        _l("Agency"),
        coerce=int,
        validators=[Optional()],
        description=_l("For authors and approvers; auditors and administrators belong to no agency."),
    )


class RenameAgencyForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Give the agency's name.")), Length(max=200)])


class CloseAgencyForm(Form):
    reason = StringField(
        _l("Reason"), validators=[Length(max=500)], description=_l("Kept in the audit trail.")
    )


class NotificationsForm(Form):
    mail_notifications = BooleanField(
        _l("Send me mail about the work"),
        description=_l(
            "Revisions awaiting your decision, decisions on your revisions, replies to your comments "
            "and to your replies, messages from the public. "
            "Mail about your own account (a password reset) is always sent."
        ),
    )
