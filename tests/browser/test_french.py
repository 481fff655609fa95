"""The French interface in a real browser: the language a French browser asks for, the
header's switcher without JavaScript, a form with its errors in French, axe on those pages,
a report downloaded in French whose PDF says so (``/Lang``), and a questionnaire in French with
the engine's messages and the translations of written answers."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from aia.extensions import db

from .pages import check_axe

pytestmark = pytest.mark.browser


def an_unpublished_revision(app) -> tuple[str, int]:
    """A revision of the demo data that has no published copy (its PDF is rendered for its
    reader): the system's uid and the revision's number."""
    from aia.assessments.models import Revision, System

    with app.app_context():
        row = db.session.execute(
            sa.select(System.uid, Revision.number)
            .join(Revision.system)
            .where(Revision.pdf_sha256.is_(None))
            .order_by(Revision.id)
            .limit(1)
        ).one()
    return row[0], row[1]


def test_a_french_browser_gets_french_pages_and_the_switcher_works_without_javascript(open_page):
    page = open_page("/register/", as_role=None, locale="fr-FR", java_script_enabled=False)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des algorithmes")
    expect(page).to_have_title(re.compile(r"^Registre des algorithmes – aia$"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Algorithm register")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/register/$"))


def test_axe_on_french_pages(open_page):
    page = open_page("/register/", as_role=None, locale="fr-FR")
    check_axe(page, "the register in French")
    page.goto("/register/method")
    check_axe(page, "the method page in French")
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_title(re.compile(r"^Erreur\u00a0: Se connecter"))
    summary = page.locator(".error-summary")
    expect(summary.get_by_role("heading")).to_have_text("Il y a 2\u00a0problèmes")
    expect(summary).to_contain_text("Adresse électronique\u00a0: Saisissez votre adresse électronique.")
    expect(summary).to_contain_text("Mot de passe\u00a0: Saisissez votre mot de passe.")
    check_axe(page, "the sign-in page with its errors, in French")


def test_a_form_with_errors_and_a_report_in_french(open_page, live_app):
    page = open_page("/?lang=fr")  # signed in; French for the rest of the visit
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Évaluations")
    page.goto("/systems/new")
    page.get_by_role("button", name="Créer et commencer").click()
    expect(page).to_have_title(re.compile(r"^Erreur\u00a0: Évaluer un nouveau système"))
    expect(page.locator(".error-summary")).to_contain_text("Nom du système\u00a0: Donnez un nom au système.")
    expect(page.locator("#name-error")).to_contain_text("Donnez un nom au système.")
    check_axe(page, "the new-system form with its errors, in French")

    # The auditor reads every agency's revisions.
    page = open_page("/?lang=fr", as_role="auditor")
    uid, number = an_unpublished_revision(live_app)
    page.goto(f"/systems/{uid}/revisions/{number}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Version {number}\u00a0: résultats")
    check_axe(page, "a revision's results, in French")
    # A render takes seconds on a busy machine: more than the pages' default wait.
    response = page.request.get(f"/systems/{uid}/revisions/{number}/report.pdf", timeout=120_000)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    report = pypdf.PdfReader(io.BytesIO(response.body()))
    assert report.trailer["/Root"]["/Lang"] == "fr"
    assert report.metadata.title.startswith("Rapport de transparence\u00a0:")
    assert "Niveau d’impact" in report.pages[0].extract_text()


def test_a_questionnaire_in_french_its_messages_and_the_translations_page(open_page):
    """The starter questionnaire (v4) on French pages: its own texts in French, the engine's
    messages in French, and the page where a written answer is given in French; axe on each."""
    from .pages import answer_step, create_system, press_next, step_url

    page = open_page("/")
    uid = create_system(page, "Questionnaire en français")
    for step_key, then in (("about", "triage"), ("triage", "risks"), ("risks", "mitigation")):
        answer_step(page, step_key)
        press_next(page, then)
    answer_step(page, "mitigation")
    page.goto(step_url(uid, "about") + "?lang=fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("À propos du système")
    page.get_by_label("Environ combien de personnes").fill("beaucoup")
    page.get_by_role("button", name="Suivant", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Saisissez un nombre, par exemple 1200.")
    check_axe(page, "a step of the questionnaire with an error, in French")

    page.get_by_label("Environ combien de personnes").fill("5000")
    press_next(page, "triage", button="Suivant")  # saved before the review is read
    page.goto(f"/systems/{uid}/review")
    expect(page.get_by_role("heading", name="Traductions")).to_be_visible()
    page.get_by_role("link", name="Ajouter ou modifier les traductions de vos réponses écrites").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Traductions de vos réponses écrites")
    check_axe(page, "the translations of written answers, in French")
    field = page.get_by_label(re.compile(r"^Traduction\W+Français – À quoi sert le système"))
    field.fill("Trie les demandes pour les contrôleurs.")
    page.get_by_role("button", name="Enregistrer les traductions").click()
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.locator("body")).to_contain_text("1\u00a0traduction donnée.")
