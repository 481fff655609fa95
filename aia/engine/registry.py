"""All questionnaire definitions of a folder, by key and version."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .definition import Definition
from .errors import DefinitionError
from .loader import load_file


class Registry:
    def __init__(self, definitions: list[Definition]):
        self._by_id: dict[tuple[str, int], Definition] = {}
        for definition in definitions:
            ident = (definition.key, definition.version)
            if ident in self._by_id:
                other = self._by_id[ident].source
                raise DefinitionError(
                    definition.source, "key", f"{definition.ident} is also defined in {other}"
                )
            self._by_id[ident] = definition
        for definition in definitions:
            self._lend_roles(definition)
        for definition in definitions:
            follow_up = definition.follow_up
            if follow_up is not None and self.latest(follow_up.questionnaire) is None:
                raise DefinitionError(
                    definition.source,
                    "follow_up.questionnaire",
                    f"no questionnaire '{follow_up.questionnaire}' is installed",
                )

    def _lend_roles(self, definition: Definition) -> None:
        """Give the roles of ``definition`` to the earlier versions it names (released before
        files declared roles), once each is shown to hold the same role questions."""
        where = "roles_also_for_versions"
        for version in definition.roles_also_for_versions:
            earlier = self._by_id.get((definition.key, version))
            if earlier is None:
                raise DefinitionError(
                    definition.source, where, f"{definition.key} v{version} is not installed"
                )
            if earlier.roles_lent_by == definition.source and earlier.roles == definition.roles:
                continue  # from a registry built before: lent already
            if earlier.roles.declared():
                lender = (
                    "declares roles of its own"
                    if not earlier.roles_lent_by
                    else f"already has the roles of {earlier.roles_lent_by}"
                )
                raise DefinitionError(definition.source, where, f"{earlier.ident} {lender}")
            for key in definition.roles.keys():
                mine, theirs = definition.questions[key], earlier.questions.get(key)
                if theirs is None or theirs.type_name != mine.type_name or theirs.label != mine.label:
                    raise DefinitionError(
                        definition.source,
                        where,
                        f"question '{key}' is not the same in {earlier.ident} (missing, or "
                        "another type or label), so the roles do not hold for it",
                    )
            self._by_id[(earlier.key, version)] = dataclasses.replace(
                earlier, roles=definition.roles, roles_lent_by=definition.source
            )

    @classmethod
    def from_folder(cls, folder: str | Path) -> Registry:
        files = sorted(Path(folder).glob("*.yaml"))
        return cls([load_file(path) for path in files])

    def get(self, key: str, version: int) -> Definition | None:
        return self._by_id.get((key, version))

    def latest(self, key: str) -> Definition | None:
        versions = [d for (k, _), d in self._by_id.items() if k == key]
        return max(versions, key=lambda d: d.version) if versions else None

    def latest_all(self) -> list[Definition]:
        keys = sorted({k for k, _ in self._by_id})
        return [d for k in keys if (d := self.latest(k)) is not None]

    def all(self) -> list[Definition]:
        return [self._by_id[k] for k in sorted(self._by_id)]
