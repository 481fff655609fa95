"""The report as an editable Word copy (DOCX), for people who review with tracked changes.

Built with python-docx from the same report context as the PDF (plain dicts, context.py), in
the context's language. Its first page says it is a copy and names its reference version: the
hashed PDF, with its SHA-256 and where to check it (or, for a revision not yet published, that
there is none). User text goes in as text runs, never as markup: python-docx writes it as XML
character data, so ``<b>`` stays the four characters it is. Characters XML cannot carry (control
characters) are left out; Arabic and Hebrew runs are marked right-to-left with their language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..i18n import _
from .scripts import runs_of

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return; lone
# surrogates; U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "ar": "ar-SA", "he": "he-IL"}


def clean(text: object) -> str:
    return NOT_XML.sub("", "" if text is None else str(text))


def _language(element: Any, language: str, attribute: str = "w:val") -> None:
    properties = element.get_or_add_rPr()
    tag = properties.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        properties.append(tag)
    tag.set(qn(attribute), LANGUAGE_TAGS.get(language, language))


class Writer:
    def __init__(self, language: str) -> None:
        self.document = Document()
        self.language = language
        normal = self.document.styles["Normal"]
        normal.font.name = "DejaVu Sans"
        normal.font.size = Pt(10)
        _language(normal.element, language)

    def runs(self, paragraph: Any, text: object, bold: bool = False) -> None:
        for piece, language in runs_of(clean(text)):
            run = paragraph.add_run(piece)
            run.bold = bold or None
            if language is not None:
                run.font.rtl = True
                _language(run._r, language, "w:bidi")

    def heading(self, text: object, level: int) -> None:
        heading = self.document.add_heading(level=level)
        self.runs(heading, text)

    def paragraph(self, text: object = "", bold: bool = False, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        self.runs(paragraph, text, bold)
        return paragraph

    def answer(self, text: object) -> None:
        """An answer as it was typed: a paragraph per blank-line-separated part, its single
        line breaks kept."""
        for part in re.split(r"\n\s*\n", clean(text)) or [""]:
            self.paragraph(part)

    def pair(self, label: object, text: object) -> None:
        self.paragraph(label, bold=True).paragraph_format.keep_with_next = True
        self.answer(text if text else _("Not answered"))

    def bullet(self, text: object) -> None:
        self.paragraph(text, style="List Bullet")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def reference_notice(writer: Writer, r: Mapping[str, Any], reference: Mapping[str, Any]) -> None:
    """The first thing on the first page: a copy, and which file is the reference."""
    box = writer.paragraph(_("Editable copy"), bold=True)
    box.runs[0].font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)
    box.runs[0].font.size = Pt(14)
    if reference.get("pdf_sha256"):
        writer.paragraph(
            _(
                "This document is a copy of the transparency report for reviewing and tracking "
                "changes. It is not the agency's report: the reference version is the PDF "
                "report of revision %(number)s published in the public register, whose SHA-256 "
                "is:",
                number=r["revision"]["number"],
            )
        )
        writer.paragraph(reference["pdf_sha256"], bold=True).runs[0].font.name = "DejaVu Sans Mono"
        where = reference.get("register_url")
        writer.paragraph(
            _(
                "To check a PDF you hold, compute its SHA-256 (for example with sha256sum) and "
                "compare it with this value and with the one on the register's entry: %(where)s.",
                where=where,
            )
            if where
            else _(
                "To check a PDF you hold, compute its SHA-256 (for example with sha256sum) and "
                "compare it with this value and with the one on the system's entry in the "
                "public register."
            )
        )
    else:
        writer.paragraph(
            _(
                "This document is a copy of a preview for reviewing and tracking changes. "
                "Revision %(number)s is not published: there is no reference PDF yet, and only "
                "the copy the register will publish is the agency's report.",
                number=r["revision"]["number"],
            )
        )
    writer.paragraph(
        _(
            "The answers and scores of this revision have the SHA-256 %(sha256)s, recorded when it "
            "was submitted.",
            sha256=r["revision"]["sha256"],
        )
    )


def cover(writer: Writer, r: Mapping[str, Any]) -> None:
    writer.paragraph(_("Transparency report on an automated decision system"))
    writer.heading(r["system"]["name"], 0)
    writer.paragraph(r["agency"]["name"], bold=True)
    if r["system"]["description"]:
        writer.answer(r["system"]["description"])
    scores = r["scores"]
    charter = r.get("charter") or {}
    revision, questionnaire = r["revision"], r["questionnaire"]
    status = revision["status"] if r["published"] else f"{revision['status']} {_('(not published)')}"
    level = _(
        "Level %(numeral)s: %(name)s",
        numeral=scores.get("impact_level_numeral", ""),
        name=scores.get("impact_level_name", ""),
    )
    facts = [
        (
            _("Revision"),
            _("%(number)s, submitted %(date)s", number=revision["number"], date=revision["submitted_date"]),
        ),
        (_("Impact level"), level),
        (_("Charter risk rating"), charter.get("label") or _("Not rated")),
        (_("Status"), status),
        (_("Submitted"), revision["submitted"]),
        (
            _("Questionnaire"),
            _(
                "%(title)s, version %(version)s",
                title=questionnaire["title"],
                version=questionnaire["version"],
            ),
        ),
    ]
    table = writer.document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(clean(label)).bold = True
        writer.runs(cells[1].paragraphs[0], value)


def body(writer: Writer, r: Mapping[str, Any]) -> None:
    scores = r["scores"]
    writer.heading(_("Summary"), 1)
    for item in r["summary"]:
        writer.pair(item["heading"], item["text"])
    if r.get("charter"):
        charter = r["charter"]
        writer.heading(_("Charter risk rating"), 1)
        meaning = f" — {charter['meaning']}" if charter.get("meaning") else ""
        writer.paragraph(f"{charter.get('label') or _('Not rated')}{meaning}")
    writer.heading(_("Impact level and score"), 1)
    final = _(
        "Final score %(final)s of %(max)s: impact level %(numeral)s",
        final=scores.get("final_score"),
        max=scores.get("risk", {}).get("max"),
        numeral=scores.get("impact_level_numeral"),
    )
    writer.paragraph(final)
    for area in r["risk_areas"]:
        writer.bullet(
            _("%(area)s %(points)s of %(max)s", area=area["area"], points=area["points"], max=area["max"])
        )
    writer.heading(_("Triage flags"), 1)
    if not r["flags"]:
        writer.paragraph(_("No triage answer raised a flag."))
    for flag in r["flags"]:
        writer.heading(flag["label"], 2)
        if flag.get("description"):
            writer.paragraph(flag["description"])
        for raiser in flag.get("raised_by", []):
            writer.bullet(f"{raiser['label']} {_('Answer:')} {raiser['answer_text']}")
    if r["commitments"]:
        writer.heading(_("Charter commitments"), 1)
        for commitment in r["commitments"]:
            writer.heading(commitment["title"], 2)
            writer.paragraph(f"{_('Status:')} {commitment['status']}")
            writer.pair(_("Evidence"), commitment["evidence"] or _("No evidence given."))
    writer.heading(_("Obligations for level %(numeral)s", numeral=scores.get("impact_level_numeral")), 1)
    for obligation in r["obligations"]:
        writer.pair(obligation["area"], obligation["text"])
    writer.heading(_("Mitigation measures"), 1)
    mitigation = r["mitigation"]
    writer.paragraph(
        _(
            "Mitigation points: %(points)s of %(max)s.",
            points=mitigation.get("points"),
            max=mitigation.get("max"),
        )
    )
    for measure in mitigation["measures"]:
        answer = measure["answer"] or _("not answered")
        points = _("%(points)s of %(max)s points", points=measure["points"], max=measure["max"])
        writer.bullet(f"{measure['label']} {_('Answer:')} {answer} · {points}")
    for plan in mitigation["plans"]:
        writer.pair(plan["label"], plan["text"])
    writer.heading(_("All answers"), 1)
    for step in r["steps"]:
        writer.heading(step["title"], 2)
        for question in step["questions"]:
            writer.pair(question["label"], question["answer"])


def record(writer: Writer, r: Mapping[str, Any]) -> None:
    writer.heading(_("Review and revision history"), 1)
    if r["sign_off"]:
        writer.heading(_("Sign-off"), 2)
        for row in r["sign_off"]:
            writer.pair(row["label"], row["answer"])
    if r.get("reviews"):
        writer.heading(_("Review and approval"), 2)
        for row in r["reviews"]:
            writer.bullet(
                " · ".join(
                    clean(v) for v in (row["when"], row["decision"], row["reviewer"], row["comment"]) if v
                )
            )
    if r.get("history"):
        writer.heading(_("Events"), 2)
        for row in r["history"]:
            writer.bullet(
                " · ".join(clean(v) for v in (row["when"], row["event"], row["actor"], row["note"]) if v)
            )
    if r.get("anchor"):
        writer.paragraph(
            _(
                "The agency's audit trail, a chain of hashed events, stood at event "
                "%(event)s when this report was published; that event's SHA-256 is below. "
                "Whoever keeps this line can have the trail checked later: no event up to "
                "this one can then be removed or rewritten unnoticed.",
                event=r["anchor"]["event"],
            )
        )
        line = writer.paragraph(f"{r['anchor']['event']}:{r['anchor']['hash']}", bold=True)
        line.runs[0].font.name = "DejaVu Sans Mono"
    writer.heading(_("Revisions of this system"), 2)
    for rev in r["revisions"]:
        line = _(
            "submitted %(date)s, level %(level)s, %(status)s",
            date=rev["submitted"],
            level=rev["impact_level"],
            status=str(rev["status"]).lower(),
        )
        this = f" {_('(this report)')}" if rev["this"] else ""
        writer.bullet(
            f"{_('Revision %(number)s', number=rev['number'])}{this}: {line} · SHA-256 {rev['sha256']}"
        )


def build_docx(report: Mapping[str, Any], reference: Mapping[str, Any], language: str) -> bytes:
    """The editable copy of a report context. ``reference`` holds ``pdf_sha256`` (the
    published PDF's hash, absent for a preview) and ``register_url`` (where the register's
    entry is, when the public address is configured)."""
    writer = Writer(language)
    reference_notice(writer, report, reference)
    cover(writer, report)
    body(writer, report)
    record(writer, report)
    properties = writer.document.core_properties
    title = _(
        "Transparency report: %(name)s, revision %(number)s",
        name=report["system"]["name"],
        number=report["revision"]["number"],
    )
    properties.title = clean(title)
    properties.author = clean(report["agency"]["name"])
    properties.language = LANGUAGE_TAGS.get(language, language)
    properties.comments = clean(_("Editable copy"))
    submitted = dt.datetime.strptime(report["revision"]["submitted_iso"], "%Y-%m-%dT%H:%M:%SZ")
    properties.created = properties.modified = submitted
    properties.last_modified_by = "aia"
    properties.revision = 1
    return writer.save()
