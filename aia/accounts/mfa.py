"""The second factor: time-based one-time codes (TOTP, RFC 6238, through pyotp) from an
authenticator app, and one-time recovery codes for a lost phone.

A code is accepted once: the account keeps the time step of the last code accepted, and a
code of that step or an earlier one is refused, even within its 30 seconds. The step is moved
with a compare-and-set, so two requests racing with the same code (two workers) cannot both
win. Wrong codes are throttled per person by the caller (the app's rate limiter)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import sqlalchemy as sa

from ..audit.services import record
from ..db import Session, now_utc
from ..security_log import security_event
from .models import RecoveryCode, User

ISSUER = "aia"
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted too (a phone's clock a
# little off): 30 seconds either way.
DRIFT_STEPS = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (as a QR code, or typed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code this is (within the drift allowed), or None."""
    code = _clean(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    current = int(now // totp.interval)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(session: Session, user: User, code: str, secret: str | None = None) -> bool:
    """Whether ``code`` is a fresh TOTP code of this person (of ``secret`` while setting one
    up); an accepted code can never be accepted again."""
    secret = secret or user.mfa_secret
    if not secret:
        return False
    step = matching_step(secret, code)
    if step is None:
        return False
    moved = session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .where(sa.or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
        .values(mfa_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
        return False
    session.refresh(user, ["mfa_last_step"])
    return True


def _digest(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten new recovery codes (shown once); the ones before stop working."""
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_sha256=_digest(raw)))
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """Whether ``code`` is an unused recovery code of this person; it is then used up."""
    if len(_clean(code)) != 10:
        return False
    used = session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_sha256 == _digest(code))
        .where(RecoveryCode.used_dt.is_(None))
        .values(used_dt=now_utc())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
        return False
    record(session, "user.recovery_code_used", user, agency_id=user.agency_id)
    security_event("mfa.recovery_code_used", "allowed", user=user, left=recovery_codes_left(session, user))
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_dt.is_(None))
        )
        or 0
    )


def enable(session: Session, user: User, secret: str, code: str) -> list[str] | None:
    """Set up the second factor once the person proved their app has ``secret`` with a code
    from it; returns the recovery codes, or None when the code is wrong."""
    if not accept_code(session, user, code, secret=secret):
        return None
    user.mfa_secret = secret
    session.flush()
    codes = new_recovery_codes(session, user)
    record(session, "user.mfa_enabled", user, agency_id=user.agency_id)
    security_event("mfa.enabled", "done", user=user)
    return codes


def disable(session: Session, user: User, actor: User | None = None) -> None:
    """Remove the second factor (the person themselves, or an administrator for a lost phone
    and lost codes); every session of the person ends."""
    user.mfa_secret = None
    user.mfa_last_step = None
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_generation += 1
    session.flush()
    record(
        session,
        "user.mfa_disabled",
        actor or user,
        agency_id=user.agency_id,
        details={"user_id": user.id, "email": user.email},
    )
    security_event("mfa.disabled", "done", user=actor or user, account=user.email)
