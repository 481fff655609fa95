"""How many sign-in attempts are let through, counted so that the limit holds.

Each attempt is counted *before* its password is checked, with one atomic increment per
limit in the shared storage (Redis in production): of a burst of concurrent guesses, no more
than the limit get as far as the password check. Two counters:

- per account and address: the wrong guesses at one account from one client address. A
  stranger guessing elsewhere fills only their own counter, so the owner, signing in from
  their own address with the right password, is never locked out by them. A successful
  sign-in clears it.
- per address: every attempt from one address, whatever the account (one client trying many
  accounts). A successful sign-in gives its attempt back, so an office behind one address
  is not closed by its own staff signing in.

When the storage cannot be reached, sign-in fails closed: ``ThrottleUnavailable``, which the
view answers with a page that says so (503), never a 500 and never an unlimited sign-in."""

from __future__ import annotations

import logging

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from ..extensions import limiter

log = logging.getLogger(__name__)


class ThrottleUnavailable(RuntimeError):
    """The limit storage cannot be reached: no attempt is let through uncounted."""


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _identifiers(*parts: str) -> tuple[str, ...]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return (prefix, "sign-in", *parts) if prefix else ("sign-in", *parts)


def _per_account(account: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    who = _identifiers("account", account, get_remote_address())
    return [(item, who) for item in _limits("LOGIN_LIMIT_PER_ACCOUNT")]


def _per_address() -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    where = _identifiers("address", get_remote_address())
    return [(item, where) for item in _limits("LOGIN_LIMIT_PER_ADDRESS")]


def admit(account: str) -> bool:
    """Count one attempt at ``account`` (a normalised email address) from this request's
    client; False when a limit is already used up (the attempt is then refused unchecked)."""
    try:
        strategy = limiter.limiter
        admitted = True
        for item, identifiers in _per_address() + _per_account(account):
            # Every counter is counted, even after one refuses: hammering never resets any.
            admitted = strategy.hit(item, *identifiers) and admitted
        return admitted
    except Exception as error:  # the storage's own errors (redis' ConnectionError, ...)
        log.error("sign-in limit storage unreachable: %s", type(error).__name__)
        raise ThrottleUnavailable from error


def succeeded(account: str) -> None:
    """The password was right: clear this account's counter for this address, and give the
    address its attempt back."""
    try:
        strategy = limiter.limiter
        for item, identifiers in _per_account(account):
            strategy.clear(item, *identifiers)
        for item, identifiers in _per_address():
            strategy.storage.incr(item.key_for(*identifiers), item.get_expiry(), amount=-1)
    except Exception as error:  # as in admit: a failed refund must not undo the sign-in
        log.error("sign-in limit storage unreachable after a sign-in: %s", type(error).__name__)
