"""Previews made once: a preview's PDF kept under the SHA-256 of everything it is rendered
from (the HTML, which holds the revision, its review record and the page's language, and the
attached data). The same revision in the same language and state gives the same key, hence
the same bytes, without a second render; anything that would change the PDF changes the key.

The files sit in ``AIA_REPORT_CACHE_DIR``, at most ``AIA_REPORT_CACHE_FILES`` of them (the
oldest go first). Published reports are never served from here: they have their own store."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


def cache_key(html: str, attachments: Iterable[bytes]) -> str:
    digest = hashlib.sha256(html.encode("utf-8"))
    for data in attachments:
        digest.update(b"\0attachment\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def cached(folder: Path, key: str) -> bytes | None:
    path = folder / f"{key}.pdf"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    path.touch()  # recently used: kept longest
    return data


def keep(folder: Path, key: str, pdf: bytes, most: int) -> None:
    """Keep a preview (written whole, then renamed), then drop the oldest beyond ``most``."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        os.replace(temporary, folder / f"{key}.pdf")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    dated = []
    for path in folder.glob("*.pdf"):
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # dropped by another process meanwhile
            continue
    for _, old in sorted(dated)[: max(0, len(dated) - most)]:
        old.unlink(missing_ok=True)
        log.debug("preview cache: %s dropped", old.name)
