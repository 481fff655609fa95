"""Demo data: agencies and systems in every state, and a register that looks like one in use
(realistic published entries across agencies, impact levels, risk ratings and states, each
published through the real publication: PDFs rendered and stored, audit events written).

Awkward text (emoji, right-to-left script, very long words, text that looks like HTML) is
kept on purpose where it tests the pages without being the first thing a visitor reads: in
drafts, in review comments, in messages from the public and in one published entry whose
name says it is there for testing (published first, so the newest entries come before it)."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa

from .accounts import services as account_services
from .accounts.models import Agency, User
from .assessments import fria, lifecycle, services
from .assessments.models import Revision, System
from .db import Session
from .engine import Definition, Registry
from .messages import services as message_services
from .publishing import services as publishing
from .register import services as register_services
from .report.samples import with_required_answered
from .review import services as review_services

AWKWARD_LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
HTML_LOOKALIKE = '<script>alert("x")</script> <img src=x onerror=alert(1)> & <b>bold</b>'

AGENCIES = [
    ("benefits", "Benefits and Family Agency 👪"),
    ("city-transport", "City Transport Department"),
    ("hay-ministry", "وزارة الإسكان – Housing Ministry"),
    ("revenue", "Revenue Office"),
    ("public-health", "Public Health Service"),
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
    "harm_description": "A claimant could wait weeks for money while a review is open.",
    "data_kinds": ["administrative", "other_agencies"],
    "group_effects": "Monthly comparison of review rates by age band and region.",
    "human_review": "yes",
    "appeal": "yes",
    "measures": ["bias_tests", "logging"],
    "contact": "algorithms@benefits.example",
    "notes": "Reviewed with the claimants' advisory panel in January.",
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

SCHOOL_TRANSPORT = {
    "decision": "Who gets a free bus pass to school",
    "purpose": "Measured the walking distance from a pupil's home to the school to decide eligibility.",
    "go_live": "2021-09-01",
    "people_per_year": 8000,
    "decision_area": "services",
    "affects_rights": "yes",
    "uses_group_data": "no",
    "black_box": "no",
    "harm_likelihood": "improbable",
    "harm_impact": "moderate",
    "harm_description": "A family could be refused a pass when the walking route is unsafe.",
    "data_kinds": ["administrative"],
    "human_review": "yes",
    "appeal": "yes",
    "contact": "transport.help@housing.example",
}


def starter_entry(decision: str, purpose: str, contact: str, level: str, **answers) -> dict:
    """Answers to the starter questionnaire; ``level`` picks a realistic answer pattern
    (low, moderate, high or very_high) that the scoring turns into an impact level."""
    patterns = {
        "low": {
            "decision_area": "internal",
            "affects_rights": "no",
            "uses_group_data": "no",
            "black_box": "no",
            "harm_likelihood": "improbable",
            "harm_impact": "low",
            "human_review": "yes",
            "appeal": "yes",
            "measures": ["logging"],
        },
        "moderate": {
            "decision_area": "services",
            "affects_rights": "yes",
            "uses_group_data": "no",
            "black_box": "no",
            "harm_likelihood": "occasional",
            "harm_impact": "moderate",
            "data_kinds": ["administrative"],
            "human_review": "yes",
            "appeal": "yes",
            "measures": ["logging", "explanation"],
        },
        "high": {
            "decision_area": "services",
            "affects_rights": "yes",
            "uses_group_data": "unsure",
            "black_box": "no",
            "harm_likelihood": "occasional",
            "harm_impact": "high",
            "data_kinds": ["administrative", "other_agencies"],
            "human_review": "yes",
            "appeal": "unsure",
            "measures": ["logging"],
        },
        "very_high": {
            "decision_area": "enforcement",
            "affects_rights": "yes",
            "uses_group_data": "yes",
            "black_box": "yes",
            "harm_likelihood": "probable",
            "harm_impact": "high",
            "data_kinds": ["administrative", "other_agencies", "online"],
            "human_review": "no",
            "appeal": "unsure",
        },
    }
    return {"decision": decision, "purpose": purpose, "contact": contact, **patterns[level], **answers}


# Published entries of the register, oldest first (the last one is the newest on the
# register's first page): agency, system name, description, questionnaire, answers, and what
# happens after publication (None, "republish" with changed answers, or a withdrawal reason).
DemoEntry = tuple[str, str, str, str, dict[str, Any], dict[str, Any] | str | None]
REGISTER_ENTRIES: list[DemoEntry] = [
    (
        "revenue",
        "Late payment reminder scheduler",
        "Chooses the day on which a reminder letter is sent for an unpaid tax bill.",
        "starter",
        starter_entry(
            "When a reminder letter is sent",
            "Spreads reminder letters over the month so that the helpline can answer the calls they bring.",
            "https://revenue.example/algorithms",
            "low",
            go_live="2023-05-02",
            people_per_year=410000,
        ),
        None,
    ),
    (
        "revenue",
        "Tax return risk selection",
        "Selects income tax returns for a check by an inspector, by the size and kind of likely errors.",
        "starter",
        starter_entry(
            "Which tax returns an inspector checks",
            "Finds the returns most likely to hold a costly error, so that inspectors spend "
            "their time there.",
            "algorithms@revenue.example",
            "very_high",
            go_live="2022-02-01",
            people_per_year=95000,
            harm_description="A person could be checked more often because of where they live.",
        ),
        None,
    ),
    (
        "public-health",
        "Vaccination reminder targeting",
        "Picks the families who receive a reminder that a child's vaccination is due.",
        "starter",
        starter_entry(
            "Which families get a vaccination reminder",
            "Sends reminders to the families whose children are due or overdue for a vaccination.",
            "https://health.example/contact/algorithms",
            "moderate",
            go_live="2020-11-16",
            people_per_year=60000,
        ),
        {"measures": ["logging", "explanation", "bias_tests"], "people_per_year": 64000},
    ),
    (
        "public-health",
        "Restaurant inspection planner",
        "Orders the restaurants that food safety inspectors visit each week.",
        "starter",
        starter_entry(
            "Which restaurants are inspected first",
            "Puts first the restaurants with past complaints, failed inspections or no recent visit.",
            "inspections@health.example",
            "high",
            go_live="2024-04-08",
            people_per_year=12000,
            harm_description="A business could be visited more often than others with a similar record.",
        ),
        None,
    ),
    (
        "city-transport",
        "Parking permit waiting list",
        "Offers residents' parking permits in the order of the waiting list, with priority "
        "for blue badge holders.",
        "starter",
        starter_entry(
            "Who is offered a parking permit next",
            "Keeps the waiting list for residents' parking permits and offers free places in its order.",
            "parking@transport.example",
            "low",
            go_live="2019-01-07",
            people_per_year=3500,
        ),
        "The waiting list is now kept in the new permit system, which needs an assessment of its own.",
    ),
    (
        "city-transport",
        "Bus stop accessibility survey ranking",
        "Ranks bus stops for step-free upgrades from survey data and passenger counts.",
        "starter",
        starter_entry(
            "Which bus stops are upgraded first",
            "Combines the accessibility survey with passenger counts to order the upgrade programme.",
            "https://transport.example/accessibility",
            "low",
            go_live="2024-01-15",
            people_per_year=250000,
        ),
        None,
    ),
    (
        "hay-ministry",
        "Housing repair priority",
        "Orders tenants' repair requests by urgency, with gas and water leaks first.",
        "starter",
        starter_entry(
            "The order in which repairs are done",
            "Reads each repair request and gives it an urgency, so that dangerous faults are fixed first.",
            "repairs@housing.example",
            "moderate",
            go_live="2022-10-03",
            people_per_year=48000,
        ),
        None,
    ),
    (
        "benefits",
        "Childcare allowance pre-check",
        "Checks an application for childcare allowance against the family's records before "
        "a caseworker sees it.",
        "starter",
        starter_entry(
            "Which childcare allowance applications need more documents",
            "Finds applications that lack a document, so that families are asked for it at once.",
            "https://benefits.example/algorithm-register",
            "high",
            go_live="2024-09-02",
            people_per_year=70000,
            harm_description="A family could wait longer for money when a document is asked for wrongly.",
        ),
        None,
    ),
]


def full_entry(name: str, decision: str, purpose: str, contact: str, **answers) -> dict:
    """Answers to the full impact assessment (ads-impact): what the register shows (stage,
    go-live date, legal basis, who built it, the charter commitments) written out; the other
    required answers are filled in at load time with the plainest choice (complete_answers)."""
    return {
        "system_name": name,
        "decision_supported": decision,
        "purpose": purpose,
        "public_contact": contact,
        "prepared_by_role": "Head of the data team",
        "approver_role": "Director of operations",
        **answers,
    }


COMMITMENTS_MET = {
    f"commitment_{part}_status": "met"
    for part in ("data", "transparency", "human_oversight", "privacy_ethics_rights", "partnership", "people")
}

REGISTER_ENTRIES += [
    (
        "revenue",
        "Benefit overpayment detection",
        "Compares benefit payments with income reported to the Revenue Office and lists likely overpayments.",
        "ads-impact",
        full_entry(
            "Benefit overpayment detection",
            "Which payments a caseworker checks for an overpayment",
            "Lists payments that may be too high given the income reported, for a caseworker to check "
            "with the person before anything is asked back.",
            "https://revenue.example/algorithms/overpayments",
            system_status="in_use",
            go_live_date="2023-01-09",
            built_by="supplier",
            legal_basis="Social Security Administration Act, section 71 (recovery of overpayments); "
            "data sharing under the Digital Economy Act 2017, part 5.",
            decision_area="obligations",
            system_role="decides_checked",
            model_kind="learning",
            reversibility="hard",
            effect_duration="months",
            public_attention="yes",
            triage_hard_to_explain="yes",
            triage_savings_main_aim="yes",
            personal_data="yes",
            charter_likelihood="occasional",
            charter_impact="high",
            triage_significant_effect="yes",
            triage_vulnerable_people="yes",
            triage_outside_supplier="yes",
            mit_human_review="yes",
            mit_appeal="yes",
            mit_bias_testing="regular",
            **{**COMMITMENTS_MET, "commitment_partnership_status": "partly"},
            commitment_data_evidence="Data quality report of March, checked by the statistics team.",
            commitment_transparency_evidence="Letters name the system and link to this register.",
            signoff_date="2025-02-14",
            next_review_date="2026-02-14",
        ),
        None,
    ),
    (
        "public-health",
        "Hospital bed demand forecast",
        "Forecasts the number of hospital beds needed in each region over the next four weeks.",
        "ads-impact",
        full_entry(
            "Hospital bed demand forecast",
            "How many beds each region keeps free",
            "Gives planners a forecast of bed demand, so that they can move staff and beds in time.",
            "forecasts@health.example",
            system_status="pilot",
            go_live_date="2025-06-02",
            built_by="in_house",
            legal_basis="Public Health Act, section 12 (planning of hospital capacity).",
            decision_area="internal",
            system_role="sorting",
            model_kind="statistics",
            charter_likelihood="improbable",
            charter_impact="moderate",
            mit_human_review="yes",
            mit_peer_review="yes",
            **{**COMMITMENTS_MET, "commitment_people_status": "not_applicable"},
            signoff_date="2025-05-20",
            next_review_date="2025-11-20",
        ),
        None,
    ),
    (
        "hay-ministry",
        "Social housing allocation score",
        "Scores applications for social housing by need, for the allocation panel.",
        "ads-impact",
        full_entry(
            "Social housing allocation score",
            "Who is offered a social housing flat first",
            "Turns the points of the allocation policy into a score, so that the panel sees the "
            "applications in order of need.",
            "https://housing.example/allocation/contact",
            system_status="in_use",
            go_live_date="2021-03-15",
            built_by="mixed",
            legal_basis="Housing Act, part 6 (allocation of housing accommodation), and the "
            "ministry's allocation policy.",
            decision_area="services",
            system_role="decides_checked",
            model_kind="rules",
            reversibility="effort",
            effect_duration="years",
            personal_data="yes",
            charter_likelihood="occasional",
            charter_impact="high",
            triage_significant_effect="yes",
            triage_vulnerable_people="yes",
            triage_personal_characteristics="yes",
            mit_human_review="yes",
            mit_appeal="yes",
            mit_explanation="yes",
            **{**COMMITMENTS_MET, "commitment_human_oversight_status": "partly"},
            commitment_human_oversight_evidence="The panel reviews every offer; a second reviewer "
            "is being trained.",
            signoff_date="2024-12-02",
            next_review_date="2025-12-02",
        ),
        {
            "commitment_human_oversight_status": "met",
            "commitment_human_oversight_evidence": "Two panel members review every offer.",
        },
    ),
]

# The one published entry that holds awkward text on purpose, named so.
AWKWARD_ENTRY: DemoEntry = (
    "benefits",
    "Test entry: unusual text (demonstration) 🧪",
    "This entry exists to show that the register displays unusual text safely. It is not a real "
    "system. " + HTML_LOOKALIKE,
    "starter",
    {
        **STARTER_FULL,
        "decision": "None: a demonstration of unusual text 🧪 مراجعة شهرية",
        "purpose": AWKWARD_LONG_WORD * 3 + " " + HTML_LOOKALIKE + " בדיקה חודשית 👪📋",
        "harm_description": HTML_LOOKALIKE,
        "contact": "test@benefits.example",
    },
    None,
)


DEMO_USERS = [
    # email, name, role, agency slug
    ("amira@benefits.example", "Amira Haddad", "author", "benefits"),
    ("ben@benefits.example", "Ben Okafor", "approver", "benefits"),
    ("chris@transport.example", "Chris Novak", "author", "city-transport"),
    ("dana@transport.example", "Dana Lindqvist", "approver", "city-transport"),
    ("hala@housing.example", "هالة منصور", "author", "hay-ministry"),
    ("idris@housing.example", "Idris Benali", "approver", "hay-ministry"),
    ("mei@revenue.example", "Mei Tanaka", "author", "revenue"),
    ("rosa@revenue.example", "Rosa Martín", "approver", "revenue"),
    ("sam@health.example", "Sam Kowalski", "author", "public-health"),
    ("pieter@health.example", "Pieter de Vries", "approver", "public-health"),
    ("olu@oversight.example", "Olu Adeyemi", "auditor", None),
    ("admin@aia.example", "Operator", "admin", None),
]
SCOPE = {"auditor": "(reads every agency)", "admin": "(people and agencies only)"}


def complete_answers(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` with every required question still open answered plainly: the lowest
    choice, or a sentence saying the demonstration does not record it."""
    return with_required_answered(definition, answers, "Not recorded in this demonstration.")


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

    approvers = {slug: email for email, _, role, slug in DEMO_USERS if role == "approver"}
    authors = {slug: email for email, _, role, slug in DEMO_USERS if role == "author"}

    def put_on_register(
        agency: str, name: str, description: str, key: str, answers: dict[str, Any], after: object
    ) -> int:
        """Publish one system through the real publication; then publish it again with
        ``after`` (a dict of changed answers) or withdraw it (``after`` a reason)."""
        definition = registry.latest(key)
        assert definition is not None, f"the {key} questionnaire is missing"
        person = users[authors[agency]]
        made = services.create_system(session, agencies[agency].id, name, description, actor=person)

        def submit_answers(given: dict) -> Revision:
            draft = services.start_draft(
                session, made, definition, complete_answers(definition, given), actor=person
            )
            return services.submit(session, draft, definition, draft.lock_version, actor=person)

        first = submit_answers(answers)
        publish(first, approvers[agency])
        if isinstance(after, dict):
            publish(submit_answers({**answers, **after}), approvers[agency])
            return 2
        if isinstance(after, str):
            publishing.withdraw(session, users[approvers[agency]], first, after)
        return 1

    # First, so that every realistic entry comes before it on the register's first page.
    published = put_on_register(*AWKWARD_ENTRY)

    # Published, published again (the first superseded), and a third awaiting review.
    triage = system(
        "benefits",
        "Claim review triage 🧮",
        "Ranks new benefit claims so that reviewers look first at those most likely to hold an error.",
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
    revision = submit(school, SCHOOL_TRANSPORT, "hala@housing.example")
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

    # A fundamental rights impact assessment, its notification recorded as sent, published so
    # that the register shows what a FRIA entry says.
    if registry.latest("eu-fria") is not None:
        job_matching = load_fria_example(
            session, registry, agencies["benefits"], users["amira@benefits.example"]
        )
        publish(job_matching, approvers["benefits"])
        published += 1

    # Just created, nothing answered.
    fresh = system(
        "city-transport", "Parking fine appeals sorter 🚗", "Not started yet.", "chris@transport.example"
    )
    services.start_draft(session, fresh, starter, actor=users["chris@transport.example"])
    published += 3  # the triage system's two and the school transport one
    for listed in REGISTER_ENTRIES:
        published += put_on_register(*listed)
    session.flush()
    lines = [
        f"demo data loaded: {len(AGENCIES)} agencies, {len(REGISTER_ENTRIES) + 9} systems, "
        f"{published} published revisions and others in every state (one a threshold check, one a "
        "fundamental rights impact assessment), 3 drafts, 2 messages from the public",
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
