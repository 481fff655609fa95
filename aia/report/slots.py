"""A cap on the reports rendered at once on one host, shared by every process on it (the web
workers and ``aia worker``): ``AIA_REPORT_CONCURRENCY`` slots, each a file in
``AIA_REPORT_SLOTS_DIR`` that a render holds an exclusive lock on (``flock``) while it runs.
The lock goes with the process: a process that dies frees its slot.

A preview waits a few seconds for a slot and is then refused with a message; a publication's
job waits longer, and when it is refused too, the queue tries it again. Either way, most web
workers are never rendering, so the register and the forms keep answering."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import ReportRenderFailed


class RendererBusy(ReportRenderFailed):
    """Every render slot of the host stayed taken for as long as the caller could wait."""

    title = "The report cannot be made just now"


@contextlib.contextmanager
def render_slot(folder: Path, slots: int, wait_s: float) -> Iterator[int]:
    """Hold one of ``slots`` render slots for the block; wait at most ``wait_s`` for one."""
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        for number in range(max(1, slots)):
            handle = os.open(folder / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            try:
                yield number
                return
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                os.close(handle)
        if time.monotonic() >= deadline:
            raise RendererBusy(
                f"Other reports are being made just now (at most {slots} at once on this server, "
                "AIA_REPORT_CONCURRENCY). Please try again in a minute."
            )
        time.sleep(0.05)
