"""The report's structure tree, walked with pikepdf: one section per section of the HTML
however many pages it spans, headings that nest, a question and its answer in one list item,
running headers, footers and the preview's watermark as artifacts, /Lang on Arabic and Hebrew
runs, links with a description, figures with alternative text, the PDF/UA identifier."""

from __future__ import annotations

import io
import re
from collections import Counter

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from aia.report.build import TEMPLATE, definition_for
from aia.report.context import report_context
from aia.report.record import review_record
from aia.report.render import render_html
from aia.report.samples import PARAGRAPHS

from . import test_report_helpers as helpers
from .test_report_helpers import build

make_report_revision = helpers.make_report_revision


def kids(element: Dictionary) -> list:
    value = element.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def elements(element: Dictionary, depth: int = 0):
    """Every structure element under ``element``, in document order, with its depth."""
    for kid in kids(element):
        if isinstance(kid, Dictionary) and "/S" in kid:
            yield kid, depth
            yield from elements(kid, depth + 1)


def marked_content(element: Dictionary, page_of: dict) -> set[tuple[int, int]]:
    found = set()
    page = element.get("/Pg")
    for kid in kids(element):
        if isinstance(kid, int):
            found.add((page_of[page.objgen], int(kid)))
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            found.add((page_of[kid.get("/Pg", page).objgen], int(kid.MCID)))
        elif isinstance(kid, Dictionary) and "/S" in kid:
            found |= marked_content(kid, page_of)
    return found


class Tagged:
    def __init__(self, data: bytes) -> None:
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.page_of = {page.obj.objgen: index for index, page in enumerate(self.pdf.pages)}
        (self.document,) = kids(self.pdf.Root.StructTreeRoot)
        self.all = list(elements(self.document))

    def of_type(self, name: str) -> list[Dictionary]:
        return [element for element, _ in self.all if element.S == Name(name)]

    def content_marks(self, page_index: int) -> list[tuple[str, dict]]:
        return [
            (str(i.operands[0]), dict(i.operands[1]) if len(i.operands) > 1 else {})
            for i in pikepdf.parse_content_stream(self.pdf.pages[page_index])
            if str(i.operator) in ("BDC", "BMC")
        ]


@pytest.fixture
def rich(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=True, chars=1500)
    data = build(app, db_session, revision, published=True)
    with app.test_request_context():
        definition = definition_for(revision)
        html = render_html(
            TEMPLATE,
            report=report_context(
                revision, definition, published=True, **review_record(db_session, revision)
            ),
        )
    return revision, Tagged(data), html


def test_one_structure_section_per_html_section_however_many_pages(rich):
    _, tagged, html = rich
    assert len(tagged.pdf.pages) > 6
    sections = tagged.of_type("/Sect")
    assert len(sections) == html.count("<section")
    assert all(depth == 0 for element, depth in tagged.all if element.S == Name.Sect)
    # The answers run over several pages, in one section.
    pages_of_sections = [{page for page, _ in marked_content(s, tagged.page_of)} for s in sections]
    assert max(len(pages) for pages in pages_of_sections) >= 3


def test_headings_nest_without_skipping_a_level(rich):
    _, tagged, _ = rich
    levels = [int(str(e.S)[2:]) for e, _ in tagged.all if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels
    # Each section but the cover opens with its H2.
    for section in tagged.of_type("/Sect")[1:]:
        first = next(k for k in kids(section) if isinstance(k, Dictionary) and "/S" in k)
        assert first.S == Name.H2


def test_a_question_and_its_answer_are_one_list_item(rich):
    _, tagged, _ = rich
    lists = tagged.of_type("/L")
    assert lists
    items = 0
    for element in lists:
        for kid in kids(element):
            assert kid.S in (Name.LI, Name.L, Name.Caption), kid.S  # never a Div in a list
    for item in tagged.of_type("/LI"):
        parts = Counter(str(k.S) for k in kids(item) if isinstance(k, Dictionary) and "/S" in k)
        if parts["/Lbl"]:
            assert parts == Counter({"/Lbl": 1, "/LBody": 1}), parts
            items += 1
    assert items >= 20  # the facts, the summary, the obligations and every answer


def test_headers_footers_and_watermark_are_artifacts(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=True, chars=600)
    for published in (True, False):
        tagged = Tagged(build(app, db_session, revision, published=published))
        owned = marked_content(tagged.document, tagged.page_of)
        nums = tagged.pdf.Root.StructTreeRoot.ParentTree.Nums
        pages = len(tagged.pdf.pages)
        for index in range(pages):
            marks = tagged.content_marks(index)
            mcids = {int(p["/MCID"]) for _, p in marks if "/MCID" in p}
            # Every marked content with an MCID belongs to an element of the tree.
            assert {(index, m) for m in mcids} <= owned
            assert int(nums[2 * index]) == index
            pagination = [p for tag, p in marks if tag == "/Artifact" and p.get("/Type") == Name.Pagination]
            watermarks = [p for p in pagination if p.get("/Subtype") == Name.Watermark]
            header_and_footer = len(pagination) - len(watermarks)
            assert header_and_footer >= (2 if index == 0 else 4)  # footer (two boxes), header on later pages
            assert bool(watermarks) is not published, (published, index)
        # The watermark is no element of the tree: the document holds its sections only.
        assert {str(kid.S) for kid in kids(tagged.document)} == {"/Sect"}


def test_right_to_left_answers_carry_their_language(rich):
    revision, tagged, _ = rich
    by_language = Counter(str(e.Lang) for e, _ in tagged.all if "/Lang" in e)
    arabic_runs = sum(text.count("مراجعة") for text in revision.answers.values() if isinstance(text, str))
    assert arabic_runs and PARAGRAPHS[1] in " ".join(
        v for v in revision.answers.values() if isinstance(v, str)
    )
    assert by_language["ar"] >= arabic_runs and by_language["he"] >= arabic_runs
    for element, _ in tagged.all:
        if "/Lang" in element:
            assert element.S == Name.Span
    assert tagged.pdf.Root.Lang == "en"


def test_links_say_where_they_go_and_figures_have_a_text_alternative(rich):
    _, tagged, _ = rich
    links = tagged.of_type("/Link")
    assert len(links) >= 9
    for link in links:
        assert str(link.Alt).startswith("Go to the section “") or "method document" in str(link.Alt)
        annotations = [k.Obj for k in kids(link) if isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR]
        assert annotations and all(a.Contents == link.Alt for a in annotations)
        assert not [k for k in kids(link) if isinstance(k, Dictionary) and k.get("/S") == Name.Link]
    assert "Go to the section “Summary”" in [str(link.Alt) for link in links]
    figures = tagged.of_type("/Figure")
    assert len(figures) >= 4  # the matrix and the chart's three parts
    assert all(str(f.get("/Alt", "")).strip() for f in figures)


def test_the_file_declares_pdf_ua_beside_pdf_a_and_keeps_no_private_key(rich):
    _, tagged, _ = rich
    xmp = tagged.pdf.Root.Metadata.read_bytes().decode()
    assert 'pdfuaid:part="1"' in xmp and 'pdfaid:part="3"' in xmp
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    for element, _ in tagged.all:
        assert not [key for key in element.keys() if key.startswith("/AIA")]
    assert tagged.pdf.Root.MarkInfo.Marked


def test_a_page_content_never_compresses_to_a_final_carriage_return():
    """A Flate stream ends with its content's Adler-32; a last byte CR before the newline and
    ``endstream`` reads as CR LF, and validators count the stream one byte short."""
    import zlib

    from aia.report.pdfua import unambiguous_end

    content = next(c for c in (b"q\n%d w\nQ\n" % n for n in range(5000)) if zlib.adler32(c) & 0xFF == 0x0D)
    assert zlib.compress(content)[-1:] == b"\r"
    finished = unambiguous_end(content)
    assert zlib.compress(finished)[-1:] != b"\r"
    assert finished.rstrip() == content.rstrip()  # only white space was added
    ordinary = b"q\nQ\n"
    assert unambiguous_end(ordinary) == (
        ordinary if zlib.adler32(ordinary) & 0xFF != 0x0D else ordinary + b"\n"
    )
