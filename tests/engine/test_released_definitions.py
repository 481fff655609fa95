"""A released questionnaire file is never edited: aia/questionnaires/RELEASED holds the content
hash of each shipped version, and adding a new version leaves the scores of the old one alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from aia.engine import Registry, load_file, score

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "aia" / "questionnaires"
SHIPPED = sorted(QUESTIONNAIRES.glob("*.yaml"))


def released() -> dict[tuple[str, int], str]:
    entries: dict[tuple[str, int], str] = {}
    for number, line in enumerate((QUESTIONNAIRES / "RELEASED").read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, version, digest = line.split()
        assert (key, int(version)) not in entries, f"RELEASED line {number}: listed twice"
        entries[(key, int(version))] = digest
    return entries


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_file_matches_its_released_hash(path: Path) -> None:
    definition = load_file(path)
    assert path.name == f"{definition.key}-v{definition.version}.yaml"
    entries = released()
    assert (definition.key, definition.version) in entries, (
        f"{path.name} is not listed in RELEASED; add '{definition.key} {definition.version} "
        f"{definition.content_hash}' when the version is released"
    )
    assert entries[(definition.key, definition.version)] == definition.content_hash, (
        f"{path.name} was edited after its release; put the change in version "
        f"{definition.version + 1} instead"
    )


def test_every_released_version_is_shipped() -> None:
    shipped = {(d.key, d.version) for d in Registry.from_folder(QUESTIONNAIRES).all()}
    assert set(released()) == shipped
    assert {("starter", 1), ("ads-impact", 1), ("threshold", 1)} <= shipped


SMALL_V1 = """\
schema: 1
key: small
version: 1
title: Small
levels:
  - {level: 1, name: One}
  - {level: 2, name: Two}
  - {level: 3, name: Three}
  - {level: 4, name: Four}
steps:
  - key: only
    title: Only
    questions:
      - key: danger
        type: yes_no_unsure
        label: Is it dangerous?
        scoring: risk
        points: {yes: 6, unsure: 3}
      - key: area
        type: single_choice
        label: Area?
        scoring: risk
        options:
          - {value: inside, label: Inside, points: 0}
          - {value: outside, label: Outside, points: 4}
      - key: checked
        type: yes_no_unsure
        label: Is every result checked?
        scoring: mitigation
        points: {yes: 5}
"""
# Version 2 scores differently: more points for danger, a new question, a higher threshold.
SMALL_V2 = (
    SMALL_V1.replace("version: 1", "version: 2")
    .replace("points: {yes: 6, unsure: 3}", "points: {yes: 9, unsure: 9}")
    .replace("levels:", "scoring: {mitigation_threshold_pct: 100}\nlevels:")
    + """\
      - key: appeal
        type: yes_no_unsure
        label: Can people appeal?
        scoring: mitigation
        points: {yes: 5}
"""
)
ANSWER_SETS = [
    {},
    {"danger": "yes"},
    {"danger": "unsure", "area": "outside"},
    {"danger": "yes", "area": "outside", "checked": "yes"},
    {"danger": "no", "area": "inside", "checked": "no"},
]


def test_adding_a_version_leaves_old_scores_alone(tmp_path: Path) -> None:
    (tmp_path / "small-v1.yaml").write_text(SMALL_V1, encoding="utf-8")
    before = Registry.from_folder(tmp_path)
    v1 = before.get("small", 1)
    assert v1 is not None
    scored_before = [score(v1, answers) for answers in ANSWER_SETS]

    (tmp_path / "small-v2.yaml").write_text(SMALL_V2, encoding="utf-8")
    after = Registry.from_folder(tmp_path)
    old, new = after.get("small", 1), after.get("small", 2)
    assert old is not None and new is not None
    assert after.latest("small") is new
    assert old.content_hash == v1.content_hash
    assert [score(old, answers) for answers in ANSWER_SETS] == scored_before
    # and the new version really does score differently, so the comparison above means something
    assert [score(new, answers) for answers in ANSWER_SETS] != scored_before
