"""The team lead's dashboard on a tablet: charts drawn beside their tables, no CSP errors."""

from __future__ import annotations

from tests.e2e.conftest import sign_in, small_touch_targets


def test_lead_dashboard_draws_charts(page):
    sign_in(page, "lead")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Caseload per trajectgezel").is_visible()
    drawn = page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => c.width > 0 && window.Chart && window.Chart.getChart(c)).length"
    )
    assert drawn >= 3
    assert page.locator("table").count() == 4  # the overview: caseload, outreach, funnel, reach
    assert small_touch_targets(page) == []
    page.get_by_role("link", name="Resultaten").click()  # another section, filters kept
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Verandering in zelfredzaamheid").is_visible()
    assert page.locator("canvas[data-chart]").count() >= 1
    assert page.console_errors == []


def test_partnership_report_page(page):
    sign_in(page, "lead")
    page.goto("/reports/partnership")
    assert page.get_by_role("heading", name="Rapport voor het partnerschap").is_visible()
    assert page.console_errors == []


def test_api_docs_page_loads_without_csp_errors(page):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "Gezel API" in page.locator(".swagger-ui .info").inner_text()
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert csp == []
