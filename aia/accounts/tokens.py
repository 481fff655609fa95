"""Links sent by mail that let someone set a password: a password reset and an invitation.

A link carries a signed, timestamped token (itsdangerous) naming the account and a digest of
its password hash as it stands. Setting the password changes the hash, so the link works
once; the signature's age makes it expire; each purpose signs with its own salt, so a reset
link is no invitation."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..db import Session
from .models import User

RESET = "password-reset"
INVITATION = "invitation"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"aia-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps([user.id, _fingerprint(user)])


def max_age(purpose: str) -> int:
    config = current_app.config
    hours = (
        float(config["PASSWORD_RESET_HOURS"]) if purpose == RESET else float(config["INVITATION_DAYS"]) * 24
    )
    return int(hours * 3600)


def user_for_token(session: Session, token: str, purpose: str) -> User | None:
    """The account the token is for, if it is genuine, not expired and not used."""
    try:
        user_id, fingerprint = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except (BadSignature, ValueError, TypeError):
        return None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or not hmac.compare_digest(str(fingerprint), _fingerprint(user)):
        return None
    return user
