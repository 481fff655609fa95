"""The yardstick of bench/load.py: a bare Flask + SQLAlchemy app that saves one form (one
WTForms field, validated) to one row, served by the same gunicorn on the same database.

    gunicorn 'bench.bare_app:create_app()'   # BARE_DATABASE_URL names the database
"""

from __future__ import annotations

import html
import os

import sqlalchemy as sa
from flask import Flask, redirect, request
from wtforms import Form, StringField, validators

metadata = sa.MetaData()
rows = sa.Table(
    "bare_row",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("lock_version", sa.Integer, nullable=False, default=1),
)


class RowForm(Form):
    text = StringField("Text", [validators.InputRequired(), validators.Length(max=2000)])


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["BARE_DATABASE_URL"], pool_pre_ping=True)

    @app.get("/rows/<int:row_id>")
    def show(row_id: int):
        with engine.connect() as connection:
            text = connection.scalar(sa.select(rows.c.text).where(rows.c.id == row_id))
        return (
            f'<form method="post"><input name="text" value="{html.escape(text or "")}">'
            '<button name="action" value="save">Save</button></form>'
        )

    @app.post("/rows/<int:row_id>")
    def save(row_id: int):
        form = RowForm(request.form)
        if not form.validate():
            return "invalid", 400
        with engine.begin() as connection:
            connection.execute(
                rows.update()
                .where(rows.c.id == row_id)
                .values(text=form.text.data, lock_version=rows.c.lock_version + 1)
            )
        return redirect(f"/rows/{row_id}")

    return app


def prepare(url: str, count: int) -> None:
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(rows.insert(), [{"id": n + 1, "text": ""} for n in range(count)])
    engine.dispose()
