"""The transparency report: every section's content for rich and minimal revisions, the PDF/A
metadata, the data attachment, bookmarks, identical bytes on a re-render, the preview mark and
the limits. Real WeasyPrint; text extracted with pypdf."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pypdf
import pytest

from aia.engine import canonical_json
from aia.report import context as report_context_module
from aia.report.errors import ReportOutOfMemory, ReportRenderFailed, ReportTooLarge
from aia.report.render import AssetOnlyFetcher, address_space_mb

from . import test_report_helpers as helpers
from .test_report_helpers import build, flat, pdf_text

make_report_revision = helpers.make_report_revision
reader = helpers.reader


def test_rich_starter_report_has_every_section(app, db_session, make_report_revision, registry):
    revision = make_report_revision("starter", rich=True, chars=1500)
    definition = registry.latest("starter")
    text = flat(pdf_text(build(app, db_session, revision, published=True)))
    scores = revision.scores
    # Cover and contents.
    assert "Claim review triage (starter)" in text
    date = revision.submitted_dt.strftime("%-d %B %Y")
    assert f"Revision {revision.number}, submitted {date}" in text  # running header
    assert f"Level {scores['impact_level_numeral']}: {scores['impact_level_name']}" in text
    assert "Charter risk rating High" in text
    assert "Status Published" in text and "Not published" not in text
    assert re.search(r"Contents Summary[ .]+\d+ Charter risk rating[ .]+\d+", text)
    # Summary from well-known keys.
    assert "The decision it takes or supports" in text and "Answer to “decision”" in text
    assert "People it decides about in a year 125,000" in text
    # Risk matrix and chart (SVG drawn by the app, with text alternatives).
    assert "This system" in text and "Likelihood: Occasional. Impact: High. Rating: High" in text
    assert "Risk points by area" in text
    for area in ("About the system", "Triage", "Risk and impact"):
        assert area in text
    # Flags with the answers that raised them.
    for flag in scores["flags"]:
        assert flag["label"] in text
        for raiser in flag["raised_by"]:
            assert flat(raiser["label"]) in text
    assert len(scores["flags"]) == 3
    # Obligations of the level, measures, answers by step.
    for obligation in scores["obligations"]:
        assert flat(obligation["text"]) in text
    assert "Does a person review every decision before it takes effect?" in text
    for step in definition.steps:
        assert step.title in text
    assert "On what legal basis are biometric data used?" in text  # shown: biometric chosen
    # Awkward text kept: long word, right-to-left script, markup-looking text.
    assert "<b>bold</b>&<script>alert(1)</script>" in text.replace(" ", "")
    assert "Donaudampfschifffahrts" in text
    # Record and integrity.
    assert "Revision 1 (this report)" in text
    assert revision.sha256 in text.replace(" ", "")
    assert "sha256sum" in text
    assert "Page 1 of" in text


def test_minimal_starter_report_degrades_gracefully(app, db_session, make_report_revision, registry):
    revision = make_report_revision("starter", rich=False)
    version = registry.latest("starter").version
    text = flat(pdf_text(build(app, db_session, revision)))
    assert "Not published" in text
    assert "No triage answer raised a flag." in text
    assert "Charter commitments" not in text
    # The starter declares no commitments and no sign-off: the report says it leaves them out.
    assert (
        "Not in this report: the charter commitments; the sign-off. The questionnaire "
        f"answered (Starter assessment, version {version}) does not say which of its questions "
        "give them"
    ) in text
    # Questions hidden on this path are left out, also from "All answers".
    assert "Describe the harm you expect" not in text
    assert "On what legal basis are biometric data used?" not in text
    assert "Not answered" in text  # optional questions shown but unanswered
    assert "Level I: Little to no impact" in text


def test_ads_impact_report_has_commitments_and_all_flags(app, db_session, make_report_revision, registry):
    revision = make_report_revision("ads-impact", rich=True, chars=200)
    text = flat(pdf_text(build(app, db_session, revision, published=True)))
    assert "Charter commitments" in text
    statuses = {
        "met": "Met",
        "partly": "Partly met",
        "not_yet": "Not yet met",
        "not_applicable": "Does not apply to this system",
    }
    commitments = registry.latest("ads-impact").commitments
    assert len(commitments) == 6
    for commitment in commitments:
        assert re.search(
            rf"\b{re.escape(commitment.title)} Status: "
            rf"{statuses[revision.answers[commitment.status]]}",
            text,
        )
        assert flat(revision.answers[commitment.evidence])[:60] in text
    # The sign-off the questionnaire declares, and nothing said to be left out.
    assert "Sign-off Role of the person who prepared this assessment" in text
    assert "Not in this report" not in text
    assert len(revision.scores["flags"]) == 7
    for flag in revision.scores["flags"]:
        assert flag["label"] in text
    assert "Goal: harm prevention" in text  # an area of the chart


COMMITMENT_TITLES = {
    "data": "Data",
    "transparency": "Transparency",
    "human_oversight": "Human oversight",
    "privacy_ethics_rights": "Privacy, ethics and human rights",
    "partnership": "Partnership",
    "people": "People",
}
COMMITMENT_STATUSES = {
    "met": "Met",
    "partly": "Partly met",
    "not_yet": "Not yet met",
    "not_applicable": "Does not apply to this system",
}


def test_minimal_ads_impact_report(app, db_session, make_report_revision):
    # A different status for neighbouring commitments, so that each must show its own.
    chosen = {
        "data": "not_applicable",
        "transparency": "not_yet",
        "human_oversight": "partly",
        "privacy_ethics_rights": "met",
        "partnership": "not_yet",
        "people": "partly",
    }
    revision = make_report_revision(
        "ads-impact",
        rich=False,
        answers={f"commitment_{name}_status": status for name, status in chosen.items()},
    )
    text = flat(pdf_text(build(app, db_session, revision)))
    assert "No triage answer raised a flag." in text
    assert "Status Submitted (not published)" in text  # the revision's own status, on the cover
    assert text.count("Status:") == len(COMMITMENT_TITLES)
    for name, title in COMMITMENT_TITLES.items():
        label = COMMITMENT_STATUSES[chosen[name]]
        assert re.search(rf"\b{re.escape(title)} Status: {re.escape(label)}\b", text), title
    assert text.count("No evidence given.") == len(COMMITMENT_TITLES)  # none is required
    assert "Fairness and bias" not in text  # a step hidden without the fairness flag


def test_pdf_a_metadata_tags_bookmarks_and_attachment(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=False)
    data = build(app, db_session, revision, published=True)
    reader = pypdf.PdfReader(io.BytesIO(data))
    info = reader.metadata
    assert info.title == f"Transparency report: {revision.system.name}, revision 1"
    assert info.author == revision.system.agency.name
    assert "impact level I" in info.subject
    assert "transparency report" in info["/Keywords"]
    submitted = "D:" + revision.submitted_dt.strftime("%Y%m%d%H%M%S")
    assert info["/CreationDate"].startswith(submitted) and info["/ModDate"].startswith(submitted)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["Summary", "Charter risk rating"] and "All answers" in titles
    attachments = reader.attachments
    assert list(attachments) == ["revision.json"]
    (attached,) = attachments["revision.json"]
    assert attached == canonical_json(revision.hashed_document())
    assert hashlib.sha256(attached).hexdigest() == revision.sha256
    assert json.loads(attached)["answers"] == revision.answers


def test_same_revision_renders_the_same_bytes(app, db_session, make_report_revision):
    revision = make_report_revision("starter", rich=True)
    first = build(app, db_session, revision, published=True)
    second = build(app, db_session, revision, published=True)
    assert first == second
    assert revision.submitted_dt.strftime("%Y%m%d%H%M%S").encode() in first


def test_size_limits_refuse_with_a_clear_message(app, db_session, make_report_revision, monkeypatch):
    revision = make_report_revision("starter", rich=True)
    monkeypatch.setattr(report_context_module, "MAX_TEXT_CHARS", 100)
    with pytest.raises(ReportTooLarge, match=r"at most 100 characters in one answer"):
        build(app, db_session, revision)
    monkeypatch.setattr(report_context_module, "MAX_ANSWERS_BYTES", 1024)
    with pytest.raises(ReportTooLarge, match=r"at most 1 KiB of answers"):
        build(app, db_session, revision)


def test_too_large_revision_answers_a_clear_page(app, db_session, make_report_revision, reader, monkeypatch):
    revision = make_report_revision("starter", rich=True)
    monkeypatch.setattr(report_context_module, "MAX_TEXT_CHARS", 100)
    response = reader.get(f"/systems/{revision.system.uid}/revisions/1/report.pdf")
    assert response.status_code == 413
    assert "at most 100 characters in one answer" in response.get_data(as_text=True)


def test_render_is_bounded_in_time(app, db_session, make_report_revision, monkeypatch):
    revision = make_report_revision("starter", rich=True)
    monkeypatch.setitem(app.config, "REPORT_TIMEOUT", 0.05)
    with pytest.raises(ReportRenderFailed, match="longer than 0.05 s"):
        build(app, db_session, revision)


@pytest.mark.skipif(
    address_space_mb() is None,
    reason="the system does not report the address space a process uses (no /proc)",
)
def test_render_is_bounded_in_memory(app, db_session, make_report_revision, monkeypatch):
    """40 MB is less than a renderer with WeasyPrint loaded takes before it starts: the memory
    limit, and nothing else, refuses the render, and the message names it."""
    revision = make_report_revision("starter", rich=True)
    usual = app.config["REPORT_MEMORY_MB"]
    monkeypatch.setitem(app.config, "REPORT_MEMORY_MB", 40)
    with pytest.raises(
        ReportOutOfMemory,
        match=r"more than its memory limit of 40 MB "
        r"\(AIA_REPORT_MEMORY_MB\)",
    ):
        build(app, db_session, revision)
    monkeypatch.setitem(app.config, "REPORT_MEMORY_MB", usual)
    assert build(app, db_session, revision).startswith(b"%PDF-")  # the same render, in bounds


def test_fetcher_serves_bundled_assets_and_refuses_everything_else():
    fetcher = AssetOnlyFetcher()
    response = fetcher.fetch("aia-asset:report.css")
    assert b"@page" in response.read()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.css",
        "data:text/css,body{}",
        "aia-asset:../../config.py",
        "aia-asset:missing.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_report_points_to_the_scoring_method(app, db_session, make_report_revision, monkeypatch):
    revision = make_report_revision("starter", rich=False)
    text = flat(pdf_text(build(app, db_session, revision, published=True)))
    # Cited by its name and where it is published, never as a path in a source tree.
    assert "method document “How an assessment is scored”, published on the “Method” page" in text
    assert "scoring.md" not in text
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://algorithms.example.gov")
    data = build(app, db_session, revision, published=True)
    assert "https://algorithms.example.gov/register/method" in flat(pdf_text(data))
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in pypdf.PdfReader(io.BytesIO(data)).pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert "https://algorithms.example.gov/register/method" in links
