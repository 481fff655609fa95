"""French pages and the French report speak French all through: the charter rating's meaning,
the answers that raised a flag, dates and numbers in answers, the messages of actions and of
number fields, and the administrators' outbox. The English pages are as they were."""

from __future__ import annotations

import html as html_text
import io
import re

import pypdf
import pytest
import sqlalchemy as sa

from aia.assessments.models import Draft

from .answers import STARTER_COMPLETE
from .webform import as_fields, form_values, submit_data

# Answers whose words and figures the report and the pages show: a high charter rating, two
# flags (one raised by "yes", one by "not sure"), a date and a number with thousands.
SHOWN = {
    "go_live": "2026-03-05",
    "people_per_year": 12000,
    "harm_likelihood": "probable",
    "harm_impact": "high",
    "affects_rights": "yes",
    "uses_group_data": "unsure",
    "group_effects": "Older claimants may be ranked higher.",
}
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def plain(text: str) -> str:
    """``text`` with every run of spaces (no-break ones too) made one space."""
    return SPACES.sub(" ", text)


def words(page: str) -> str:
    """What a page reads: its text without the markup, entities read, spaces made plain."""
    return plain(html_text.unescape(re.sub(r"<[^>]+>", "", page)))


@pytest.fixture
def shown(make_agency, make_system, make_revision, publish):
    """A published revision answered with SHOWN."""
    system = make_system("Benefit triage", agency=make_agency(slug="tax", name="Tax Office"))
    revision = make_revision(SHOWN, system=system)
    publish(revision)
    return revision


def pdf_text(data: bytes) -> str:
    return plain(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def test_the_french_report_speaks_french(client, shown):
    response = client.get(f"/register/{shown.system.uid}/revisions/1/report.fr.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "les engagements de la Charte doivent être appliqués" in text
    assert "commitments must be applied" not in text
    assert "Réponse : Oui" in text and "Réponse : Je ne sais pas" in text
    assert "Réponse : Yes" not in text and "Not sure" not in text
    assert "5 mars 2026" in text and "March" not in text
    assert "12 000" in text and "12,000" not in text


def test_the_english_report_is_as_it_was(client, shown):
    text = pdf_text(client.get(f"/register/{shown.system.uid}/revisions/1/report.en.pdf").data)
    assert "the charter's commitments must be applied" in text
    assert "Answer: Yes" in text and "Answer: Not sure" in text
    assert "5 March 2026" in text and "12,000" in text


def test_the_french_revision_page_speaks_french(client, login, shown):
    login("auditor")
    html = plain(client.get(f"/systems/{shown.system.uid}/revisions/1?lang=fr").get_data(as_text=True))
    assert "les engagements de la Charte doivent être appliqués" in html
    assert "must be applied" not in html
    assert '(<span dir="auto">Oui</span>)' in html
    assert '(<span dir="auto">Je ne sais pas</span>)' in html
    assert ">Yes<" not in html and "Not sure" not in html


def test_the_french_review_page_and_register_entry_write_dates_and_numbers_in_french(client, login, shown):
    uid = shown.system.uid
    entry = plain(client.get(f"/register/{uid}?lang=fr").get_data(as_text=True))
    login("auditor")
    review = plain(client.get(f"/systems/{uid}/revisions/1/review").get_data(as_text=True))
    for html in (review, entry):
        assert "5 mars 2026" in html and "5 March 2026" not in html
    assert "12 000" in review and "12,000" not in review
    english = plain(client.get(f"/systems/{uid}/revisions/1/review?lang=en").get_data(as_text=True))
    assert "5 March 2026" in english and "12,000" in english


def test_the_french_comparison_names_the_flags_in_french(client, login, shown, make_revision):
    make_revision({**SHOWN, "black_box": "yes"}, system=shown.system)
    login("auditor")
    html = client.get(f"/systems/{shown.system.uid}/compare?lang=fr").get_data(as_text=True)
    assert "Tort possible aux personnes" in html
    assert "Possible harm to people" not in html and "Unequal treatment" not in html


def test_the_withdrawal_says_so_in_french(client, login, shown, approver_of):
    login(approver_of(shown.system.agency))
    page = client.get(f"/systems/{shown.system.uid}/revisions/1?lang=fr").get_data(as_text=True)
    token = form_values(page)["csrf_token"][0]
    response = client.post(
        f"/systems/{shown.system.uid}/revisions/1/withdraw",
        data={"csrf_token": token, "reason": "Le système est arrêté."},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Révision 1 retirée." in html
    assert "Revision 1" not in html


def test_the_outbox_shows_kinds_and_states_in_words(client, login, db_session):
    from aia.db import now_utc
    from aia.mail.models import OutboxMessage

    for kind, state in (("password_reset", "sent"), ("invitation", "queued")):
        sent_dt = now_utc() if state == "sent" else None
        db_session.add(
            OutboxMessage(
                kind=kind,
                recipient="x@agency.example",
                language="en",
                values={},
                state=state,
                sent_dt=sent_dt,
            )
        )
    db_session.flush()
    login("admin")
    french = client.get("/admin/mail?lang=fr").get_data(as_text=True)
    assert "Lien de réinitialisation du mot de passe" in french and "Accepté par le serveur" in french
    english = client.get("/admin/mail?lang=en").get_data(as_text=True)
    assert "Password reset link" in english and "Accepted by the server" in english
    for html in (french, english):
        assert ">password_reset<" not in html and ">sent<" not in html and ">queued<" not in html
        assert 'data-kind="password_reset"' in html  # the code stays in the page, for searching


@pytest.fixture
def french_about_page(client, login, make_agency, make_system, make_draft):
    """An author's draft and its first step, in French: (system uid, the page)."""
    agency = make_agency(slug="tax", name="Tax Office")
    system = make_system("Benefit triage", agency=agency)
    make_draft(dict(STARTER_COMPLETE), system=system)
    login("author", agency)
    return system.uid, client.get(f"/systems/{system.uid}/draft/about?lang=fr").get_data(as_text=True)


def post_people(client, uid: str, page: str, typed: str):
    return client.post(
        f"/systems/{uid}/draft/about", data=submit_data(page, as_fields({"people_per_year": typed}), "save")
    )


def stored_people(db_session, uid: str):
    from aia.assessments.models import System

    draft = db_session.scalar(sa.select(Draft).join(System).where(System.uid == uid))
    db_session.refresh(draft)
    return draft.answers.get("people_per_year")


@pytest.mark.parametrize("typed, stored", [("1 200", 1200), ("1\u202f200", 1200), ("12000", 12000)])
def test_a_french_number_field_reads_numbers_the_french_way(
    client, db_session, french_about_page, typed, stored
):
    uid, page = french_about_page
    assert post_people(client, uid, page, typed).status_code in (302, 303)
    assert stored_people(db_session, uid) == stored  # stored as a plain number, in any language


def test_a_french_number_field_shows_a_stored_number_the_french_way(client, db_session, french_about_page):
    uid, page = french_about_page
    post_people(client, uid, page, "1 200")
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)
    assert form_values(page)["q_people_per_year"] == ["1200"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1.5", "Écrivez les décimales après une virgule, comme dans 1,5"),
        ("12,000", "Saisissez un nombre entier sans virgule"),
        ("1,5", "Saisissez un nombre entier, sans décimales."),
    ],
)
def test_a_french_number_field_refuses_in_french(client, db_session, french_about_page, typed, message):
    uid, page = french_about_page
    response = post_people(client, uid, page, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "Write decimals" not in html
    assert stored_people(db_session, uid) == STARTER_COMPLETE["people_per_year"]


def test_an_english_number_field_keeps_the_english_rule(client, db_session, french_about_page):
    uid, _page = french_about_page
    page = client.get(f"/systems/{uid}/draft/about?lang=en").get_data(as_text=True)
    assert post_people(client, uid, page, "12,000").status_code in (302, 303)
    assert stored_people(db_session, uid) == 12000
    page = client.get(f"/systems/{uid}/draft/about").get_data(as_text=True)  # the draft's new version
    response = post_people(client, uid, page, "1,5")
    assert response.status_code == 422
    assert "Write decimals with a point, as in 1.5" in response.get_data(as_text=True)


def test_the_outbox_says_why_a_message_failed_in_the_readers_language(client, login, db_session):
    """The failure is kept as a kind, worded on the page in its reader's language; what the
    server said follows in its own words."""
    from aia.mail.models import OutboxMessage

    db_session.add(
        OutboxMessage(
            kind="revision_approved",
            recipient="gone@agency.example",
            language="en",
            values={},
            state="failed",
            attempts=1,
            failure="recipient_refused",
            last_error="SMTPRecipientsRefused: 550 5.1.1 <No such user>",
        )
    )
    db_session.flush()
    login("admin")

    french = words(client.get("/admin/mail?lang=fr").get_data(as_text=True))
    said = "Le serveur de courrier a refusé cette adresse définitivement. Le message n’est pas réessayé."
    assert said in french
    assert "Ce qu’il a répondu : SMTPRecipientsRefused: 550 5.1.1 <No such user>" in french
    english = words(client.get("/admin/mail?lang=en").get_data(as_text=True))
    assert "The mail server refused this address for good. It is not tried again." in english
    assert "refusé" not in english


def test_the_report_buttons_name_each_copys_language_with_french_punctuation(client, shown):
    """Each copy's button names its language in that language; the colon before it follows
    the page's typography (a no-break space before it in French)."""
    uid = shown.system.uid
    french = client.get(f"/register/{uid}?lang=fr").get_data(as_text=True)
    assert 'Télécharger le rapport (PDF)&nbsp;: <span lang="en">English</span>' in french
    assert 'Télécharger le rapport (PDF)&nbsp;: <span lang="fr">Français</span>' in french
    english = client.get(f"/register/{uid}?lang=en").get_data(as_text=True)
    assert 'Download the report (PDF):&nbsp;<span lang="en">English</span>' in english
    # The line of the entry's data is one sentence, with French punctuation in French.
    said = words(french)
    assert "Données de cette fiche : JSON ; sous forme de fiche de la norme britannique" in said
    assert "fiche ATRS (JSON) ; sous forme de fiche du registre néerlandais des algorithmes :" in said


def test_quoted_answers_and_questions_take_the_pages_quotation_marks(
    client, login, make_agency, make_system, make_draft
):
    """What an answer counts for, and which answers raise a flag, quote them as the page's
    language does: « … » in French, “…” in English."""
    agency = make_agency(slug="tax", name="Tax Office")
    system = make_system("Threshold", agency=agency)
    make_draft({}, system=system, key="threshold")
    login("author", agency=agency)
    french = plain(client.get(f"/systems/{system.uid}/draft/check?lang=fr").get_data(as_text=True))
    assert "« Oui » ou « Je ne sais pas » déclenche le signal" in french
    assert "“" not in french and "”" not in french
    english = plain(client.get(f"/systems/{system.uid}/draft/check?lang=en").get_data(as_text=True))
    assert "“Yes” or “Not sure” raises the flag" in english


def test_a_link_followed_by_a_colon_keeps_french_punctuation(app, client, login):
    login("admin")
    users = words(client.get("/admin/users?lang=fr").get_data(as_text=True))
    assert "Inviter une personne par courriel : la personne choisit son propre mot de passe." in users
    login("author", on=(author := app.test_client()))
    password = words(author.get("/account/password?lang=fr").get_data(as_text=True))
    assert "Second facteur : désactivé." in password
    english = words(author.get("/account/password?lang=en").get_data(as_text=True))
    assert "Second factor: off." in english


def test_languages_named_in_a_sentence_are_named_in_the_pages_language(app):
    from aia.presentation import language_name

    with app.test_request_context("/?lang=fr"):
        assert [language_name(code) for code in ("en", "fr")] == ["anglais", "français"]
    with app.test_request_context("/?lang=en"):
        assert [language_name(code) for code in ("en", "fr")] == ["English", "French"]
