"""The Redis the tests share limit counters in: AIA_TEST_REDIS_URL (redis://127.0.0.1:6379/0
by default). Each run writes under a key prefix of its own, so runs never meet and nothing
needs the database to be empty. Without a reachable Redis, a test that needs it is skipped,
except in CI (``CI=true``), where that is a failure."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

URL = os.environ.get("AIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> str:
    """The URL of a Redis that answers; otherwise skip the test, or fail it in CI."""
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis at {URL} does not answer ({type(error).__name__}): start redis-server"
        if os.environ.get("CI", "").lower() in ("1", "true"):
            pytest.fail(f"{message}; in CI this is a failure, not a skip", pytrace=False)
        pytest.skip(message)
    return URL


def run_prefix() -> str:
    """A key prefix no other run uses."""
    return f"aia-test-{uuid.uuid4().hex[:12]}"


def forget(prefix: str) -> None:
    """Remove every key this run wrote (and no other)."""
    client = redis.Redis.from_url(URL)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)
