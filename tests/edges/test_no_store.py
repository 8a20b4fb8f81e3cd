"""Nothing but static assets may be cached (issue 13, item 8): every page, API answer, CSV
and XLSX download and error carries ``Cache-Control: no-store``, so personal data does not
linger in a shared tablet's cache or a proxy."""

from __future__ import annotations

import pytest

from tests.support.walk import get_urls

DOWNLOADS = {
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize("role", ["lead", "companion", "admin"])
def test_every_response_but_static_assets_says_no_store(app, world, login, role):
    browser = login(getattr(world, role))
    seen, cached = set(), []
    for url in get_urls(app, world.client_id, world.client_ids):
        response = browser.get(url)
        seen.add(response.mimetype)
        if response.headers.get("Cache-Control") != "no-store":
            cached.append((url, response.status_code, response.headers.get("Cache-Control")))
    assert not cached
    if role == "lead":  # pages, JSON, problem+json, CSV and XLSX downloads were all walked
        assert {"text/html", "application/json", *DOWNLOADS} <= seen


def test_api_answers_and_errors_say_no_store(world, api_as):
    api = api_as(world.lead)
    for url in ("/api/v1/clients", f"/api/v1/clients/{world.client_id}/contacts", "/api/v1/nope"):
        assert api.get(url).headers["Cache-Control"] == "no-store", url
    posted = api.post(f"/api/v1/clients/{world.client_id}/contacts", json={"kind": "call"})
    assert posted.status_code == 422 and posted.headers["Cache-Control"] == "no-store"


def test_exports_say_no_store(world, login):
    browser = login(world.lead)
    for url in ("/exports/clients.csv", "/exports/clients.xlsx", "/reports/partnership.xlsx"):
        response = browser.get(url)
        assert response.status_code == 200 and response.mimetype in DOWNLOADS, url
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "no-store", url


def test_static_assets_may_be_cached(client):
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
