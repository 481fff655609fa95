"""One register entry as a record other registers take in: the UK Algorithmic Transparency
Recording Standard (ATRS, version 3: tier 1 and tier 2) and the Dutch algorithm register
(Algoritmeregister). Both are made from the entry's open-data document (exports.entry_document),
so they say nothing the register does not already publish. A field we have nothing for is
null; docs/open-data.md lists them. The shapes are checked against our own JSON Schemas of
those standards (schema/atrs-record.schema.json, written from the ATRS's published field list;
schema/algoritmeregister-record.schema.json, following the Dutch register's field configuration
for its publication standard 1.0.0)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "schema"
ATRS_SCHEMA = SCHEMA_DIR / "atrs-record.schema.json"
ALGORITMEREGISTER_SCHEMA = SCHEMA_DIR / "algoritmeregister-record.schema.json"

ATRS_VERSION = "3.0"
ALGORITMEREGISTER_STANDARD = "1.0.0"
# ISO 639-3, as the Dutch standard names a record's language (it lists only "nld" so far: our
# records are in the entry's language, English or French, and say so).
LANGUAGE_CODES = {"en": "eng", "fr": "fra", "nl": "nld"}

# Our stages (the stage role's answers) as the ATRS names a tool's phase, and as the Dutch
# register names its status.
ATRS_PHASES = {
    "planned": "Pre-deployment",
    "pilot": "Beta/pilot",
    "in_use": "Production",
    "retiring": "Retired",
}
DUTCH_STATUS = {"planned": "In ontwikkeling", "pilot": "In ontwikkeling", "in_use": "In gebruik"}


def answer_values(details: dict[str, Any]) -> dict[str, Any]:
    """The entry's answers about the system as stored (a choice's value, a date), by role."""
    return {role: part.get("value") for role, part in details.get("about", {}).items()}


def _day(timestamp: str | None) -> str | None:
    return timestamp[:10] if timestamp else None


def _email(contact: str | None) -> str | None:
    text = (contact or "").strip()
    return text if "@" in text and " " not in text and not text.startswith("http") else None


def _website(contact: str | None) -> str | None:
    text = (contact or "").strip()
    return text if text.startswith("https://") and " " not in text else None


def _commitment(document: dict[str, Any], title: str) -> dict[str, Any] | None:
    return next((c for c in document.get("commitments", []) if c["title"] == title), None)


def _risks(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"risk_name": flag["label"], "risk_description": None, "risk_mitigation": None}
        for flag in document.get("triage_flags", [])
    ]


def atrs_record(document: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The entry as an ATRS record (tier 1 for the public, tier 2 for specialists);
    ``values`` are its answer_values."""
    report = document.get("report") or {}
    oversight = _commitment(document, "Human oversight")
    withdrawn = document["status"] == "withdrawn"
    assessment_name = f"Algorithmic impact assessment, revision {document['revision']['number']}"
    level = ": ".join(p for p in (document["impact_level_label"], document.get("impact_level_name")) if p)
    phase = "Retired" if withdrawn else ATRS_PHASES.get(str(values.get("stage")))
    return {
        "schema": "uk-atrs",
        "schema_version": ATRS_VERSION,
        "identifier": document["id"],
        "tier_1": {
            "name": document["name"],
            "description": document["description"] or document.get("summary"),
            "website": _website(document.get("contact")) or document["url"],
            "contact_email": _email(document.get("contact")),
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation": document["agency"]["name"],
                "team": None,
                "senior_responsible_owner": None,
                "external_supplier_involvement": _supplier(values.get("built_by")),
                "external_supplier": None,
            },
            "description_and_rationale": {
                "detailed_description": document.get("summary"),
                "scope": document.get("decision"),
                "benefit": None,
                "previous_process": None,
                "alternatives_considered": None,
            },
            "decision_making_process": {
                "process_integration": document.get("decision"),
                "provided_information": None,
                "frequency_and_scale_of_usage": None,
                "human_decisions_and_review": (oversight or {}).get("evidence"),
                "required_training": None,
                "appeals_and_review": None,
            },
            "tool_specification": {
                "phase": phase,
                "date_of_deployment": values.get("go_live")
                if isinstance(values.get("go_live"), str)
                else None,
                "maintenance": document.get("next_review"),
            },
            "risks_mitigations_and_impact_assessments": {
                "impact_assessments": [
                    {
                        "assessment_name": assessment_name,
                        "assessment_description": level,
                        "date_completed": _day(document["published"]),
                        "link": report.get("url"),
                    }
                ],
                "risks": _risks(document),
            },
        },
        "metadata": {
            "status": document["status"],
            "date_published": _day(document["published"]),
            "date_withdrawn": _day(document.get("withdrawn")),
            "source": document["url"],
        },
    }


def _supplier(built_by: Any) -> bool | None:
    return {"in_house": False, "supplier": True, "mixed": True}.get(str(built_by))


def algoritmeregister_record(document: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The entry as a record of the Dutch algorithm register, in the field names of its
    publication standard 1.0.0 (the values in the entry's own language, which ``lang`` names);
    ``values`` are its answer_values."""
    withdrawn = document["status"] == "withdrawn"
    report = document.get("report") or {}
    oversight = _commitment(document, "Human oversight")
    privacy = _commitment(document, "Privacy, ethics and human rights")
    goal = "\n\n".join(t for t in (document.get("summary"), document.get("decision")) if t) or None
    flags = ", ".join(f["label"] for f in document.get("triage_flags", []))
    assessment = f"Algorithmic impact assessment, {document['impact_level_label']}" + (
        f", charter risk rating {document['charter_rating']}" if document.get("charter_rating") else ""
    )
    return {
        "name": _cut(document["name"], 100),
        "description_short": _cut(document["description"] or document["name"], 350),
        "organization": _cut(document["agency"]["name"], 100),
        "category": [],
        "status": "Buiten gebruik" if withdrawn else DUTCH_STATUS.get(str(values.get("stage")), "In gebruik"),
        "begin_date": _month(values.get("go_live")),
        "end_date": _month(document.get("withdrawn")),
        "contact_email": _cut(document.get("contact") or document["url"], 500),
        "website": _website(document.get("contact")),
        "publication_category": "Impactvolle algoritmes"
        if document["impact_level"] >= 2
        else "Overige algoritmes",
        "url": document["url"],
        "goal": _cut(goal, 2500),
        "proportionality": None,
        "human_intervention": _cut(
            (oversight or {}).get("evidence") or (oversight or {}).get("status_label"), 2500
        ),
        "risks": _cut(f"Concerns raised by the assessment: {flags}." if flags else None, 2500),
        "lawful_basis": _cut(document.get("legal_basis"), 2500),
        "lawful_basis_grouping": [],
        "process_index_url": None,
        "impacttoetsen_grouping": [{"title": assessment, "link": report["url"]}] if report.get("url") else [],
        "impacttoetsen": _cut((privacy or {}).get("evidence"), 2500),
        "source_data": None,
        "source_data_grouping": [],
        "methods_and_models": None,
        "provider": "Intern ontwikkeld" if values.get("built_by") == "in_house" else None,
        "publiccode": None,
        "lang": LANGUAGE_CODES.get(str(report.get("language")), "eng"),
        "standard_version": ALGORITMEREGISTER_STANDARD,
        "source_id": document["id"],
        "tags": None,
    }


def _cut(text: str | None, most: int) -> str | None:
    """A text within a field's length in the Dutch standard, cut at a word with an ellipsis."""
    if not text or len(text) <= most:
        return text
    return text[: most - 1].rsplit(" ", 1)[0] + "…"


def _month(value: Any) -> str | None:
    """A date as the Dutch register takes it: year and month."""
    return value[:7] if isinstance(value, str) and len(value) >= 7 else None
