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
from xml.sax.saxutils import escape

from .models import RegisterEntry

SCHEMA_PATH = Path(__file__).parent / "schema" / "register-entry.schema.json"
LEVEL_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}

CSV_COLUMNS = [
    "id", "revision_id", "revision_number", "name", "agency_id", "agency_name", "description",
    "decision", "impact_level", "charter_rating", "status", "published", "withdrawn",
    "withdrawal_reason", "contact", "report_url", "report_sha256", "revision_sha256", "url",
]

UrlFor = Callable[..., str]


def entry_document(entry: RegisterEntry, url_for: UrlFor,
                   history: Iterable[RegisterEntry] = ()) -> dict[str, Any]:
    """The open-data form of one entry (see docs/open-data.md)."""
    details = entry.details
    document = {
        "id": entry.system_uid,
        "revision": {"id": entry.revision_uid, "number": entry.revision_number,
                     "sha256": details.get("revision_sha256")},
        "name": entry.name,
        "agency": {"id": entry.agency_slug, "name": entry.agency_name},
        "description": entry.description,
        "decision": details.get("decision"),
        "summary": details.get("summary"),
        "impact_level": entry.impact_level,
        "impact_level_label": f"Level {LEVEL_NUMERALS[entry.impact_level]}",
        "impact_level_name": details.get("impact_level_name"),
        "charter_rating": entry.charter_rating,
        "obligations": details.get("obligations", []),
        "triage_flags": details.get("flags", []),
        "status": "withdrawn" if entry.state == "withdrawn" else (
            "superseded" if entry.state == "superseded" else "current"),
        "published": entry.published_dt.isoformat(),
        "withdrawn": entry.ended_dt.isoformat() if entry.state == "withdrawn" else None,
        "withdrawal_reason": entry.withdrawal_reason,
        "contact": details.get("contact"),
        "questionnaire": {"key": details["questionnaire"]["key"],
                          "version": details["questionnaire"]["version"]},
        "report": _report(entry, url_for),
        "url": url_for("register.entry", uid=entry.system_uid, _external=True),
    }
    earlier = [e for e in history if e.id != entry.id]
    if earlier:
        document["earlier_revisions"] = [
            {"revision": {"id": e.revision_uid, "number": e.revision_number},
             "published": e.published_dt.isoformat(),
             "ended": e.ended_dt.isoformat() if e.ended_dt else None,
             "status": e.state, "report": _report(e, url_for)} for e in earlier]
    return document


def _report(entry: RegisterEntry, url_for: UrlFor) -> dict[str, Any] | None:
    if not entry.pdf_sha256:
        return None
    return {"url": url_for("register.report", uid=entry.system_uid,
                           number=entry.revision_number, _external=True),
            "sha256": entry.pdf_sha256, "media_type": "application/pdf"}


def json_stream(entries: Iterable[RegisterEntry], url_for: UrlFor,
                generated: str) -> Iterator[str]:
    schema = url_for("register.schema", _external=True)
    yield ('{"generated":' + json.dumps(generated) + ',"schema":' + json.dumps(schema)
           + ',"entries":[\n')
    first = True
    for entry in entries:
        yield ("" if first else ",\n") + json.dumps(entry_document(entry, url_for),
                                                    ensure_ascii=False)
        first = False
    yield "\n]}\n"


def csv_row(entry: RegisterEntry, url_for: UrlFor) -> list[str]:
    doc = entry_document(entry, url_for)
    report = doc["report"] or {}
    values = {
        "id": doc["id"], "revision_id": doc["revision"]["id"],
        "revision_number": doc["revision"]["number"], "name": doc["name"],
        "agency_id": doc["agency"]["id"], "agency_name": doc["agency"]["name"],
        "description": doc["description"], "decision": doc["decision"] or "",
        "impact_level": doc["impact_level"], "charter_rating": doc["charter_rating"] or "",
        "status": doc["status"], "published": doc["published"],
        "withdrawn": doc["withdrawn"] or "", "withdrawal_reason": doc["withdrawal_reason"] or "",
        "contact": doc["contact"] or "", "report_url": report.get("url", ""),
        "report_sha256": report.get("sha256", ""),
        "revision_sha256": doc["revision"]["sha256"] or "", "url": doc["url"],
    }
    return [_csv_safe(str(values[c])) for c in CSV_COLUMNS]


def _csv_safe(value: str) -> str:
    """Keep a spreadsheet from reading user text as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_stream(entries: Iterable[RegisterEntry], url_for: UrlFor) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry, url_for))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def atom_feed(events, url_for: UrlFor, updated: str) -> str:
    feed_url = url_for("register.feed", _external=True)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>Algorithm register: publications and withdrawals</title>",
        f'<link rel="self" href="{escape(feed_url)}"/>',
        f'<link href="{escape(url_for("register.index", _external=True))}"/>',
        f"<id>{escape(feed_url)}</id>", f"<updated>{escape(updated)}</updated>",
    ]
    for kind, when, entry in events:
        link = url_for("register.entry", uid=entry.system_uid, _external=True)
        verb = "Withdrawn" if kind == "withdrawn" else "Published"
        summary = (f"{verb}: revision {entry.revision_number} of {entry.name} "
                   f"({entry.agency_name}), impact level {LEVEL_NUMERALS[entry.impact_level]}.")
        if kind == "withdrawn" and entry.withdrawal_reason:
            summary += f" Reason: {entry.withdrawal_reason}"
        parts += [
            "<entry>",
            f"<title>{escape(verb)}: {escape(entry.name)}</title>",
            f'<link href="{escape(link)}"/>',
            f"<id>{escape(link)}#{kind}-{escape(entry.revision_uid)}</id>",
            f"<updated>{when.isoformat()}</updated>",
            f"<author><name>{escape(entry.agency_name)}</name></author>",
            f"<summary>{escape(summary)}</summary>",
            "</entry>",
        ]
    parts.append("</feed>\n")
    return "\n".join(parts)
