"""The interface in English and French: which language a page is served in, the person's
choice of it, and catalogues that are complete and compiled."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa

from aia.accounts.models import User


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True))
    assert found, "the page has no <html lang>"
    return found.group(1)


def switch_to(client, language: str, page: str = "/register/", **form) -> object:
    """Press the header's switcher button for ``language`` on ``page``."""
    html = client.get(page).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    back = re.search(r'name="next" value="([^"]*)"', html)
    assert csrf and back, "the page has no language switcher"
    assert f'name="lang" value="{language}"' in html, f"the switcher offers no {language}"
    data = {"csrf_token": csrf.group(1), "next": back.group(1).replace("&amp;", "&"), "lang": language}
    return client.post("/language", data=data | form)


def test_english_is_the_default(client):
    response = client.get("/register/")
    assert html_lang(response) == "en"
    assert "Public register" in response.get_data(as_text=True)


def test_lang_in_the_address_gives_the_page_in_french(client):
    response = client.get("/register/?lang=fr")
    assert html_lang(response) == "fr"
    assert "Registre public" in response.get_data(as_text=True)


def test_lang_in_the_address_is_kept_for_the_rest_of_the_visit(client):
    client.get("/register/?lang=fr")
    assert html_lang(client.get("/register/")) == "fr"
    assert html_lang(client.get("/register/?lang=en")) == "en"
    assert html_lang(client.get("/register/")) == "en"


def test_an_unknown_lang_in_the_address_is_ignored(client):
    assert html_lang(client.get("/register/?lang=xx")) == "en"
    assert html_lang(client.get("/register/?lang=fr-CA%22%3E")) == "en"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("fr-CA,fr;q=0.9,en;q=0.5", "fr"), ("de-DE,en;q=0.8,fr;q=0.5", "en"), ("de, es", "en"), ("fr", "fr")],
)
def test_the_browser_language_is_used_when_nothing_was_chosen(client, accept, expected):
    assert html_lang(client.get("/register/", headers={"Accept-Language": accept})) == expected


def test_the_switcher_works_for_a_visitor_and_comes_back_to_the_page(client):
    response = switch_to(client, "fr", page="/register/?q=test&lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/register/?q=test"
    assert html_lang(client.get("/register/", headers={"Accept-Language": "en"})) == "fr"
    # On a French page, the switcher offers English, named in English.
    html = client.get("/register/").get_data(as_text=True)
    assert 'value="en" lang="en"' in html and ">English</button>" in html


def test_the_switcher_never_sends_elsewhere(client):
    response = switch_to(client, "fr", next="https://elsewhere.example/")
    assert response.headers["Location"] == "/"
    response = switch_to(client, "en", next="//elsewhere.example/")
    assert response.headers["Location"] == "/"


def test_an_unknown_language_posted_changes_nothing(client):
    switch_to(client, "fr")
    html = client.get("/register/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert csrf
    client.post("/language", data={"csrf_token": csrf.group(1), "lang": "xx", "next": "/register/"})
    assert html_lang(client.get("/register/")) == "fr"


def test_the_switcher_needs_the_form_token(client):
    assert client.post("/language", data={"lang": "fr", "next": "/"}).status_code == 400


def test_the_language_chosen_is_kept_on_the_account_for_the_next_visit(app, client, login, db_session):
    user = login("author")
    switch_to(client, "fr", page="/")
    assert db_session.scalar(sa.select(User.language).where(User.id == user.id)) == "fr"
    # A new browser, whose own language is English: signed in, the person gets French.
    other = app.test_client()
    login(user, on=other)
    assert html_lang(other.get("/", headers={"Accept-Language": "en"}, follow_redirects=True)) == "fr"


def test_a_visitor_choice_saves_nothing_on_any_account(client, login, db_session):
    switch_to(client, "fr")
    assert db_session.scalar(sa.select(sa.func.count()).where(User.language.is_not(None))) == 0


def pdf_of(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def test_a_report_preview_is_in_the_reader_language(
    db_session, make_agency, make_system, make_revision, login, client
):
    """The PDF of an unpublished revision is rendered for its reader: ``?lang=fr`` gives a
    French report whose PDF says it is French (``/Lang``), its outline and title in French."""
    agency = make_agency()
    system = make_system(agency=agency)
    revision = make_revision(system=system)
    login("author", agency)
    url = f"/systems/{system.uid}/revisions/{revision.number}/report.pdf"
    french = pdf_of(client.get(url + "?lang=fr").data)
    assert french.trailer["/Root"]["/Lang"] == "fr"
    assert french.metadata.title == f"Rapport de transparence\u00a0: {system.name}, version {revision.number}"
    assert outline_titles(french)[0] == "Résumé" and "Toutes les réponses" in outline_titles(french)
    english = pdf_of(client.get(url + "?lang=en").data)
    assert english.trailer["/Root"]["/Lang"] == "en"
    assert outline_titles(english)[0] == "Summary"


def test_the_published_copy_is_in_the_questionnaire_language_whoever_publishes(
    app, db_session, make_revision, registry
):
    from aia.report.store import publish_pdf

    revision = make_revision()
    language = registry.get(revision.questionnaire_key, revision.questionnaire_version).language
    with app.test_request_context("/?lang=fr"):
        publish_pdf(db_session, revision)
        stored = Path(app.config["REPORT_DIR"]) / f"{revision.pdf_sha256}.pdf"
        assert pdf_of(stored.read_bytes()).trailer["/Root"]["/Lang"] == language


def test_the_messages_of_wtforms_itself_follow_the_page_language(app):
    """A choice no form offers is refused in the page's language, also after a page in the
    other language (the catalogue of each language is kept once read)."""
    from wtforms import RadioField
    from wtforms.fields.choices import SelectChoice

    from aia.i18n import Form

    class Choosing(Form):
        class Meta:
            csrf = False

        colour = RadioField(choices=[SelectChoice("red", "Red")])

    said = {}
    for language in ("fr", "en", "fr"):
        with app.test_request_context(f"/?lang={language}", method="POST", data={"colour": "blue"}):
            form = Choosing()
            assert not form.validate()
            said.setdefault(language, set()).add(form.colour.errors[0])
    assert said == {"fr": {"N'est pas un choix valide."}, "en": {"Not a valid choice."}}


def test_a_page_written_in_another_language_for_a_while_comes_back_to_its_own(app):
    """A mail or a report written in its reader's language in the middle of a French page:
    the strings of templates follow each change of language, and come back."""
    from flask import render_template_string
    from flask_babel import force_locale

    def words() -> str:
        return render_template_string("{{ _('Next') }} / {{ _('Save draft') }}")

    with app.test_request_context("/?lang=fr"):
        french = words()
        with force_locale("en"):
            english = words()
        again = words()
    assert english == "Next / Save draft"
    assert french == again != english
