"""What a register entry shows beyond its level (stage, go-live date, who built it, legal
basis, commitments, a contact that is a link), open data that follows the page's filters,
the confirmation and reference of a message from the public, and a withdrawn entry's report
said to be withdrawn wherever it is served."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import sqlalchemy as sa

from aia.assessments import services as assessments
from aia.register import records
from aia.register.models import Feedback
from aia.seed import REGISTER_ENTRIES, complete_answers

from .test_register import ATOM
from .webform import submit_data

OVERPAYMENT = next(e for e in REGISTER_ENTRIES if e[1] == "Benefit overpayment detection")


@pytest.fixture
def full_revision(db_session, registry, make_system):
    """A submitted revision of the full assessment (ads-impact), with the answers the demo
    data gives its overpayment detection system."""

    def make(system, **changes):
        definition = registry.latest("ads-impact")
        answers = complete_answers(definition, {**OVERPAYMENT[4], **changes})
        draft = assessments.start_draft(db_session, system, definition, answers)
        return assessments.submit(db_session, draft, definition, draft.lock_version)

    return make


def test_entry_shows_stage_go_live_builder_legal_basis_and_commitments(
    client, make_agency, make_system, full_revision, publish
):
    system = make_system("Overpayments", agency=make_agency(slug="rev", name="Revenue Office"))
    publish(full_revision(system))
    page = client.get(f"/register/{system.uid}").get_data(as_text=True)
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", page))
    assert facts["Stage"] == "In everyday use"
    assert (
        facts["In use since, or from"].startswith("9 January 2023")
        or "2023" in facts["In use since, or from"]
    )
    assert facts["Built by"].lower().startswith("a supplier") or "supplier" in facts["Built by"].lower()
    assert "Social Security Administration Act" in facts["Legal basis"]
    assert '<h2 id="commitments">Charter commitments</h2>' in page
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>', page)
    assert [title for title, _ in rows][:6] == [
        "Data",
        "Transparency",
        "Human oversight",
        "Privacy, ethics and human rights",
        "Partnership",
        "People",
    ]
    assert "Letters name the system and link to this register." in page
    # In French, the questionnaire's words in French; what the agency wrote as written.
    french = client.get(f"/register/{system.uid}?lang=fr").get_data(as_text=True)
    assert "Données" in french and "Social Security Administration Act" in french
    document = client.get(f"/register/{system.uid}.json").get_json()
    assert document["stage"] == "In everyday use" and "Social Security" in document["legal_basis"]
    assert document["commitments"][0]["title"] == "Data" and document["commitments"][0]["status"] == "met"


@pytest.mark.parametrize(
    "contact, href",
    [
        ("algorithms@agency.example", "mailto:algorithms@agency.example"),
        ("https://agency.example/contact", "https://agency.example/contact"),
        ("Call 0800 123 456", None),
        ("javascript:alert(1)", None),
        ("http://agency.example", None),
    ],
)
def test_contact_point_is_a_link_when_it_is_an_address(
    client, make_system, make_revision, publish, contact, href
):
    system = make_system("Contact test")
    publish(make_revision(system=system, answers={"contact": contact}))
    page = client.get(f"/register/{system.uid}").get_data(as_text=True)
    card = page[page.index('id="contact-title"') : page.index("</section>", page.index('id="contact-title"'))]
    if href:
        assert f'<a href="{href}">{contact}</a>' in card
    else:
        assert "<a " not in card and contact in card


@pytest.fixture
def two_agencies(make_agency, make_system, make_revision, publish, withdraw):
    """A current entry of the Tax Office; a withdrawn one of the Roads Authority (its only)."""
    tax = make_agency(slug="tax", name="Tax Office")
    roads = make_agency(slug="roads", name="Roads Authority")
    current = make_system("Refund checker", agency=tax, description="Checks refunds 🧾 مراجعة")
    publish(make_revision(system=current))
    gone = make_system("Pothole predictor", agency=roads, description='=HYPERLINK("x") finds holes')
    revision = make_revision(system=gone)
    publish(revision)
    withdraw(revision, "Replaced by manual inspection.")
    return current, gone


def test_a_search_that_finds_nothing_current_says_a_withdrawn_entry_matches(client, two_agencies):
    page = client.get("/register/?q=pothole").get_data(as_text=True)
    assert "0 entries found" in page
    assert "1 withdrawn entry matches this search." in page
    assert 'href="/register/?q=pothole&amp;state=withdrawn"' in page
    assert "Pothole predictor" in client.get("/register/?q=pothole&state=withdrawn").get_data(as_text=True)
    assert "withdrawn-matches" not in client.get("/register/?q=nothing-at-all").get_data(as_text=True)


def test_the_agency_filter_offers_agencies_with_entries_in_the_chosen_state(client, two_agencies):
    def offered(url: str) -> list[str]:
        page = client.get(url).get_data(as_text=True)
        select = page[
            page.index('<select id="agency"') : page.index("</select>", page.index('<select id="agency"'))
        ]
        return re.findall(r'<option value="([^"]+)"', select)

    assert offered("/register/") == ["tax"]
    assert offered("/register/?state=withdrawn") == ["roads"]
    assert offered("/register/?state=all") == ["roads", "tax"]


def test_exports_follow_the_pages_filters_and_hold_withdrawn_entries_when_asked(client, two_agencies):
    current, gone = two_agencies
    page = client.get("/register/?q=refund&agency=tax").get_data(as_text=True)
    links = re.findall(r'href="(/register\.(?:csv|json)[^"]*)"', page)
    assert "/register.csv?q=refund&amp;agency=tax" in links
    assert "/register.json?q=refund&amp;agency=tax" in links
    assert "/register.csv?q=refund&amp;agency=tax&amp;state=all" in links

    def ids(url: str) -> list[str]:
        return [e["id"] for e in client.get(url).get_json()["entries"]]

    assert ids("/register.json") == [current.uid]
    assert ids("/register.json?q=pothole") == []
    assert ids("/register.json?state=withdrawn") == [gone.uid]
    assert sorted(ids("/register.json?state=all")) == sorted([current.uid, gone.uid])
    assert ids("/register.json?state=all&agency=roads") == [gone.uid]
    assert ids("/register.json?level=4") == []
    document = client.get("/register.json?state=all&agency=roads").get_json()
    assert document["filters"] == {"agency": "roads", "state": "all"}
    (entry,) = document["entries"]
    assert entry["status"] == "withdrawn" and entry["withdrawal_reason"] == "Replaced by manual inspection."
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv?state=all").data.decode("utf-8-sig"))))
    assert {r["id"]: r["status"] for r in rows} == {current.uid: "current", gone.uid: "withdrawn"}
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv?q=refund").data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [current.uid]


def test_csv_opens_in_a_spreadsheet_with_arabic_and_emoji_intact(client, two_agencies):
    body = client.get("/register.csv?state=all").data
    assert body.startswith(b"\xef\xbb\xbfid,")  # UTF-8 with a byte order mark
    lines = body.split(b"\r\n")
    assert len(lines) == 4 and lines[-1] == b""  # header, two entries, every line ending CRLF
    assert b"\n" not in b"".join(lines)
    text = body.decode("utf-8-sig")
    assert "Checks refunds 🧾 مراجعة" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["description"] for r in rows} >= {'\'=HYPERLINK("x") finds holes'}


def test_a_message_is_confirmed_with_a_reference_and_sent_once(app, client, published, db_session):
    uid = published.uid
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    changes = {"kind": "question", "message": "Who checks the ranking?", "reply_to": ""}
    data = submit_data(page, changes)
    sent = client.post(f"/register/{uid}/feedback", data=data)
    assert sent.status_code == 302
    confirmation = client.get(sent.headers["Location"])
    html = confirmation.get_data(as_text=True)
    (stored,) = db_session.scalars(sa.select(Feedback)).all()
    assert re.fullmatch(r"MSG-[2-9A-Z]{4}-[2-9A-Z]{4}", stored.reference)
    assert sent.headers["Location"].endswith(f"/register/{uid}/feedback/{stored.reference}")
    assert "<h1>Your message was sent</h1>" in html and stored.reference in html
    assert "Who checks the ranking?" not in html  # the address shows nothing of the message
    # The agency's name sits isolated in the sentence, which keeps the page's direction.
    assert "<p>\u2068Tax Office\u2069 has received your question about this system.</p>" in html
    # The same form again (a double click, a reload, back and send): the same message.
    again = client.post(f"/register/{uid}/feedback", data=data)
    assert again.headers["Location"] == sent.headers["Location"]
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 1
    # Back to a fresh copy of the form and the same words again: still the same message.
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    resent = client.post(f"/register/{uid}/feedback", data=submit_data(page, changes))
    assert resent.headers["Location"] == sent.headers["Location"]
    # Other words are a new message, with a reference of its own; so are the same words
    # from someone else.
    client.post(f"/register/{uid}/feedback", data=submit_data(page, {**changes, "message": "And?"}))
    someone_else = app.test_client()
    other_page = someone_else.get(f"/register/{uid}").get_data(as_text=True)
    someone_else.post(f"/register/{uid}/feedback", data=submit_data(other_page, changes))
    references = set(db_session.scalars(sa.select(Feedback.reference)))
    assert len(references) == 3
    assert "3 messages received" in client.get(f"/register/{uid}").get_data(as_text=True)


def test_a_confirmation_is_found_only_with_its_system(client, published, make_system, make_revision, publish):
    other = make_system("Other system")
    publish(make_revision(system=other))
    page = client.get(f"/register/{published.uid}").get_data(as_text=True)
    sent = client.post(
        f"/register/{published.uid}/feedback", data=submit_data(page, {"kind": "question", "message": "Why?"})
    )
    reference = sent.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/register/{other.uid}/feedback/{reference}").status_code == 404
    assert client.get(f"/register/{published.uid}/feedback/MSG-AAAA-AAAA").status_code == 404


def test_a_withdrawn_entrys_report_is_said_withdrawn_wherever_it_is_served(client, two_agencies):
    current, gone = two_agencies
    page = client.get(f"/register/{gone.uid}").get_data(as_text=True)
    assert 'id="withdrawn-report"' in page and "it still reads “Published”" in page
    assert "Download the report (PDF, withdrawn)" in page
    download = client.get(f"/register/{gone.uid}/revisions/1/report.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["X-Register-Status"].startswith("withdrawn; date=")
    assert "-withdrawn.pdf" in download.headers["Content-Disposition"]
    assert f"/register/{gone.uid}>" in download.headers["Link"]
    fine = client.get(f"/register/{current.uid}/revisions/1/report.pdf")
    assert (
        fine.headers["X-Register-Status"] == "current"
        and "withdrawn" not in fine.headers["Content-Disposition"]
    )
    assert 'id="withdrawn-report"' not in client.get(f"/register/{current.uid}").get_data(as_text=True)
    feed = ET.fromstring(client.get("/register/feed.atom").data)  # noqa: S314 (our own feed)
    summaries = [e.find(f"{ATOM}summary").text for e in feed.findall(f"{ATOM}entry")]
    assert sum("still reads Published" in s for s in summaries) == 2  # its publication and its withdrawal
    assert client.get("/register.json?state=withdrawn").get_json()["entries"][0]["status"] == "withdrawn"


def _validator(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_each_entry_is_a_valid_atrs_and_algoritmeregister_record(
    client, make_agency, make_system, make_revision, full_revision, publish, withdraw
):
    """Checked against our schemas of the two standards, for an entry of each questionnaire
    and a withdrawn one; what the entry says, the record says in that register's terms."""
    agency = make_agency(slug="rev", name="Revenue Office")
    full = make_system("Overpayments", agency=agency, description="Lists likely overpayments.")
    publish(full_revision(full))
    starter = make_system("Reminders", agency=agency, description="Dates reminder letters.")
    publish(make_revision(system=starter, answers={"contact": "https://agency.example/ask"}))
    gone = make_system("Old model", agency=agency)
    revision = make_revision(system=gone)
    publish(revision)
    withdraw(revision, "Switched off.")
    atrs, dutch = _validator(records.ATRS_SCHEMA), _validator(records.ALGORITMEREGISTER_SCHEMA)
    found = {}
    for system in (full, starter, gone):
        page = client.get(f"/register/{system.uid}").get_data(as_text=True)
        assert f'href="/register/{system.uid}/atrs.json"' in page
        assert f'href="/register/{system.uid}/algoritmeregister.json"' in page
        uk = client.get(f"/register/{system.uid}/atrs.json").get_json()
        nl = client.get(f"/register/{system.uid}/algoritmeregister.json").get_json()
        atrs.validate(uk)
        dutch.validate(nl)
        found[system.name] = (uk, nl)
    uk, nl = found["Overpayments"]
    assert (
        uk["tier_1"]["name"] == "Overpayments" and uk["tier_1"]["description"] == "Lists likely overpayments."
    )
    assert uk["tier_1"]["website"] == "https://revenue.example/algorithms/overpayments"
    assert uk["tier_2"]["owner_and_responsibility"] == {
        "organisation": "Revenue Office",
        "team": None,
        "senior_responsible_owner": None,
        "external_supplier_involvement": True,
        "external_supplier": None,
    }
    assert uk["tier_2"]["tool_specification"]["phase"] == "Production"
    assert uk["tier_2"]["tool_specification"]["date_of_deployment"] == "2023-01-09"
    assessment = uk["tier_2"]["risks_mitigations_and_impact_assessments"]["impact_assessments"][0]
    assert assessment["link"].endswith(f"/register/{full.uid}/revisions/1/report.pdf")
    assert (nl["status"], nl["begin_date"], nl["end_date"]) == ("In gebruik", "2023-01", None)
    assert "Social Security Administration Act" in nl["lawful_basis"]
    assert nl["publication_category"] == "Impactvolle algoritmes" and nl["standard_version"] == "1.0.0"
    (assessment,) = nl["impacttoetsen_grouping"]
    assert assessment["link"].endswith(f"/register/{full.uid}/revisions/1/report.pdf")
    assert assessment["title"].startswith("Algorithmic impact assessment, Level")
    assert (nl["lang"], nl["source_id"], nl["provider"]) == ("eng", full.uid, None)  # a supplier's system
    uk, nl = found["Reminders"]
    assert uk["tier_1"]["contact_email"] is None and uk["tier_1"]["website"] == "https://agency.example/ask"
    assert uk["tier_2"]["tool_specification"]["phase"] is None  # the starter questionnaire asks no stage
    uk, nl = found["Old model"]
    assert (
        uk["metadata"]["status"] == "withdrawn" and uk["tier_2"]["tool_specification"]["phase"] == "Retired"
    )
    assert nl["status"] == "Buiten gebruik" and nl["end_date"] is not None
    assert uk["tier_1"]["contact_email"] == "team@agency.example"


def test_a_moderate_level_beside_a_high_risk_explains_itself(client, make_system, make_revision, publish):
    """Safeguards over the 80 % line lowered the level while the charter risk stayed high: the
    entry says why the two differ, with the figures; an entry where they agree says nothing."""
    risky = {"uses_group_data": "yes", "harm_impact": "high", "appeal": "yes"}
    over = make_revision(
        system=make_system("Claim ranking"), answers={**risky, "measures": ["bias_tests", "logging"]}
    )
    entry = publish(over)
    assert (entry.impact_level, entry.charter_rating) == (2, "high")
    page = client.get(f"/register/{entry.system_uid}").get_data(as_text=True)
    assert "Why the impact level and the risk rating differ" in page
    risk, mitigation = over.scores["risk"], over.scores["mitigation"]
    assert (
        f"Here: {risk['points']} of {risk['max']} risk points, reduced by 15 % because the "
        f"safeguards reached {mitigation['points']} of {mitigation['max']} points, over the "
        f"80 % line; the final score {over.scores['final_score']} gives level II."
    ) in page
    french = client.get(f"/register/{entry.system_uid}?lang=fr").get_data(as_text=True)
    assert "Pourquoi le niveau d’impact et la cote de risque diffèrent" in french.replace("&#39;", "’")
    plain = publish(make_revision(system=make_system("Letter sorting")))
    if (plain.impact_level <= 2) == (plain.charter_rating != "high"):
        assert "Why the impact level" not in client.get(f"/register/{plain.system_uid}").get_data(
            as_text=True
        )


def test_the_full_assessment_shows_its_next_review_on_the_entry(
    client, db_session, make_draft, make_system, registry, publish
):
    """Version 5 of the full assessment declares its next-review question (role next_review):
    the entry shows the date beside the stage, the go-live date and the legal basis."""
    from aia.assessments import services
    from aia.report.samples import minimal_answers

    definition = registry.latest("ads-impact")
    assert definition.version >= 5 and definition.roles.questions["next_review"] == ("next_review_date",)
    answers = {
        **minimal_answers(definition),
        "legal_basis": "Social Security Act, section 12",
        "next_review_date": "2027-03-31",
    }
    draft = make_draft(answers, system=make_system("Claim ranking"), key="ads-impact")
    revision = services.submit(db_session, draft, definition, draft.lock_version)
    entry = publish(revision)
    page = client.get(f"/register/{entry.system_uid}").get_data(as_text=True)
    assert re.search(r"<dt>Next review of the assessment</dt>\s*<dd[^>]*>[^<]*2027", page)
    assert "Social Security Act, section 12" in page
