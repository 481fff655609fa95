"""A revision of a questionnaire written in English and French (Canada's AIA) is published in
both: two PDFs, each stored under its SHA-256 with the right /Lang, the English one (the
questionnaire's own language) the reference; the register lists both on the entry page, in the
open data and the feed; ``aia verify`` checks both. A questionnaire in one language gives one."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import sqlalchemy as sa

from aia.assessments import lifecycle
from aia.assessments import services as assessments
from aia.engine.importers.canada_answers import read_answer_file
from aia.extensions import questionnaires
from aia.publishing import services as publication
from aia.register.models import RegisterEntry
from aia.report.models import ReportFile

from ..answers import STARTER_COMPLETE
from .conftest import ANSWERS

ATOM = "{http://www.w3.org/2005/Atom}"


def published_canadian_revision(app, db_session, make_system, make_user, import_survey):
    assert import_survey("survey-enfr-v1.0.1.json").exit_code == 0
    system = make_system("Benefit triage")
    approver = make_user("approver", system.agency)
    with app.test_request_context("/?lang=fr"):  # the publisher reads French pages
        definition = questionnaires(db_session).latest("canada-aia")
        answers = read_answer_file(
            json.loads((ANSWERS / "mitigation-62.json").read_text()), lambda v: definition
        ).answers
        draft = assessments.start_draft(db_session, system, definition, answers)
        revision = assessments.submit(db_session, draft, definition, draft.lock_version)
        lifecycle.change_status(db_session, approver, revision, "approve")
        publication.publish(db_session, approver, revision, "Ready for the public.")
    return system, revision


def stored(app, sha256: str) -> bytes:
    data = (Path(app.config["REPORT_DIR"]) / f"{sha256}.pdf").read_bytes()
    if os.environ.get("AIA_KEEP_REPORTS"):  # to look at the pages: pdftoppm -png <file> page
        Path(os.environ["AIA_KEEP_REPORTS"], f"canada-{sha256[:8]}.pdf").write_bytes(data)
    return data


def test_both_reports_are_stored_hashed_listed_and_verified(
    app, client, db_session, make_system, make_user, import_survey
) -> None:
    system, revision = published_canadian_revision(app, db_session, make_system, make_user, import_survey)
    files = {
        f.language: f.sha256
        for f in db_session.scalars(sa.select(ReportFile).filter_by(revision_id=revision.id))
    }
    assert set(files) == {"en", "fr"} and files["en"] != files["fr"]
    assert revision.pdf_sha256 == files["en"]  # the reference: the questionnaire's own language
    for language, sha256 in files.items():
        data = stored(app, sha256)
        assert hashlib.sha256(data).hexdigest() == sha256
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert reader.trailer["/Root"]["/Lang"] == language
        text = "".join(page.extract_text() for page in reader.pages)
        if language == "fr":
            assert "Points par domaine" in text and "Profil de risque" in text
            assert "Licence du gouvernement ouvert" in text
        else:
            assert "Points by area" in text and "Risk Profile" in text
            assert "Open Government Licence - Canada" in text

    entry = db_session.scalar(sa.select(RegisterEntry).filter_by(revision_id=revision.id))
    page = client.get(f"/register/{system.uid}?lang=en").get_data(as_text=True)
    assert files["en"] in page and files["fr"] in page
    assert f"/register/{system.uid}/revisions/{revision.number}/report.fr.pdf" in page
    assert "MIT licence" in page and "Open Government Licence - Canada" in page
    page_fr = client.get(f"/register/{system.uid}?lang=fr").get_data(as_text=True)
    assert "Incidence modérée" in page_fr or "Incidence élevée" in page_fr  # the level's name in French
    assert "Examen par les pairs" in page_fr and "licence MIT" in page_fr
    french = client.get(f"/register/{system.uid}/revisions/{revision.number}/report.fr.pdf")
    assert french.status_code == 200 and hashlib.sha256(french.data).hexdigest() == files["fr"]
    assert client.get(f"/register/{system.uid}/revisions/{revision.number}/report.de.pdf").status_code == 404

    document = client.get(f"/register/{system.uid}.json").get_json()
    assert document["report"]["sha256"] == files["en"] and document["report"]["language"] == "en"
    assert [(r["language"], r["sha256"]) for r in document["reports"]] == [
        ("en", files["en"]),
        ("fr", files["fr"]),
    ]
    rows = list(csv.DictReader(io.StringIO(client.get("/register.csv").data.decode("utf-8-sig"))))
    row = next(r for r in rows if r["id"] == system.uid)
    assert (row["report_language"], row["report_en_sha256"], row["report_fr_sha256"]) == (
        "en",
        files["en"],
        files["fr"],
    )
    feed = ET.fromstring(client.get("/register/feed.atom").data)  # noqa: S314 (our own feed)
    enclosures = {
        link.get("hreflang"): link.get("href")
        for link in feed.iter(f"{ATOM}link")
        if link.get("rel") == "enclosure" and system.uid in link.get("href")
    }
    assert set(enclosures) == {"en", "fr"} and enclosures["fr"].endswith("/report.fr.pdf")
    assert entry.details["reports"][0] == {"language": "en", "sha256": files["en"]}

    verify = app.test_cli_runner().invoke(args=["verify"])
    assert verify.exit_code == 0, verify.output
    assert "ok   stored PDF reports: 2 checked" in verify.output

    # The French copy altered on disk: verify names it.
    path = Path(app.config["REPORT_DIR"]) / f"{files['fr']}.pdf"
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"%")
        verify = app.test_cli_runner().invoke(args=["verify"])
        assert verify.exit_code == 1
        assert f"system {system.uid} revision {revision.number} in fr: " in verify.output
        assert f"register entry of system {system.uid} revision {revision.number} in fr: " in verify.output
    finally:
        path.write_bytes(original)


def test_a_questionnaire_in_one_language_gives_one_report(
    app, db_session, make_draft, make_user, registry
) -> None:
    draft = make_draft(STARTER_COMPLETE, version=3)  # starter v3: English only
    revision = assessments.submit(db_session, draft, registry.get("starter", 3), draft.lock_version)
    approver = make_user("approver", revision.system.agency)
    with app.test_request_context("/?lang=fr"):
        lifecycle.change_status(db_session, approver, revision, "approve")
        publication.publish(db_session, approver, revision, "Ready.")
    files = db_session.scalars(sa.select(ReportFile).filter_by(revision_id=revision.id)).all()
    assert [(f.language, f.sha256) for f in files] == [("en", revision.pdf_sha256)]
    entry = db_session.scalar(sa.select(RegisterEntry).filter_by(revision_id=revision.id))
    assert entry.details["reports"] == [{"language": "en", "sha256": revision.pdf_sha256}]
