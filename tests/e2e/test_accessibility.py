"""An axe-core scan (WCAG 2.1 A and AA rules) of the key pages of every role (issue 20,
item 3): no serious or critical violation anywhere. A summary of the pages checked and
the violations found is printed (pytest -s shows it).

axe-core is vendored for the tests only (tests/support/vendor/axe-core). The app's CSP
allows no inline script, so the scan runs in a browser context that bypasses the CSP; the
app itself is unchanged. Pages are found by following the links of the navigation and of
the pages themselves (downloads, sign-out and other side effects left out), one page per
URL shape (every client file looks alike), with a fixed list of account and error pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.auth import services as auth_services
from app.auth.vocab import Role
from app.extensions import db
from tests.e2e.conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, TABLET, sign_in

AXE = Path(__file__).resolve().parent.parent / "support/vendor/axe-core/axe.min.js"
PAGES_PER_ROLE = 22
MINIMUM_PER_ROLE = 15
RUN_AXE = """() => axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 160)),
  count: v.nodes.length,
})))"""

# Always checked besides the pages found through the links.
FIXED_PAGES = [
    "/",
    "/account/password",
    "/account/tokens",
    "/account/two-factor",
    "/account/sessions",
    "/does-not-exist",  # the error page
]
# Never followed: downloads, the sign-out, pages that act on a GET, the offline shell.
SKIP = re.compile(
    r"\.(csv|xlsx|pdf|json|js|webmanifest)(\?|$)|/export|/logout|/offline|/print|/download|#"
)
PRIVACY_OFFICER = "privacy"


@pytest.fixture(scope="module")
def privacy_officer(live_server):
    """The demo has no privacy officer: one is added to the live server's database."""
    with live_server.app.app_context():
        auth_services.create_user(
            username=PRIVACY_OFFICER,
            display_name="Pia Privacy",
            role=Role.PRIVACY_OFFICER,
            teams=[],
            password="gezel-demo",
            is_demo=True,  # the demo password, as for the demo accounts
        )[0].must_change_password = False
        db.session.commit()
        db.session.remove()
    return PRIVACY_OFFICER


@pytest.fixture
def axe_page(browser, live_server, request):
    context = browser.new_context(
        viewport=TABLET, locale="nl-BE", base_url=live_server.url, bypass_csp=True
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def shape(url: str) -> str:
    """/clients/12/contacts/3 and /clients/7/contacts/9 are the same page."""
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")


def links_on(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("nav a[href], main a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if h.startswith(origin) and not SKIP.search(h)]


def scan(page) -> list[dict]:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def check_role(page, live_server, username: str) -> None:
    sign_in(page, username)
    origin = live_server.url
    # The API documentation is the same page for everyone (and the heaviest): checked once.
    docs = origin + "/api/v1/docs"
    queue = [origin + path for path in FIXED_PAGES] + ([docs] if username == "gezel" else [])
    seen_shapes: set[str] = set() if username == "gezel" else {shape(docs)}
    checked: list[str] = []
    found: list[tuple[str, dict]] = []
    while queue and len(checked) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if shape(url) in seen_shapes:
            continue
        seen_shapes.add(shape(url))
        response = page.goto(url)
        if response is None or "/login" in urlsplit(page.url).path:
            continue
        expect(page.locator("body")).to_be_visible()
        checked.append(
            urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        )
        found.extend((checked[-1], violation) for violation in scan(page))
        queue.extend(link for link in links_on(page, origin) if shape(link) not in seen_shapes)
    bad = [(path, v) for path, v in found if v["impact"] in ("serious", "critical")]
    pages_by_rule: dict[str, list[str]] = defaultdict(list)
    for path, violation in found:
        pages_by_rule[f"{violation['id']} ({violation['impact']})"].append(path)
    print(f"\naxe [{username}]: {len(checked)} pages checked, {len(found)} violations "
          f"({len(bad)} serious or critical)")  # fmt: skip
    for path in checked:
        print(f"  checked {path}")
    for rule, paths in sorted(pages_by_rule.items()):
        print(f"  {rule}: {', '.join(paths)}")
    for path, violation in bad:
        print(f"  {violation['impact']} {violation['id']} on {path}: {violation['help']}")
        for node in violation["nodes"]:
            print(f"      {node}")
    assert len(checked) >= MINIMUM_PER_ROLE, checked
    assert bad == [], [(path, v["id"], v["nodes"]) for path, v in bad]


@pytest.mark.parametrize("username", ["gezel", "lead", "buddy", "admin", PRIVACY_OFFICER])
def test_no_serious_accessibility_violations(axe_page, live_server, privacy_officer, username):
    check_role(axe_page, live_server, username)


SMALL_EXTRA_TARGETS = """() => {
  const targets = [
    ...document.querySelectorAll('a.navbar-brand, th a'),
    ...[...document.querySelectorAll('td input[type=checkbox]')].map(e => e.closest('label') || e),
  ];
  return targets.filter(e => e.offsetParent !== null).map(e => {
    const box = e.getBoundingClientRect();
    return [e.outerHTML.slice(0, 80), Math.round(box.width), Math.round(box.height)];
  }).filter(([, width, height]) => width < 44 || height < 44);
}"""


def test_brand_sort_links_and_list_checkboxes_are_big_enough(page):
    """The navbar brand, the sort links in a table head and the checkboxes that select rows
    of a list are tap targets of at least 44 by 44 px too."""
    sign_in(page, "lead")
    page.goto("/clients")
    expect(page.locator("th a").first).to_be_visible()
    expect(page.locator("td .select-target").first).to_be_visible()
    small = page.evaluate(SMALL_EXTRA_TARGETS)  # the page has loaded: the elements are there
    assert small == []
