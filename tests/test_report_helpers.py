"""Shared fixtures and helpers of the report tests (imported by the test_report_* modules)."""

from __future__ import annotations

import io

import pypdf
import pytest

from aia.report.build import build_pdf
from aia.report.samples import minimal_answers, rich_answers


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap anywhere in a PDF)."""
    return " ".join(text.split())


def build(app, session, revision, published: bool = False) -> bytes:
    with app.app_context():
        return build_pdf(session, revision, published=published)


@pytest.fixture
def make_report_revision(db_session, make_system, registry):
    """A submitted revision of any questionnaire, with rich or minimal answers; skips when the
    questionnaire is not installed."""
    from aia.assessments import services

    def make(
        key: str = "starter", rich: bool = True, chars: int = 300, system=None, answers: dict | None = None
    ):
        definition = registry.latest(key)
        if definition is None:
            pytest.skip(f"the {key} questionnaire is not installed")
        chosen = rich_answers(definition, chars) if rich else minimal_answers(definition)
        system = system or make_system(
            name=f"Claim review triage ({key})", description="Ranks claims for manual review."
        )
        draft = services.start_draft(db_session, system, definition, {**chosen, **(answers or {})})
        return services.submit(db_session, draft, definition, draft.lock_version)

    return make


@pytest.fixture
def reader(request, client):
    """A test client that may read every system: signed in as an auditor when the app has
    accounts."""
    try:
        login = request.getfixturevalue("login")
    except pytest.FixtureLookupError:
        return client
    login("auditor")
    return client
