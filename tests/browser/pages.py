"""What the browser tests do to pages: run axe, create a system, answer the starter steps.

Fields are found the way people find them, by their label, legend or role, so a test that
passes also says the page is labelled."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

# The axe impacts that fail a test; moderate and minor ones are printed only.
FAILING_IMPACTS = {"serious", "critical"}

STEP_ORDER = ["about", "triage", "risks", "mitigation", "signoff"]

_axe = Axe()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl'].split('?')[0]})"
        )
        for node in violation["nodes"][:5]:
            lines.append(
                f"    at {', '.join(map(str, node['target']))}: "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)


def check_axe(page, what: str) -> list[dict]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.
    A caller that has just submitted a form first waits for what the answer shows."""
    page.wait_for_load_state("load")
    violations = _axe.run(page).response["violations"]
    if violations:
        print(f"axe on {what} ({page.url}):\n{describe_violations(violations)}")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, (
        f"axe found {len(failing)} serious or critical violation(s) on "
        f"{what} ({page.url}):\n{describe_violations(failing)}"
    )
    return violations


def create_system(page, name: str, description: str = "") -> str:
    """Fill the new-system form with the starter questionnaire; returns the system's uid.
    The page ends on the first step. A description, when given, is the first answer of the
    purpose question."""
    page.goto("/systems/new")
    page.get_by_label("Name of the system").fill(name)
    page.get_by_label("What it does").fill(description)
    page.get_by_role("group", name="Questionnaire").get_by_label("Starter assessment").check()
    page.get_by_role("button", name="Create and start").click()
    page.wait_for_url(re.compile(r"/draft/about$"))
    return re.search(r"/systems/(sys-[0-9a-f]+)/", page.url).group(1)


def group(page, legend: str):
    """A question with choices: its fieldset, found by its legend."""
    return page.get_by_role("group", name=re.compile(re.escape(legend)))


def choose(page, legend: str, option: str) -> None:
    group(page, legend).get_by_label(option, exact=True).check()


def answer_step(page, step_key: str) -> None:
    """Answer the starter questionnaire's step as a complete, moderate-risk assessment."""
    if step_key == "about":
        page.get_by_label("Which decision does the system take or support?").fill(
            "Who is invited to a review interview"
        )
        page.get_by_label("What is the system for").fill("Sorts claims for reviewers.")
        fill_date(page, "When did or will the system go live?", "15", "1", "2025")
        page.get_by_label("About how many people").fill("5000")
        choose(page, "In which area are the decisions taken?", "Access to public services or benefits")
    elif step_key == "triage":
        choose(page, "Can a decision take away a benefit", "Yes")
        choose(page, "Does the system use data on age", "No")
        choose(page, "Is it hard to say which factors", "No")
    elif step_key == "risks":
        choose(page, "How likely is it that the system causes harm", "Occasional")
        choose(page, "If it does, how severe", "Moderate")
        page.get_by_label("Describe the harm you expect").fill("Payments could be delayed.")
        group(page, "Which kinds of data").get_by_label("The agency's own records").check()
    elif step_key == "mitigation":
        choose(page, "Does a person review every decision", "Yes")
        choose(page, "Can people affected appeal", "No")
    elif step_key == "signoff":
        page.get_by_label("Contact point for questions from the public").fill("team@agency.example")
    else:
        raise ValueError(step_key)


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    """A date question's three boxes, found by its legend and their labels."""
    date = group(page, legend)
    for label, value in (("Day", day), ("Month", month), ("Year", year)):
        date.get_by_label(label, exact=True).fill(value)


def press_next(page, then: str, button: str = "Next") -> None:
    """Press Next (``button``, in the page's language) and wait for the page ``then`` (a step
    key or "review")."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(re.compile(rf"/(draft/)?{then}$"))


def save_draft(page) -> None:
    """Press Save draft and wait for the page that says it is saved."""
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")


def step_url(uid: str, step_key: str) -> str:
    return f"/systems/{uid}/draft/{step_key}"
