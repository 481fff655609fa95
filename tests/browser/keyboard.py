"""Moving through a page with the keyboard alone: Tab, Shift+Tab, Space, the arrow keys, Enter.

The tests read the page (which element has the focus) but act on it only through keys."""

from __future__ import annotations

from collections.abc import Callable

MAX_TABS = 80

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "", name: el.name || "",
          value: el.value === undefined ? "" : String(el.value), checked: !!el.checked,
          text: (el.innerText || "").trim()};
}"""


def focused(page) -> dict | None:
    """What has the focus now: tag, id, type, name, value, checked, text."""
    return page.evaluate(_FOCUSED)


def tab_until(page, wanted: Callable[[dict], bool], what: str, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is ``wanted``; fail after MAX_TABS."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if now and wanted(now):
            return now
        seen.append(now and (now["id"] or now["text"][:30] or now["tag"]))
    raise AssertionError(f"{what} never got the focus with {key}; focus went: {seen}")


def tab_to_id(page, element_id: str) -> dict:
    return tab_until(page, lambda f: f["id"] == element_id, f"#{element_id}")


def tab_to_button(page, text: str) -> dict:
    return tab_until(
        page, lambda f: f["tag"] in ("button", "a") and f["text"] == text, f"the {text!r} button"
    )


def type_into(page, element_id: str, text: str) -> None:
    tab_to_id(page, element_id)
    page.keyboard.type(text)


def pick_radio(page, name: str, value: str) -> None:
    """Tab into a group of radio buttons, then choose with Space and the arrow keys."""
    now = tab_until(page, lambda f: f["type"] == "radio" and f["name"] == name, f"the choices of {name}")
    if not now["checked"]:
        page.keyboard.press("Space")
    for _ in range(10):
        now = focused(page)
        if now["value"] == value and now["checked"]:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value!r} in {name} with the arrow keys")


def tick(page, name: str, value: str) -> None:
    """Tab to one checkbox and tick it with Space."""
    tab_until(
        page,
        lambda f: f["type"] == "checkbox" and f["name"] == name and f["value"] == value,
        f"the box {value!r} of {name}",
    )
    page.keyboard.press("Space")


def select_value(page, element_id: str, value: str) -> None:
    """Tab to a drop-down list and move through its options with the arrow keys."""
    tab_to_id(page, element_id)
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(20):
            if focused(page)["value"] == value:
                return
            page.keyboard.press(key)
    raise AssertionError(f"option {value!r} of #{element_id} not reached with the arrow keys")


def press_button(page, text: str) -> None:
    tab_to_button(page, text)
    page.keyboard.press("Enter")
