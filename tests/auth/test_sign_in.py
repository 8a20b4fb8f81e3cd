"""Signing in and out: good and bad credentials, throttling, redirects, idle timeout."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import LoginAttempt
from app.extensions import db
from tests import factories
from tests.conftest import sign_in


def audit_actions(username):
    return db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.actor == username).order_by(AuditEvent.id)
    ).all()


def test_login_page_is_dutch_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Aanmelden bij Gezel" in html
    assert '<html lang="nl">' in html


def test_good_credentials_sign_in_and_audit(client, companion):
    response = sign_in(client, companion)
    assert response.status_code == 302
    assert response.location == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert companion.display_name in home.get_data(as_text=True)
    assert audit_actions(companion.username) == ["auth.sign_in"]
    assert companion.last_sign_in_at is not None


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("gezel1", "wrong password!", "password"),
        ("nobody", factories.PASSWORD, "unknown_user"),
    ],
)
def test_bad_credentials_get_one_generic_message(client, companion, username, password, reason):
    response = sign_in(client, username, password)
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord." in html
    assert client.get("/").status_code == 302  # still signed out
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.actor == username))
    assert event.action == "auth.sign_in_failed"
    assert event.details == {"reason": reason}


def test_inactive_user_cannot_sign_in_and_sees_same_message(client, team):
    user = factories.make_user("companion", teams=[team], active=False)
    response = sign_in(client, user)
    assert response.status_code == 401
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord." in response.get_data(as_text=True)


def test_empty_fields_are_refused_with_field_messages(client):
    response = client.post("/login", data={"username": "  ", "password": ""})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Dit veld is verplicht.") == 2


def test_overlong_username_is_refused(client):
    response = client.post("/login", data={"username": "x" * 500, "password": "whatever"})
    assert response.status_code == 422


def test_username_is_case_insensitive(client, companion):
    response = sign_in(client, companion.username.upper())
    assert response.status_code == 302


def test_failures_per_account_are_throttled(app, client, companion):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert sign_in(client, companion, "wrong password!").status_code == 401
    # Even the right password is refused while throttled, with a clear message.
    response = sign_in(client, companion)
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.get_data(as_text=True)
    assert "auth.sign_in_throttled" in audit_actions(companion.username)


def test_failures_per_address_are_throttled(app, client, companion):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for number in range(3):
            sign_in(client, f"someone{number}", "wrong password!")
        assert sign_in(client, companion).status_code == 429
        other_address = client.post(
            "/login",
            data={"username": companion.username, "password": factories.PASSWORD},
            environ_base={"REMOTE_ADDR": "10.9.8.7"},
        )
        assert other_address.status_code == 302
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_throttle_window_expires(app, client, companion):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(client, companion, "wrong password!")
    # Move the failures out of the window.
    for attempt in db.session.scalars(sa.select(LoginAttempt)):
        attempt.at = attempt.at.replace(year=attempt.at.year - 1)
    db.session.commit()
    assert sign_in(client, companion).status_code == 302


def test_success_resets_the_account_counter(app, client, companion):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        sign_in(client, companion, "wrong password!")
    assert sign_in(client, companion).status_code == 302
    client.post("/logout")
    for _ in range(limit - 1):
        sign_in(client, companion, "wrong password!")
    assert sign_in(client, companion).status_code == 302


@pytest.mark.parametrize(
    ("next_value", "expected"),
    [
        ("/admin/users", "/admin/users"),
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_only_goes_to_local_paths(client, companion, next_value, expected):
    response = client.post(
        "/login",
        data={"username": companion.username, "password": factories.PASSWORD, "next": next_value},
    )
    assert response.status_code == 302
    assert response.location == expected


def test_login_required_pages_redirect_with_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_sign_out(client, companion):
    sign_in(client, companion)
    response = client.post("/logout", follow_redirects=True)
    assert "Je bent afgemeld." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert audit_actions(companion.username)[-1] == "auth.sign_out"


def test_sign_out_needs_post(client, companion):
    sign_in(client, companion)
    assert client.get("/logout").status_code == 405


def test_idle_timeout_signs_out(app, client, companion):
    sign_in(client, companion)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = time.time() - app.config["IDLE_TIMEOUT_MINUTES"] * 60 - 5
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    follow = client.get(response.location)
    assert "Je werd afgemeld na een periode zonder activiteit." in follow.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_activity_within_the_timeout_keeps_the_session(app, client, companion):
    sign_in(client, companion)
    with client.session_transaction() as session:
        session["seen"] = time.time() - app.config["IDLE_TIMEOUT_MINUTES"] * 60 + 60
    assert client.get("/").status_code == 200


def test_no_remember_me_cookie(client, companion):
    response = sign_in(client, companion)
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token") for c in cookies)
    session_cookie = next(c for c in cookies if c.startswith("gezel_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Expires" not in session_cookie  # ends with the browser session


def test_deactivation_ends_existing_sessions(app, login, companion, admin_user):
    as_companion = login(companion)
    assert as_companion.get("/").status_code == 200
    as_admin = login(admin_user)
    as_admin.post(f"/admin/users/{companion.id}/active", data={"active": "0"})
    assert as_companion.get("/").status_code == 302
