"""The team lead's dashboard on a tablet: charts drawn beside their tables, no CSP errors."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, small_touch_targets

# Charts that Chart.js has drawn (dashboards.js runs once the page has loaded).
CHARTS_DRAWN = """min => [...document.querySelectorAll('canvas[data-chart]')]
    .filter(c => c.width > 0 && window.Chart && window.Chart.getChart(c)).length >= min"""


def test_lead_dashboard_draws_charts(page):
    sign_in(page, "lead")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Caseload per trajectgezel")).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN, arg=3)  # fails after the timeout if fewer are drawn
    # The overview: caseload, outreach, funnel, reach.
    expect(page.locator("table")).to_have_count(4)
    assert small_touch_targets(page) == []
    page.get_by_role("link", name="Resultaten").click()  # another section, filters kept
    expect(page.get_by_role("heading", name="Verandering in zelfredzaamheid")).to_be_visible()
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    assert page.console_errors == []


def test_partnership_report_page(page):
    sign_in(page, "lead")
    page.goto("/reports/partnership")
    expect(page.get_by_role("heading", name="Rapport voor het partnerschap")).to_be_visible()
    assert page.console_errors == []


def test_api_docs_page_loads_without_csp_errors(page):
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_contain_text("Gezel API")
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert csp == []


def test_chart_numbers_are_in_the_users_language(page):
    sign_in(page, "lead")
    page.goto("/dashboard/team")
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    shown = page.evaluate(
        """() => {
            const canvas = document.querySelector('canvas[data-chart]');
            const chart = window.Chart.getChart(canvas);
            const label = chart.options.plugins.tooltip.callbacks.label;
            return [canvas.dataset.locale, chart.options.scales.y.ticks.callback(1234.5),
                    label.call(chart, {dataset: {label: 'Uren'}, raw: 7.5})];
        }"""
    )
    assert shown == ["nl-BE", "1.234,5", "Uren: 7,5"]
    assert page.console_errors == []
