"""Demo data: agencies and systems in different states, with awkward text on purpose
(emoji, right-to-left script, very long words, text that looks like HTML)."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from .accounts import services as account_services
from .accounts.models import Agency, User
from .assessments import fria, lifecycle, services
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

    # A fundamental rights impact assessment, its notification recorded as sent.
    if registry.latest("eu-fria") is not None:
        load_fria_example(session, registry, agencies["benefits"], users["amira@benefits.example"])

    # Just created, nothing answered.
    fresh = system(
        "city-transport", "Parking fine appeals sorter 🚗", "Not started yet.", "chris@transport.example"
    )
    services.start_draft(session, fresh, starter, actor=users["chris@transport.example"])
    session.flush()
    lines = [
        "demo data loaded: 3 agencies, 8 systems, 8 revisions in every state (one a "
        "threshold check, one a fundamental rights impact assessment), 3 drafts, 2 messages "
        "from the public",
        "",
        "Demo accounts (for demonstration only; these passwords are shown once):",
    ]
    lines += [
        f"  {role:<9} {email:<26} {passwords[email]}  {slug or SCOPE[role]}"
        for email, _, role, slug in DEMO_USERS
    ]
    return "\n".join(lines)


# -- the fundamental rights impact assessment (eu-fria) ------------------------------------------
# A public employment service's job-matching system; docs/eu-fria.md works its rating out by hand.
JOB_MATCHING = {
    "system_name": "Job matching for jobseekers",
    "deployer_kind": "public_body",
    "high_risk": "yes",
    "annex_area": "employment",
    "earlier_assessment": "none",
    "deployer_name": "Public Employment Service",
    "deployer_address": "1 Work Street\n1000 Capital City",
    "deployer_contact": "fria@employment.example",
    "submitter": "Head of digital services",
    "provider_name": "Match Systems Ltd",
    "provider_entry": "https://ai-database.example.eu/systems/0000-demo",
    "process_description": (
        "Counsellors see a ranked list of vacancies for each jobseeker before an interview; "
        "they choose which to propose. <b>No</b> vacancy is proposed without a counsellor."
    ),
    "decision_role": "recommends",
    "intended_purpose": "yes",
    "first_use": "2026-09-01",
    "period_of_use": "Three years, reviewed each year",
    "frequency": "daily",
    "people_per_year": 250000,
    "affected_categories": "Registered jobseekers, and employers who publish vacancies.",
    "vulnerable_groups": ["older", "disability", "unemployed", "migrants"],
    "provider_information": "yes",
    "risk_register": [
        {
            "right": "art-21",
            "group": "Older jobseekers and jobseekers with disabilities",
            "likelihood": "likely",
            "severity": "serious",
            "measures": "Monthly checks of the matches by age and disability; counsellors add vacancies.",
            "remaining": "medium",
        },
        {
            "right": "art-15",
            "group": "Jobseekers with gaps in their careers",
            "likelihood": "possible",
            "severity": "moderate",
            "measures": "Career gaps are not an input.",
            "remaining": "low",
        },
        {
            "right": "art-8",
            "group": "All jobseekers",
            "likelihood": "rare",
            "severity": "serious",
            "measures": "Only the data of the jobseeker's file; kept as the file is.",
            "remaining": "low",
        },
    ],
    "oversight_measures": "Every proposal is made by a counsellor, who sees why each vacancy is listed.",
    "oversight_assigned": "yes",
    "oversight_override": "yes",
    "materialised_measures": "The counsellor reports it; the matching is paused for the group concerned.",
    "governance": "The data protection officer and the head of counselling decide within five days.",
    "complaints": "Through the counselling office or the online form; answered within 30 days.",
    "people_informed": "yes",
    "dpia_status": "done",
    "dpia_reference": "DPIA-2026-014",
    "dpia_summary": "The jobseeker's file is processed on the basis of the law on employment services.",
    "dpia_adds": "The risks to equal treatment and to the choice of an occupation, beyond data protection.",
    "update_triggers": ["purpose", "version", "data", "incident"],
    "next_review": "2027-09-01",
    "findings_summary": (
        "Three risks; the worst, unequal matches for older jobseekers and those with disabilities, "
        "remains medium after monthly checks."
    ),
    "registered": "no",
}


def load_fria_example(session: Session, registry: Registry, agency: Agency, author: User) -> Revision:
    """A submitted FRIA of the job-matching system, its notification recorded as sent."""
    definition = registry.latest("eu-fria")
    assert definition is not None, "the eu-fria questionnaire is missing"
    system = services.create_system(
        session, agency.id, "Job matching for jobseekers", "Ranks vacancies for counsellors.", actor=author
    )
    draft = services.start_draft(session, system, definition, JOB_MATCHING, actor=author)
    revision = services.submit(session, draft, definition, draft.lock_version, actor=author)
    fria.record_notified(session, revision, revision.submitted_dt.date(), author)
    return revision
