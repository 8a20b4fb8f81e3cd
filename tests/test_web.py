"""Cross-cutting web behaviour: security headers, CSRF, languages, navigation, errors, health."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import build_app, sign_in


def test_security_headers_on_every_response(client, companion):
    for response in (client.get("/login"), client.get("/healthz"), client.get("/nope")):
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    assert 'src="/static/vendor/bootstrap/bootstrap.bundle.min.js"' in html


@pytest.fixture
def csrf_app(fresh_app):
    return fresh_app(WTF_CSRF_ENABLED=True)


def test_csrf_enforced_on_forms(csrf_app):
    with csrf_app.app_context():
        client = csrf_app.test_client()
        response = client.post("/login", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        assert "Het formulier was verlopen of onvolledig" in response.get_data(as_text=True)


def test_csrf_token_accepted_in_form_and_header(csrf_app):
    with csrf_app.app_context():
        client = csrf_app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        # Wrong credentials (401) proves the CSRF check passed.
        form = client.post("/login", data={"username": "x", "password": "y", "csrf_token": token})
        assert form.status_code == 401
        header = client.post("/language", data={"language": "en"}, headers={"X-CSRFToken": token})
        assert header.status_code == 302


def test_english_from_browser_language(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Sign in to Gezel" in html and '<html lang="en">' in html


def test_unsupported_browser_language_falls_back_to_dutch(client):
    html = client.get("/login", headers={"Accept-Language": "fr-BE"}).get_data(as_text=True)
    assert "Aanmelden bij Gezel" in html


def test_language_switch_before_sign_in(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.location == "/login"
    assert "Sign in to Gezel" in client.get("/login").get_data(as_text=True)


def test_language_switch_is_stored_for_the_user(client, companion):
    sign_in(client, companion)
    client.post("/language", data={"language": "en"})
    assert companion.locale == "en"
    assert "Good to see you" in client.get("/").get_data(as_text=True)


def test_user_preference_beats_browser(client, team):
    user = factories.make_user("companion", teams=[team], locale="en")
    sign_in(client, user)
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Good to see you" in html


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "xx"}).status_code == 400


def test_error_pages_in_the_users_language(client):
    dutch = client.get("/does-not-exist")
    assert dutch.status_code == 404
    assert "Niet gevonden" in dutch.get_data(as_text=True)
    english = client.get("/does-not-exist", headers={"Accept-Language": "en"})
    assert "Not found" in english.get_data(as_text=True)


def test_server_error_page_without_traceback(fresh_app):
    app = fresh_app(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom-test")
    def boom():
        raise RuntimeError("secret detail")

    with app.app_context():
        response = app.test_client().get("/boom-test")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er liep iets mis" in html and "secret detail" not in html


def test_json_errors_for_json_clients(client):
    response = client.get("/nope", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_overlong_body_is_refused(app, client):
    response = client.post(
        "/login", data={"username": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("admin", ["/admin/users", "/admin/teams"], []),
        ("lead", [], ["/admin/users"]),
        ("companion", [], ["/admin/users"]),
        ("buddy", [], ["/admin/users"]),
    ],
)
def test_navigation_depends_on_role(login, team, role, visible, hidden):
    user = factories.make_user(role, teams=[team])
    html = login(user).get("/").get_data(as_text=True)
    for url in visible:
        assert f'href="{url}"' in html
    for url in hidden:
        assert f'href="{url}"' not in html


@pytest.mark.parametrize(
    ("role", "text"),
    [
        ("admin", "Gebruikers beheren"),
        ("lead", "Teams die je coacht"),
        ("companion", "Fijn je te zien"),
        ("buddy", "Fijn je te zien"),
    ],
)
def test_each_role_has_a_home_page(login, team, role, text):
    user = factories.make_user(role, teams=[team])
    response = login(user).get("/")
    assert response.status_code == 200
    assert text in response.get_data(as_text=True)


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/missing-dir/nothing/here.db")
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}
