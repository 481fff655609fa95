"""The rendering child: a process that renders report after report, bounded in time and memory.

A child started for each report paid WeasyPrint's font set-up (Fontconfig, Pango, the fonts'
tables) every time. This one is started once from the fork server and kept warm: it renders
each report it is sent, with a CPU limit for that report and the address-space limit it was
started with, and sends back the PDF. When a report runs over its wall time the parent kills
the child; when one runs out of memory the child ends itself; either way the next report gets
a fresh child. A child also retires after ``RENDERS_PER_CHILD`` reports, so that nothing a
long-lived process accumulates (caches, fragmented memory) outlives a few renders.

The PDF a warm child writes is the one a fresh child writes: the same bytes.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any

from .errors import ReportOutOfMemory, ReportRenderFailed

log = logging.getLogger(__name__)

RENDERS_PER_CHILD = 50


def address_space_mb() -> int | None:
    """The address space this process uses now, in MB (what RLIMIT_AS limits); None where the
    system does not tell (no /proc)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)


def _serve(connection: Connection, memory_mb: int, write_pdf: Callable[..., Any]) -> None:
    """Runs in the child: cap memory once, then render each job sent until told to stop."""
    used_mb = address_space_mb()
    if used_mb is not None and used_mb >= memory_mb:
        # Under the limit nothing could be allocated: say so rather than crash somewhere in a
        # C library.
        connection.send(
            (
                "memory",
                f"The report renderer already uses {used_mb} MB before it starts, more than its "
                f"memory limit of {memory_mb} MB (AIA_REPORT_MEMORY_MB).",
            )
        )
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection.send(("ready", None))
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    for _ in range(RENDERS_PER_CHILD):
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        html, attachments, cpu_seconds = job
        usage = resource.getrusage(resource.RUSAGE_SELF)
        # The CPU limit counts from the process's start: allow this report its own seconds.
        soft = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (soft if cpu_hard < 0 else min(soft, cpu_hard), cpu_hard))
        try:
            with _young_collections_only():
                result = write_pdf(html, attachments)
            result.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            connection.send(("ok", result))
        except MemoryError:
            connection.send(
                (
                    "memory",
                    f"The report needed more than its memory limit of {memory_mb} MB "
                    "(AIA_REPORT_MEMORY_MB) and was stopped.",
                )
            )
            return  # what a C library left behind after a failed allocation is not trusted
        except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
            connection.send(("error", f"{type(error).__name__}: {error}"))
        # The report is sent: the oldest generation is collected now, while the child waits
        # for the next one, rather than during a render.
        gc.collect()


@contextlib.contextmanager
def _young_collections_only() -> Iterator[None]:
    """Within the block the garbage collector collects its young generations only.

    A render makes some 200,000 objects that live until it ends (boxes, layouts, the PDF's
    objects); each collection of the oldest generation walks all of them and the fonts' caches
    besides, and a 90-page report triggered three, 1.3 s in all. Garbage made during the render
    is mostly young and still collected; the rest waits for the collection after it."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def _context() -> multiprocessing.context.ForkServerContext:
    # A fork server: children start from a small process that has only imported WeasyPrint,
    # never from a web worker with threads, open connections and locks held.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "aia.report.render"])
    return context


def _ending(exit_code: int | None) -> str:
    """How a child process ended, in words: by which signal, or with which exit code."""
    if exit_code is None or exit_code >= 0:
        return f"exit code {exit_code}"
    try:
        return f"ended by signal {signal.Signals(-exit_code).name}"
    except ValueError:
        return f"ended by signal {-exit_code}"


class _TimedOut(Exception):
    pass


class WarmChild:
    """One rendering child of this process, started when first needed. Renders one report at
    a time (a lock); a thread that wants it meanwhile waits for it."""

    def __init__(self, write_pdf: Callable[..., Any]) -> None:
        self._write_pdf = write_pdf  # a module-level function: the child gets it by name
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None
        self._memory_mb = 0
        self._owner = 0  # the pid that started the child: a forked copy of this object has none
        # Reports the current child has rendered: after RENDERS_PER_CHILD it ends itself, and
        # a report sent to it then (before its end is seen) would get no answer.
        self._rendered = 0

    def render(self, html: str, attachments: tuple, timeout: float, memory_mb: int) -> Any:
        """The result of rendering ``html`` in the child, within ``timeout`` seconds of wall
        time in all (starting a child included, not the wait for the lock)."""
        with self._lock:
            deadline = time.monotonic() + timeout
            job = (html, attachments, int(timeout) + 1)
            try:
                if not self._usable(memory_mb):
                    self._stop()
                    self._start(memory_mb, deadline)
                assert self._connection is not None
                try:
                    self._connection.send(job)
                except OSError:  # it retired or died since the last report
                    self._stop()
                    self._start(memory_mb, deadline)
                    self._connection.send(job)
                if not self._connection.poll(max(0.0, deadline - time.monotonic())):
                    raise _TimedOut
                outcome, payload = self._connection.recv()
                self._rendered += 1
            except _TimedOut:
                self._stop()
                raise ReportRenderFailed(
                    f"The report took longer than {timeout:g} s to render and was stopped."
                ) from None
            except (EOFError, OSError):
                exit_code = self._stop()
                if exit_code == -signal.SIGXCPU:  # its CPU seconds ran out: the time limit
                    raise ReportRenderFailed(
                        f"The report took longer than {timeout:g} s to render and was stopped."
                    ) from None
                # A C library that cannot allocate may crash instead of failing cleanly.
                raise ReportRenderFailed(
                    f"The report renderer stopped without a result ({_ending(exit_code)}; its "
                    f"memory limit is {memory_mb} MB)."
                ) from None
            if outcome == "memory":
                self._stop()
                raise ReportOutOfMemory(payload)
            if outcome != "ok":
                raise ReportRenderFailed(f"The report renderer failed: {payload}")
            return payload

    def _usable(self, memory_mb: int) -> bool:
        return (
            self._process is not None
            and self._owner == os.getpid()
            and self._memory_mb == memory_mb
            and self._rendered < RENDERS_PER_CHILD
            and self._process.is_alive()
        )

    def _start(self, memory_mb: int, deadline: float) -> None:
        """Start a child and wait until it is ready, or says why it cannot be."""
        context = _context()
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(
            target=_serve, daemon=True, name="aia-report-render", args=(child_end, memory_mb, self._write_pdf)
        )
        process.start()
        child_end.close()
        self._process, self._connection = process, parent_end
        self._memory_mb, self._owner, self._rendered = memory_mb, os.getpid(), 0
        if not parent_end.poll(max(0.0, deadline - time.monotonic())):
            raise _TimedOut
        outcome, payload = parent_end.recv()  # EOFError: it ended before it was ready
        if outcome == "memory":
            self._stop()
            raise ReportOutOfMemory(payload)

    def _stop(self) -> int | None:
        """Stop the child (if this process started it) and forget it; its exit code."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is None or self._owner != os.getpid():
            return None
        if connection is not None:
            connection.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        exit_code = process.exitcode
        process.close()
        return exit_code
