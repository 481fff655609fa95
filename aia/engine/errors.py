"""The one error a questionnaire file can raise."""

from __future__ import annotations


class DefinitionError(ValueError):
    """A questionnaire file is not valid: says which file, where in it, and why."""

    def __init__(self, source: str, where: str, reason: str):
        self.source = source
        self.where = where
        self.reason = reason
        place = f" at {where}" if where else ""
        super().__init__(f"{source}{place}: {reason}")
