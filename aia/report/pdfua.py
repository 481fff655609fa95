"""PDF/UA for the report: what WeasyPrint's tagging leaves undone, finished with pikepdf after the
render and before the bytes are hashed.

WeasyPrint builds the structure tree page by page from its layout boxes. Four things it does
not do, and this module does:

- running headers and footers (page margin boxes) are marked content that no structure element
  owns, and an element hidden from assistive technology (``aria-hidden="true"``, the preview's
  watermark) is tagged as content on every page: both become artifacts (``/Artifact``
  marked content, out of the structure tree and of the parent tree);
- an element that runs over a page break becomes one structure element per page (a section
  of three pages, three sections): the parts are joined again;
- a question and its answer (``<div class="qa"><dt>…</dt><dd>…</dd></div>``) become two
  unrelated list items: they become one list item, the question its label (``Lbl``) and the
  answer its body (``LBody``);
- no element carries a language: an element with ``lang`` (the Arabic and Hebrew runs of an
  answer, see scripts.py) gives its structure element ``/Lang``, and a link with
  ``aria-label`` gives its structure element ``/Alt`` and its annotation ``/Contents``.

To know which structure elements come from one HTML element, ``trace_sources`` wraps
WeasyPrint's tree builder for the render and notes, on each element it makes, the element it
came from (private ``/AIA…`` keys, removed here). The metadata gains the PDF/UA-1 identifier,
with the extension schema PDF/A asks for a property outside its own schemas, and images lose
the /Interpolate flag PDF/A forbids.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

SOURCE = "/AIASource"  # which HTML element an element comes from (a number per render)
TAG = "/AIATag"
CLASS = "/AIAClass"
LANG = "/AIALang"
LABEL = "/AIALabel"
HIDDEN = "/AIAHidden"
PRIVATE_KEYS = (SOURCE, TAG, CLASS, LANG, LABEL, HIDDEN)
COPIED_ATTRIBUTES = (("class", "AIAClass"), ("lang", "AIALang"), ("aria-label", "AIALabel"))
LIST_PARTS = (Name.Lbl, Name.LBody)


@contextmanager
def trace_sources() -> Iterator[None]:
    """While rendering, note on each structure element the HTML element it comes from."""
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    numbers: dict[Any, int] = {}

    def traced(box: Any, *args: Any) -> Iterator[Any]:
        source = getattr(box, "_box", box)  # an absolutely placed box's placeholder
        for element in original(box, *args):
            html = getattr(source, "element", None)
            if html is not None and "AIASource" not in element:
                key = (html, getattr(source, "element_tag", ""))
                element["AIASource"] = numbers.setdefault(key, len(numbers) + 1)
                element["AIATag"] = pydyf.String(str(key[1]))
                attributes = html.attrib
                for attribute, name in (
                    ("class", "AIAClass"),
                    ("lang", "AIALang"),
                    ("aria-label", "AIALabel"),
                ):
                    if attributes.get(attribute):
                        element[name] = pydyf.String(attributes[attribute])
                if attributes.get("aria-hidden") == "true":
                    element["AIAHidden"] = "true"
            yield element

    tags._build_box_tree = traced
    try:
        yield
    finally:
        tags._build_box_tree = original


def _is_element(item: Any) -> bool:
    return isinstance(item, Dictionary) and "/S" in item


def _is_reference_to_object(item: Any) -> bool:
    return isinstance(item, Dictionary) and item.get("/Type") == Name.OBJR


def _kids(element: Any) -> Any:
    kids = element.get("/K")
    if kids is None:
        element.K = Array()
    elif not isinstance(kids, Array):
        element.K = Array([kids])
    return element.K


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


class Finisher:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        self.artifacts: dict[int, dict[int, str]] = defaultdict(dict)  # page -> MCID -> subtype
        self.replaced: dict[tuple[int, int], Any] = {}  # dropped element -> kept one

    # Marked content of a subtree: (page index, MCID).
    def marked(self, element: Any) -> Iterator[tuple[int, int]]:
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int):
                if page is not None:
                    yield self.page_index[page.objgen], int(kid)
            elif _is_element(kid):
                yield from self.marked(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                kid_page = kid.get("/Pg", page)
                yield self.page_index[kid_page.objgen], int(kid.MCID)

    def drop_hidden(self, element: Any) -> None:
        kids = _kids(element)
        kept = Array()
        for kid in kids:
            if _is_element(kid) and bool(kid.get(HIDDEN)):
                for page, mcid in self.marked(kid):
                    self.artifacts[page][mcid] = "/Watermark" if "watermark" in _text(kid.get(CLASS)) else ""
                continue
            if _is_element(kid):
                self.drop_hidden(kid)
            kept.append(kid)
        element.K = kept

    def _own_content(self, element: Any) -> None:
        """Integer MCIDs become marked-content references naming their page, so that the
        element's kids may come from several pages."""
        page = element.get("/Pg")
        kids = _kids(element)
        for index, kid in enumerate(kids):
            if isinstance(kid, int) and page is not None:
                kids[index] = Dictionary(Type=Name.MCR, Pg=page, MCID=int(kid))

    def join_split(self, element: Any) -> None:
        """Join kids that are parts, on consecutive pages, of one HTML element."""
        kids = _kids(element)
        joined = Array()
        for kid in kids:
            previous = joined[len(joined) - 1] if len(joined) else None
            if (
                _is_element(kid)
                and previous is not None
                and _is_element(previous)
                and SOURCE in kid
                and kid.get(SOURCE) == previous.get(SOURCE)
                and kid.get("/S") == previous.get("/S")
            ):
                self._own_content(previous)
                self._own_content(kid)
                for grandchild in _kids(kid):
                    if _is_element(grandchild):
                        grandchild.P = previous
                    _kids(previous).append(grandchild)
                self.replaced[kid.objgen] = previous
                continue
            joined.append(kid)
        element.K = joined
        for kid in joined:
            if _is_element(kid):
                self.join_split(kid)

    def questions_with_answers(self, element: Any) -> None:
        """``L > Div.qa > (LI > LBody dt), (LI > LBody dd)`` becomes ``L > LI > Lbl, LBody``;
        a list item's strays go into its body."""
        for kid in _kids(element):
            if not _is_element(kid):
                continue
            classes = _text(kid.get(CLASS)).split()
            if ("qa" in classes or _text(kid.get(TAG)) == "div") and element.get("/S") == Name.L:
                kid.S = Name.LI
                parts = Array()
                for item in _kids(kid):
                    if not _is_element(item):
                        continue
                    inner = (
                        [i for i in _kids(item) if _is_element(i)] if item.get("/S") == Name.LI else [item]
                    )
                    for part in inner:
                        part.S = Name.Lbl if _text(part.get(TAG)) == "dt" else Name.LBody
                        part.P = kid
                        parts.append(part)
                    if item.get("/S") == Name.LI:
                        self.replaced[item.objgen] = kid
                kid.K = parts
            if kid.get("/S") == Name.LI:
                self.list_item_body(kid)
            self.questions_with_answers(kid)

    def list_item_body(self, item: Any) -> None:
        """What a list item holds besides its label and body (an inline that followed the
        first) goes into its body."""
        kids = _kids(item)
        body = next((k for k in kids if _is_element(k) and k.get("/S") == Name.LBody), None)
        strays = [k for k in kids if _is_element(k) and k.get("/S") not in LIST_PARTS]
        if body is None or not strays:
            return
        for stray in strays:
            stray.P = body
            _kids(body).append(stray)
        item.K = Array(
            [k for k in kids if not (_is_element(k) and k.get("/S") not in (Name.Lbl, Name.LBody))]
        )

    def flatten_links(self, element: Any) -> None:
        """A link's pseudo-elements (the contents' leader and page number) become part of the
        link itself, not links nested in it."""
        kids = _kids(element)
        flat = Array()
        annotations = {kid.Obj.objgen for kid in kids if _is_reference_to_object(kid)}
        for kid in kids:
            if _is_element(kid):
                self.flatten_links(kid)
                if kid.get("/S") == Name.Link and element.get("/S") == Name.Link:
                    self._own_content(kid)
                    for grandchild in _kids(kid):
                        if _is_reference_to_object(grandchild):
                            if grandchild.Obj.objgen in annotations:
                                continue  # the same annotation, once
                            annotations.add(grandchild.Obj.objgen)
                        if _is_element(grandchild):
                            grandchild.P = element
                        flat.append(grandchild)
                    self.replaced[kid.objgen] = element
                    continue
            flat.append(kid)
        element.K = flat

    def languages_and_labels(self, element: Any) -> None:
        for kid in _kids(element):
            if not _is_element(kid):
                continue
            if LANG in kid:
                kid.Lang = pikepdf.String(_text(kid[LANG]))
            if LABEL in kid and kid.get("/S") == Name.Link:
                label = pikepdf.String(_text(kid[LABEL]))
                kid.Alt = label
                for item in _kids(kid):
                    if isinstance(item, Dictionary) and item.get("/Type") == Name.OBJR:
                        item.Obj.Contents = label
            for key in PRIVATE_KEYS:
                if key in kid:
                    del kid[key]
            self.languages_and_labels(kid)

    def unowned_to_artifacts(self, document: Any) -> None:
        """Marked content that no element of the tree owns (the running header and footer)."""
        owned = set(self.marked(document))
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        for position in range(0, len(nums), 2):
            key, value = int(nums[position]), nums[position + 1]
            if key >= len(self.pdf.pages) or not isinstance(value, Array):
                continue
            for mcid in range(len(value)):
                if (key, mcid) not in owned and mcid not in self.artifacts[key]:
                    self.artifacts[key][mcid] = ""

    def update_parent_tree(self) -> None:
        nums = self.pdf.Root.StructTreeRoot.ParentTree.Nums
        for position in range(1, len(nums), 2):
            value = nums[position]
            if isinstance(value, Array):
                page = int(nums[position - 1])
                for mcid in range(len(value)):
                    if mcid in self.artifacts.get(page, {}):
                        value[mcid] = pikepdf.Object.parse(b"null")
                    elif isinstance(value[mcid], Dictionary) and value[mcid].objgen in self.replaced:
                        value[mcid] = self._kept(value[mcid])
            elif isinstance(value, Dictionary) and value.objgen in self.replaced:
                nums[position] = self._kept(value)

    def _kept(self, element: Any) -> Any:
        while element.objgen in self.replaced:
            element = self.replaced[element.objgen]
        return element

    def mark_artifacts(self) -> None:
        for index, page in enumerate(self.pdf.pages):
            chosen = self.artifacts.get(index)
            if not chosen:
                continue
            content = _artifacts_in_place(page, chosen)
            if content is None:
                content = _artifacts_parsed(page, chosen)
            page.Contents = self.pdf.make_stream(unambiguous_end(content))

    def run(self) -> None:
        document = self.pdf.Root.StructTreeRoot.K
        document = document[0] if isinstance(document, Array) else document
        self.drop_hidden(document)
        self.join_split(document)
        self.questions_with_answers(document)
        self.flatten_links(document)
        self.languages_and_labels(document)
        self.unowned_to_artifacts(document)
        self.update_parent_tree()
        self.mark_artifacts()
        no_interpolation(self.pdf)
        declare_pdfua(self.pdf)


# How WeasyPrint (pydyf) writes the start of a tagged piece of a page: the tag, its MCID and
# the operator, one to a line. The text drawn in between is written as hexadecimal strings, so
# these bytes occur nowhere else in a page of the report.
_MARKED = re.compile(rb"/[A-Za-z0-9]+\n<</MCID (\d+)>>\nBDC(?=\s)")


def _artifact_properties(subtype: str) -> bytes:
    """What replaces an MCID's ``BDC`` line: an artifact of the page's layout, of a subtype."""
    subtype_entry = f" /Subtype {subtype}".encode() if subtype else b""
    return b"/Artifact\n<</Type /Pagination" + subtype_entry + b">>\nBDC"


def _artifacts_in_place(page: Any, chosen: dict[int, str]) -> bytes | None:
    """The page's content with the chosen marked content turned into artifacts, by rewriting
    only their ``BDC`` lines in the content as WeasyPrint wrote it; None when the page's content
    is not in that form (then the caller parses it)."""
    contents = page.obj.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return None
    content = contents.read_bytes()
    found: set[int] = set()

    def replace(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(1))
        if mcid not in chosen:
            return match.group()
        if mcid in found:
            raise ValueError("an MCID twice on one page")
        found.add(mcid)
        return _artifact_properties(chosen[mcid])

    try:
        rewritten = _MARKED.sub(replace, content)
    except ValueError:
        return None
    return rewritten if len(found) == len(chosen) else None


def _artifacts_parsed(page: Any, chosen: dict[int, str]) -> bytes:
    """The same, for any content stream: parsed and written again by pikepdf."""
    instructions = pikepdf.parse_content_stream(page)
    for position, instruction in enumerate(instructions):
        operands = instruction.operands
        if (
            str(instruction.operator) == "BDC"
            and len(operands) == 2
            and isinstance(operands[1], Dictionary)
            and "/MCID" in operands[1]
            and int(operands[1].MCID) in chosen
        ):
            properties = Dictionary(Type=Name.Pagination)
            if subtype := chosen[int(operands[1].MCID)]:
                properties.Subtype = Name(subtype)
            instructions[position] = pikepdf.ContentStreamInstruction(
                [Name.Artifact, properties], pikepdf.Operator("BDC")
            )
    return bytes(pikepdf.unparse_content_stream(instructions))


PDFUA_SCHEMA = """<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
"""


def no_interpolation(pdf: pikepdf.Pdf) -> None:
    """PDF/A forbids asking a viewer to smooth images (WeasyPrint asks it of the emoji's)."""
    for item in pdf.objects:
        if (
            isinstance(item, pikepdf.Stream)
            and item.get("/Subtype") == Name.Image
            and item.get("/Interpolate")
        ):
            item.Interpolate = False


def declare_pdfua(pdf: pikepdf.Pdf) -> None:
    """Add the PDF/UA-1 identifier to the XMP metadata, beside PDF/A's, with its schema."""
    stream = pdf.Root.get("/Metadata")
    if stream is None:
        return
    xmp = stream.read_bytes().decode("utf-8")
    if "pdfuaid:part" in xmp:
        return
    xmp = xmp.replace("</rdf:RDF>", PDFUA_SCHEMA + "</rdf:RDF>", 1)
    stream.write(xmp.encode("utf-8"))


def unambiguous_end(content: bytes) -> bytes:
    """A page's content whose compressed form does not end in a carriage return.

    A Flate stream ends with the Adler-32 checksum of what it holds; when its last byte is CR,
    the newline written before ``endstream`` reads as one CR LF end of line, and a validator
    counts the stream one byte shorter than its /Length (seen about once in 25 reports). A
    trailing newline is white space to a content stream and changes the checksum."""
    while zlib.adler32(content) & 0xFF == 0x0D:
        content += b"\n"
    return content


def finish(data: bytes) -> bytes:
    """The rendered PDF, finished for PDF/UA: same pages, same text, a truer structure."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        Finisher(pdf).run()
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()
