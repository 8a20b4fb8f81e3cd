"""The team lead's dashboard on a tablet: charts drawn beside their tables, no CSP errors."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 768, "height": 1024}]
)
def test_dashboard_fits_a_phone_and_a_tablet(page, viewport):
    """Issue 20, item 5: the filters wrap instead of being cut, the page never scrolls
    sideways, wide tables scroll inside their card (reachable by keyboard) with the first
    column kept in view, and the chart legends sit under the charts."""
    page.set_viewport_size(viewport)
    sign_in(page, "lead")
    page.goto("/dashboard")
    filters = page.locator("form.dashboard-filters")
    expect(filters).to_be_visible()
    page.wait_for_function(CHARTS_DRAWN, arg=1)
    sizes = page.evaluate(
        """() => {
          const form = document.querySelector('form.dashboard-filters');
          const cut = [...form.querySelectorAll('input, select, button, a')]
            .filter(e => e.getBoundingClientRect().right > form.getBoundingClientRect().right + 1)
            .map(e => e.id || e.textContent.trim());
          return {body: [document.body.scrollWidth, document.body.clientWidth],
                  form: [form.scrollWidth, form.clientWidth], cut};
        }"""
    )
    assert sizes["body"][0] <= sizes["body"][1], sizes
    assert sizes["form"][0] <= sizes["form"][1], sizes
    assert sizes["cut"] == [], sizes
    wrappers = page.locator(".table-scroll")
    expect(wrappers.first).to_have_attribute("tabindex", "0")
    expect(wrappers.first).to_have_attribute("role", "region")
    first_cell = wrappers.first.locator("tbody td").first
    expect(first_cell).to_have_css("position", "sticky")
    legend_position = page.evaluate(
        """() => Chart.getChart(document.querySelector('canvas[data-chart]'))
                   .options.plugins.legend.position"""
    )
    assert legend_position == "bottom"
    assert small_touch_targets(page) == []
