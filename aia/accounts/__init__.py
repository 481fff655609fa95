"""Agencies, their people and roles; signing in and out."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
