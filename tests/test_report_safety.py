"""A report never loads or embeds anything because of what users typed: markup in answers,
names and descriptions stays text. A real socket on loopback records every connection."""

from __future__ import annotations

import base64
import io
import socket
import threading

import pypdf
import pytest

from aia.report.build import TEMPLATE, revision_attachment
from aia.report.context import report_context
from aia.report.render import RenderLimits, render_html, write_pdf_limited

from . import test_report_helpers as helpers
from .test_report_helpers import flat, pdf_text

make_report_revision = helpers.make_report_revision


class Listener:
    """A TCP server on 127.0.0.1 that accepts and records connections, in a thread."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(0.5)
                try:
                    self.connections.append(connection.recv(1024))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.server.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def payloads(port: int) -> list[str]:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image xlink:href="http://127.0.0.1:{port}/svg-image.png" width="9" height="9"/>'
        f"</svg>"
    )
    svg_url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return [
        "<img src=file:///etc/passwd>",
        f'<link rel=stylesheet href="http://127.0.0.1:{port}/style.css">',
        "<base href=file:///etc/>",
        f'<a rel=attachment href="http://127.0.0.1:{port}/attached.bin">attached</a>',
        '<a rel=attachment href="file:///etc/passwd">passwd</a>',
        f'<img src="{svg_url}">',
        f"<style>@import url(http://127.0.0.1:{port}/import.css);</style>",
        f'<svg><image href="http://127.0.0.1:{port}/inline.png"/></svg>',
        f'<object data="http://127.0.0.1:{port}/object"></object>',
        f'<iframe src="http://127.0.0.1:{port}/frame"></iframe>',
    ]


def hostile_revision(make_report_revision, make_system, make_agency, port: int):
    texts = payloads(port)
    joined = "\n".join(texts)
    agency = make_agency(name=texts[1][:200])
    system = make_system(name=texts[3][:200], agency=agency, description=joined)
    answers = {
        "purpose": joined,
        "harm_description": joined,
        "notes": joined,
        "decision": texts[0],
        "contact": texts[6][:200],
        "group_effects": joined,
    }
    return make_report_revision("starter", rich=True, system=system, answers=answers), texts


def test_user_text_never_becomes_markup(
    app, db_session, make_report_revision, make_system, make_agency, registry, listener
):
    revision, texts = hostile_revision(make_report_revision, make_system, make_agency, listener.port)
    with app.app_context():
        context = report_context(revision, registry.latest("starter"), published=True)
        html = render_html(TEMPLATE, report=context)
        result = write_pdf_limited(
            html, (revision_attachment(revision),), RenderLimits.from_config(app.config)
        )
    # Nothing was asked of the fetcher, nothing reached the network.
    assert result.refused == []
    assert listener.connections == []
    # The only embedded file is the app's own.
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    assert list(reader.attachments) == ["revision.json"]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object()["/Subtype"] != "/FileAttachment"
    assert len(reader.pages) < 40
    # The markup is there, as text.
    text = flat(pdf_text(result.pdf))
    for payload in texts:
        if not payload.startswith('<img src="data:'):
            assert flat(payload) in text, payload
    assert "data:image/svg+xml;base64," in text.replace(" ", "")
    # And none of it is an element of the HTML.
    assert "<img src=file" not in html and "&lt;img src=file:///etc/passwd&gt;" in html
    assert "<base " not in html and '<link rel=stylesheet href="http' not in html


def test_the_fetcher_guards_even_raw_markup(app, listener):
    """Were markup ever to get through, the fetcher would refuse it: no file, no network, no
    data: URL, no attachment."""
    html = "<!doctype html><html><body>" + "".join(payloads(listener.port)) + "</body></html>"
    result = write_pdf_limited(html, (), RenderLimits())
    assert listener.connections == []
    assert any(url.startswith("file:") for url in result.refused)
    assert any(url.startswith(f"http://127.0.0.1:{listener.port}/") for url in result.refused)
    assert any(url.startswith("data:image/svg+xml") for url in result.refused)
    assert pypdf.PdfReader(io.BytesIO(result.pdf)).attachments == {}
    assert b"root:" not in result.pdf
