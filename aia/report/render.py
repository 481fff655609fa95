"""One path to a PDF: HTML from a template, then WeasyPrint with a fetcher that loads nothing
but the app's own bundled assets, in a child process bounded in wall time and memory, kept warm
from one report to the next (``child.py``).

The PDF is PDF/A-3u and PDF/UA-1, tagged (WeasyPrint, finished by pdfua.py), with the
revision's data attached as JSON. Its dates come from the
revision and its identifier from its content, so one revision always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import mimetypes
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..metrics import RENDER_SECONDS
from .child import WarmChild, address_space_mb
from .emoji import glyph_images
from .errors import ReportUnsafe
from .pdfua import finish, trace_sources
from .slots import render_slot

__all__ = ["address_space_mb", "render_pdf", "write_pdf", "write_pdf_limited"]

log = logging.getLogger(__name__)

ASSET_DIR = Path(__file__).resolve().parent.parent / "static" / "report"
ASSET_SCHEME = "aia-asset:"
PDF_VARIANT = "pdf/a-3u"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY_MB = 1024


class AssetOnlyFetcher(URLFetcher):
    """Serves ``aia-asset:<name>`` from the bundled report assets and refuses everything else:
    no file:, no network, no data: URLs, no redirects. What it refused is kept in ``refused``."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("aia-asset",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            name = url[len(ASSET_SCHEME) :].lstrip("/")
            path = (ASSET_DIR / name).resolve()
            if path.parent == ASSET_DIR and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url[:200])
        log.warning("report renderer refused to load %.200s", url)
        raise ValueError("the report loads only its own bundled assets")


@dataclass(frozen=True)
class DataAttachment:
    """A file carried inside the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    description: str
    created: dt.datetime
    relationship: str = "Data"


@dataclass(frozen=True)
class RenderLimits:
    timeout: float = DEFAULT_TIMEOUT  # seconds of wall time
    memory_mb: int = DEFAULT_MEMORY_MB  # address space of the rendering process
    isolated: bool = True  # render in a child process (the limits need it)
    slots_dir: Path | None = None  # the host's render slots (slots.py); None: no cap
    slots: int = 1
    slot_wait: float = 0.0  # seconds to wait for a slot before refusing

    @classmethod
    def from_config(cls, config: Any, *, preview: bool = False) -> RenderLimits:
        """The limits of a publication's render, or (``preview``) of one a web request waits
        for: a shorter time limit, below the web worker's, and a short wait for a slot."""
        timeout = float(config.get("REPORT_TIMEOUT", DEFAULT_TIMEOUT))
        slots_dir = config.get("REPORT_SLOTS_DIR")
        return cls(
            timeout=float(config.get("REPORT_PREVIEW_TIMEOUT", timeout)) if preview else timeout,
            memory_mb=int(config.get("REPORT_MEMORY_MB", DEFAULT_MEMORY_MB)),
            isolated=bool(config.get("REPORT_ISOLATED", True)),
            slots_dir=Path(slots_dir) if slots_dir else None,
            slots=int(config.get("REPORT_CONCURRENCY", 1)),
            slot_wait=float(config.get("REPORT_SLOT_WAIT", 5)) if preview else 2 * timeout,
        )


@dataclass
class RenderedPDF:
    pdf: bytes
    refused: list[str] = field(default_factory=list)
    peak_rss_kib: int = 0  # of the rendering process, when it was a child


def write_pdf(html: str, attachments: tuple[DataAttachment, ...] = ()) -> RenderedPDF:
    """Render in this process, with no limit but the fetcher's."""
    # fontTools stamps the fonts it rewrites (colour emoji) with the time, unless told a fixed
    # one: the document's own date, so that a re-render gives the same bytes.
    moment = attachments[0].created if attachments else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    fetcher = AssetOnlyFetcher()
    document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
    files = [
        Attachment(
            file_obj=io.BytesIO(a.data),
            url_fetcher=fetcher,
            name=a.name,
            description=a.description,
            created=_naive_utc(a.created),
            modified=_naive_utc(a.created),
            relationship=a.relationship,
        )
        for a in attachments
    ]
    # Written uncompressed: finish() opens the file again and compresses it when it saves it.
    # (WeasyPrint's compression ran in Python, some streams twice, only to be undone by pikepdf.)
    with glyph_images(), trace_sources():
        pdf = document.write_pdf(
            pdf_variant=PDF_VARIANT, pdf_tags=True, attachments=files, uncompressed_pdf=True
        )
    return RenderedPDF(pdf=finish(pdf), refused=list(fetcher.refused))


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    # WeasyPrint writes attachment dates with a literal "Z": give it UTC.
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


# One rendering child per process, started when the first report is rendered.
warm_child = WarmChild(write_pdf)


def write_pdf_limited(
    html: str, attachments: tuple[DataAttachment, ...], limits: RenderLimits
) -> RenderedPDF:
    """Render in the warm child process, which is killed when it runs over its time."""
    with render_slot(limits.slots_dir, limits.slots, limits.slot_wait) if limits.slots_dir else nullcontext():
        if not limits.isolated:
            return write_pdf(html, attachments)
        started = time.monotonic()
        result: RenderedPDF = warm_child.render(html, attachments, limits.timeout, limits.memory_mb)
    log.debug("report rendered in %.2f s", time.monotonic() - started)
    return result


def render_html(template: str, **context: Any) -> str:
    return render_template(template, **context)


def render_pdf(template: str, attachments: tuple[DataAttachment, ...] = (), **context: Any) -> bytes:
    """The PDF of a template, within the app's limits."""
    return render_document(render_html(template, **context), attachments)


def render_document(
    html: str, attachments: tuple[DataAttachment, ...] = (), *, preview: bool = False
) -> bytes:
    """The PDF of an HTML document, within the app's limits (a preview's, when ``preview``).
    Refuses to return a document for which the renderer tried to load anything but the app's
    own assets."""
    started = time.monotonic()
    result = write_pdf_limited(
        html, attachments, RenderLimits.from_config(current_app.config, preview=preview)
    )
    RENDER_SECONDS.labels("preview" if preview else "publication").observe(time.monotonic() - started)
    if result.refused:
        raise ReportUnsafe(
            "The report tried to load something other than its own assets: " + ", ".join(result.refused[:3])
        )
    return result.pdf
