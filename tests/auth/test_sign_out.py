"""Signing out ends the session on the server: a copied session cookie is refused afterwards."""

from __future__ import annotations

import time

import time_machine
from cryptography.fernet import Fernet

from app import create_app
from app.extensions import db
from tests import factories
from tests.conftest import IsolatedClient, sign_in

COOKIE = "gezel_session"


def replay(app, cookie: str, **kwargs):
    """A request from another browser that carries a copy of ``cookie``."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie, domain=kwargs.pop("domain", "localhost"))
    return thief.get("/", **kwargs)


def test_a_copied_cookie_is_refused_after_sign_out(app, client, companion):
    sign_in(client, companion)
    assert client.get("/").status_code == 200
    copied = client.get_cookie(COOKIE).value
    assert replay(app, copied).status_code == 200  # the copy works while signed in

    client.post("/logout")
    refused = replay(app, copied)
    assert refused.status_code == 302
    assert refused.location.startswith("/login")

    # Signing in again gives a new session; the old copy stays refused.
    assert sign_in(client, companion).status_code == 302
    assert client.get("/").status_code == 200
    assert replay(app, copied).status_code == 302


def test_sign_out_ends_the_users_other_sessions(login, companion):
    tablet = login(companion)
    phone = login(companion)
    phone.post("/logout")
    assert tablet.get("/").status_code == 302


def test_a_session_ends_after_its_maximum_age_even_when_used(app, client, companion):
    sign_in(client, companion)
    step = (app.config["IDLE_TIMEOUT_MINUTES"] - 1) * 60
    with time_machine.travel(time.time(), tick=False) as traveller:
        for _ in range(app.config["SESSION_MAX_HOURS"] * 3600 // step):
            traveller.shift(step)
            assert client.get("/").status_code == 200
        traveller.shift(step)
        response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def _csrf(page: str) -> str:
    return page.split('name="csrf-token" content="')[1].split('"')[0]


def test_a_copied_cookie_is_refused_after_sign_out_in_production(fresh_app):
    url = fresh_app().config["SQLALCHEMY_DATABASE_URI"]
    app = create_app(
        "production",
        SECRET_KEY="x" * 32,
        SQLALCHEMY_DATABASE_URI=url,
        TWO_FACTOR_ENFORCED=False,  # the cookie is the subject here (two-factor: its own tests)
        DOCUMENTS_KEY=Fernet.generate_key().decode(),
    )
    app.test_client_class = IsolatedClient
    https = {"base_url": "https://gezel.example", "headers": {"Referer": "https://gezel.example/"}}
    try:
        with app.app_context():
            user = factories.make_user("companion", teams=[factories.make_team("T")])
            db.session.commit()
            browser = app.test_client()
            token = _csrf(browser.get("/login", **https).get_data(as_text=True))
            signed_in = browser.post(
                "/login",
                data={
                    "username": user.username,
                    "password": factories.PASSWORD,
                    "csrf_token": token,
                },
                **https,
            )
            assert signed_in.status_code == 302
            home = browser.get("/", **https)
            assert home.status_code == 200
            copied = browser.get_cookie(COOKIE, domain="gezel.example").value
            assert replay(app, copied, domain="gezel.example", **https).status_code == 200

            out = browser.post(
                "/logout", data={"csrf_token": _csrf(home.get_data(as_text=True))}, **https
            )
            assert out.status_code == 302
            assert replay(app, copied, domain="gezel.example", **https).status_code == 302
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
