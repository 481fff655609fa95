"""Password hashing (Argon2id through argon2-cffi) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


def hasher_for(profile: str) -> PasswordHasher:
    """A hasher with one of argon2-cffi's named parameter sets: RFC_9106_LOW_MEMORY (its
    default: Argon2id, 64 MiB, 3 passes) in production, CHEAPEST in the tests."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    return current_app.extensions["aia.password_hasher"]


class WeakPassword(ValueError):
    """The password breaks a rule; the message says which, for the person choosing it."""


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath("common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def check_strength(password: str, min_length: int, email: str = "") -> None:
    if len(password) < min_length:
        raise WeakPassword(_("Use at least %(num)d characters.", num=min_length))
    folded = password.casefold()
    if folded in common_passwords():
        raise WeakPassword(_("This password is among the most common ones: choose another."))
    if email and folded in (email.casefold(), email.casefold().split("@")[0]):
        raise WeakPassword(_("The password must not be the email address."))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not the password of anyone")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches. Without a hash (unknown account) a dummy one is checked,
    so that an unknown address takes as long to refuse as a wrong password."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
