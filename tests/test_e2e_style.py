"""The browser tests check what a page shows only with Playwright's waiting assertions.

``assert locator.is_visible()`` (or ``.count()``, ``.inner_text()``, ``page.url`` ...) reads
the page once, at once: on a busy machine that is before the page has loaded, and the test
fails for nothing. ``expect(locator).to_be_visible()`` waits until it holds. Sleeping instead
of waiting is slow when the machine is idle and still too short when it is busy.
"""

from __future__ import annotations

import ast
from pathlib import Path

E2E = Path(__file__).parent / "e2e"

# Reads of the page that do not wait: never the subject of an assert.
INSTANT_READS = {
    "is_visible", "is_hidden", "is_checked", "is_enabled", "is_disabled", "is_editable",
    "count", "inner_text", "inner_html", "text_content", "input_value", "get_attribute",
    "all_inner_texts", "all_text_contents", "evaluate", "title",
}  # fmt: skip
# Waiting by the clock instead of for a condition.
SLEEPS = {"sleep", "wait_for_timeout"}


def problems(source: str, name: str = "<test>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            for inner in ast.walk(node.test):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr in INSTANT_READS
                ):
                    found.append(f"{name}:{node.lineno}: assert on .{inner.func.attr}()")
                if isinstance(inner, ast.Attribute) and inner.attr == "url":
                    found.append(f"{name}:{node.lineno}: assert on .url (use to_have_url)")
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in SLEEPS:
                found.append(f"{name}:{node.lineno}: {called}() (wait for a condition)")
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "time"
            and any(alias.name == "sleep" for alias in node.names)
        ):
            found.append(f"{name}:{node.lineno}: imports time.sleep")
    return found


def test_browser_tests_only_use_waiting_assertions():
    files = sorted(E2E.glob("*.py"))
    assert files, E2E
    found = [p for path in files for p in problems(path.read_text(), path.name)]
    assert found == [], "use expect(...): " + "; ".join(found)


def test_the_guard_catches_each_pattern():
    bad = """
from time import sleep
import time
def test(page):
    assert page.get_by_text("x").is_visible()
    assert not page.get_by_role("button").is_visible()
    assert page.locator("tr").count() == 3
    assert "x" in page.locator("h1").inner_text()
    assert "/login" in page.url
    time.sleep(1)
    page.wait_for_timeout(500)
"""
    assert len(problems(bad)) == 8
    good = """
from playwright.sync_api import expect
def test(page):
    expect(page.get_by_text("x")).to_be_visible()
    expect(page.locator("tr")).to_have_count(3)
    assert page.console_errors == []
"""
    assert problems(good) == []
