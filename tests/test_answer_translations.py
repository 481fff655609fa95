"""A written answer can carry its translation into the questionnaire's other language: given on
a page reached from the review, stored with the answers (and so hashed with the revision), and
shown in the report in that language; the report in the questionnaire's own language keeps the
answer as written. A revision without translations is hashed as before."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from aia.assessments import lifecycle
from aia.assessments.models import Revision
from aia.engine import content_hash
from aia.engine.translations import TRANSLATIONS
from aia.publishing import services as publication
from aia.report.models import ReportFile

from .answers import STARTER_COMPLETE
from .webform import submit_data

FRENCH_PURPOSE = "Trie les demandes pour que les contrôleurs voient d’abord les plus risquées."
FRENCH_DECISION = "Qui est convoqué à un entretien de contrôle"


def pdf_text(app, sha256: str) -> str:
    data = (Path(app.config["REPORT_DIR"]) / f"{sha256}.pdf").read_bytes()
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def published_texts(app, db_session, approver, revision) -> tuple[str, str]:
    """The revision approved and published: the text of its French and English copies."""
    with app.test_request_context("/"):
        lifecycle.change_status(db_session, approver, revision, "approve")
        publication.publish(db_session, approver, revision, "Ready.")
    files = {
        f.language: f.sha256
        for f in db_session.scalars(sa.select(ReportFile).filter_by(revision_id=revision.id))
    }
    return pdf_text(app, files["fr"]), pdf_text(app, files["en"])


def test_a_translated_answer_is_stored_hashed_and_shown_in_the_french_report(
    app, client, login, make_draft, make_user, db_session
) -> None:
    draft = make_draft(STARTER_COMPLETE)  # starter v4: English and French
    system = draft.system
    login("author", system.agency)
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert f'href="/systems/{system.uid}/review/translations"' in review and "Français" in review

    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert 'name="t_fr_purpose"' in page and 'name="t_fr_decision"' in page and 'lang="fr"' in page
    assert 'name="t_fr_contact"' in page  # a short text too
    saved = client.post(
        f"/systems/{system.uid}/review/translations",
        data=submit_data(page, {"t_fr_purpose": FRENCH_PURPOSE, "t_fr_decision": FRENCH_DECISION + "  "}),
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/review")
    db_session.refresh(draft)
    assert draft.answers[TRANSLATIONS] == {"fr": {"purpose": FRENCH_PURPOSE, "decision": FRENCH_DECISION}}
    again = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert FRENCH_PURPOSE.replace("’", "&#39;") in again or FRENCH_PURPOSE in again  # kept, shown again
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert "2 translations given." in review

    assert client.post(f"/systems/{system.uid}/review", data=submit_data(review)).status_code == 302
    revision = db_session.scalars(sa.select(Revision).filter_by(system_id=system.id)).one()
    assert revision.answers["purpose"] == STARTER_COMPLETE["purpose"]  # the answer as written
    assert revision.answers[TRANSLATIONS]["fr"]["purpose"] == FRENCH_PURPOSE
    assert revision.sha256 == content_hash(revision.hashed_document())  # hashed with the answers

    french, english = published_texts(app, db_session, make_user("approver", system.agency), revision)
    assert "Trie les demandes pour que les contrôleurs" in french
    assert "Sorts claims so that reviewers see the riskiest first." not in french
    assert "Sorts claims so that reviewers see the riskiest first." in english
    assert "Trie les demandes" not in english
    # the answer not translated is shown as written, in both
    assert "Payments could be delayed." in french and "Payments could be delayed." in english


def test_a_blank_or_too_long_translation_is_not_kept_and_nothing_else_is_lost(
    client, login, make_draft, db_session
) -> None:
    draft = make_draft(STARTER_COMPLETE)
    system = draft.system
    login("author", system.agency)
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    client.post(
        f"/systems/{system.uid}/review/translations",
        data=submit_data(page, {"t_fr_purpose": FRENCH_PURPOSE, "t_fr_decision": "x" * 500}),
    )
    db_session.refresh(draft)
    assert draft.answers[TRANSLATIONS] == {"fr": {"purpose": FRENCH_PURPOSE}}
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    client.post(f"/systems/{system.uid}/review/translations", data=submit_data(page, {"t_fr_purpose": " "}))
    db_session.refresh(draft)
    assert TRANSLATIONS not in draft.answers
    assert {k: draft.answers[k] for k in STARTER_COMPLETE} == STARTER_COMPLETE


def test_a_revision_without_translations_is_hashed_as_before(make_revision) -> None:
    revision = make_revision()
    assert TRANSLATIONS not in revision.answers


def test_a_questionnaire_in_one_language_offers_no_translations(client, login, make_draft) -> None:
    draft = make_draft(STARTER_COMPLETE, version=3)
    login("author", draft.system.agency)
    review = client.get(f"/systems/{draft.system.uid}/review").get_data(as_text=True)
    assert "/review/translations" not in review
    assert client.get(f"/systems/{draft.system.uid}/review/translations").status_code == 404


def test_a_text_in_a_row_is_translated_and_its_translation_follows_the_row(
    app, client, login, make_draft, make_user, db_session, registry
) -> None:
    """The texts of a group's rows (the FRIA's risk register) are translated like any written
    answer; moved to another place, a row keeps its translation; rewritten, it loses it."""
    from aia.assessments import services
    from aia.engine.translations import answers_in_language, cell_key
    from aia.seed import JOB_MATCHING

    definition = registry.latest("eu-fria")
    draft = make_draft(JOB_MATCHING, key="eu-fria")
    system = draft.system
    rows = JOB_MATCHING["risk_register"]
    first_group, second_measures = rows[0]["group"], rows[1]["measures"]
    login("author", system.agency)
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert "The risk register, Risk 1: The group affected" in page
    assert "The risk register, Risk 2: The measures taken" in page
    group_field = f"t_fr_{cell_key('risk_register', 'group', first_group)}"
    measures_field = f"t_fr_{cell_key('risk_register', 'measures', second_measures)}"
    assert f'name="{group_field}"' in page and f'name="{measures_field}"' in page
    saved = client.post(
        f"/systems/{system.uid}/review/translations",
        data=submit_data(
            page,
            {
                group_field: "Demandeurs d’emploi âgés ou handicapés",
                measures_field: "Les interruptions de carrière ne sont pas une donnée d’entrée.",
            },
        ),
    )
    assert saved.status_code == 302
    db_session.refresh(draft)
    assert len(draft.answers["_translations"]["fr"]) == 2

    # The rows moved: each translation goes with its own text.
    moved = {**draft.answers, "risk_register": [rows[1], rows[0], *rows[2:]]}
    french = answers_in_language(definition, moved, "fr")["risk_register"]
    assert french[0]["measures"] == "Les interruptions de carrière ne sont pas une donnée d’entrée."
    assert french[1]["group"] == "Demandeurs d’emploi âgés ou handicapés"
    assert french[0]["group"] == rows[1]["group"]  # not translated: as written
    assert answers_in_language(definition, moved, "en")["risk_register"] == moved["risk_register"]

    # The first risk's group rewritten (a real save of its step): its translation is dropped at
    # submission, the other one kept; the French report shows each row as it now reads.
    rewritten = [{**rows[0], "group": "Jobseekers over 55"}, *rows[1:]]
    services.save_answers(db_session, draft, {"risk_register": rewritten}, "risks", draft.lock_version)
    revision = services.submit(db_session, draft, definition, draft.lock_version)
    db_session.flush()
    assert list(revision.answers["_translations"]["fr"]) == [
        cell_key("risk_register", "measures", second_measures)
    ]
    # The register's table reads the rows in the report's language too.
    with app.test_request_context("/"), force_locale("fr"):
        from aia.report.context import report_context

        risks = report_context(revision, definition.in_language("fr"), published=True)["fria"]["risks"]
    assert risks[1]["measures"] == "Les interruptions de carrière ne sont pas une donnée d’entrée."
    assert risks[0]["group"] == "Jobseekers over 55"
    text, english = published_texts(app, db_session, make_user("approver", system.agency), revision)
    assert "Les interruptions de carrière ne sont pas une donnée" not in english
    assert "Les interruptions de carrière ne sont pas une donnée" in text
    assert "Jobseekers over 55" in text and "Demandeurs d’emploi âgés" not in text


FRENCH_HARM = "Les paiements pourraient être retardés."
REWRITTEN_HARM = "Payments could be delayed by up to a month."


def end_first_revision(app, db_session, approver, revision, how: str) -> None:
    """Revision 1 sent back for changes, or published, or published and then withdrawn."""
    with app.test_request_context("/"):
        if how == "changes_requested":
            lifecycle.change_status(db_session, approver, revision, "request_changes", "Say more.")
        else:
            lifecycle.change_status(db_session, approver, revision, "approve")
            publication.publish(db_session, approver, revision, "Ready.")
            if how == "withdrawn":
                publication.withdraw(db_session, approver, revision, "Out of date.")
    db_session.flush()


@pytest.mark.parametrize("how", ["changes_requested", "published", "withdrawn"])
def test_a_new_draft_carries_the_translations_and_holds_back_those_of_a_rewritten_answer(
    app, client, login, make_draft, make_user, db_session, how
) -> None:
    """A draft started from an earlier revision (however that one ended) starts with its
    translations. The author rewrites one translated answer: its translation stays in the
    draft, marked for checking, but is not submitted, and the French report shows the answer
    as now written; the others are published in French."""
    draft = make_draft(STARTER_COMPLETE)
    system = draft.system
    login("author", system.agency)
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    french = {"t_fr_decision": FRENCH_DECISION, "t_fr_harm_description": FRENCH_HARM}
    client.post(f"/systems/{system.uid}/review/translations", data=submit_data(page, french))
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert client.post(f"/systems/{system.uid}/review", data=submit_data(review)).status_code == 302
    first = db_session.scalars(sa.select(Revision).filter_by(system_id=system.id)).one()
    assert first.answers[TRANSLATIONS] == {
        "fr": {"decision": FRENCH_DECISION, "harm_description": FRENCH_HARM}
    }
    approver = make_user("approver", system.agency)
    end_first_revision(app, db_session, approver, first, how)

    # The author starts a new draft from the system's page: the translations came with it.
    page = client.get(f"/systems/{system.uid}").get_data(as_text=True)
    assert client.post(f"/systems/{system.uid}/draft", data=submit_data(page)).status_code == 302
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert FRENCH_DECISION in page and FRENCH_HARM in page
    assert "was changed after it was translated" not in page

    # One translated answer rewritten on its step: its translation is kept, marked for checking.
    step = client.get(f"/systems/{system.uid}/draft/risks").get_data(as_text=True)
    saved = client.post(
        f"/systems/{system.uid}/draft/risks",
        data=submit_data(step, {"q_harm_description": REWRITTEN_HARM}, action="save"),
    )
    assert saved.status_code == 302
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert page.count("was changed after it was translated") == 1
    assert FRENCH_HARM in page and FRENCH_DECISION in page  # the old text, to check
    review = client.get(f"/systems/{system.uid}/review").get_data(as_text=True)
    assert "1 translation given." in review
    assert "1 written answer was changed after it was translated" in review

    assert client.post(f"/systems/{system.uid}/review", data=submit_data(review)).status_code == 302
    second = db_session.scalars(sa.select(Revision).filter_by(system_id=system.id, number=2)).one()
    assert second.answers["harm_description"] == REWRITTEN_HARM
    assert second.answers[TRANSLATIONS] == {"fr": {"decision": FRENCH_DECISION}}
    assert "_translated_from" not in second.answers  # the draft's own record
    assert second.sha256 == content_hash(second.hashed_document())
    text, english = published_texts(app, db_session, approver, second)
    assert "Qui est convoqué à un entretien de contrôle" in text
    assert "Who is invited to a review interview" not in text
    assert REWRITTEN_HARM in text and "Les paiements pourraient" not in text
    assert "Who is invited to a review interview" in english


def test_a_translation_checked_and_saved_again_is_current(
    client, login, make_draft, db_session, registry
) -> None:
    """Saving the translations page again takes each translation on it as made from the
    answer as it now reads: it is no longer held back."""
    from aia.assessments import services
    from aia.engine.translations import stale_keys

    definition = registry.latest("starter")
    draft = make_draft({**STARTER_COMPLETE, TRANSLATIONS: {"fr": {"harm_description": FRENCH_HARM}}})
    system = draft.system
    assert draft.answers[TRANSLATIONS] == {"fr": {"harm_description": FRENCH_HARM}}
    services.save_answers(
        db_session, draft, {"harm_description": REWRITTEN_HARM}, "risks", draft.lock_version
    )
    assert stale_keys(definition, draft.answers) == {"harm_description"}
    login("author", system.agency)
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert "was changed after it was translated" in page
    new_french = "Les paiements pourraient être retardés d’un mois."
    client.post(
        f"/systems/{system.uid}/review/translations",
        data=submit_data(page, {"t_fr_harm_description": new_french}),
    )
    db_session.refresh(draft)
    assert stale_keys(definition, draft.answers) == set()
    assert draft.answers[TRANSLATIONS] == {"fr": {"harm_description": new_french}}
    page = client.get(f"/systems/{system.uid}/review/translations").get_data(as_text=True)
    assert "was changed after it was translated" not in page
    revision = services.submit(db_session, draft, definition, draft.lock_version)
    assert revision.answers[TRANSLATIONS] == {"fr": {"harm_description": new_french}}
