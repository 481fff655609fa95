"""A questionnaire whose question keys are names that a form, the wizard or a browser script
hold for themselves: WTForms form attributes (meta, process, validate, data), the wizard's
own fields (action, shown, lock_version, csrf_token) and a name every JavaScript object
inherits (constructor). Used by tests/test_question_keys.py and the browser tests."""

from __future__ import annotations

AWKWARD_KEYS = [
    "meta",
    "process",
    "validate",
    "action",
    "shown",
    "lock_version",
    "csrf_token",
    "data",
    "constructor",
]

AWKWARD = """\
schema: 1
key: awkward-keys
version: 1
title: Keys that are names of the form's own
levels:
  - {level: 1, name: One}
  - {level: 2, name: Two}
  - {level: 3, name: Three}
  - {level: 4, name: Four}
steps:
  - key: first
    title: First
    questions:
      - {key: meta, type: short_text, label: Meta label, required: true}
      - {key: process, type: number, label: Process count, min: 0, max: 10}
      - {key: validate, type: date, label: Validate date}
      - key: action
        type: single_choice
        label: Action choice
        options:
          - {value: back, label: Go back}
          - {value: save, label: Save it}
      - key: shown
        type: multiple_choice
        label: Shown ticks
        options:
          - {value: meta, label: The meta one}
          - {value: data, label: The data one}
      - {key: lock_version, type: yes_no_unsure, label: Lock question}
      - key: csrf_token
        type: long_text
        label: Token text
        show_if: {question: lock_version, equals: "yes"}
      - {key: data, type: number, label: Data count, required: true}
      - {key: constructor, type: short_text, label: Constructor text}
  - key: second
    title: Second
    questions:
      - {key: on_this_step, type: yes_no_unsure, label: Answered on this step}
      - key: shown_later
        type: short_text
        label: Shown by an answer
        show_if:
          any:
            - {question: constructor, answered: true}
            - {question: on_this_step, equals: "yes"}
"""
VALID_ANSWERS = {
    "meta": "A name",
    "process": "7",
    "validate": "2025-03-31",
    "action": "back",
    "shown": ["meta", "data"],
    "lock_version": "yes",
    "csrf_token": "Not a token at all",
    "data": "3",
}
SAVED = {
    "meta": "A name",
    "process": 7,
    "validate": "2025-03-31",
    "action": "back",
    "shown": ["meta", "data"],
    "lock_version": "yes",
    "csrf_token": "Not a token at all",
    "data": 3,
    "constructor": None,
}
