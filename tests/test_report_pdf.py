"""The first PDF report: real WeasyPrint, text extracted with pypdf."""

from __future__ import annotations

import io

import pypdf

from aia.report.render import AssetOnlyFetcher


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_system_name_level_and_answers(client, make_system, make_revision):
    system = make_system(name="Parking permit scoring")
    make_revision(system=system, answers={"contact": "permits@city.example"})
    response = client.get(f"/systems/{system.uid}/revisions/1/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Parking permit scoring" in text
    assert "Level II" in text
    assert "permits@city.example" in text
    assert "Moderate" in text


def test_pdf_escapes_user_text(client, make_system, make_revision):
    system = make_system(name="<b>Bold</b> & co")
    make_revision(system=system, answers={"purpose": "<img src=x> is not an image"})
    text = pdf_text(client.get(f"/systems/{system.uid}/revisions/1/report.pdf").data)
    assert "<b>Bold</b> & co" in text
    assert "<img src=x> is not an image" in text


def test_fetcher_serves_bundled_assets_and_refuses_everything_else():
    fetcher = AssetOnlyFetcher()
    response = fetcher.fetch("aia-asset:report.css")
    assert b"@page" in response.read()
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/x.css", "data:text/css,body{}",
                "aia-asset:../../config.py", "aia-asset:missing.css"):
        try:
            fetcher.fetch(url)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{url} was fetched")
    assert len(fetcher.refused) == 5
