"""Whether an address can be written into a message at all: its syntax, as email-validator
reads it (the library WTForms' ``Email`` validator uses), without asking the DNS."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def address_problem(address: str) -> str | None:
    """Why ``address`` is not an email address one could send to, or None when it is one."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None
