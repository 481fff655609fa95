"""Reading pages as a browser would: the values a form submits untouched, and whether user
text is shown escaped; and the step forms' field names for answers given by question key."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from markupsafe import escape

from aia.engine import field_name
from aia.engine.forms import FIELD_PREFIX

# Inputs that a plain submit never sends (a button is added by ``submit_data(action=...)``).
NOT_SENT = {"submit", "button", "image", "reset", "file"}


@dataclass
class _Option:
    value: str | None  # None: the value is the option's text
    selected: bool
    disabled: bool
    text: str = ""


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[_Option] = field(default_factory=list)

    def sent(self) -> list[str]:
        """What the browser sends: the selected options; for a one-value select, the last
        selected one, or else the first enabled option."""
        enabled = [o for o in self.options if not o.disabled]
        chosen = [o for o in enabled if o.selected]
        if not self.multiple:
            chosen = chosen[-1:] or enabled[:1]
        return [" ".join(o.text.split()) if o.value is None else o.value for o in chosen]


class _FormReader(HTMLParser):
    """Collects what a browser would send for every named, enabled field of the page: text
    inputs and hidden fields as given, checked checkboxes, the checked radio of each group,
    the selected options of a select, and the text of a textarea."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: _Select | None = None
        self._option: _Option | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self._select is not None:
            # An option ends at the next one, so </option> may be left out.
            self._option = _Option(a.get("value"), "selected" in a, "disabled" in a)
            self._select.options.append(self._option)
            return
        if "name" not in a or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                sent = self.values.setdefault(a["name"], [])
                if "checked" in a:
                    if kind == "radio":  # one per group: a later checked one wins
                        sent.clear()
                    sent.append(a.get("value", "on"))
            elif kind not in NOT_SENT:
                self.values.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values.setdefault(a["name"], []).append("")
        elif tag == "select":
            self._select = _Select(a["name"], "multiple" in a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            value = self.values[self._textarea][-1]
            # A browser drops one line break right after the opening tag.
            for line_break in ("\r\n", "\n"):
                if value.startswith(line_break):
                    value = value[len(line_break) :]
                    break
            self.values[self._textarea][-1] = value
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self.values.setdefault(self._select.name, []).extend(self._select.sent())
            self._select = self._option = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.values[self._textarea][-1] += data
        elif self._option is not None:
            self._option.text += data


def form_values(html: str) -> dict[str, list[str]]:
    """Every named field's current value(s), as the page would submit them untouched. A field
    that would send nothing (an unticked checkbox, a radio group with no choice, a multiple
    select with nothing selected) is listed with no values."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.values


def submit_data(html: str, changes: dict | None = None, action: str | None = None) -> dict:
    """The page's own field values with ``changes`` applied, ready for ``client.post``."""
    data: dict = {k: (v if len(v) > 1 else v[0]) for k, v in form_values(html).items() if v}
    for key, value in (changes or {}).items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if action:
        data["action"] = action
    return data


def field_error(html: str, field: str) -> str:
    """The message shown at the field named ``field`` (empty when it shows none)."""
    found = re.search(rf'id="{re.escape(field)}-error"[^>]*>(.*?)</p>', html, re.S)
    if not found:
        return ""
    text = " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())
    return text.removeprefix("Error:").removeprefix("Erreur :").strip()


def assert_shown_escaped(html: str, text: str, where: str) -> None:
    """``text`` is on the page as escaped text (``<`` as ``&lt;``, quotes and ``&`` as
    entities), and nowhere as it was typed."""
    assert str(escape(text)) in html, f"{where}: the text is not shown (escaped)"
    assert text not in html, f"{where}: the text is in the page unescaped"


def as_fields(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers by question key, as the step form's fields are named (None removes a field)."""
    return {field_name(key): value for key, value in answers.items()}


def answers_in(html: str) -> dict[str, list[str]]:
    """The step form's answer fields, by question key."""
    return {
        name.removeprefix(FIELD_PREFIX): values
        for name, values in form_values(html).items()
        if name.startswith(FIELD_PREFIX)
    }


class HttpBrowser:
    """A client of a server on a real port, with its own cookies, that does not follow
    redirects (what a browser sends, without the browser): for gunicorn tests and benchmarks."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
