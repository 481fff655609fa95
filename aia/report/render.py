"""One path to a PDF: HTML from a template, then WeasyPrint with a fetcher that loads nothing
but the app's own bundled assets."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

ASSET_DIR = Path(__file__).resolve().parent.parent / "static" / "report"
ASSET_SCHEME = "aia-asset:"


class AssetOnlyFetcher(URLFetcher):
    """Serves ``aia-asset:<name>`` from the bundled report assets and refuses everything else:
    no file:, no network, no data: URLs, no redirects."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("aia-asset",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith(ASSET_SCHEME):
            name = url[len(ASSET_SCHEME):].lstrip("/")
            path = (ASSET_DIR / name).resolve()
            if path.parent == ASSET_DIR and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url[:200])
        log.warning("report renderer refused to load %.200s", url)
        raise ValueError("the report loads only its own bundled assets")


def render_pdf(template: str, **context: object) -> bytes:
    html = render_template(template, **context)
    fetcher = AssetOnlyFetcher()
    document = HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
    return document.write_pdf()
