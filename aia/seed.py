"""Demo data: agencies and systems in different states, with awkward text on purpose
(emoji, right-to-left script, very long words, text that looks like HTML)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .accounts.models import Agency
from .assessments import services
from .assessments.models import System
from .engine import Registry

AWKWARD_LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
HTML_LOOKALIKE = '<script>alert("x")</script> <img src=x onerror=alert(1)> & <b>bold</b>'

AGENCIES = [
    ("benefits", "Benefits and Family Agency 👪"),
    ("city-transport", "City Transport Department"),
    ("hay-ministry", "وزارة الإسكان – Housing Ministry"),
]

STARTER_FULL = {
    "decision": "Who is invited to a benefit review interview 📋",
    "purpose": ("Ranks new benefit claims so that reviewers look first at those most likely to "
                "contain an error.\n\nSecond paragraph: the ranking never refuses a claim."),
    "go_live": "2025-03-31",
    "people_per_year": 125000,
    "decision_area": "services",
    "affects_rights": "yes",
    "uses_group_data": "unsure",
    "black_box": "no",
    "harm_likelihood": "occasional",
    "harm_impact": "high",
    "harm_description": f"A claimant could wait weeks for money. {HTML_LOOKALIKE}",
    "data_kinds": ["administrative", "other_agencies"],
    "group_effects": "Monthly comparison of review rates by age band and region. مراجعة شهرية",
    "human_review": "yes",
    "appeal": "yes",
    "measures": ["bias_tests", "logging"],
    "contact": "algorithms@benefits.example",
    "notes": AWKWARD_LONG_WORD * 3,
}

STARTER_LOW = {
    "decision": "Order in which street lights are repaired",
    "purpose": "Sorts repair tickets by urgency.",
    "decision_area": "internal",
    "affects_rights": "no",
    "uses_group_data": "no",
    "black_box": "no",
    "harm_likelihood": "improbable",
    "harm_impact": "low",
    "human_review": "yes",
    "appeal": "unsure",
    "contact": "lights@transport.example",
}


def load_demo(session: Session, registry: Registry) -> str:
    """Idempotent: does nothing when the demo agencies already exist."""
    if session.scalar(sa.select(Agency).where(Agency.slug == AGENCIES[0][0])):
        return "demo data already loaded"
    agencies = {}
    for slug, name in AGENCIES:
        agencies[slug] = Agency(slug=slug, name=name)
        session.add(agencies[slug])
    session.flush()
    starter = registry.latest("starter")
    assert starter is not None, "the starter questionnaire is missing"

    def system(agency: str, name: str, description: str) -> System:
        return services.create_system(session, agencies[agency].id, name, description)

    # Submitted twice: revision 1, then revision 2 with stronger measures.
    triage = system("benefits", "Claim review triage 🧮",
                    "Ranks benefit claims for manual review. " + HTML_LOOKALIKE)
    draft = services.start_draft(session, triage, starter, STARTER_FULL)
    services.submit(session, draft, starter, draft.lock_version)
    draft = services.start_draft(session, triage, starter,
                                 {**STARTER_FULL, "measures": ["bias_tests", "logging",
                                                               "explanation"]})
    services.submit(session, draft, starter, draft.lock_version)

    lights = system("city-transport", "Street light repair order",
                    "Sorts repair tickets; a person always confirms.")
    draft = services.start_draft(session, lights, starter, STARTER_LOW)
    services.submit(session, draft, starter, draft.lock_version)

    # A draft halfway through, with right-to-left text.
    housing = system("hay-ministry", "تخصيص المساكن الاجتماعية – Social housing allocation",
                     "يرتب طلبات السكن حسب الحاجة. Orders housing applications by need.")
    draft = services.start_draft(session, housing, starter, {
        "decision": "من يحصل على شقة أولاً؟ Who is offered a flat first?",
        "purpose": AWKWARD_LONG_WORD + " " + HTML_LOOKALIKE,
        "decision_area": "services",
    })
    draft.step_key = "triage"

    # Just created, nothing answered.
    fresh = system("city-transport", "Parking fine appeals sorter 🚗",
                   "Not started yet.")
    services.start_draft(session, fresh, starter)
    session.flush()
    return "demo data loaded: 3 agencies, 4 systems (2 submitted, 2 drafts)"
