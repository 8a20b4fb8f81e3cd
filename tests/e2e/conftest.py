"""Browser tests: the app on a live server in a thread, driven by Playwright in Debian's
headless Chromium at tablet size. A screenshot is kept in tests/e2e/artifacts when a test fails.

These tests never use the ``app`` fixture: the live server has its own database, with data
really committed, exactly as in production.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.extensions import db
from tests.conftest import build_app
from tests.support.databases import throwaway_database

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
TABLET = {"width": 768, "height": 1024}

# Generous waits: on a busy machine (two test runs, a build) a page can take seconds. Every
# check of what a page shows is a waiting assertion (expect), which passes as soon as it
# holds; the timeouts only bound how long a real failure takes to report.
EXPECT_TIMEOUT_MS = 15_000
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log per request
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("e2e")) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True)
        with app.app_context():
            upgrade()
            result = app.test_cli_runner().invoke(args=["demo", "seed"])
            assert result.exit_code == 0, result.output
            db.session.remove()
        server = LiveServer(app)
        server.start()
        yield server
        server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport=TABLET, locale="nl-BE", base_url=live_server.url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors  # e.g. CSP violations
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def sign_in(page, username: str, password: str = "gezel-demo", *, succeeds: bool = True) -> None:
    """Sign in through the form; when it ``succeeds``, wait until the browser has left the
    sign-in page (so that the next ``goto`` cannot cut the sign-in short)."""
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    if succeeds:
        expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))
        page.wait_for_load_state()


def sign_out(page, display_name: str) -> None:
    page.get_by_role("button", name=display_name).click()  # the account menu
    page.get_by_test_id("sign-out").click()
    expect(page.get_by_text("Je bent afgemeld.")).to_be_visible()


# A checkbox or radio button is tapped through its whole row (label included).
_TOUCH_TARGETS_JS = """() => {
  const selector = 'main button, main input:not([type=hidden]), main select, main textarea, ' +
                   'main a.btn, nav a.nav-link, nav button';
  return [...document.querySelectorAll(selector)]
    .filter(e => e.offsetParent !== null)
    .map(e => {
      const target = (e.type === 'checkbox' || e.type === 'radio')
        ? (e.closest('.form-check, li') || e) : e;
      return [e.outerHTML.slice(0, 100), Math.round(target.getBoundingClientRect().height)];
    })
    .filter(([, height]) => height > 0 && height < 44);
}"""


def small_touch_targets(page) -> list:
    """Visible controls whose tap target is less than 44 px high."""
    return page.evaluate(_TOUCH_TARGETS_JS)
