"""Password reset, invitations, administrators' changes to people and agencies, and one's
choice of notifications; the mail goes to a real SMTP server the test starts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from aia.accounts.models import Agency, User
from aia.audit.models import AuditEvent

from .conftest import PASSWORD
from .smtp import parts
from .webform import field_error, submit_data

NEW = "a new long phrase for the reset"


def link_in(message, path: str) -> str:
    text, html = parts(message)
    found = re.search(r"http://localhost:5000(" + re.escape(path) + r"[^\s\"<]+)", text)
    assert found, text
    return found.group(1)


def sign_in(browser, email: str, password: str):
    page = browser.get("/login").get_data(as_text=True)
    return browser.post("/login", data=submit_data(page, {"email": email, "password": password}))


def ask_reset(browser, email: str):
    page = browser.get("/login/forgot").get_data(as_text=True)
    return browser.post("/login/forgot", data=submit_data(page, {"email": email}))


def actions(db_session) -> list[str]:
    return list(db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_reset_link_works_once_and_signs_out_every_other_session(app, client, login, smtp, db_session):
    user = login("author")
    elsewhere = app.test_client()
    login(user, on=elsewhere)
    browser = app.test_client()
    response = ask_reset(browser, user.email.upper())
    assert response.status_code == 302
    [message] = smtp.to(user.email)
    assert message["Subject"] == "Choose a new password"
    path = link_in(message, "/login/reset/")
    page = browser.get(path).get_data(as_text=True)
    response = browser.post(path, data=submit_data(page, {"new": NEW, "confirm": NEW}))
    assert response.status_code == 302
    assert browser.get("/account/password").status_code == 200  # signed in with the new one
    assert elsewhere.get("/account/password").status_code == 302  # that session ended
    assert client.get("/account/password").status_code == 302
    assert sign_in(app.test_client(), user.email, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), user.email, NEW).status_code == 302
    # Used once: the link no longer works.
    assert app.test_client().get(path).status_code == 404
    # The outbox keeps no working token once the mail is sent.
    from aia.mail.models import OutboxMessage

    sent = db_session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
    assert sent.state == "sent" and "token" not in sent.values
    assert {"user.password_reset_requested", "user.password_reset"} <= set(actions(db_session))


def test_asking_for_an_unknown_address_answers_the_same_and_sends_nothing(app, client, make_user, smtp):
    user = make_user("author")
    known = ask_reset(app.test_client(), user.email)
    unknown = ask_reset(app.test_client(), "nobody@agency.example")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    follow = app.test_client()
    ask_reset(follow, "nobody@agency.example")
    said = follow.get("/login").get_data(as_text=True)
    assert "If an account uses this address" in said
    assert [m["To"] for m in smtp.messages] == [user.email]


def test_a_reset_link_expires(app, client, make_user, smtp, monkeypatch):
    user = make_user("author")
    ask_reset(client, user.email)
    path = link_in(smtp.messages[0], "/login/reset/")
    monkeypatch.setitem(app.config, "PASSWORD_RESET_HOURS", -1)  # every link is older than that
    assert client.get(path).status_code == 404
    monkeypatch.setitem(app.config, "PASSWORD_RESET_HOURS", 2)
    assert client.get(path).status_code == 200
    # A link made for an invitation is no reset link, and a forged one is nothing.
    assert client.get(path.replace("/login/reset/", "/invitation/")).status_code == 404
    assert client.get(path[:-3] + "abc").status_code == 404


def test_reset_requests_are_limited(app, client, make_user, smtp):
    user = make_user("author")
    statuses = [ask_reset(client, user.email).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(smtp.messages) == 5


def test_the_reset_password_command_mails_and_prints_a_link(app, db_session, make_user, smtp):
    user = make_user("approver")
    result = app.test_cli_runner().invoke(args=["reset-password", user.email])
    assert result.exit_code == 0, result.output
    assert f"reset link mailed to {user.email}" in result.output
    assert "http://localhost:5000/login/reset/" in result.output
    [message] = smtp.to(user.email)
    result = app.test_cli_runner().invoke(args=["reset-password", "nobody@agency.example"])
    assert result.exit_code == 1 and "no active account" in result.output


def invite(browser, fields: dict):
    page = browser.get("/invitations").get_data(as_text=True)
    return browser.post("/invitations", data=submit_data(page, fields))


def test_an_invited_person_chooses_their_password_and_sets_up_a_second_factor(
    app, client, login, make_agency, smtp, db_session, monkeypatch
):
    agency = make_agency(name="Tax <Office>")
    admin = login("admin")
    response = invite(
        client, {"email": "Ana@Tax.example", "name": "Ana", "role": "approver", "agency": str(agency.id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    [message] = smtp.to("ana@tax.example")
    assert message["Subject"] == "You are invited to Tax <Office>'s impact assessments"
    assert "Tax &lt;Office&gt;" in parts(message)[1]
    path = link_in(message, "/invitation/")
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", frozenset({"approver"}))
    browser = app.test_client()
    page = browser.get(path).get_data(as_text=True)
    assert "ana@tax.example" in page
    response = browser.post(path, data=submit_data(page, {"new": NEW, "confirm": NEW}))
    assert response.status_code == 302
    # The role needs a second factor: that is all the app lets them do first.
    assert browser.get("/").headers["Location"].endswith("/account/second-factor")
    assert app.test_client().get(path).status_code == 404  # used
    invited = db_session.scalar(sa.select(User).where(User.email == "ana@tax.example"))
    assert invited.invited_dt is None and invited.role == "approver"
    assert {"user.invited", "user.invitation_accepted"} <= set(actions(db_session))
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.invited"))
    assert event.actor_id == admin.id


def test_inviting_again_before_the_invitation_is_taken_up_sends_a_new_link_and_ends_the_old(
    app, client, login, make_agency, smtp, db_session
):
    agency = make_agency()
    login("admin")
    fields = {"email": "bo@agency.example", "name": "Bo", "role": "author", "agency": str(agency.id)}
    assert invite(client, fields).status_code == 302
    assert invite(client, fields).status_code == 302  # not taken up: sent again
    first, second = smtp.to("bo@agency.example")
    old, new = link_in(first, "/invitation/"), link_in(second, "/invitation/")
    assert old != new
    browser = app.test_client()
    assert browser.get(old).status_code == 404  # the first link stopped working
    page = browser.get(new).get_data(as_text=True)
    assert browser.post(new, data=submit_data(page, {"new": NEW, "confirm": NEW})).status_code == 302
    assert actions(db_session).count("user.invitation_resent") == 1
    # Another role while the invitation waits: said at the field, nothing sent.
    other = {**fields, "email": "cy@agency.example"}
    assert invite(client, other).status_code == 302
    refused = invite(client, {**other, "role": "approver"})
    assert refused.status_code == 422
    assert "already invited as Author" in refused.get_data(as_text=True)
    # Taken up: no invitation, a pointer to the password reset instead.
    refused = invite(client, fields)
    assert refused.status_code == 422
    assert "ask for a new password" in refused.get_data(as_text=True)
    assert len(smtp.to("bo@agency.example")) == 2 and len(smtp.to("cy@agency.example")) == 1


def test_an_approver_invites_authors_and_approvers_of_their_own_agency_only(
    app, client, login, make_agency, smtp, db_session
):
    approver = login("approver")
    other = make_agency()
    assert (
        invite(
            client, {"email": "new@agency.example", "role": "author", "agency": str(approver.agency_id)}
        ).status_code
        == 302
    )
    assert (
        invite(
            client, {"email": "aud@agency.example", "role": "auditor", "agency": str(approver.agency_id)}
        ).status_code
        == 422
    )
    assert (
        invite(client, {"email": "far@agency.example", "role": "author", "agency": str(other.id)}).status_code
        == 422
    )
    assert [m["To"] for m in smtp.messages] == ["new@agency.example"]
    login("author", on=(other := app.test_client()))
    assert other.get("/invitations").status_code == 403


def test_an_administrator_changes_a_person_and_their_sessions_end(
    app, client, login, make_user, make_agency, db_session
):
    person = make_user("author")
    elsewhere = app.test_client()
    login(person, on=elsewhere)
    login("admin")
    target = make_agency(name="Roads")
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/users/{person.id}",
        data=submit_data(page, {"name": "Ana B.", "role": "approver", "agency": str(target.id)}),
    )
    assert response.status_code == 302
    db_session.refresh(person)
    assert (person.name, person.role, person.agency_id) == ("Ana B.", "approver", target.id)
    assert elsewhere.get("/account/password").status_code == 302
    event = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.changed"))
    assert event.details["role"] == {"from": "author", "to": "approver"}
    # An auditor belongs to no agency: chosen with none, they have none.
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    client.post(f"/admin/users/{person.id}", data=submit_data(page, {"role": "auditor", "agency": "0"}))
    db_session.refresh(person)
    assert (person.role, person.agency_id) == ("auditor", None)


def test_a_closed_agency_s_people_cannot_sign_in_and_its_entries_stay(
    app, client, login, make_user, make_agency, db_session
):
    agency = make_agency(name="Old name")
    person = make_user("author", agency)
    login("admin")
    page = client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    assert (
        client.post(f"/admin/agencies/{agency.id}", data=submit_data(page, {"name": "New name"})).status_code
        == 302
    )
    db_session.refresh(agency)
    assert agency.name == "New name"
    page = client.get(f"/admin/agencies/{agency.id}").get_data(as_text=True)
    close_form = page.split("/close", 1)[1]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', close_form).group(1)
    response = client.post(
        f"/admin/agencies/{agency.id}/close", data={"csrf_token": token, "reason": "merged"}
    )
    assert response.status_code == 302
    db_session.refresh(agency)
    db_session.refresh(person)
    assert agency.closed and not person.active
    assert sign_in(app.test_client(), person.email, PASSWORD).status_code == 401
    assert {"agency.renamed", "agency.closed"} <= set(actions(db_session))
    assert db_session.get(Agency, agency.id) is not None


def test_notifications_can_be_turned_off_but_not_mail_about_one_s_account(
    app, client, login, smtp, make_revision, make_system, make_user, db_session
):
    approver = login("approver")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "checked" in page
    fields = submit_data(page)
    fields.pop("mail_notifications", None)
    assert client.post("/account/notifications", data=fields).status_code == 302
    db_session.refresh(approver)
    assert approver.mail_notifications is False
    system = make_system(agency=approver.agency)
    author = make_user("author", approver.agency)
    with app.app_context():
        make_revision(system=system, submitted_by=author)
        db_session.commit()
    assert smtp.to(approver.email) == []
    ask_reset(app.test_client(), approver.email)
    assert [m["Subject"] for m in smtp.to(approver.email)] == ["Choose a new password"]


def test_the_outbox_page_shows_attempts_and_errors_to_administrators(
    app, client, login, make_user, db_session
):
    from aia.mail.models import OutboxMessage

    db_session.add(
        OutboxMessage(
            kind="revision_approved",
            recipient="x@agency.example",
            language="en",
            values={},
            state="failed",
            attempts=12,
            last_error="ConnectionRefusedError: <refused>",
        )
    )
    db_session.flush()
    login("admin")
    page = client.get("/admin/mail?state=failed").get_data(as_text=True)
    assert "x@agency.example" in page and "ConnectionRefusedError: &lt;refused&gt;" in page
    login("author", on=(other := app.test_client()))
    assert other.get("/admin/mail").status_code == 403


def test_an_invitation_to_an_address_that_is_not_one_is_refused(client, login, make_agency, smtp, db_session):
    login("admin")
    agency = make_agency(name="Benefits")
    response = invite(client, {"email": "bad@", "name": "X", "role": "author", "agency": str(agency.id)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "email") == "Enter an email address like name@example.org."
    assert "Invitation sent" not in html
    assert db_session.scalar(sa.select(User).where(User.email == "bad@")) is None
    assert smtp.messages == []


def test_a_role_and_an_agency_that_do_not_go_together_are_said_at_the_agency(
    client, login, make_agency, make_user, smtp, db_session
):
    login("admin")
    agency = make_agency(name="Benefits")
    response = invite(client, {"email": "ana@benefits.example", "role": "author", "agency": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "agency") == "An author must belong to an agency."
    assert field_error(html, "email") == ""
    response = invite(client, {"email": "ana@benefits.example", "role": "auditor", "agency": str(agency.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "works across agencies" in field_error(html, "agency") and field_error(html, "email") == ""
    assert smtp.messages == []
    # Changing a person: an auditor with an agency is refused the same way, nothing changes.
    person = make_user("author", agency)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    response = client.post(
        f"/admin/users/{person.id}", data=submit_data(page, {"role": "auditor", "agency": str(agency.id)})
    )
    assert response.status_code == 422
    assert "works across agencies" in field_error(response.get_data(as_text=True), "agency")
    db_session.refresh(person)
    assert (person.role, person.agency_id) == ("author", agency.id)


def test_moving_or_disabling_an_agencys_last_approver_warns_the_administrator(
    client, login, make_agency, make_user, db_session
):
    login("admin")
    agency = make_agency(name="Benefits")
    first, second = make_user("approver", agency), make_user("approver", agency)
    author = make_user("author", agency)

    def change(person, role: str) -> str:
        page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
        response = client.post(
            f"/admin/users/{person.id}",
            data=submit_data(page, {"role": role, "agency": str(agency.id)}),
            follow_redirects=True,
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def disable(person) -> str:
        page = client.get("/admin/users").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        response = client.post(
            f"/admin/users/{person.id}/active",
            data={"csrf_token": token.group(1), "active": "0"},
            follow_redirects=True,
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    warning = "Benefits has no approver now"
    # Another approver is left: no warning.
    page = change(first, "author")
    assert f"{first.email} changed." in page and warning not in page
    # The last one made an author: the change is made, and the administrator is told.
    page = change(second, "author")
    assert f"{second.email} changed." in page and warning in page
    assert "notice-warning" in page
    db_session.refresh(second)
    assert second.role == "author"
    # An approver again, then disabled: told too. Disabling an author tells nothing.
    change(second, "approver")
    assert warning not in disable(author)
    page = disable(second)
    assert "disabled and signed out" in page and warning in page


def test_a_role_that_needs_an_agency_is_named_in_the_sentence_in_each_language(client, login, db_session):
    login("admin")
    for role, english, french in (
        ("author", "An author must belong to an agency.", "Un rédacteur doit être rattaché à un organisme."),
        (
            "approver",
            "An approver must belong to an agency.",
            "Un approbateur doit être rattaché à un organisme.",
        ),
    ):
        for language, expected in (("en", english), ("fr", french)):
            page = client.get(f"/invitations?lang={language}").get_data(as_text=True)
            response = client.post(
                "/invitations",
                data=submit_data(
                    page, {"email": f"{role}-{language}@x.example", "name": "X", "role": role, "agency": "0"}
                ),
            )
            assert response.status_code == 422
            assert field_error(response.get_data(as_text=True), "agency") == expected


def test_an_invitation_names_the_role_in_the_language_it_is_written_in(
    client, login, make_agency, smtp, db_session
):
    """The administrator's page is French; the message goes out in the invitee's language
    (English, as nothing else is known of them): the role is named in English too, and an
    auditor's invitation says what they work for in the same language."""
    agency = make_agency(name="Tax Office")
    login("admin")
    page = client.get("/invitations?lang=fr").get_data(as_text=True)
    fields = {"email": "ana@tax.example", "name": "Ana", "role": "approver", "agency": str(agency.id)}
    assert client.post("/invitations", data=submit_data(page, fields)).status_code == 302
    page = client.get("/invitations?lang=fr").get_data(as_text=True)
    fields = {"email": "olu@oversight.example", "name": "Olu", "role": "auditor", "agency": "0"}
    assert client.post("/invitations", data=submit_data(page, fields)).status_code == 302
    [approver] = smtp.to("ana@tax.example")
    [auditor] = smtp.to("olu@oversight.example")
    text = " ".join(parts(approver)[0].split())
    assert "for Tax Office, as approver." in text and "pprobateur" not in text
    text = " ".join(parts(auditor)[0].split())
    assert "for the oversight of agencies, as auditor." in text and "organismes" not in text


def test_a_french_invitation_names_the_role_without_an_elision_to_get_wrong(
    app, client, login, make_agency, smtp, db_session
):
    """« en tant que approbateur » would need « qu’ »: the French sentence says « comme »."""
    agency = make_agency(name="Office des impôts")
    login("admin")
    page = client.get("/invitations").get_data(as_text=True)
    fields = {"email": "ines@impots.example", "name": "Inès", "role": "approver", "agency": str(agency.id)}
    assert client.post("/invitations", data=submit_data(page, fields)).status_code == 302
    person = db_session.scalar(sa.select(User).where(User.email == "ines@impots.example"))
    person.language = "fr"
    db_session.commit()
    page = client.get("/invitations").get_data(as_text=True)
    assert client.post("/invitations", data=submit_data(page, fields)).status_code == 302  # again, in French
    text = " ".join(parts(smtp.to("ines@impots.example")[-1])[0].split())
    assert "pour Office des impôts, comme approbateur." in text
