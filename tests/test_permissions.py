"""Every route of the app, for every role: a table of (method, rule, state, data, expected).

A route without a row fails ``test_every_route_has_a_row``. ``LOGIN`` is a redirect to the
sign-in page; ``PUBLIC`` means everyone, signed in or not, gets the same answer and it is never
a redirect to sign in. Someone of another agency ("foreign", an approver there) gets 404 for
anything of this agency, never 403 and never data.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from aia.assessments import lifecycle
from aia.assessments.models import Revision
from aia.extensions import limiter
from aia.publishing.models import PublicationJob
from aia.register.models import Feedback
from aia.review import services as review_services

from .answers import STARTER_COMPLETE

ROLES = ("anonymous", "author", "approver", "auditor", "admin", "foreign")
LOGIN = "login"
PUBLIC = "public"


def expect(anonymous=LOGIN, author=200, approver=200, auditor=200, admin=404, foreign=404):
    return dict(
        anonymous=anonymous, author=author, approver=approver, auditor=auditor, admin=admin, foreign=foreign
    )


SIGNED_IN = dict(author=200, approver=200, auditor=200, admin=200, foreign=200)
EDITORS = dict(auditor=403)  # may see it, may not write it
SYS = "/systems/{uid}"
REV = "/systems/{uid}/revisions/{number}"

ROWS = [
    # accounts
    ("GET", "/login", "none", {}, dict(anonymous=200, **{r: 302 for r in ROLES[1:]})),
    (
        "POST",
        "/login",
        "none",
        {"email": "nobody@agency.example", "password": "wrong"},
        dict(anonymous=401, **{r: 302 for r in ROLES[1:]}),
    ),
    ("POST", "/logout", "none", {}, dict(anonymous=LOGIN, **{r: 302 for r in ROLES[1:]})),
    # The code of a sign-in halfway done: nobody here is halfway, so back to the sign-in page.
    ("GET", "/login/code", "none", {}, {r: LOGIN for r in ROLES}),
    ("POST", "/login/code", "none", {"code": "123456"}, {r: LOGIN for r in ROLES}),
    # The session's time left (never activity itself), and Stay signed in.
    ("GET", "/session", "none", {}, PUBLIC),
    ("POST", "/session", "none", {}, dict(anonymous=LOGIN, **SIGNED_IN)),
    ("GET", "/account/second-factor", "none", {}, dict(anonymous=LOGIN, **SIGNED_IN)),
    ("POST", "/account/second-factor", "none", {}, dict(anonymous=LOGIN, **{r: 422 for r in ROLES[1:]})),
    ("GET", "/account/password", "none", {}, dict(anonymous=LOGIN, **SIGNED_IN)),
    ("POST", "/account/password", "none", {}, dict(anonymous=LOGIN, **{r: 422 for r in ROLES[1:]})),
    (
        "GET",
        "/admin/users",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=200, foreign=403),
    ),
    (
        "POST",
        "/admin/users",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=422, foreign=403),
    ),
    (
        "POST",
        "/admin/users/{user_id}/active",
        "none",
        {"active": "0"},
        expect(author=403, approver=403, auditor=403, admin=302, foreign=403),
    ),
    (
        "POST",
        "/admin/users/{user_id}/second-factor",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=302, foreign=403),
    ),
    (
        "GET",
        "/admin/agencies",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=200, foreign=403),
    ),
    (
        "POST",
        "/admin/agencies",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=422, foreign=403),
    ),
    # password reset, invitations, notifications
    ("GET", "/login/forgot", "none", {}, PUBLIC),
    # The same answer for every address (back to the sign-in page, signed in or not).
    ("POST", "/login/forgot", "none", {"email": "nobody@agency.example"}, {r: 302 for r in ROLES}),
    ("GET", "/login/reset/{token}", "none", {}, PUBLIC),
    ("POST", "/login/reset/{token}", "none", {}, PUBLIC),
    ("GET", "/invitation/{token}", "none", {}, PUBLIC),
    ("POST", "/invitation/{token}", "none", {}, PUBLIC),
    ("GET", "/account/notifications", "none", {}, dict(anonymous=LOGIN, **SIGNED_IN)),
    ("POST", "/account/notifications", "none", {}, dict(anonymous=LOGIN, **{r: 302 for r in ROLES[1:]})),
    (
        "GET",
        "/invitations",
        "none",
        {},
        expect(author=403, approver=200, auditor=403, admin=200, foreign=200),
    ),
    (
        "POST",
        "/invitations",
        "none",
        {},
        expect(author=403, approver=422, auditor=403, admin=422, foreign=422),
    ),
    (
        "GET",
        "/admin/users/{user_id}",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=200, foreign=403),
    ),
    (
        "POST",
        "/admin/users/{user_id}",
        "none",
        {"name": ""},
        expect(author=403, approver=403, auditor=403, admin=422, foreign=403),
    ),
    (
        "GET",
        "/admin/agencies/{agency_id}",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=200, foreign=403),
    ),
    (
        "POST",
        "/admin/agencies/{agency_id}",
        "none",
        {"name": ""},
        expect(author=403, approver=403, auditor=403, admin=422, foreign=403),
    ),
    (
        "POST",
        "/admin/agencies/{agency_id}/close",
        "none",
        {"reason": "merged"},
        expect(author=403, approver=403, auditor=403, admin=302, foreign=403),
    ),
    ("GET", "/admin/mail", "none", {}, expect(author=403, approver=403, auditor=403, admin=200, foreign=403)),
    (
        "POST",
        "/admin/mail/{message_id}/again",
        "none",
        {},
        expect(author=403, approver=403, auditor=403, admin=404, foreign=403),
    ),
    # assessments
    ("GET", "/", "submitted", {}, expect(admin=302, foreign=200)),
    ("GET", "/systems/new", "none", {}, expect(auditor=403, admin=403, foreign=200)),
    (
        "POST",
        "/systems/new",
        "none",
        {"name": "New", "questionnaire": "starter:4", "agency": "{agency_id}"},
        # someone of another agency cannot choose this one: the form says so (200)
        expect(author=302, approver=302, auditor=403, admin=403, foreign=200),
    ),
    ("GET", SYS, "submitted", {}, expect()),
    ("GET", SYS + "/edit", "submitted", {}, expect(**EDITORS)),
    ("POST", SYS + "/edit", "submitted", {"name": "Renamed"}, expect(author=302, approver=302, **EDITORS)),
    (
        "POST",
        SYS + "/draft",
        "sent_back",
        {"questionnaire": "starter:4"},
        expect(author=302, approver=302, **EDITORS),
    ),
    ("GET", SYS + "/draft/{step}", "draft", {}, expect(**EDITORS)),
    (
        "POST",
        SYS + "/draft/{step}",
        "draft",
        {"action": "save", "lock_version": "{lock}"},
        expect(author=302, approver=302, **EDITORS),
    ),
    ("GET", SYS + "/review", "draft", {}, expect(**EDITORS)),
    ("GET", SYS + "/tasks", "draft", {}, expect(**EDITORS)),
    ("GET", SYS + "/score", "draft", {}, expect(**EDITORS)),
    ("GET", SYS + "/draft/answers", "draft", {}, expect(**EDITORS)),
    ("GET", SYS + "/draft/answers.json", "draft", {}, expect(**EDITORS)),
    # no file chosen, or a file that is no answer file: the page says so (422)
    ("POST", SYS + "/draft/answers", "draft", {}, expect(author=422, approver=422, **EDITORS)),
    (
        "POST",
        SYS + "/draft/answers/load",
        "draft",
        {"content": "{"},
        expect(author=422, approver=422, **EDITORS),
    ),
    ("GET", SYS + "/draft/search", "draft", {}, expect(**EDITORS)),
    ("GET", "/questionnaires/starter/3/print", "none", {}, dict(anonymous=LOGIN, **SIGNED_IN)),
    (
        "POST",
        SYS + "/review",
        "draft",
        {"lock_version": "{lock}"},
        expect(author=302, approver=302, **EDITORS),
    ),
    ("GET", SYS + "/review/translations", "draft", {}, expect(**EDITORS)),
    (
        "POST",
        SYS + "/review/translations",
        "draft",
        {"lock_version": "{lock}", "t_fr_purpose": "Trie les demandes."},
        expect(author=302, approver=302, **EDITORS),
    ),
    ("GET", REV, "submitted", {}, expect()),
    ("GET", REV + "/submitted", "submitted", {}, expect()),
    ("GET", REV + "/report.pdf", "submitted", {}, expect()),
    ("GET", REV + "/report.docx", "submitted", {}, expect()),
    # a starter revision is not a Canadian questionnaire's: no answer file of it, for anyone
    ("GET", REV + "/answer-file.json", "submitted", {}, expect(author=404, approver=404, auditor=404)),
    # nor is it a fundamental rights impact assessment: none of its documents, for anyone
    ("GET", REV + "/fria/notification.json", "submitted", {}, expect(author=404, approver=404, auditor=404)),
    ("GET", REV + "/fria/registration.json", "submitted", {}, expect(author=404, approver=404, auditor=404)),
    ("GET", REV + "/fria/notification.pdf", "submitted", {}, expect(author=404, approver=404, auditor=404)),
    ("POST", REV + "/fria/notified", "submitted", {}, expect(author=404, approver=404, **EDITORS)),
    # no file chosen: the form says so (422), for those who may edit
    ("POST", SYS + "/answer-file", "sent_back", {}, expect(author=422, approver=422, **EDITORS)),
    # review
    ("GET", "/review", "submitted", {}, expect(author=403, admin=403, foreign=200)),
    ("GET", REV + "/review", "submitted", {}, expect(author=403)),
    (
        "POST",
        REV + "/review",
        "submitted",
        {"decision": "", "overall": "Noted."},
        expect(author=403, approver=302, auditor=302),
    ),
    # answering a reviewer's comment: the agency's people and auditors; marking it resolved:
    # who wrote it (here the approver) and the agency's authors and approvers
    (
        "POST",
        REV + "/comments/{comment_id}/reply",
        "commented",
        {"body": "Done.", "back": "/"},
        expect(author=303, approver=303, auditor=303),
    ),
    (
        "POST",
        REV + "/comments/{comment_id}/resolved",
        "commented",
        {"resolved": "yes", "back": "/"},
        expect(author=303, approver=303, auditor=403),
    ),
    # what becomes public, before publishing
    ("GET", REV + "/publish", "approved", {}, expect(author=403, auditor=403)),
    ("POST", REV + "/publish", "approved", {}, expect(author=403, approver=303, auditor=403)),
    # a publication's progress: for those who may publish
    ("GET", REV + "/publication", "publication_failed", {}, expect(author=403, auditor=403)),
    ("GET", REV + "/publication.json", "publication_failed", {}, expect(author=403, auditor=403)),
    (
        "POST",
        REV + "/withdraw",
        "published",
        {"reason": "Switched off."},
        expect(author=403, approver=303, auditor=403),
    ),
    ("GET", SYS + "/history", "two", {}, expect()),
    # the audit log across agencies (an approver's: their own agency's)
    ("GET", "/audit", "two", {}, expect(author=403, admin=403, foreign=200)),
    ("GET", "/audit.csv", "two", {}, expect(author=403, admin=403, foreign=200)),
    ("GET", SYS + "/compare", "two", {}, expect()),
    # static files and the public register
    ("GET", "/static/app.css", "none", {}, PUBLIC),
    # the language switcher, for everyone
    ("POST", "/language", "none", {"lang": "fr", "next": "/register/"}, PUBLIC),
    ("GET", "/register/", "none", {}, PUBLIC),
    ("GET", "/register/{uid}", "none", {}, PUBLIC),
    ("GET", "/register/{uid}.json", "none", {}, PUBLIC),
    ("GET", "/register/{uid}/atrs.json", "none", {}, PUBLIC),
    ("GET", "/register/{uid}/algoritmeregister.json", "none", {}, PUBLIC),
    ("POST", "/register/{uid}/feedback", "none", {}, PUBLIC),
    ("GET", "/register/{uid}/feedback/{reference}", "feedback", {}, PUBLIC),
    ("GET", "/register/{uid}/revisions/{number}/report.pdf", "none", {}, PUBLIC),
    ("GET", "/register/{uid}/revisions/{number}/report.{lang}.pdf", "none", {}, PUBLIC),
    ("GET", "/register/{uid}/revisions/{number}/report.docx", "none", {}, PUBLIC),
    ("GET", "/register.json", "none", {}, PUBLIC),
    ("GET", "/register.csv", "none", {}, PUBLIC),
    ("GET", "/register/feed.atom", "none", {}, PUBLIC),
    ("GET", "/register/schema.json", "none", {}, PUBLIC),
    ("GET", "/register/method", "none", {}, PUBLIC),
    # the operator's probes; the counters answer a scrape with AIA_METRICS_TOKEN only
    ("GET", "/healthz", "none", {}, PUBLIC),
    ("GET", "/readyz", "none", {}, PUBLIC),
    ("GET", "/metrics", "none", {}, expect(anonymous=404, author=404, approver=404, auditor=404)),
    # the agency's queue of messages from the register
    ("GET", "/feedback", "feedback", {}, expect(admin=403, foreign=200)),
    (
        "POST",
        "/feedback/{feedback_id}",
        "feedback",
        {"action": "answer", "f{feedback_id}-answer": "Because the law says so."},
        expect(author=302, approver=302, auditor=403),
    ),
]


def _rule_of(url_template: str) -> str:
    return (
        url_template.replace("{uid}", "<uid>")
        .replace("{number}", "<int:number>")
        .replace("{step}", "<step_key>")
        .replace("{user_id}", "<int:user_id>")
        .replace("{feedback_id}", "<int:feedback_id>")
        .replace("{token}", "<token>")
        .replace("{agency_id}", "<int:agency_id>")
        .replace("{message_id}", "<int:message_id>")
        .replace("{comment_id}", "<int:comment_id>")
        .replace("{lang}", "<lang>")
        .replace("{reference}", "<reference>")
        .replace("/static/app.css", "/static/<path:filename>")
        .replace("/questionnaires/starter/3/", "/questionnaires/<key>/<int:version>/")
    )


def test_every_route_has_a_row(app):
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    rows = {(method, _rule_of(url)) for method, url, *_ in ROWS}
    assert routes - rows == set(), "routes without a row in the permission table"


@pytest.fixture
def world(db_session, make_agency, make_user, make_system, make_draft, make_revision):
    home, other = make_agency(), make_agency()
    people = {
        "author": make_user("author", home),
        "approver": make_user("approver", home),
        "auditor": make_user("auditor"),
        "admin": make_user("admin"),
        "foreign": make_user("approver", other),
    }
    submitter = make_user("author", home)

    def revision(status: str, system=None) -> Revision:
        revision = make_revision(system=system or make_system(agency=home), submitted_by=submitter)
        if status == "approved":
            lifecycle.change_status(db_session, people["approver"], revision, "approve")
        elif status != "submitted":  # reached by moves tested elsewhere
            db_session.execute(sa.update(Revision).where(Revision.id == revision.id).values(status=status))
            db_session.refresh(revision)
        return revision

    def prepare(state: str) -> dict:
        values = {
            "agency_id": home.id,
            "user_id": submitter.id,
            "uid": "sys-none",
            "number": 1,
            "lang": "en",
            "token": "not-a-token",
            "message_id": 999999,
            "comment_id": 999999,
        }
        if state == "draft":
            draft = make_draft(STARTER_COMPLETE, system=make_system(agency=home))
            values.update(uid=draft.system.uid, step="about", lock=draft.lock_version)
        elif state == "two":
            first = revision("changes_requested")
            values.update(uid=first.system.uid, number=revision("submitted", first.system).number)
        elif state == "commented":
            sent_back = revision("submitted")
            (comment,) = review_services.review(
                db_session, people["approver"], sent_back, {None: "Say more."}, "request_changes"
            )
            values.update(uid=sent_back.system.uid, number=sent_back.number, comment_id=comment.id)
        elif state == "feedback":
            system = revision("published").system
            feedback = Feedback(
                system_id=system.id,
                agency_id=home.id,
                kind="question",
                message="Why this system?",
                reference="MSG-TEST-0001",
            )
            db_session.add(feedback)
            db_session.flush()
            values.update(uid=system.uid, feedback_id=feedback.id, reference=feedback.reference)
        elif state == "publication_failed":
            failed = revision("approved")
            db_session.add(
                PublicationJob(
                    revision_id=failed.id,
                    requested_by_id=people["approver"].id,
                    state="failed",
                    attempts=3,
                    error="The report took longer than 60 s to render and was stopped.",
                )
            )
            db_session.flush()
            values.update(uid=failed.system.uid)
        elif state != "none":
            state = {"sent_back": "changes_requested"}.get(state, state)
            values.update(uid=revision(state).system.uid)
        return values

    return SimpleNamespace(people=people, prepare=prepare)


def _csrf(client) -> str:
    page = client.get("/account/password").get_data(as_text=True)
    if "csrf_token" not in page:
        page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _fill(template: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def _status(app, login, world, values, role, method, url, data) -> tuple[int, str]:
    client = app.test_client()
    if role != "anonymous":
        login(world.people[role], on=client)
    form = {_fill(k, values): _fill(v, values) for k, v in data.items()}
    if method == "POST":
        form["csrf_token"] = _csrf(client)
    response = client.open(_fill(url, values), method=method, data=form)
    response.close()
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.parametrize("method, url, state, data, expected", ROWS, ids=[f"{m} {u}" for m, u, *_ in ROWS])
def test_permission_table(app, db_session, client, login, world, method, url, state, data, expected):
    values = world.prepare(state)
    results = {}
    connection = db_session.connection()
    for role in ROLES:
        attempt = connection.begin_nested()  # each role meets the same state
        limiter.reset()  # ...and the same rate limits
        results[role] = _status(app, login, world, values, role, method, url, data)
        attempt.rollback()
    if expected == PUBLIC:
        statuses = {status for status, _ in results.values()}
        assert len(statuses) == 1, results
        assert not any(location.startswith("/login") for _, location in results.values())
        return
    for role, (status, location) in results.items():
        if expected[role] == LOGIN:
            assert (status, location.split("?")[0]) == (302, "/login"), (role, status, location)
        else:
            assert status == expected[role], (role, status, location)
