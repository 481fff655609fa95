"""What a check of `aia verify` returns, and the store of reports as the checks read it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class StoredFiles:
    """The SHA-256 of each stored report, each file read once in a run of the checks."""

    def __init__(self, report_dir: str | Path):
        self.folder = Path(report_dir)
        self._digests: dict[str, str | None] = {}

    def path(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.pdf"

    def digest(self, sha256: str) -> str | None:
        """What the file stored under ``sha256`` hashes to; None if there is no such file."""
        if sha256 not in self._digests:
            path = self.path(sha256)
            if not path.is_file():
                self._digests[sha256] = None
            else:
                digest = hashlib.sha256()
                with path.open("rb") as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(chunk)
                self._digests[sha256] = digest.hexdigest()
        return self._digests[sha256]

    def problem(self, label: str, sha256: str) -> str | None:
        """What is wrong with the file stored under ``sha256``, if anything."""
        if not _SHA256.fullmatch(sha256):
            return f"{label}: the recorded report hash {sha256[:80]!r} is not a SHA-256"
        digest = self.digest(sha256)
        if digest is None:
            return f"{label}: {self.path(sha256)} is missing"
        if digest != sha256:
            return f"{label}: {self.path(sha256)} hashes to {digest}, recorded {sha256}"
        return None
