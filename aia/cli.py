"""The ``aia`` command: Flask's commands (run, shell, routes) plus ours."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, url_for
from flask.cli import FlaskGroup, NoAppException, with_appcontext

from . import SettingsError, create_app
from .accounts import tokens
from .accounts.models import ROLES
from .accounts.passwords import WeakPassword
from .accounts.services import AccountError, agency_by_slug, request_password_reset, set_active, user_by_email
from .accounts.services import create_agency as create_agency_account
from .accounts.services import create_user as create_user_account
from .audit.queries import Anchor
from .backup.archive import BackupError
from .backup.services import restore_backup, write_backup
from .catalogue.queries import by_origin
from .catalogue.services import import_definition
from .engine import DefinitionError, Registry, score
from .engine.importers import canada, canada_answers
from .extensions import db, questionnaires
from .integrity.verify import verify_all
from .jobs import JobsSettingError, jobs, run_worker
from .mail.delivery import deliver_due
from .seed import load_demo

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def main() -> None:
    group = FlaskGroup(create_app=_app_for_command, help="aia: algorithm impact assessments.")
    # Our commands belong to the group itself, so that `aia --help` lists them even when no
    # app can be built (a production environment without its secret key).
    for command_ in COMMANDS:
        group.add_command(command_)
    group(prog_name="aia")


def _app_for_command() -> Flask:
    """The app for a command; a missing setting is one line saying what to do, not a traceback."""
    try:
        return create_app()
    except SettingsError as missing:
        raise NoAppException(str(missing)) from None


def alembic_config():
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade_database(revision: str = "head") -> None:
    cfg = alembic_config()
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade_database()
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("check-questionnaires")
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
@with_appcontext
def check_questionnaires(folder: str | None) -> None:
    """Validate every questionnaire file; exit 1 at the first problem."""
    folder = folder or current_app.config["QUESTIONNAIRE_DIR"]
    try:
        registry = Registry.from_folder(folder)
    except DefinitionError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for definition in registry.all():
        click.echo(
            f"ok  {definition.source}: {definition.ident}, {len(definition.steps)} "
            f"steps, {len(definition.questions)} questions, "
            f"risk max {definition.max_points('risk')}, mitigation max "
            f"{definition.max_points('mitigation')}, hash {definition.content_hash[:12]}"
        )


@click.command("create-agency")
@click.argument("slug")
@click.argument("name")
@with_appcontext
def create_agency(slug: str, name: str) -> None:
    """Create an agency (for example: aia create-agency tax "Tax Office")."""
    try:
        create_agency_account(db.session, None, slug, name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"agency {slug} created")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="author and approver need --agency; auditor and admin have none.",
)
@click.option("--agency", "agency_slug", help="The agency's short name (slug).")
@click.option("--name", default="", help="The person's name as shown (default: from the email address).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
@with_appcontext
def create_user(email: str, role: str, agency_slug: str | None, name: str, password_stdin: bool) -> None:
    """Create an account (for example: aia create-user ana@tax.example --agency tax --role
    author). The password is asked for (twice) unless --password-stdin."""
    agency = None
    if agency_slug:
        agency = agency_by_slug(db.session, agency_slug)
        if agency is None:
            raise click.ClickException(f"no agency {agency_slug}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user_account(db.session, None, email, name, role, agency, password)
    except (AccountError, WeakPassword) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{user.role} {user.email} created" + (f" for agency {agency.slug}" if agency else ""))


@click.command("disable-user")
@click.argument("email")
@click.option("--reason", default="", help="Kept in the audit trail.")
@with_appcontext
def disable_user(email: str, reason: str) -> None:
    """Disable an account and end its sessions."""
    user = user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    set_active(db.session, None, user, False, reason)
    db.session.commit()
    click.echo(f"{user.email} disabled")


@click.command("reset-password")
@click.argument("email")
@with_appcontext
def reset_password(email: str) -> None:
    """Mail the person a link to choose a new password (as the sign-in page does), and print
    it, for an operator to pass on if the mail does not reach them."""
    user = user_by_email(db.session, email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    request_password_reset(db.session, user.email)
    db.session.commit()
    base_url = current_app.config.get("PUBLIC_URL") or "http://localhost:5000"
    with current_app.test_request_context("/", base_url=base_url):
        link = url_for("accounts.reset_password", token=tokens.make_token(user, tokens.RESET), _external=True)
    hours = tokens.max_age(tokens.RESET) / 3600
    click.echo(f"reset link mailed to {user.email} (it works once, for {hours:g} hours):\n{link}")


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Deliver the outgoing mail that is due now, here (`aia worker` does it by itself)."""
    sent, failed = deliver_due(db.session)
    click.echo(f"{sent} message(s) sent, {failed} attempt(s) failed")


def _anchor(context: click.Context, parameter: click.Parameter, values: tuple[str, ...]) -> list[Anchor]:
    anchors = []
    for value in values:
        anchor = Anchor.parse(value)
        if anchor is None:
            raise click.BadParameter(
                f"{value[:80]!r} is not SEQ:HASH (an event number, a colon, 64 hex digits)"
            )
        anchors.append(anchor)
    return anchors


@click.command("verify")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    callback=_anchor,
    metavar="SEQ:HASH",
    help="A head of the audit trail you kept (printed in each published report and on the "
    "register); may be given more than once.",
)
@with_appcontext
def verify(anchors: list[Anchor]) -> None:
    """Check the audit trail's hash chain and its anchors (those given, and those the stored
    reports and the register print), every revision's hash, every stored PDF, every register
    entry (its seal over what the public reads, its state, its report) and every revision's
    state against its events; exit 1 if anything does not match."""
    failed = False
    for check in verify_all(db.session, current_app.config["REPORT_DIR"], anchors):
        click.echo(
            f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.checked} checked"
            + ("" if check.ok else f", {len(check.problems)} problem(s)")
        )
        for problem in check.problems:
            click.echo(f"     {problem}")
        failed = failed or not check.ok
    if failed:
        sys.exit(1)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Write one archive of the database and the stored reports to FILE, as they were at one
    moment, while the app goes on running. The archive restores into SQLite or PostgreSQL."""
    try:
        summary = write_backup(db.engine.url, Path(current_app.config["REPORT_DIR"]), file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"backup written to {file}: {summary.rows} rows in {summary.tables} tables, {summary.reports} reports"
    )
    if summary.missing_reports:
        click.echo(
            f"warning: {len(summary.missing_reports)} report(s) the database names are missing from the "
            f"store and are not in the backup: {', '.join(summary.missing_reports)}",
            err=True,
        )
        sys.exit(1)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore(file: Path) -> None:
    """Load an archive written by `aia backup` into this database, which must be freshly
    migrated (`aia init-db`) and empty; a damaged archive is refused and changes nothing."""
    try:
        summary = restore_backup(db.engine, Path(current_app.config["REPORT_DIR"]), file)
    except BackupError as error:
        raise click.ClickException(f"not restored: {error}") from None
    click.echo(
        f"restored from {file}: {summary.rows} rows in {summary.tables} tables, {summary.reports} reports"
    )


@click.command("worker")
@click.option("--threads", type=int, default=None, help="jobs run at once (default AIA_JOBS_WORKERS)")
@with_appcontext
def worker(threads: int | None) -> None:
    """Run the job queue's jobs (publications' renders) until stopped: Ctrl+C or SIGINT waits
    for the jobs running, SIGTERM stops at once (a job stopped so is tried again)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = threads or int(app.config.get("JOBS_WORKERS", 1))
    click.echo(f"aia worker: {count} thread(s) on {_queue_label(app.config['JOBS_URL'])}")
    if not (app.config.get("JOBS_IMMEDIATE") or app.config.get("JOBS_CONSUMER")):
        jobs.enqueue("deliver_mail")  # mail left waiting while no worker ran
    try:
        run_worker(app, count)
    except JobsSettingError as wrong:
        raise click.ClickException(str(wrong)) from None


def _queue_label(url: str) -> str:
    """The queue's address without a password."""
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{parts.hostname}:{parts.port or ''}")
    return urlunsplit(parts)


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load demo agencies and systems in every state, with awkward text (not in production)."""
    if current_app.config.get("ENV_NAME", "production") == "production":
        click.echo(
            "Refused: this is a production database (AIA_ENV=production). Demo data and its "
            "accounts would be mixed with real ones; use AIA_ENV=development on a database of its own.",
            err=True,
        )
        sys.exit(1)
    summary = load_demo(db.session, questionnaires())
    db.session.commit()
    click.echo(summary)
    # The demo's mail is delivered here (into AIA_MAIL_DIR without a mail server): a queue in
    # memory, or a worker not yet started, would leave it waiting for the app's next action.
    sent = failed = 0
    while True:
        batch_sent, batch_failed = deliver_due(db.session)
        sent, failed = sent + batch_sent, failed + batch_failed
        if not batch_sent:
            break
    if sent or failed:
        click.echo(f"demo mail: {sent} message(s) delivered, {failed} attempt(s) failed")


@click.command("import-questionnaire")
@click.option("--format", "source_format", required=True, type=click.Choice([canada.FORMAT]))
@click.option(
    "--source-version",
    required=True,
    help=f"The version of the Canadian tool the file is ({', '.join(canada.VERSIONS)}).",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_questionnaire(source_format: str, source_version: str, file: Path) -> None:
    """Convert a questionnaire of another format (Canada's AIA survey file) and store it in
    the database, where every worker and host sees it. Importing the same file again
    changes nothing."""
    content = file.read_bytes()
    try:
        survey = json.loads(content)
    except (UnicodeDecodeError, ValueError) as error:
        raise click.ClickException(f"{file.name}: not a JSON file ({error})") from None
    try:
        document = canada.convert_survey(survey, source_version, file.name)
        packaged = {d.key for d in current_app.extensions["aia.questionnaires"].all()}
        imported = import_definition(
            db.session,
            document,
            source=file.name,
            source_format=source_format,
            source_version=source_version,
            source_bytes=content,
            packaged_keys=packaged,
        )
    except DefinitionError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    definition = imported.definition
    click.echo(
        f"{'imported' if imported.created else 'unchanged, imported before:'} {definition.ident} "
        f"from {file.name} ({source_format} {source_version}): {len(definition.steps)} steps, "
        f"{len(definition.questions)} questions, risk max {definition.max_points('risk')}, "
        f"mitigation max {definition.max_points('mitigation') // 2} per phase, "
        f"hash {definition.content_hash[:12]}"
    )


@click.command("score")
@click.option("--format", "source_format", required=True, type=click.Choice([canada.FORMAT]))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def score_files(source_format: str, files: tuple[Path, ...]) -> None:
    """Score answer files of Canada's AIA tool as the tool does: one JSON line per file,
    with our own rule (hidden answers never count) alongside. Exit 1 if a file could
    not be scored; the others are scored all the same."""
    registry = questionnaires()
    failed = False
    for file in files:
        line = _score_line(file, lambda version: by_origin(registry, source_format, version))
        failed = failed or "error" in line
        click.echo(json.dumps(line, ensure_ascii=False))
    if failed:
        sys.exit(1)


COMMANDS = [
    init_db,
    check_questionnaires,
    import_questionnaire,
    score_files,
    create_agency,
    create_user,
    disable_user,
    reset_password,
    send_mail,
    verify,
    backup,
    restore,
    seed_demo,
    worker,
]


def register_commands(app: Flask) -> None:
    """Our commands on the app's own group too (``flask --app aia``, the test CLI runner)."""
    for command_ in COMMANDS:
        app.cli.add_command(command_)


def _score_line(file: Path, find: Any) -> dict[str, Any]:
    """What ``aia score`` prints for one answer file."""
    try:
        answer_file = canada_answers.read_answer_file(canada_answers.parse_json(file.read_bytes()), find)
    except OSError as error:
        return {"file": str(file), "error": f"cannot be read ({error.strerror or error})"}
    except canada_answers.AnswerFileError as error:
        return {"file": str(file), "error": str(error)}
    scores = score(answer_file.definition, answer_file.answers)
    canada_rule, own = scores["canada"], scores["own_rule"]
    return {
        "file": str(file),
        "version": answer_file.version,
        "raw_impact": canada_rule["raw_impact"],
        "mitigation": canada_rule["mitigation"],
        "final": canada_rule["final"],
        "level": canada_rule["level"],
        "own_rule": {
            "raw_impact": own["raw_impact"],
            "mitigation": own["mitigation"],
            "final": own["final"],
            "level": own["level"],
            "differing": [
                {"question": d["name"], "answer": d["answer"], "points": d["points"], "kind": d["kind"]}
                for d in own["differing"]
            ],
        },
        "unknown_questions": answer_file.unknown,
        "ignored": answer_file.ignored,
    }
