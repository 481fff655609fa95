"""Colour emoji in a report: each glyph's image is built once per render, and the PDF is the
same, byte for byte, as WeasyPrint writes it without that."""

from __future__ import annotations

import gc
import io
import warnings

import pypdf
import weasyprint.draw.text as weasyprint_text
from weasyprint import HTML

from aia.report import emoji
from aia.report.render import write_pdf

EMOJI_HTML = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Emoji</title></head><body>"
    + "".join(f"<p>Line {i}: {'👪📋🚗' * 40} and text</p>" for i in range(30))
    + "</body></html>"
)


def _counting(monkeypatch) -> list[str]:
    built: list[str] = []
    original = emoji.RasterImage

    def counted(*args, **kwargs):
        built.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(emoji, "RasterImage", counted)
    return built


def test_each_glyph_image_is_built_once_and_the_bytes_do_not_change(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")  # the fonts' dates, as the report sets them
    built = _counting(monkeypatch)
    with emoji.glyph_images():
        cached = HTML(string=EMOJI_HTML).write_pdf()
    assert sorted(set(built)) == sorted(built) and len(built) == 3  # three distinct emoji
    built.clear()
    uncached = HTML(string=EMOJI_HTML).write_pdf()  # no cache open: one image per emoji drawn
    assert len(built) == 3 * 40 * 30
    assert cached == uncached
    images = {
        name
        for page in pypdf.PdfReader(io.BytesIO(cached)).pages
        for name in (page["/Resources"].get("/XObject") or {})
    }
    assert len(images) == 3


def test_the_report_renderer_uses_the_cache(monkeypatch):
    built = _counting(monkeypatch)
    with warnings.catch_warnings():
        # WeasyPrint leaves its sRGB profile's file for the garbage collector (the report
        # renders in a child process, where that is harmless).
        warnings.simplefilter("ignore", ResourceWarning)
        result = write_pdf(EMOJI_HTML)
        gc.collect()
    assert len(built) == 3
    assert result.pdf.startswith(b"%PDF")
    assert weasyprint_text.RasterImage is emoji._glyph_image
