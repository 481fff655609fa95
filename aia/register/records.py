"""One register entry as a record other registers take in: the UK Algorithmic Transparency
Recording Standard (ATRS, version 3: tier 1 and tier 2) and the Dutch algorithm register
(Algoritmeregister). Both are made from the entry's open-data document (exports.entry_document),
so they say nothing the register does not already publish. A field we have nothing for is
null; docs/open-data.md lists them. The shapes are checked against our own JSON Schemas of
those standards (schema/atrs-record.schema.json, schema/algoritmeregister-record.schema.json),
written from their published field lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "schema"
ATRS_SCHEMA = SCHEMA_DIR / "atrs-record.schema.json"
ALGORITMEREGISTER_SCHEMA = SCHEMA_DIR / "algoritmeregister-record.schema.json"

ATRS_VERSION = "3.0"
ALGORITMEREGISTER_STANDARD = "1.0"

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
    """The entry as a record of the Dutch algorithm register (its field names; the values in
    the entry's own language); ``values`` are its answer_values."""
    withdrawn = document["status"] == "withdrawn"
    report = document.get("report") or {}
    oversight = _commitment(document, "Human oversight")
    privacy = _commitment(document, "Privacy, ethics and human rights")
    return {
        "standard_version": ALGORITMEREGISTER_STANDARD,
        "source_id": document["id"],
        "name": document["name"],
        "organization": document["agency"]["name"],
        "description_short": document["description"],
        "category": None,
        "website": _website(document.get("contact")) or document["url"],
        "status": "Buiten gebruik" if withdrawn else DUTCH_STATUS.get(str(values.get("stage")), "In gebruik"),
        "goal": document.get("summary"),
        "impact": document.get("decision"),
        "proportionality": None,
        "decision_making_process": document.get("decision"),
        "human_intervention": (oversight or {}).get("evidence") or (oversight or {}).get("status_label"),
        "risk_management": ", ".join(f["label"] for f in document.get("triage_flags", [])) or None,
        "legal_basis": document.get("legal_basis"),
        "lawful_basis": None,
        "dpia": None,
        "dpia_description": (privacy or {}).get("evidence"),
        "iama": True,
        "iama_description": (
            f"Algorithmic impact assessment, {document['impact_level_label']}"
            + (
                f", charter risk rating {document['charter_rating']}"
                if document.get("charter_rating")
                else ""
            )
            + (f": {report['url']}" if report.get("url") else "")
        ),
        "provider": None,
        "begin_date": _month(values.get("go_live")),
        "end_date": _month(document.get("withdrawn")),
        "contact_email": _email(document.get("contact")),
        "publication_category": "impactvolle algoritmes"
        if document["impact_level"] >= 2
        else "overige algoritmes",
        "lang": None,
        "url": document["url"],
    }


def _month(value: Any) -> str | None:
    """A date as the Dutch register takes it: year and month."""
    return value[:7] if isinstance(value, str) and len(value) >= 7 else None
