"""All questionnaire definitions of a folder, by key and version."""

from __future__ import annotations

from pathlib import Path

from .definition import Definition, load_file
from .errors import DefinitionError


class Registry:
    def __init__(self, definitions: list[Definition]):
        self._by_id: dict[tuple[str, int], Definition] = {}
        for definition in definitions:
            ident = (definition.key, definition.version)
            if ident in self._by_id:
                other = self._by_id[ident].source
                raise DefinitionError(definition.source, "key",
                                      f"{definition.ident} is also defined in {other}")
            self._by_id[ident] = definition
        for definition in definitions:
            follow_up = definition.follow_up
            if follow_up is not None and self.latest(follow_up.questionnaire) is None:
                raise DefinitionError(definition.source, "follow_up.questionnaire",
                                      f"no questionnaire '{follow_up.questionnaire}' is installed")

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
