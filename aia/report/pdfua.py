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
LIST_PARTS = ("/Lbl", "/LBody")


@contextmanager
def trace_sources() -> Iterator[None]:
    """While rendering, note on each structure element the HTML element it comes from (and
    let pydyf build its list of page references once, not once per element)."""
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
    references = pydyf.PDF.page_references
    pydyf.PDF.page_references = property(_page_references)  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        tags._build_box_tree = original
        pydyf.PDF.page_references = references  # type: ignore[method-assign]


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, built once per page count: pydyf builds the tuple of
    every page's reference each time it is asked, and WeasyPrint asks once per structure
    element (10,000 times for a report of 90 pages)."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_aia_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_aia_page_references"] = cached
    return cached[1]


class _Element:
    """A structure element as read from the file, once: the keys the finishing reads, and its
    kids as Python objects. The steps below change these; ``Finisher.write`` puts the result
    back in the file. (Reading and writing a pikepdf object costs a call into QPDF each time:
    a report of 90 pages has some 10,000 elements, walked by six steps.)"""

    __slots__ = (
        "obj",
        "key",
        "s",
        "page",
        "page_key",
        "source",
        "tag",
        "css_class",
        "lang",
        "label",
        "hidden",
        "private",
        "kids",
        "parent",
        "moved",
        "renamed",
    )

    def __init__(self, obj: Any, parent: _Element | None) -> None:
        self.obj = obj
        self.key = obj.objgen
        self.parent = parent
        self.moved = False  # given a new parent
        self.renamed = False  # given a new structure type
        self.kids: list[Any] = []
        self.s = ""
        self.page: Any = None
        self.page_key: tuple[int, int] | None = None
        self.source: Any = None
        self.tag = self.css_class = ""
        self.lang: str | None = None
        self.label: str | None = None
        self.hidden = False
        self.private: list[str] = []

    def rename(self, structure_type: str) -> None:
        self.s = structure_type
        self.renamed = True

    def adopt(self, kid: Any) -> None:
        """``kid`` (whatever its parent was) becomes this element's last kid."""
        if isinstance(kid, _Element):
            kid.parent = self
            kid.moved = True
        self.kids.append(kid)


class _Content:
    """Marked content referenced with its page (``/Type /MCR``): read from the file (``raw``),
    or made from an MCID when an element's kids come to span several pages."""

    __slots__ = ("page", "page_key", "mcid", "raw")

    def __init__(self, page: Any, page_key: tuple[int, int] | None, mcid: int, raw: Any = None) -> None:
        self.page, self.page_key, self.mcid, self.raw = page, page_key, mcid, raw


class _ObjectReference:
    """A kid that refers to an annotation (``/Type /OBJR``)."""

    __slots__ = ("raw", "target")

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.target = raw.Obj.objgen


# The private keys WeasyPrint's tagging was given that hold text, and where _Element keeps them.
_TEXT_ATTRIBUTES = {TAG: "tag", CLASS: "css_class", LANG: "lang", LABEL: "label"}


def _read(obj: Any, parent: _Element | None, nodes: list[_Element]) -> _Element:
    """The element ``obj`` and everything under it."""
    element = _Element(obj, parent)
    nodes.append(element)
    kids = None
    for key, value in obj.items():
        if key == "/K":
            kids = value
        elif key == "/S":
            element.s = str(value)
        elif key == "/Pg":
            element.page, element.page_key = value, value.objgen
        elif key in PRIVATE_KEYS:
            element.private.append(key)
            if key == SOURCE:
                element.source = int(value)
            elif key == HIDDEN:
                element.hidden = bool(value)
            else:
                setattr(element, _TEXT_ATTRIBUTES[key], str(value))
    if kids is None:
        return element
    for kid in kids if isinstance(kids, Array) else (kids,):
        if isinstance(kid, Dictionary):
            if "/S" in kid:
                kid = _read(kid, element, nodes)
            else:
                kind = kid.get("/Type")
                if kind == Name.MCR:
                    page = kid.get("/Pg")
                    kid = _Content(page, None if page is None else page.objgen, int(kid.MCID), kid)
                elif kind == Name.OBJR:
                    kid = _ObjectReference(kid)
        element.kids.append(kid)
    return element


def _written(kid: Any) -> Any:
    if isinstance(kid, _Element):
        return kid.obj
    if isinstance(kid, _Content):
        if kid.raw is None:
            return Dictionary(Type=Name.MCR, Pg=kid.page, MCID=kid.mcid)
        return kid.raw
    if isinstance(kid, _ObjectReference):
        return kid.raw
    return kid


class Finisher:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        self.artifacts: dict[int, dict[int, str]] = defaultdict(dict)  # page -> MCID -> subtype
        self.replaced: dict[tuple[int, int], _Element] = {}  # dropped element -> kept one
        self.nodes: list[_Element] = []  # every element read, in the order read

    # Marked content of a subtree: (page index, MCID).
    def marked(self, element: _Element) -> Iterator[tuple[int, int]]:
        for kid in element.kids:
            if isinstance(kid, _Element):
                yield from self.marked(kid)
            elif isinstance(kid, _Content):
                page_key = element.page_key if kid.page_key is None else kid.page_key
                if page_key is None:
                    raise ValueError("a marked-content reference with no page")
                yield self.page_index[page_key], kid.mcid
            elif isinstance(kid, int):
                if element.page_key is not None:
                    yield self.page_index[element.page_key], int(kid)

    def drop_hidden(self, element: _Element) -> None:
        kept = []
        for kid in element.kids:
            if isinstance(kid, _Element):
                if kid.hidden:
                    subtype = "/Watermark" if "watermark" in kid.css_class else ""
                    for page, mcid in self.marked(kid):
                        self.artifacts[page][mcid] = subtype
                    continue
                self.drop_hidden(kid)
            kept.append(kid)
        element.kids = kept

    @staticmethod
    def _own_content(element: _Element) -> None:
        """Integer MCIDs become marked-content references naming their page, so that the
        element's kids may come from several pages."""
        if element.page is None:
            return
        element.kids = [
            _Content(element.page, element.page_key, kid) if isinstance(kid, int) else kid
            for kid in element.kids
        ]

    def join_split(self, element: _Element) -> None:
        """Join kids that are parts, on consecutive pages, of one HTML element."""
        joined: list[Any] = []
        for kid in element.kids:
            previous = joined[-1] if joined else None
            if (
                isinstance(kid, _Element)
                and isinstance(previous, _Element)
                and kid.source is not None
                and kid.source == previous.source
                and kid.s == previous.s
            ):
                self._own_content(previous)
                self._own_content(kid)
                for grandchild in kid.kids:
                    previous.adopt(grandchild)
                self.replaced[kid.key] = previous
                continue
            joined.append(kid)
        element.kids = joined
        for kid in joined:
            if isinstance(kid, _Element):
                self.join_split(kid)

    def questions_with_answers(self, element: _Element) -> None:
        """``L > Div.qa > (LI > LBody dt), (LI > LBody dd)`` becomes ``L > LI > Lbl, LBody``;
        a list item's strays go into its body."""
        for kid in element.kids:
            if not isinstance(kid, _Element):
                continue
            if ("qa" in kid.css_class.split() or kid.tag == "div") and element.s == "/L":
                kid.rename("/LI")
                parts = kid.kids
                kid.kids = []
                for item in parts:
                    if not isinstance(item, _Element):
                        continue
                    is_item = item.s == "/LI"
                    for part in [i for i in item.kids if isinstance(i, _Element)] if is_item else [item]:
                        part.rename("/Lbl" if part.tag == "dt" else "/LBody")
                        kid.adopt(part)
                    if is_item:
                        self.replaced[item.key] = kid
            if kid.s == "/LI":
                self.list_item_body(kid)
            self.questions_with_answers(kid)

    @staticmethod
    def list_item_body(item: _Element) -> None:
        """What a list item holds besides its label and body (an inline that followed the
        first) goes into its body."""

        def stray(kid: Any) -> bool:
            return isinstance(kid, _Element) and kid.s not in LIST_PARTS

        body = next((k for k in item.kids if isinstance(k, _Element) and k.s == "/LBody"), None)
        strays = [k for k in item.kids if stray(k)]
        if body is None or not strays:
            return
        for kid in strays:
            body.adopt(kid)
        item.kids = [k for k in item.kids if not stray(k)]

    def flatten_links(self, element: _Element) -> None:
        """A link's pseudo-elements (the contents' leader and page number) become part of the
        link itself, not links nested in it."""
        flat: list[Any] = []
        annotations = {kid.target for kid in element.kids if isinstance(kid, _ObjectReference)}
        for kid in element.kids:
            if isinstance(kid, _Element):
                self.flatten_links(kid)
                if kid.s == "/Link" and element.s == "/Link":
                    self._own_content(kid)
                    for grandchild in kid.kids:
                        if isinstance(grandchild, _ObjectReference):
                            if grandchild.target in annotations:
                                continue  # the same annotation, once
                            annotations.add(grandchild.target)
                        if isinstance(grandchild, _Element):
                            grandchild.parent = element
                            grandchild.moved = True
                        flat.append(grandchild)
                    self.replaced[kid.key] = element
                    continue
            flat.append(kid)
        element.kids = flat

    def write(self) -> None:
        """Every element read gets its kids (as an array) and, where they changed, its parent
        and structure type."""
        for element in self.nodes:
            obj = element.obj
            obj.K = Array([_written(kid) for kid in element.kids])
            if element.moved and element.parent is not None:
                obj.P = element.parent.obj
            if element.renamed:
                obj.S = Name(element.s)

    def languages_and_labels(self, element: _Element) -> None:
        for kid in element.kids:
            if not isinstance(kid, _Element):
                continue
            obj = kid.obj
            if kid.lang is not None:
                obj.Lang = pikepdf.String(kid.lang)
            if kid.label is not None and kid.s == "/Link":
                label = pikepdf.String(kid.label)
                obj.Alt = label
                for item in kid.kids:
                    if isinstance(item, _ObjectReference):
                        item.raw.Obj.Contents = label
            for key in kid.private:
                del obj[key]
            self.languages_and_labels(kid)

    def unowned_to_artifacts(self, document: _Element) -> None:
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
                        value[mcid] = self._kept(value[mcid].objgen)
            elif isinstance(value, Dictionary) and value.objgen in self.replaced:
                nums[position] = self._kept(value.objgen)

    def _kept(self, key: tuple[int, int]) -> Any:
        element = self.replaced[key]
        while element.key in self.replaced:
            element = self.replaced[element.key]
        return element.obj

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
        root = self.pdf.Root.StructTreeRoot.K
        document = _read(root[0] if isinstance(root, Array) else root, None, self.nodes)
        self.drop_hidden(document)
        self.join_split(document)
        self.questions_with_answers(document)
        self.flatten_links(document)
        self.write()
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
    """The rendered PDF, finished for PDF/UA: same pages, same text, a truer structure; its
    streams compressed and its objects in object streams (the renderer writes neither)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            Finisher(pdf).run()
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            fix_metadata_version=False,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
