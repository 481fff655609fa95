"""Demo data: agencies and systems in different states, with awkward text on purpose
(emoji, right-to-left script, very long words, text that looks like HTML)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from .accounts import services as account_services
from .accounts.models import Agency
from .assessments import lifecycle, services
from .assessments.models import Revision, System
from .db import Session
from .engine import Registry
from .messages import services as message_services
from .publishing import services as publishing
from .register import services as register_services
from .review import services as review_services

AWKWARD_LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
HTML_LOOKALIKE = '<script>alert("x")</script> <img src=x onerror=alert(1)> & <b>bold</b>'

AGENCIES = [
    ("benefits", "Benefits and Family Agency 👪"),
    ("city-transport", "City Transport Department"),
    ("hay-ministry", "وزارة الإسكان – Housing Ministry"),
]

STARTER_FULL = {
    "decision": "Who is invited to a benefit review interview 📋",
    "purpose": (
        "Ranks new benefit claims so that reviewers look first at those most likely to "
        "contain an error.\n\nSecond paragraph: the ranking never refuses a claim."
    ),
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


DEMO_USERS = [
    # email, name, role, agency slug
    ("amira@benefits.example", "Amira Haddad", "author", "benefits"),
    ("ben@benefits.example", "Ben Okafor", "approver", "benefits"),
    ("chris@transport.example", "Chris Novak", "author", "city-transport"),
    ("dana@transport.example", "Dana Lindqvist", "approver", "city-transport"),
    ("hala@housing.example", "هالة منصور", "author", "hay-ministry"),
    ("idris@housing.example", "Idris Benali", "approver", "hay-ministry"),
    ("olu@oversight.example", "Olu Adeyemi", "auditor", None),
    ("admin@aia.example", "Operator", "admin", None),
]
SCOPE = {"auditor": "(reads every agency)", "admin": "(people and agencies only)"}


def load_demo(session: Session, registry: Registry) -> str:
    """Idempotent: does nothing when the demo agencies already exist. Demo accounts get random
    passwords, shown once in the summary returned."""
    if session.scalar(sa.select(Agency).where(Agency.slug == AGENCIES[0][0])):
        return "demo data already loaded"
    agencies = {slug: account_services.create_agency(session, None, slug, name) for slug, name in AGENCIES}
    passwords = {email: secrets.token_urlsafe(12) for email, *_ in DEMO_USERS}
    users = {
        email: account_services.create_user(
            session, None, email, name, role, agencies[slug] if slug else None, passwords[email]
        )
        for email, name, role, slug in DEMO_USERS
    }
    starter = registry.latest("starter")
    assert starter is not None, "the starter questionnaire is missing"

    def system(agency: str, name: str, description: str, author: str) -> System:
        return services.create_system(session, agencies[agency].id, name, description, actor=users[author])

    def submit(system: System, answers: dict, author: str) -> Revision:
        draft = services.start_draft(session, system, starter, answers, actor=users[author])
        return services.submit(session, draft, starter, draft.lock_version, actor=users[author])

    def publish(revision: Revision, approver: str) -> None:
        lifecycle.change_status(session, users[approver], revision, "approve")
        publishing.publish(session, users[approver], revision, registry=registry)

    # Published, published again (the first superseded), and a third awaiting review.
    triage = system(
        "benefits",
        "Claim review triage 🧮",
        "Ranks benefit claims for manual review. " + HTML_LOOKALIKE,
        "amira@benefits.example",
    )
    publish(submit(triage, STARTER_FULL, "amira@benefits.example"), "ben@benefits.example")
    stronger = {**STARTER_FULL, "measures": ["bias_tests", "logging", "explanation"]}
    publish(submit(triage, stronger, "amira@benefits.example"), "ben@benefits.example")
    submit(triage, {**stronger, "appeal": "unsure"}, "amira@benefits.example")

    # Messages from the public about the published entry: one answered, one open.
    entry = register_services.current_entry(session, triage.id)
    assert entry is not None  # published just above
    question = register_services.submit_feedback(
        session, entry, "question", "Does the ranking ever refuse a claim by itself? 🤔", "reader@example.org"
    )
    message_services.handle_feedback(
        session, users["ben@benefits.example"], question, "No: it only orders the reviewers' list."
    )
    register_services.submit_feedback(
        session, entry, "complaint", "My claim waited six weeks. " + HTML_LOOKALIKE, None
    )

    # Sent back for changes, with comments, and a new draft answering them.
    lights = system(
        "city-transport",
        "Street light repair order",
        "Sorts repair tickets; a person always confirms.",
        "chris@transport.example",
    )
    sent_back = submit(lights, STARTER_LOW, "chris@transport.example")
    review_services.review(
        session,
        users["olu@oversight.example"],
        sent_back,
        {
            "appeal": "Who can people complain to? <b>Name</b> the office. 📮",
            "harm_impact": "Unlit streets affect safety: is “low” right?",
            None: "Please describe how residents can contest the order. شكراً",
        },
        "request_changes",
    )
    services.start_draft(session, lights, starter, STARTER_LOW, actor=users["chris@transport.example"])

    # Approved, awaiting publication.
    buses = system(
        "city-transport",
        "Bus lane camera review",
        "Flags camera clips for a person to check.",
        "chris@transport.example",
    )
    revision = submit(
        buses, {**STARTER_LOW, "decision": "Which clips a warden watches"}, "chris@transport.example"
    )
    review_services.review(
        session, users["dana@transport.example"], revision, {None: "Clear and complete."}, "approve"
    )

    # Published, then withdrawn.
    school = system(
        "hay-ministry",
        "School transport eligibility",
        "Checked distances to school; replaced by a manual process.",
        "hala@housing.example",
    )
    revision = submit(school, {**STARTER_LOW, "decision": "Who gets a free bus pass"}, "hala@housing.example")
    publish(revision, "idris@housing.example")
    publishing.withdraw(
        session,
        users["idris@housing.example"],
        revision,
        "The system was switched off on 1 March; decisions are made by hand.",
    )

    # A draft halfway through, with right-to-left text.
    housing = system(
        "hay-ministry",
        "تخصيص المساكن الاجتماعية – Social housing allocation",
        "يرتب طلبات السكن حسب الحاجة. Orders housing applications by need.",
        "hala@housing.example",
    )
    draft = services.start_draft(
        session,
        housing,
        starter,
        {
            "decision": "من يحصل على شقة أولاً؟ Who is offered a flat first?",
            "purpose": AWKWARD_LONG_WORD + " " + HTML_LOOKALIKE,
            "decision_area": "services",
        },
        actor=users["hala@housing.example"],
    )
    draft.step_key = "triage"

    # A threshold check that calls for the full assessment (its results page offers to start
    # it with the shared answers).
    check = registry.latest("threshold")
    if check is not None:
        library = system(
            "city-transport",
            "Library fine reminders",
            "Decides which borrowers get a reminder before a fine.",
            "chris@transport.example",
        )
        answers = {q.key: "no" for q in check.questions.values() if q.type_name == "yes_no_unsure"}
        answers.update({"system_name": "Library fine reminders", "personal_data": "yes"})
        draft = services.start_draft(session, library, check, answers, actor=users["chris@transport.example"])
        services.submit(session, draft, check, draft.lock_version, actor=users["chris@transport.example"])

    # Just created, nothing answered.
    fresh = system(
        "city-transport", "Parking fine appeals sorter 🚗", "Not started yet.", "chris@transport.example"
    )
    services.start_draft(session, fresh, starter, actor=users["chris@transport.example"])
    session.flush()
    lines = [
        "demo data loaded: 3 agencies, 7 systems, 7 revisions in every state (one a "
        "threshold check), 3 drafts, 2 messages from the public",
        "",
        "Demo accounts (for demonstration only; these passwords are shown once):",
    ]
    lines += [
        f"  {role:<9} {email:<26} {passwords[email]}  {slug or SCOPE[role]}"
        for email, _, role, slug in DEMO_USERS
    ]
    return "\n".join(lines)
