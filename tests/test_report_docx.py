"""The editable copy (DOCX): downloaded from the staff pages and the register, read back with
python-docx: the report's content, the reference PDF's SHA-256 and where to check it on the
first page, French when the page is French, and awkward text kept as text."""

from __future__ import annotations

import hashlib
import io
import zipfile

import docx
import pytest

from aia.report.editable import DOCX_MIMETYPE

from . import test_report_helpers as helpers

make_report_revision = helpers.make_report_revision
reader = helpers.reader

AWKWARD = (
    "<w:p><w:r><w:t>injected</w:t></w:r></w:p> ]]> <b>bold</b> & <script>alert(1)</script> "
    "{{ 7*7 }} مراجعة شهرية בדיקה\x0bafter a vertical tab"
)


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def everything(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def awkward_revision(make_report_revision, make_system):
    system = make_system(name="Triage <i>x</i> & “y”", description="Ranks claims. <script>alert(2)</script>")
    return make_report_revision("starter", rich=True, chars=400, system=system, answers={"purpose": AWKWARD})


def test_preview_copy_from_the_staff_page(reader, awkward_revision):
    revision = awkward_revision
    response = reader.get(f"/systems/{revision.system.uid}/revisions/1/report.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX_MIMETYPE
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{revision.system.uid}-revision-1-editable-copy.docx"'
    )
    data = response.get_data()
    first = paragraphs(data)[:4]
    assert first[0] == "Editable copy"
    assert "Revision 1 is not published: there is no reference PDF yet" in first[1]
    assert revision.sha256 in first[2]
    text = everything(data)
    assert "Triage <i>x</i> & “y”" in text and "Ranks claims. <script>alert(2)</script>" in text
    for heading in ("Summary", "Triage flags", "All answers", "Review and revision history"):
        assert heading in paragraphs(data)
    assert "What is the system for, and why is it needed?" in text
    # Awkward text is text: as typed, less the one character XML cannot hold.
    assert AWKWARD.replace("\x0b", "") in text
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:t>injected</w:t></w:r></w:p> ]]>" not in body
    assert "&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;injected" in body and "&lt;script&gt;alert(1)" in body
    # The Arabic and Hebrew runs are right to left, in their language.
    assert '<w:rtl/><w:lang w:bidi="ar-SA"/></w:rPr><w:t>مراجعة شهرية</w:t>' in body
    assert 'w:bidi="he-IL"' in body
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == "Transparency report: Triage <i>x</i> & “y”, revision 1"
    assert properties.language == "en-GB"


def test_copy_of_a_published_report_names_the_reference_pdf(
    app, client, reader, awkward_revision, publish, monkeypatch
):
    revision = awkward_revision
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://algorithms.example.gov")
    entry = publish(revision)
    assert revision.pdf_sha256 and entry.pdf_sha256 == revision.pdf_sha256
    staff = reader.get(f"/systems/{revision.system.uid}/revisions/1/report.docx").get_data()
    public = client.get(f"/register/{revision.system.uid}/revisions/1/report.docx")
    assert public.status_code == 200 and public.mimetype == DOCX_MIMETYPE
    for data in (staff, public.get_data()):
        first = paragraphs(data)[:5]
        assert first[0] == "Editable copy"
        assert (
            "the reference version is the PDF report of revision 1 published in the public register"
            in first[1]
        )
        assert first[2] == revision.pdf_sha256
        assert f"https://algorithms.example.gov/register/{revision.system.uid}" in first[3]
        assert revision.sha256 in first[4]
        assert "Published" in everything(data)
        # The audit trail's head at publication, as the reference PDF prints it.
        assert f"{entry.anchor_event_id}:{entry.anchor_hash}" in paragraphs(data)
    assert entry.anchor_event_id and entry.anchor_hash
    pdf = client.get(f"/register/{revision.system.uid}/revisions/1/report.pdf").get_data()
    assert hashlib.sha256(pdf).hexdigest() == revision.pdf_sha256  # the hash named is the PDF's
    page = client.get(f"/register/{revision.system.uid}").get_data(as_text=True)
    assert f'href="/register/{revision.system.uid}/revisions/1/report.docx"' in page


def test_register_copy_only_for_a_published_revision(client, make_report_revision):
    revision = make_report_revision("starter", rich=False)
    assert client.get(f"/register/{revision.system.uid}/revisions/1/report.docx").status_code == 404
    assert client.get("/register/sys-none/revisions/1/report.docx").status_code == 404


def test_copy_is_in_french_when_the_page_is(reader, make_report_revision):
    revision = make_report_revision("starter", rich=False)
    data = reader.get(f"/systems/{revision.system.uid}/revisions/1/report.docx?lang=fr").get_data()
    texts = paragraphs(data)
    assert texts[0] == "Copie modifiable"
    assert "Résumé" in texts and "Toutes les réponses" in texts
    assert docx.Document(io.BytesIO(data)).core_properties.language == "fr-FR"
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert 'w:val="fr-FR"' in styles


def test_the_revision_page_links_the_copy_next_to_the_pdf(reader, make_report_revision):
    revision = make_report_revision("starter", rich=False)
    page = reader.get(f"/systems/{revision.system.uid}/revisions/1").get_data(as_text=True)
    pdf = page.index(f"/systems/{revision.system.uid}/revisions/1/report.pdf")
    copy = page.index(f"/systems/{revision.system.uid}/revisions/1/report.docx")
    assert 0 < copy - pdf < 400
