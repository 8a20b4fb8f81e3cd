"""Reading a rendered form back, as a browser would submit it untouched."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind == "submit":
                return
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_values(html: str) -> dict[str, list[str] | str]:
    """The values a browser would send for every input and textarea in ``html`` (selects
    are left out); single values as strings."""
    reader = _FormReader()
    reader.feed(html)
    return {k: v[0] if len(v) == 1 else v for k, v in reader.values.items()}


def field_errors(html: str, field_id: str) -> list[str]:
    """The error messages shown under the field with id ``field_id`` (see render_field)."""
    block = re.search(
        rf'id="{re.escape(field_id)}-errors"[^>]*>((?:\s*<div>.*?</div>)*)', html, re.S
    )
    return re.findall(r"<div>(.*?)</div>", block.group(1), re.S) if block else []
