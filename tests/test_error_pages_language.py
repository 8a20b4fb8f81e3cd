"""Every kind of error page, and an export that fails, speaks the user's language
(issue 20, item 4)."""

from __future__ import annotations

import pytest
from flask import abort

from app.dashboards import routes as dashboard_routes
from app.extensions import db
from tests import factories
from tests.conftest import sign_in

DUTCH = {
    400: "Ongeldige aanvraag",
    403: "Niet toegestaan",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Conflict",
    410: "Verdwenen",
    413: "Te groot",
    422: "Controleer je invoer",
    429: "Te veel aanvragen",
    500: "Er liep iets mis",
    503: "Niet beschikbaar",
}
ENGLISH_WORDS = ("Not found", "Bad request", "Something went wrong", "Back to the start page")


def page_text(response) -> str:
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_every_kind_of_error_page_is_in_dutch(fresh_app):
    app = fresh_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/error-test/<int:code>", methods=["GET"])
    def fail(code: int):
        if code == 500:
            raise RuntimeError("broken on purpose")
        abort(code)

    test_client = app.test_client()
    for code, title in DUTCH.items():
        if code == 405:
            response = test_client.post("/error-test/405")  # the route only takes GET
        else:
            response = test_client.get(f"/error-test/{code}")
        assert response.status_code == code
        html = page_text(response)
        assert title in html and "Terug naar de startpagina" in html, code
        assert not any(word in html for word in ENGLISH_WORDS), code
        english = test_client.get(f"/error-test/{code}", headers={"Accept-Language": "en"})
        if code != 405:
            assert "Back to the start page" in page_text(english), code


@pytest.fixture
def as_dutch_lead(app, team):
    lead = factories.make_user("lead", teams=[team], locale="nl")
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, lead).status_code == 302
    return client


@pytest.mark.parametrize(
    "url",
    ["/dashboard/team/export/no-such-table.csv", "/dashboard/team/export/all.pdf",
     "/reports/partnership.csv?table=no-such-table"],
)  # fmt: skip
def test_an_export_that_is_refused_has_a_dutch_error_page(as_dutch_lead, url):
    response = as_dutch_lead.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    html = page_text(response)
    assert "Niet gevonden" in html and "Not found" not in html


def test_an_export_that_breaks_has_a_dutch_error_page(app, as_dutch_lead, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the spreadsheet writer broke")

    monkeypatch.setattr(dashboard_routes, "to_xlsx", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = as_dutch_lead.get("/dashboard/team/export/all.xlsx")
    assert response.status_code == 500
    html = page_text(response)
    assert "Er liep iets mis" in html and "spreadsheet writer" not in html
    assert not any(word in html for word in ENGLISH_WORDS)
