"""Agencies (and, later, their people and roles)."""
