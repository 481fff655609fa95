"""The job queue: work a web request hands over instead of doing itself (a publication's render;
outgoing mail), run by a worker process (``aia worker``) with retries.

One huey queue per app, chosen by ``AIA_JOBS_URL``: ``sqlite:///path`` (the default, one
machine: the web workers and ``aia worker`` share the file), ``redis://host:6379/0`` (several
hosts), or ``memory://`` (one process, with the consumer the app starts itself). With
``AIA_JOBS_IMMEDIATE=1`` a job runs in the caller, still through huey (the tests' default).

A package declares its jobs with ``@jobs.handler("name", retries=..., retry_delay=...)`` on a
function of plain arguments; the queue runs it inside an app context of the app that enqueued
it, and ``jobs.enqueue("name", ...)`` hands it over (after the caller's transaction committed:
a job reads only what is in the database).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger(__name__)

EXTENSION = "aia.jobs"
_consumer_lock = threading.Lock()


class JobsSettingError(ValueError):
    """AIA_JOBS_URL names no queue the app can use; the message says what it accepts."""


@dataclass(frozen=True)
class Handler:
    function: Callable[..., Any]
    retries: int | Callable[[Any], int]
    retry_delay: float | Callable[[Any], float]


def make_queue(url: str, *, name: str = "aia", immediate: bool = False) -> Huey:
    """The huey queue an ``AIA_JOBS_URL`` names."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not path or path == url:
            raise JobsSettingError(f"AIA_JOBS_URL {url!r}: write sqlite:///path/to/jobs.sqlite3")
        # The default sits in instance/, which a fresh checkout does not have yet.
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=path, immediate=immediate)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name, url=url, immediate=immediate)
    if scheme == "memory":
        return MemoryHuey(name, immediate=immediate)
    raise JobsSettingError(
        f"AIA_JOBS_URL {url!r} is not a job queue: use sqlite:///path, redis://host:port/db or memory://"
    )


class Jobs:
    """The app's job queue (bound in create_app, like the other extensions)."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def handler(
        self,
        name: str,
        *,
        retries: int | Callable[[Any], int] = 0,
        retry_delay: float | Callable[[Any], float] = 0,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Declare a job. ``retries`` and ``retry_delay`` may be functions of the app's config."""

        def declare(function: Callable[..., Any]) -> Callable[..., Any]:
            self._handlers[name] = Handler(function, retries, retry_delay)
            return function

        return declare

    def init_app(self, app: Flask) -> None:
        config = app.config
        queue = make_queue(
            config["JOBS_URL"],
            name=config.get("JOBS_NAME", "aia"),
            immediate=config.get("JOBS_IMMEDIATE", False),
        )
        tasks = {}
        for name, declared in self._handlers.items():
            retries = declared.retries(config) if callable(declared.retries) else declared.retries
            delay = declared.retry_delay(config) if callable(declared.retry_delay) else declared.retry_delay
            tasks[name] = queue.task(retries=retries, retry_delay=delay, name=name)(
                _in_app_context(app, declared.function)
            )
        app.extensions[EXTENSION] = {"queue": queue, "tasks": tasks}

    def enqueue(self, name: str, **arguments: Any) -> None:
        """Hand job ``name`` to the queue (in immediate mode: run it now, through huey). With
        ``AIA_JOBS_CONSUMER=1`` the first job of a process starts that process's consumer."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        bound = app.extensions[EXTENSION]
        if app.config.get("JOBS_CONSUMER") and not bound["queue"].immediate:
            with _consumer_lock:
                if bound.get("consumer_pid") != os.getpid():
                    bound["consumer"] = start_consumer(app, int(app.config.get("JOBS_WORKERS", 1)))
                    bound["consumer_pid"] = os.getpid()
        bound["tasks"][name](**arguments)
        log.info("job %s enqueued %s", name, arguments)

    def enqueue_later(self, name: str, seconds: float, **arguments: Any) -> None:
        """Hand job ``name`` to the queue, to run in ``seconds`` (a consumer runs it then; in
        immediate mode it waits in the queue's schedule, unrun)."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        app.extensions[EXTENSION]["tasks"][name].schedule(kwargs=arguments, delay=seconds)
        log.info("job %s scheduled in %g s %s", name, seconds, arguments)


def _in_app_context(app: Flask, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(**arguments: Any) -> Any:
        with app.app_context():
            return function(**arguments)

    run.__name__ = run.__qualname__ = function.__name__
    return run


def queue_of(app: Flask) -> Huey:
    queue: Huey = app.extensions[EXTENSION]["queue"]
    return queue


class _ThreadConsumer(Consumer):
    """huey's consumer, started from a thread other than the main one (which alone may set
    signal handlers): the app that starts it stops it."""

    def _set_signal_handlers(self) -> None:
        pass


def start_consumer(app: Flask, workers: int = 1) -> Consumer:
    """Run the app's jobs in this process, in ``workers`` threads (development, tests); stop
    it with ``consumer.stop(graceful=True)``."""
    consumer = _ThreadConsumer(queue_of(app), workers=workers, periodic=False, worker_type="thread")
    consumer.start()
    log.info("job consumer started in this process (%d thread(s))", workers)
    return consumer


def run_worker(app: Flask, workers: int) -> None:
    """Run the app's jobs until interrupted (``aia worker``): SIGINT waits for running jobs,
    SIGTERM stops at once; a job stopped that way runs again (it is retried)."""
    queue = queue_of(app)
    if queue.immediate:
        raise JobsSettingError("AIA_JOBS_IMMEDIATE=1 runs jobs where they are enqueued: no worker needed.")
    Consumer(queue, workers=workers, periodic=False, worker_type="thread").run()


jobs = Jobs()
