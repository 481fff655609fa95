"""Open data: one JSON document per entry, the whole register as JSON and CSV (streamed),
and an Atom feed. Field names are documented in docs/open-data.md and checked against
schema/register-entry.schema.json by the tests."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape  # nosec B406 (writes XML; nothing here parses any)

from sqlalchemy import Row

from ..i18n import LANGUAGES
from ..web_input import clean_text
from .models import RegisterEntry
from .services import ABOUT_ROLES


def escape(text: str) -> str:
    """Text for the feed: escaped, and without the characters XML cannot hold (text stored
    before the app cleaned its input may have them; one would break the feed for all)."""
    return xml_escape(clean_text(text))


# An entry, or a row of its table with the same attribute names (queries.iter_current).
EntryData = RegisterEntry | Row[Any]

SCHEMA_PATH = Path(__file__).parent / "schema" / "register-entry.schema.json"
LEVEL_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}

CSV_COLUMNS = [
    "id",
    "revision_id",
    "revision_number",
    "name",
    "agency_id",
    "agency_name",
    "description",
    "decision",
    "impact_level",
    "charter_rating",
    "fria_outcome",
    "fria_rating",
    "status",
    "published",
    "withdrawn",
    "withdrawal_reason",
    "contact",
    *ABOUT_ROLES,
    "report_url",
    "report_sha256",
    "report_language",
    *[f"report_{code}_{part}" for code in LANGUAGES for part in ("url", "sha256")],
    "revision_sha256",
    "url",
    "seal_sha256",
    "audit_anchor",
]


class Links:
    """The register's external URLs, built once per request from templates: calling url_for
    for each of 100,000 rows would cost more than writing them."""

    def __init__(self, url_for: Callable[..., str]):
        """``url_for`` builds absolute links (presentation.public_url_for)."""
        self._entry = url_for("register.entry", uid="__UID__")
        self._report = url_for("register.report", uid="__UID__", number=987654321)
        self._report_in = url_for(
            "register.report_in_language", uid="__UID__", number=987654321, lang="__L__"
        )
        self.schema = url_for("register.schema")
        self.feed = url_for("register.feed")
        self.index = url_for("register.index")

    def entry(self, uid: str) -> str:
        return self._entry.replace("__UID__", uid)

    def report(self, uid: str, number: int, language: str | None = None) -> str:
        """The reference copy's address, or the copy in ``language``'s."""
        url = self._report if language is None else self._report_in.replace("__L__", language)
        return url.replace("__UID__", uid).replace("987654321", str(number))


def entry_reports(entry: EntryData) -> list[dict[str, str]]:
    """The stored PDFs of an entry (``language``, ``sha256``), the reference copy first. An
    entry published when there was one PDF per revision has that one, in English (the
    language of every questionnaire then)."""
    if not entry.pdf_sha256:
        return []
    return list(entry.details.get("reports") or [{"language": "en", "sha256": entry.pdf_sha256}])


def entry_document(entry: EntryData, links: Links, history: Iterable[RegisterEntry] = ()) -> dict[str, Any]:
    """The open-data form of one entry (see docs/open-data.md)."""
    details = entry.details
    document = {
        "id": entry.system_uid,
        "revision": {
            "id": entry.revision_uid,
            "number": entry.revision_number,
            "sha256": details.get("revision_sha256"),
        },
        "name": entry.name,
        "agency": {"id": entry.agency_slug, "name": entry.agency_name},
        "description": entry.description,
        "decision": details.get("decision"),
        "summary": details.get("summary"),
        "impact_level": entry.impact_level,
        "impact_level_label": f"Level {LEVEL_NUMERALS[entry.impact_level]}",
        "impact_level_name": details.get("impact_level_name"),
        "charter_rating": entry.charter_rating,
        # A fundamental rights impact assessment (eu-fria): whether one was required, and its
        # rating (its worst remaining risk); null for the other questionnaires.
        "fria": dict(details["fria"]) if details.get("fria") else None,
        "obligations": details.get("obligations", []),
        "triage_flags": details.get("flags", []),
        "status": "withdrawn"
        if entry.state == "withdrawn"
        else ("superseded" if entry.state == "superseded" else "current"),
        "published": entry.published_dt.isoformat(),
        "withdrawn": (entry.ended_dt.isoformat() if entry.state == "withdrawn" and entry.ended_dt else None),
        "withdrawal_reason": entry.withdrawal_reason,
        "contact": details.get("contact"),
        **{role: (details.get("about", {}).get(role) or {}).get("text") for role in ABOUT_ROLES},
        "commitments": [
            {
                "title": c["title"],
                "status": c["status"],
                "status_label": c["status_text"],
                "evidence": c["evidence"],
            }
            for c in details.get("commitments", [])
        ],
        "questionnaire": {
            "key": details["questionnaire"]["key"],
            "version": details["questionnaire"]["version"],
        },
        "report": _report(entry, links),
        "reports": _reports(entry, links),
        "url": links.entry(entry.system_uid),
        "integrity": {
            "seal_sha256": entry.seal_sha256,
            "audit_anchor": f"{entry.anchor_event_id}:{entry.anchor_hash}" if entry.anchor_hash else None,
        },
    }
    earlier = [e for e in history if e.id != entry.id]
    if earlier:
        document["earlier_revisions"] = [
            {
                "revision": {"id": e.revision_uid, "number": e.revision_number},
                "published": e.published_dt.isoformat(),
                "ended": e.ended_dt.isoformat() if e.ended_dt else None,
                "status": e.state,
                "report": _report(e, links),
                "reports": _reports(e, links),
            }
            for e in earlier
        ]
    return document


def _report(entry: EntryData, links: Links) -> dict[str, Any] | None:
    """The reference copy: the one the entry's pdf_sha256 names."""
    reports = _reports(entry, links)
    return {**reports[0], "url": links.report(entry.system_uid, entry.revision_number)} if reports else None


def _reports(entry: EntryData, links: Links) -> list[dict[str, Any]]:
    return [
        {
            "url": links.report(entry.system_uid, entry.revision_number, stored["language"]),
            "sha256": stored["sha256"],
            "media_type": "application/pdf",
            "language": stored["language"],
        }
        for stored in entry_reports(entry)
    ]


def json_stream(
    entries: Iterable[EntryData], links: Links, generated: str, filters: dict[str, str] | None = None
) -> Iterator[str]:
    """The register as one JSON document; ``filters`` (as query arguments) say which entries
    it holds, empty for every current entry."""
    head = {"generated": generated, "schema": links.schema, "filters": filters or {}}
    chunk = [json.dumps(head, ensure_ascii=False)[:-1] + ',"entries":[\n']
    size, separator = 0, ""
    for entry in entries:
        text = separator + json.dumps(entry_document(entry, links), ensure_ascii=False)
        chunk.append(text)
        size += len(text)
        separator = ",\n"
        if size > 64 * 1024:
            yield "".join(chunk)
            chunk, size = [], 0
    chunk.append("\n]}\n")
    yield "".join(chunk)


def csv_row(entry: EntryData, links: Links) -> list[str]:
    doc = entry_document(entry, links)
    report = doc["report"] or {}
    values = {
        "id": doc["id"],
        "revision_id": doc["revision"]["id"],
        "revision_number": doc["revision"]["number"],
        "name": doc["name"],
        "agency_id": doc["agency"]["id"],
        "agency_name": doc["agency"]["name"],
        "description": doc["description"],
        "decision": doc["decision"] or "",
        "impact_level": doc["impact_level"],
        "charter_rating": doc["charter_rating"] or "",
        "fria_outcome": (doc["fria"] or {}).get("outcome") or "",
        "fria_rating": (doc["fria"] or {}).get("rating") or "",
        "status": doc["status"],
        "published": doc["published"],
        "withdrawn": doc["withdrawn"] or "",
        "withdrawal_reason": doc["withdrawal_reason"] or "",
        "contact": doc["contact"] or "",
        **{role: doc[role] or "" for role in ABOUT_ROLES},
        "report_url": report.get("url", ""),
        "report_sha256": report.get("sha256", ""),
        "report_language": report.get("language", ""),
        "revision_sha256": doc["revision"]["sha256"] or "",
        "url": doc["url"],
        "seal_sha256": doc["integrity"]["seal_sha256"] or "",
        "audit_anchor": doc["integrity"]["audit_anchor"] or "",
    }
    for copy in doc["reports"]:
        values[f"report_{copy['language']}_url"] = copy["url"]
        values[f"report_{copy['language']}_sha256"] = copy["sha256"]
    return [_csv_safe(str(values.get(c, ""))) for c in CSV_COLUMNS]


def _csv_safe(value: str) -> str:
    """Keep a spreadsheet from reading user text as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_stream(entries: Iterable[EntryData], links: Links) -> Iterator[str]:
    """CSV as spreadsheets open it without asking: UTF-8 with a byte order mark (Excel
    otherwise reads Arabic or emoji as another encoding), lines ending in CRLF (RFC 4180),
    and no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry, links))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def atom_feed(events, links: Links, updated: str) -> str:
    feed_url = links.feed
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>Algorithm register: publications and withdrawals</title>",
        f'<link rel="self" href="{escape(feed_url)}"/>',
        f'<link href="{escape(links.index)}"/>',
        f"<id>{escape(feed_url)}</id>",
        f"<updated>{escape(updated)}</updated>",
    ]
    for kind, when, entry in events:
        link = links.entry(entry.system_uid)
        verb = "Withdrawn" if kind == "withdrawn" else "Published"
        summary = (
            f"{verb}: revision {entry.revision_number} of {entry.name} "
            f"({entry.agency_name}), impact level {LEVEL_NUMERALS[entry.impact_level]}."
        )
        if entry.state == "withdrawn":
            summary += " The entry is withdrawn: its report, published before, still reads Published."
        if kind == "withdrawn" and entry.withdrawal_reason:
            summary += f" Reason: {entry.withdrawal_reason}"
        parts += [
            "<entry>",
            f"<title>{escape(verb)}: {escape(entry.name)}</title>",
            f'<link href="{escape(link)}"/>',
            *(
                f'<link rel="enclosure" type="application/pdf" hreflang="{escape(copy["language"])}" '
                f'href="{escape(links.report(entry.system_uid, entry.revision_number, copy["language"]))}"/>'
                for copy in entry_reports(entry)
            ),
            f"<id>{escape(link)}#{kind}-{escape(entry.revision_uid)}</id>",
            f"<updated>{when.isoformat()}</updated>",
            f"<author><name>{escape(entry.agency_name)}</name></author>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    parts.append("</feed>\n")
    return "\n".join(parts)
