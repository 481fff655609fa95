"""The ``aia`` commands, through Flask's CLI runner."""

from __future__ import annotations

import re

import sqlalchemy as sa

from aia.accounts.models import Agency, User
from aia.assessments.models import Draft, Revision, System
from aia.mail.models import OutboxMessage
from aia.register.models import RegisterEntry


def test_check_questionnaires_lists_every_definition(app):
    result = app.test_cli_runner().invoke(args=["check-questionnaires"])
    assert result.exit_code == 0, result.output
    assert "ok  starter-v1.yaml: starter v1" in result.output


def test_check_questionnaires_names_file_question_and_reason(app, tmp_path):
    (tmp_path / "broken.yaml").write_text(
        "schema: 1\nkey: b\nversion: 1\ntitle: B\nlevels: []\nsteps:\n  - key: s\n    title: S\n"
        "    questions:\n      - {key: q1, type: dropdown, label: Q}\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["check-questionnaires", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken.yaml at question q1: unknown type 'dropdown'" in result.output


def test_seed_demo_fills_every_state_with_awkward_text(app, tmp_path):
    """On a database of its own, as a user would run it."""
    from aia import create_app
    from aia.cli import upgrade_database
    from aia.db import engine_of
    from config import TestConfig

    config = type(
        "Own",
        (TestConfig,),
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
            "REPORT_DIR": str(tmp_path / "reports"),
            # As `scripts/dev` runs it: a queue in memory, whose consumer ends with the command.
            "JOBS_IMMEDIATE": False,
            "MAIL_DIR": str(tmp_path / "mail"),
        },
    )
    own = create_app(config)
    with own.app_context():
        upgrade_database()
    runner = own.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo accounts (for demonstration only" in result.output
    assert re.search(r"auditor +olu@oversight.example +\S{16}", result.output)
    # Its mail is written where a developer reads it, none left waiting.
    delivered = int(re.search(r"demo mail: (\d+) message\(s\) delivered, 0 attempt", result.output).group(1))
    assert delivered > 0 and len(list((tmp_path / "mail").glob("*.eml"))) == delivered
    with engine_of(own).connect() as c:
        assert (
            c.scalar(
                sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.state != "sent")
            )
            == 0
        )
    assert runner.invoke(args=["seed-demo"]).output.strip() == "demo data already loaded"
    engine = engine_of(own)
    with engine.connect() as c:
        names = c.scalars(sa.select(System.name)).all()
        statuses = set(c.scalars(sa.select(Revision.status)).all())
        assert c.scalar(sa.select(sa.func.count()).select_from(Draft)) == 3
        assert c.scalar(sa.select(sa.func.count()).select_from(Agency)) == 5
        assert set(c.scalars(sa.select(User.role)).all()) == {"author", "approver", "auditor", "admin"}
    assert statuses == {"submitted", "changes_requested", "approved", "published", "superseded", "withdrawn"}
    text = " ".join(names)
    assert "🧮" in text and "المساكن" in text
    assert runner.invoke(args=["verify"]).exit_code == 0
    # A register that looks like one in use: a dozen or more entries across agencies, levels,
    # ratings and states, each published with its PDFs; awkward text in one entry named so,
    # not first.
    with own.test_client() as client:
        first_page = client.get("/register/").get_data(as_text=True)
        everything = client.get("/register.json?state=all").get_json()["entries"]
    with engine.connect() as c:
        entries = c.execute(sa.select(RegisterEntry)).all()
    assert len({e.system_uid for e in entries if e.state in ("current", "withdrawn")}) >= 12
    assert {e.state for e in entries} == {"current", "superseded", "withdrawn"}
    assert {e.impact_level for e in entries} == {1, 2, 3, 4}
    # every charter rating (a fundamental rights impact assessment has none: it rates rights)
    assert {e.charter_rating for e in entries} - {None} == {"low", "moderate", "high"}
    assert any(e.name == "Job matching for jobseekers" and e.state == "current" for e in entries)
    assert len({e.agency_slug for e in entries if e.state == "current"}) == 5
    assert all(e.pdf_sha256 for e in entries)
    awkward = [e for e in everything if "<script>" in e["description"] + (e["summary"] or "")]
    assert [e["name"] for e in awkward] == ["Test entry: unusual text (demonstration) 🧪"]
    assert "&lt;script&gt;" not in first_page.split("Test entry: unusual text")[0]
    assert first_page.index("Test entry: unusual text") > first_page.index("Claim review triage")
    engine.dispose()


def test_the_apps_log_lines_reach_the_operator(tmp_path):
    """Run as an operator would, in a process of its own: the app's INFO lines (here, the
    audit event of a new agency) appear on standard error."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    aia = Path(sys.executable).with_name("aia")
    env = {
        **os.environ,
        "AIA_ENV": "development",
        "AIA_DATABASE_URL": f"sqlite:///{tmp_path / 'log.sqlite3'}",
        "AIA_REPORT_DIR": str(tmp_path / "reports"),
    }
    env.pop("AIA_LOG_LEVEL", None)
    subprocess.run([str(aia), "init-db"], env=env, check=True, capture_output=True)
    result = subprocess.run(
        [str(aia), "create-agency", "tax", "Tax Office"], env=env, check=True, capture_output=True, text=True
    )
    assert re.search(r"INFO \[\d+\] aia\.audit\.services: audit event \d+: agency\.created", result.stderr), (
        result.stderr
    )
    quiet = subprocess.run(
        [str(aia), "create-agency", "post", "Post Office"],
        env={**env, "AIA_LOG_LEVEL": "WARNING"},
        check=True,
        capture_output=True,
        text=True,
    )
    assert "agency.created" not in quiet.stderr
