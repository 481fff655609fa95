"""A small questionnaire with a repeatable group (a risk register), used by the tests of the
group type in the engine and on the step page."""

from __future__ import annotations

LISTED = """\
schema: 1
key: listed
version: 1
title: Listed risks
levels:
  - {level: 1, name: One}
  - {level: 2, name: Two}
  - {level: 3, name: Three}
  - {level: 4, name: Four}
steps:
  - key: risks
    title: The risks
    questions:
      - key: owner
        type: short_text
        label: Who keeps the list?
      - key: register
        type: group
        label: The risks
        row_label: Risk
        add_label: Add a risk
        max_rows: 5
        required: true
        questions:
          - key: right
            type: single_choice
            label: Right at stake
            required: true
            options:
              - {value: dignity, label: Human dignity}
              - {value: equality, label: Equality before the law}
          - key: likelihood
            type: single_choice
            label: Likelihood
            options:
              - {value: rare, label: Rare}
              - {value: likely, label: Likely}
          - {key: people, type: number, label: People affected each year, min: 0}
          - {key: measures, type: long_text, label: Measures, max_length: 300}
  - key: end
    title: End
    questions:
      - {key: remark, type: short_text, label: "Anything else?"}
"""
