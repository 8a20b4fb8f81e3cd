"""API authentication: tokens, revocation, rate limits, audit, session cookies with CSRF."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import time_machine

from app.api.tokens import ApiToken
from app.audit.models import AuditEvent
from app.extensions import db


def test_no_credentials_is_401_problem(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401 and response.json["title"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bad_tokens_are_401(client):
    for header in ("Bearer nonsense", "Bearer gzl_" + "x" * 40, "Basic dXNlcjpwdw==", "Bearer "):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.mimetype == "application/problem+json"
    failures = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "api.auth_failed")
    )
    assert failures == 4


def test_me_with_a_token(api_as, companion, team):
    response = api_as(companion).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json["username"] == companion.username
    assert response.json["role"] == "companion"
    assert response.json["teams"] == [{"id": team.id, "name": team.name}]


def test_token_requests_are_audited(api_as, companion):
    api = api_as(companion)
    api.get("/api/v1/me")
    api.get("/api/v1/clients/424242")  # a 404 is audited too
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "api.request").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["path"], e.details["status"]) for e in events] == [
        ("/api/v1/me", 200),
        ("/api/v1/clients/424242", 404),
    ]
    assert all(e.user_id == companion.id for e in events)


def test_revoking_takes_effect_at_once(api_as, companion, login):
    api = api_as(companion)
    assert api.get("/api/v1/me").status_code == 200
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == companion.id))
    browser = login(companion)
    assert browser.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_deactivated_users_tokens_stop_working(api_as, companion):
    api = api_as(companion)
    companion.active = False
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_rate_limit_per_token(app, api_as, companion):
    app.config["API_RATE_LIMIT_PER_MINUTE"] = 3
    try:
        api = api_as(companion)
        statuses = [api.get("/api/v1/me").status_code for _ in range(5)]
    finally:
        app.config["API_RATE_LIMIT_PER_MINUTE"] = 120
    assert statuses == [200, 200, 200, 429, 429]


def test_failed_auth_is_limited_per_address(app, client):
    app.config["API_MAX_FAILED_AUTH_PER_ADDRESS"] = 2
    try:
        statuses = [
            client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"}).status_code
            for _ in range(4)
        ]
    finally:
        app.config["API_MAX_FAILED_AUTH_PER_ADDRESS"] = 20
    assert statuses == [401, 401, 429, 429]


def test_token_page_creates_and_lists(login, companion):
    browser = login(companion)
    response = browser.post("/account/tokens", data={"name": "tablet sync"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    plain = html.split('data-testid="new-token">')[1].split("<")[0]
    assert plain.startswith("gzl_")
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash != plain and plain not in token.token_hash  # only the hash is stored
    assert (
        browser.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    )


def test_someone_elses_token_cannot_be_revoked(api_as, login, companion, team):
    from tests import factories

    api_as(companion)
    token = db.session.scalar(sa.select(ApiToken))
    other = factories.make_user("companion", teams=[team])
    assert login(other).post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert token.revoked_at is None


def test_cli_prints_a_token(runner, companion, client):
    db.session.commit()
    result = runner.invoke(args=["users", "token", "create", companion.username])
    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    assert runner.invoke(args=["users", "token", "create", "nobody"]).exit_code != 0


def test_session_cookie_reads_and_needs_csrf_to_write(fresh_app):
    from tests import factories

    app = fresh_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        team = factories.make_team("T")
        user = factories.make_user("companion", teams=[team])
        db.session.commit()
        browser = app.test_client()
        page = browser.get("/login").get_data(as_text=True)
        csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
        browser.post(
            "/login",
            data={"username": user.username, "password": factories.PASSWORD, "csrf_token": csrf},
        )
        assert browser.get("/api/v1/me").status_code == 200
        body = {"preferred_name": "Via de app", "municipality": "haacht", "place_met": "street"}
        refused = browser.post("/api/v1/clients", json=body)
        assert refused.status_code == 400 and refused.mimetype == "application/problem+json"
        page = browser.get("/").get_data(as_text=True)
        csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
        accepted = browser.post("/api/v1/clients", json=body, headers={"X-CSRFToken": csrf})
        assert accepted.status_code == 201, accepted.json


def test_a_valid_token_is_accepted_after_many_failures_from_its_address(app, api_as, companion):
    api = api_as(companion)
    limit = app.config["API_MAX_FAILED_AUTH_PER_ADDRESS"]
    bad = {"Authorization": "Bearer gzl_" + "x" * 40}
    statuses = [api.client.get("/api/v1/me", headers=bad).status_code for _ in range(limit + 3)]
    assert statuses == [401] * limit + [429] * 3
    # The same address, the real token: a valid token proves itself.
    assert api.get("/api/v1/me").status_code == 200


def test_throttled_token_checks_do_not_extend_the_window(app, client):
    app.config["API_MAX_FAILED_AUTH_PER_ADDRESS"] = 2
    window = app.config["API_FAILED_AUTH_WINDOW_SECONDS"]
    bad = {"Authorization": "Bearer wrong"}
    try:
        with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False) as clock:
            assert [client.get("/api/v1/me", headers=bad).status_code for _ in range(2)] == [
                401,
                401,
            ]
            for _ in range(5):  # throttled all through the window, never counted
                clock.shift(window // 5 - 1)
                assert client.get("/api/v1/me", headers=bad).status_code == 429
            clock.shift(6)
            assert client.get("/api/v1/me", headers=bad).status_code == 401
    finally:
        app.config["API_MAX_FAILED_AUTH_PER_ADDRESS"] = 20
    throttled = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "api.auth_throttled")
    )
    assert throttled == 5
