"""Reading pages as a browser would: the fields of a form, the text of an element."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self.values.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea" and "name" in a:
            self._textarea = a["name"]
            self.values.setdefault(a["name"], []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(html: str) -> dict[str, list[str]]:
    """Every named field's current value(s), as the page would submit them untouched."""
    reader = _FormReader()
    reader.feed(html)
    return reader.values


def submit_data(html: str, changes: dict | None = None, action: str | None = None) -> dict:
    """The page's own field values with ``changes`` applied, ready for ``client.post``."""
    data: dict = {k: (v if len(v) > 1 else v[0]) for k, v in form_values(html).items()}
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if action:
        data["action"] = action
    return data
