"""The ``aia`` command: Flask's commands (run, shell, routes) plus ours."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from .engine import DefinitionError, Registry
from .extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=create_app, help="aia: algorithm impact assessments.")(prog_name="aia")


def alembic_config():
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade_database(revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def register_commands(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Create or upgrade the database schema (Alembic migrations)."""
        upgrade_database()
        click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")

    @app.cli.command("check-questionnaires")
    @click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False))
    def check_questionnaires(folder: str | None) -> None:
        """Validate every questionnaire file; exit 1 at the first problem."""
        folder = folder or current_app.config["QUESTIONNAIRE_DIR"]
        try:
            registry = Registry.from_folder(folder)
        except DefinitionError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        for definition in registry.all():
            click.echo(f"ok  {definition.source}: {definition.ident}, {len(definition.steps)} "
                       f"steps, {len(definition.questions)} questions, "
                       f"risk max {definition.max_points('risk')}, mitigation max "
                       f"{definition.max_points('mitigation')}, hash {definition.content_hash[:12]}")

    @app.cli.command("create-agency")
    @click.argument("slug")
    @click.argument("name")
    def create_agency(slug: str, name: str) -> None:
        """Create an agency, e.g. ``aia create-agency tax "Tax Office"``."""
        from .accounts.models import Agency

        db.session.add(Agency(slug=slug, name=name))
        db.session.commit()
        click.echo(f"agency {slug} created")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load demo agencies and systems in every state, with awkward text."""
        from .seed import load_demo

        summary = load_demo(db.session, current_app.extensions["aia.questionnaires"])
        db.session.commit()
        click.echo(summary)
