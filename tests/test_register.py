"""The public register: only published revisions, withdrawn ones marked, search, filters,
pagination, exports that validate against the published schema, and feedback."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from markupsafe import escape

from aia.audit.models import AuditEvent
from aia.register import services
from aia.register.exports import SCHEMA_PATH
from aia.register.models import Feedback, RegisterEntry

from .answers import HTML_LIKE
from .webform import assert_shown_escaped, submit_data

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stand_in_publication(db_session, registry):
    """A stand-in for publication, for the one test that needs many entries: it writes the
    register entry alone (no approval, no PDF, no audit event), since rendering 45 reports
    (about half a second each) would add some 20 seconds to the run."""

    def put_on_register(revision, published_dt: dt.datetime) -> RegisterEntry:
        revision.status = "published"
        definition = registry.get(revision.questionnaire_key, revision.questionnaire_version)
        entry = services.record_publication(db_session, revision, definition, published_dt)
        db_session.flush()
        return entry

    return put_on_register


def actions_on(db_session, revision) -> list[str]:
    return list(
        db_session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.revision_id == revision.id).order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def world(published, make_agency, make_system, make_revision, make_draft, publish, withdraw, db_session):
    """One system in each state; only two of them published."""
    tax = published.agency
    roads = make_agency(slug="roads", name="Roads Authority")
    withdrawn = make_system("Pothole predictor", agency=roads, description="Finds holes.")
    revision = make_revision(system=withdrawn, answers={"affects_rights": "no"})
    publish(revision)
    withdraw(revision, "Replaced by manual inspection.")
    drafted = make_system("Secret draft system", agency=tax)
    make_draft(system=drafted)
    submitted = make_system("Submitted only system", agency=tax)
    make_revision(system=submitted)
    approved = make_system("Approved not published", agency=roads)
    make_revision(system=approved, status="approved")
    db_session.flush()
    return {
        "published": published,
        "withdrawn": withdrawn,
        "drafted": drafted,
        "submitted": submitted,
        "approved": approved,
    }


UNPUBLISHED = ("Secret draft system", "Submitted only system", "Approved not published")


def test_only_published_revisions_appear_anywhere(client, world):
    pages = {
        "list": client.get("/register/?state=all").get_data(as_text=True),
        "json": client.get("/register.json").get_data(as_text=True),
        "csv": client.get("/register.csv").get_data(as_text=True),
        "feed": client.get("/register/feed.atom").get_data(as_text=True),
    }
    for name, body in pages.items():
        for hidden in UNPUBLISHED:
            assert hidden not in body, (name, hidden)
    assert "Benefit fraud ranking" in pages["list"] and "Benefit fraud ranking" in pages["csv"]
    for key in ("drafted", "submitted", "approved"):
        uid = world[key].uid
        assert client.get(f"/register/{uid}").status_code == 404
        assert client.get(f"/register/{uid}.json").status_code == 404
        assert client.get(f"/register/{uid}/revisions/1/report.pdf").status_code == 404


def test_withdrawn_entry_stays_visible_marked_with_reason(client, world, db_session):
    revision = world["withdrawn"].latest_revision
    assert revision.status == "withdrawn"
    assert actions_on(db_session, revision)[-3:] == [
        "revision.approved",
        "revision.published",
        "revision.withdrawn",
    ]
    uid = world["withdrawn"].uid
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    assert "Withdrawn on" in page and "Replaced by manual inspection." in page
    assert "Pothole predictor" not in client.get("/register/").get_data(as_text=True)
    listed = client.get("/register/?state=withdrawn").get_data(as_text=True)
    assert "Pothole predictor" in listed and "Benefit fraud ranking" not in listed
    document = client.get(f"/register/{uid}.json").get_json()
    assert document["status"] == "withdrawn"
    assert document["withdrawal_reason"] == "Replaced by manual inspection."
    # Exports list current entries only; the feed tells of the withdrawal.
    assert "Pothole predictor" not in client.get("/register.csv").get_data(as_text=True)
    feed = ET.fromstring(client.get("/register/feed.atom").data)  # noqa: S314 (our own feed)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert "Withdrawn: Pothole predictor" in titles
    assert "Published: Pothole predictor" in titles


def test_search_and_filters_give_the_right_rows(client, make_agency, make_system, make_revision, publish):
    health = make_agency(slug="health", name="Health Ministry")
    housing = make_agency(slug="housing", name="Housing Office")
    rows = [
        (
            "Waiting list triage",
            health,
            {"decision_area": "internal"},
            dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
        ),
        ("Rent subsidy check", housing, {}, dt.datetime(2024, 6, 1, tzinfo=dt.UTC)),
        (
            "Ambulance routing",
            health,
            {"harm_likelihood": "probable", "harm_impact": "high"},
            dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
        ),
    ]
    levels = {}
    for name, agency, answers, when in rows:
        revision = make_revision(
            system=make_system(name, agency=agency, description=f"About {name.lower()}"), answers=answers
        )
        levels[name] = revision.impact_level
        publish(revision, when)

    def names(query: str) -> list[str]:
        html = client.get(f"/register/?{query}").get_data(as_text=True)
        return re.findall(r'<a href="/register/sys-[0-9a-f]+" dir="auto">([^<]+)</a>', html)

    assert names("q=TRIAGE") == ["Waiting list triage"]
    assert names("q=hous") == ["Rent subsidy check"]  # every word matches as a prefix
    assert names("q=ambulance+health") == ["Ambulance routing"]  # words from two fields
    assert names("q=health+ministry&sort=name") == ["Ambulance routing", "Waiting list triage"]
    assert names("agency=housing") == ["Rent subsidy check"]
    assert names("rating=high") == ["Ambulance routing"]
    assert names("from=2024-05-01&to=2024-12-31") == ["Rent subsidy check"]
    assert names("sort=oldest") == ["Waiting list triage", "Rent subsidy check", "Ambulance routing"]
    assert names("q=nothing-matches") == []
    assert "1 entry found" in client.get("/register/?agency=housing").get_data(as_text=True)
    # A query of no word (signs, emoji) finds nothing, and says why, in the page and the open data.
    for wordless in ("%F0%9F%91%AA", "%25", "%22%3F%21"):
        assert names(f"q={wordless}") == []
        html = client.get(f"/register/?q={wordless}").get_data(as_text=True)
        assert 'id="wordless-query"' in html and "has no word to search for" in html
        assert client.get(f"/register.json?q={wordless}").get_json()["entries"] == []
    # A date that is not one is left out of the search, and said; dates the wrong way round too.
    html = client.get("/register/?from=31/12/2024").get_data(as_text=True)
    assert "is not a date: give one as 2026-03-27" in html and "3 entries found" in html
    assert "31/12/2024" in html
    html = client.get("/register/?from=2025-01-01&to=2024-01-01").get_data(as_text=True)
    assert 'id="dates-crossed"' in html and "0 entries found" in html
    assert "is not a date" not in client.get("/register/?q=triage").get_data(as_text=True)
    assert levels["Waiting list triage"] != levels["Rent subsidy check"]
    for level in set(levels.values()):
        expected = sorted(n for n, lv in levels.items() if lv == level)
        assert names(f"level={level}&sort=name") == expected


def test_pagination_visits_every_entry_once(
    client, make_system, make_revision, stand_in_publication, make_agency
):
    agency = make_agency()
    start = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
    expected = set()
    for i in range(45):
        name = f"System {i:02d}"
        # Several share a publication time, so the tie-break on id matters.
        stand_in_publication(
            make_revision(system=make_system(name, agency=agency)), start + dt.timedelta(days=i // 3)
        )
        expected.add(name)
    seen, url, pages = [], "/register/", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r'dir="auto">(System \d\d)</a>', html)
        pages += 1
        link = re.search(r'href="([^"]+)" rel="next"', html)
        url = link.group(1).replace("&amp;", "&") if link else None
    assert pages == 3
    assert len(seen) == 45 and set(seen) == expected
    assert seen == sorted(seen, reverse=True)  # newest first
    assert "45 entries found" in html
    assert client.get("/register/?after=not-a-cursor").status_code == 200


def test_exports_validate_against_the_schema(client, world, publish, make_revision, validator, db_session):
    first = world["published"].latest_revision
    second = make_revision(system=world["published"], answers={"appeal": "yes"})
    publish(second)
    uid = world["published"].uid
    document = client.get(f"/register/{uid}.json").get_json()
    validator.validate(document)
    assert document["revision"]["number"] == 2
    assert [e["revision"]["number"] for e in document["earlier_revisions"]] == [1]
    assert document["earlier_revisions"][0]["status"] == "superseded"
    # What the export says is what happened: the first revision superseded, both reports
    # stored under the hashes the export gives.
    db_session.refresh(first)
    assert (first.status, second.status) == ("superseded", "published")
    assert actions_on(db_session, first)[-1] == "revision.superseded"
    assert actions_on(db_session, second)[-2:] == ["revision.approved", "revision.published"]
    assert document["report"]["sha256"] == second.pdf_sha256
    assert document["earlier_revisions"][0]["report"]["sha256"] == first.pdf_sha256
    for report in (document["report"], document["earlier_revisions"][0]["report"]):
        served = client.get(report["url"])
        assert hashlib.sha256(served.data).hexdigest() == report["sha256"]
    withdrawn = client.get(f"/register/{world['withdrawn'].uid}.json").get_json()
    validator.validate(withdrawn)
    everything = json.loads(client.get("/register.json").get_data(as_text=True))
    assert [e["id"] for e in everything["entries"]] == [uid]
    for entry in everything["entries"]:
        validator.validate(entry)
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv").data.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [uid] and rows[0]["revision_number"] == "2"
    served = client.get("/register/schema.json")
    assert served.status_code == 200 and served.get_json()["title"] == "Algorithm register entry"


def test_csv_neutralises_formulas(client, make_system, make_revision, publish):
    publish(make_revision(system=make_system('=HYPERLINK("http://x")')))
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv").data.decode("utf-8-sig"))))
    assert rows[0]["name"].startswith("'=")


def test_entry_page_shows_summary_level_contact_and_earlier_revisions(
    client, published, publish, make_revision
):
    system = published
    revision = make_revision(system=system, answers={"appeal": "yes"})
    publish(revision)
    html = client.get(f"/register/{system.uid}").get_data(as_text=True)
    assert "Level II" in html
    assert "team@agency.example" in html
    assert "Who is invited to a review interview" in html
    assert "Earlier published revisions" in html
    assert f"/register/{system.uid}/revisions/1/report.pdf" in html
    # The hash shown is that of the stored PDF the entry serves.
    assert f'<code class="hash">{revision.pdf_sha256}</code>' in html
    served = client.get(f"/register/{system.uid}/revisions/2/report.pdf")
    assert hashlib.sha256(served.data).hexdigest() == revision.pdf_sha256


def test_feedback_is_stored_as_typed_shown_escaped_and_counted(app, client, published, db_session, login):
    uid = published.uid
    message = f"{HTML_LIKE} My claim was ranked wrongly."
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    assert "0 messages received, 0 answered" in page
    # Refused (a bad address): the form shows the message again, as text.
    refused = client.post(
        f"/register/{uid}/feedback",
        data=submit_data(page, {"kind": "complaint", "message": message, "reply_to": "not-an-email"}),
    )
    assert refused.status_code == 422
    assert_shown_escaped(refused.get_data(as_text=True), message, "feedback form shown again")
    response = client.post(
        f"/register/{uid}/feedback",
        data=submit_data(page, {"kind": "complaint", "message": message, "reply_to": ""}),
    )
    assert response.status_code == 302
    stored = db_session.scalar(sa.select(Feedback))
    assert (stored.kind, stored.state, stored.message) == ("complaint", "open", message)
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    assert "1 message received, 0 answered" in page
    # The agency reads it in its queue, as text.
    staff = app.test_client()
    login("author", published.agency, on=staff)
    assert_shown_escaped(staff.get("/feedback").get_data(as_text=True), message, "agency queue")


def test_user_text_is_shown_escaped_on_the_register_and_exact_in_exports(
    client, make_agency, make_system, make_revision, publish, withdraw
):
    """Markup-looking text in every field the public sees: escaped on the entry page and in
    the list, exact (and well-formed) in the JSON, CSV and Atom exports."""
    agency = make_agency(slug="markup", name=f"Agency {HTML_LIKE}")
    texts = {
        "name": f"System {HTML_LIKE}",
        "description": f"Description {HTML_LIKE}",
        "agency": agency.name,
        "decision": f"Decision {HTML_LIKE}",
        "summary": f"Purpose {HTML_LIKE}",
        "contact": f"Contact {HTML_LIKE}",
    }
    system = make_system(texts["name"], agency=agency, description=texts["description"])
    revision = make_revision(
        system=system,
        answers={"decision": texts["decision"], "purpose": texts["summary"], "contact": texts["contact"]},
    )
    publish(revision)

    entry_page = client.get(f"/register/{system.uid}").get_data(as_text=True)
    for field, text in texts.items():
        assert_shown_escaped(entry_page, text, f"entry page, {field}")
    listing = client.get("/register/").get_data(as_text=True)
    for field in ("name", "agency", "description"):
        assert_shown_escaped(listing, texts[field], f"register list, {field}")

    document = client.get(f"/register/{system.uid}.json")
    assert document.mimetype == "application/json"
    everything = json.loads(client.get("/register.json").get_data(as_text=True))
    for doc in (document.get_json(), everything["entries"][0]):
        assert (
            doc["name"],
            doc["description"],
            doc["agency"]["name"],
            doc["decision"],
            doc["summary"],
            doc["contact"],
        ) == tuple(texts.values())
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv").data.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert (
        rows[0]["name"],
        rows[0]["description"],
        rows[0]["agency_name"],
        rows[0]["decision"],
        rows[0]["contact"],
    ) == (texts["name"], texts["description"], texts["agency"], texts["decision"], texts["contact"])

    reason = f"Reason {HTML_LIKE}"
    withdraw(revision, reason)
    assert_shown_escaped(
        client.get(f"/register/{system.uid}").get_data(as_text=True), reason, "withdrawn entry page"
    )
    assert client.get(f"/register/{system.uid}.json").get_json()["withdrawal_reason"] == reason
    body = client.get("/register/feed.atom").get_data(as_text=True)
    assert "<script" not in body and "<img" not in body  # escaped, not elements
    feed = ET.fromstring(body)  # noqa: S314 (our own feed)
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    assert set(entries) == {f"Published: {texts['name']}", f"Withdrawn: {texts['name']}"}
    withdrawn = entries[f"Withdrawn: {texts['name']}"]
    assert withdrawn.findtext(f"{ATOM}author/{ATOM}name") == texts["agency"]
    assert withdrawn.findtext(f"{ATOM}summary").endswith(f"Reason: {reason}")


def test_feedback_needs_csrf_and_keeps_text_on_error(client, published, db_session):
    uid = published.uid
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    no_token = submit_data(page, {"kind": "question", "message": "Hello", "csrf_token": None})
    assert client.post(f"/register/{uid}/feedback", data=no_token).status_code == 400
    too_long = client.post(
        f"/register/{uid}/feedback",
        data=submit_data(page, {"kind": "question", "message": "x" * 5001, "reply_to": "not-an-email"}),
    )
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 422
    assert "Keep the message under 5000 characters." in html
    assert "Enter an email address" in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 0


def test_withdrawal_needs_a_reason(db_session, published):
    with pytest.raises(services.RegisterError, match="Say why"):
        services.record_withdrawal(db_session, published, "  ")


def test_register_serves_the_stored_report_bytes(app, client, make_system, make_revision, publish):
    system = make_system("Stored report system")
    revision = make_revision(system=system)
    sha256 = publish(revision).pdf_sha256
    assert sha256 == revision.pdf_sha256
    url = f"/register/{system.uid}/revisions/1/report.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == sha256
    assert response.headers["ETag"] == f'"{sha256}"'
    assert client.get(url, headers={"If-None-Match": f'"{sha256}"'}).status_code == 304
    # An altered file is an error, never silently re-rendered.
    stored = Path(app.config["REPORT_DIR"]) / f"{sha256}.pdf"
    original = stored.read_bytes()
    try:
        stored.write_bytes(original + b"% tampered")
        response = client.get(url)
        assert response.status_code == 503 and response.mimetype == "text/html"
        assert b"% tampered" not in response.data
        assert "altered" in response.get_data(as_text=True)
    finally:
        stored.write_bytes(original)


SEALS = {
    "sqlite": "DROP TRIGGER register_entry_pdf_sealed",
    "postgresql": "DROP TRIGGER register_entry_pdf_guard ON register_entry",
}


def test_register_checks_the_download_against_the_entrys_hash(
    app, client, db_session, make_system, make_revision, publish
):
    """The entry's hash is the one the public sees: an entry made to name another report is
    not served its revision's intact file, nor the bytes stored under the name it shows."""
    system = make_system("Entry hash system")
    entry = publish(make_revision(system=system))
    sha256 = entry.pdf_sha256
    url = f"/register/{system.uid}/revisions/1/report.pdf"
    published = client.get(url).data
    assert hashlib.sha256(published).hexdigest() == sha256

    # Behind the app's back, past the database's seal (rolled back with the test).
    db_session.execute(sa.text(SEALS[db_session.get_bind().dialect.name]))
    shown = hashlib.sha256(b"the report the entry now names").hexdigest()
    substitute = b"%PDF-1.7 substitute " + shown.encode()
    (Path(app.config["REPORT_DIR"]) / f"{shown}.pdf").write_bytes(substitute)
    db_session.execute(sa.update(RegisterEntry).where(RegisterEntry.id == entry.id).values(pdf_sha256=shown))
    response = client.get(url)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert substitute not in response.data and published not in response.data
    assert f"The stored report {shown}.pdf was altered" in response.get_data(as_text=True)

    (Path(app.config["REPORT_DIR"]) / f"{shown}.pdf").unlink()
    response = client.get(url)
    assert response.status_code == 503
    assert f"The stored report {shown}.pdf is missing" in response.get_data(as_text=True)


def test_feedback_is_rate_limited_per_address(client, published):
    uid = published.uid
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    data = submit_data(page, {"kind": "question", "message": "Why?", "reply_to": ""})
    statuses = [client.post(f"/register/{uid}/feedback", data=data).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert "Too many attempts" in client.post(f"/register/{uid}/feedback", data=data).get_data(as_text=True)


def test_agency_answers_its_queue_and_the_entry_counts_it(
    app, client, published, login, make_user, db_session
):
    uid = published.uid
    tax = published.agency
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    for message in ("First <b>question</b>", "Second question"):
        client.post(
            f"/register/{uid}/feedback",
            data=submit_data(page, {"kind": "question", "message": message, "reply_to": "me@example.org"}),
        )
    first, second = db_session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()

    staff = app.test_client()
    login("author", tax, on=staff)
    queue = staff.get("/feedback").get_data(as_text=True)
    assert "First &lt;b&gt;question&lt;/b&gt;" in queue and "Open (2)" in queue
    answer = staff.post(
        f"/feedback/{first.id}",
        data=submit_data(queue, {f"f{first.id}-answer": "Because the law requires it.", "action": "answer"}),
    )
    assert answer.status_code == 302
    queue = staff.get("/feedback").get_data(as_text=True)
    close = staff.post(f"/feedback/{second.id}", data=submit_data(queue, {"action": "close"}))
    assert close.status_code == 302
    db_session.expire_all()
    assert db_session.get(Feedback, first.id).state == "answered"
    assert db_session.get(Feedback, second.id).state == "closed"
    entry_page = client.get(f"/register/{uid}").get_data(as_text=True)
    assert "2 messages received, 1 answered, 1 closed without an answer" in entry_page
    assert "Because the law requires it." not in entry_page  # messages are not published

    # Another agency's staff neither see nor handle them; an auditor sees but cannot answer.
    other = app.test_client()
    login("approver", on=other)  # of an agency of their own
    assert "First" not in other.get("/feedback?state=answered").get_data(as_text=True)
    page = other.get("/feedback").get_data(as_text=True)
    assert other.post(f"/feedback/{first.id}", data=submit_data(page, {"action": "close"})).status_code == 404
    auditor = app.test_client()
    login("auditor", on=auditor)
    assert "First &lt;b&gt;question" in auditor.get("/feedback?state=answered").get_data(as_text=True)


def test_the_queue_says_how_the_sender_gets_the_answer(app, client, published, login):
    """A sender who left an address is mailed the answer; one who did not can read it only
    on the public entry, and the queue says which, by each message's choice to publish."""
    uid = published.uid
    page = client.get(f"/register/{uid}").get_data(as_text=True)
    for message, address in (("With an address", "me@example.org"), ("Without one", "")):
        client.post(
            f"/register/{uid}/feedback",
            data=submit_data(page, {"kind": "question", "message": message, "reply_to": address}),
        )
    staff = app.test_client()
    login("author", published.agency, on=staff)
    queue = staff.get("/feedback").get_data(as_text=True)
    cards = {
        name: card
        for card in queue.split('<article class="card feedback"')[1:]
        for name in ("With an address", "Without one")
        if name in card
    }
    assert "The sender is mailed the answer either way." in cards["With an address"]
    assert "left no address" not in cards["With an address"]
    assert "The sender left no address: the public entry is the only place" in cards["Without one"]
    assert "mailed the answer either way" not in cards["Without one"]
    # The box and its label are on one line, as every other choice of the app.
    for card in cards.values():
        box = re.search(r'<div class="choice"><input[^>]*type="checkbox"[^>]*> <label for="([^"]+)"', card)
        assert box is not None and box.group(1).endswith("-publish")


def test_the_scoring_method_is_served_in_french_to_a_french_reader(client):
    """aia/docs/method.fr.md, the method written in French, with the same figures, and the
    points of each question in the questionnaire's French words."""
    french = client.get("/register/method?lang=fr").get_data(as_text=True)
    assert '<article class="method" lang="fr">' in french
    assert "<h1>Comment une évaluation est notée</h1>" in french
    assert "52 × 0,85 = 44,2, arrondi à <strong>44</strong>" in french
    assert re.search(r"<h3[^>]*>Risque et impact</h3>", french)
    english = client.get("/register/method?lang=en").get_data(as_text=True)
    assert '<article class="method" lang="en">' in english and "How an assessment is scored" in english
    docs = Path(__file__).parents[1] / "aia" / "docs"
    english_doc = (docs / "method.md").read_text(encoding="utf-8")
    french_doc = (docs / "method.fr.md").read_text(encoding="utf-8")
    # The same sections and the same tables, row for row.
    assert english_doc.count("\n## ") == french_doc.count("\n## ")
    assert english_doc.count("\n|") == french_doc.count("\n|")


def test_the_method_page_speaks_to_citizens_and_lists_every_scored_question(client, registry):
    """Plain words: no file path, no field of a questionnaire file, no question key; the
    points of every scored question of the full assessment, by its wording."""
    full = registry.latest("ads-impact")
    for language in ("en", "fr"):
        html = client.get(f"/register/method?lang={language}").get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", html)
        for jargon in ("aia/", ".yaml", "show_if", "roles_also_for_versions", "scoring:", "ads-impact"):
            assert jargon not in text, (language, jargon)
        keys = [q.key for q in full.questions.values() if q.scoring]
        assert not [k for k in keys if "_" in k and k in text], language
        local = full.in_language(language)
        for key in keys:
            assert str(escape(str(local.questions[key].label))) in html, (language, key)
    # Each answer's points, as the questionnaire gives them.
    assert "Yes: 4; No: 0; Not sure: 3" in client.get("/register/method?lang=en").get_data(as_text=True)


def test_the_scoring_method_is_public_and_linked_from_results(
    app, client, login, make_revision, make_agency, make_system
):
    page = client.get("/register/method")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>" in html and "round" in html.lower() and "<table>" in html
    agency = make_agency()
    system = make_system(agency=agency)
    make_revision(system=system)
    author = app.test_client()
    login("author", agency, on=author)
    results = author.get(f"/systems/{system.uid}/revisions/1").get_data(as_text=True)
    assert 'href="/register/method"' in results
