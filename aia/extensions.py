"""Extensions, created once and bound to an app in create_app."""

from flask_wtf.csrf import CSRFProtect

from .db import Database

db = Database()
csrf = CSRFProtect()
