"""A questionnaire that asks the system's name and what it does, and the date of its next
review, each declared by its role (system_name, purpose, next_review) under keys that are none
of the shipped questionnaires', so that nothing can find them by key. Used by the tests of the
wizard's name, description and date handling, and by the browser tests."""

from __future__ import annotations

NAMED = """\
schema: 1
key: named
version: 1
title: Named system check
levels:
  - {level: 1, name: One}
  - {level: 2, name: Two}
  - {level: 3, name: Three}
  - {level: 4, name: Four}
steps:
  - key: identity
    title: The system
    questions:
      - {key: called, type: short_text, label: "What is the system called?", required: true}
      - {key: does_what, type: long_text, label: "What does it do?"}
      - {key: review_on, type: date, label: "When is the next review?"}
      - {key: approved_on, type: date, label: "When was it approved?"}
  - key: end
    title: End
    questions:
      - {key: remark, type: short_text, label: "Anything else?"}
roles:
  system_name: called
  purpose: does_what
  next_review: review_on
  sign_off: [review_on, approved_on]
"""
