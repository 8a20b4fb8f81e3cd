"""Set-up links instead of passwords: no administrator ever sees the password of an account.

The e-mails go to a real SMTP server on 127.0.0.1 (tests/support/smtp.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.auth.models import AccessChange, User
from app.database import utcnow
from app.extensions import db
from tests import factories
from tests.conftest import sign_in
from tests.support.smtp import free_port

PHRASE = "fiets naar de markt op dinsdag"
LINK = re.compile(r"http://\S+/account/setup/(\S+)")


@pytest.fixture
def second_admin(app):
    return factories.make_user("admin", username="admin2", display_name="Bert Beheer")


@pytest.fixture
def as_second_admin(login, second_admin):
    return login(second_admin)


def link_in(message) -> tuple[str, str]:
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return match.group(0), match.group(1)


def path_of(url: str) -> str:
    return "/account/setup/" + url.rsplit("/", 1)[1]


def choose(client, url, password=PHRASE):
    return client.post(path_of(url), data={"new_password": password, "confirm": password})


def test_a_new_lead_gets_a_link_once_a_second_admin_confirms(
    smtp_server, as_admin, as_second_admin, team, client
):
    secret = factories.make_client(team, preferred_name="Geheimenaam", legal_last_name="Verborgen")
    created = as_admin.post(
        "/admin/users/new",
        data={
            "username": "nieuwelead",
            "display_name": "Nina Nieuw",
            "email": "nina@example.org",
            "role": "lead",
            "teams": [str(team.id)],
            "locale": "",
        },
        follow_redirects=True,
    )
    html = created.get_data(as_text=True)
    assert "Account nieuwelead aangemaakt" in html
    assert "wachtwoord:" not in html.lower()
    user = db.session.scalar(sa.select(User).where(User.username == "nieuwelead"))
    assert not user.active and smtp_server.messages == []
    # Nobody can sign in as the new account before it is confirmed and a password chosen.
    assert sign_in(client, user, PHRASE).status_code == 401

    change = db.session.scalar(sa.select(AccessChange).where(AccessChange.user_id == user.id))
    confirmed = as_second_admin.post(
        f"/admin/access-changes/{change.id}/confirm", follow_redirects=True
    )
    assert user.active
    [message] = smtp_server.messages
    assert message["To"] == "nina@example.org"
    assert message["Subject"] == "Gezel: kies je wachtwoord"
    url, token = link_in(message)
    body = message.get_content()
    assert "nieuwelead" in body and "48 uur" in body
    for client_data in ("Geheimenaam", "Verborgen", secret.code):
        assert client_data not in body
    for page in (confirmed, as_second_admin.get("/admin/users"), as_admin.get("/admin/users")):
        html = page.get_data(as_text=True)
        assert token not in html
    assert "gemaild naar nina@example.org" in confirmed.get_data(as_text=True)
    assert user.setup_token_hash and token not in user.setup_token_hash  # stored hashed

    page = client.get(path_of(url))
    assert page.status_code == 200 and "Kies je wachtwoord" in page.get_data(as_text=True)
    weak = choose(client, url, "password123")
    assert weak.status_code == 400
    assert "veelgebruikte wachtwoorden" in weak.get_data(as_text=True)
    chosen = choose(client, url)
    assert chosen.status_code == 302 and chosen.location == "/login"
    assert sign_in(client, user, PHRASE).status_code == 302
    assert client.get("/").status_code == 200  # no forced change: the user chose it
    # The link works once.
    used = client.get(path_of(url))
    assert used.status_code == 404
    assert "Link niet meer geldig" in used.get_data(as_text=True)


def test_reset_password_mails_a_link_and_shows_no_password(
    smtp_server, as_admin, login, companion, client
):
    companion.email = "gezel@example.org"
    tablet = login(companion)
    response = as_admin.post(f"/admin/users/{companion.id}/reset-password", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "gemaild naar gezel@example.org" in html
    [message] = smtp_server.messages
    url, token = link_in(message)
    assert token not in html
    assert "is gereset" in message.get_content()
    assert tablet.get("/").status_code == 302  # every session ended
    assert sign_in(client, companion).status_code == 401  # the old password no longer works
    assert choose(client, url).status_code == 302
    assert sign_in(client, companion, PHRASE).status_code == 302


def test_reset_needs_an_email_address(as_admin, client, companion):
    companion.email = None
    db.session.commit()
    response = as_admin.post(f"/admin/users/{companion.id}/reset-password")
    assert response.status_code == 400
    assert "heeft een e-mailadres nodig" in response.get_data(as_text=True)
    assert sign_in(client, companion).status_code == 302  # nothing changed


def test_without_mail_the_page_says_so_and_the_operator_prints_a_link(
    app, as_admin, runner, companion, client
):
    companion.email = "gezel@example.org"
    db.session.commit()
    assert not app.config["MAIL_SERVER"]
    response = as_admin.post(f"/admin/users/{companion.id}/reset-password", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "kon niet gemaild worden" in html
    assert "flask users setup-link gezel1" in html
    result = runner.invoke(args=["users", "setup-link", "gezel1"])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[0]
    assert url.startswith(app.config["BASE_URL"] + "/account/setup/")
    assert choose(client, url).status_code == 302
    assert sign_in(client, companion, PHRASE).status_code == 302
    assert runner.invoke(args=["users", "setup-link", "nobody"]).exit_code != 0


def test_an_unreachable_mail_server_is_a_warning_not_an_error(app, as_admin, companion):
    companion.email = "gezel@example.org"
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    try:
        response = as_admin.post(f"/admin/users/{companion.id}/reset-password")
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=587, MAIL_USE_TLS=True)
    assert response.status_code == 302
    follow = as_admin.get(response.location).get_data(as_text=True)
    assert "kon niet gemaild worden" in follow


def test_a_link_expires(app, runner, companion, client):
    db.session.commit()
    url = runner.invoke(args=["users", "setup-link", companion.username]).output.strip()
    later = utcnow() + timedelta(hours=app.config["SETUP_LINK_HOURS"], minutes=1)
    with time_machine.travel(later, tick=False):
        assert client.get(path_of(url)).status_code == 404
        assert choose(client, url).status_code == 404


def test_a_newer_link_replaces_the_older(runner, companion, client):
    db.session.commit()
    first = runner.invoke(args=["users", "setup-link", companion.username]).output.strip()
    second = runner.invoke(args=["users", "setup-link", companion.username]).output.strip()
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 500, "../../etc"])
def test_unknown_links_are_404(client, token):
    assert client.get(f"/account/setup/{token}").status_code == 404


def test_confirming_a_new_account_without_mail_says_how_to_get_a_link(
    as_admin, as_second_admin, buddy
):
    created = as_admin.post(
        "/admin/users/new",
        data={
            "username": "nieuw",
            "display_name": "N",
            "email": "n@example.org",
            "role": "buddy",
            "locale": "",
        },
    )
    assert created.status_code == 302
    change = db.session.scalar(sa.select(AccessChange).order_by(AccessChange.id.desc()))
    response = as_second_admin.post(
        f"/admin/access-changes/{change.id}/confirm", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "kon niet gemaild worden" in html and "flask users setup-link nieuw" in html
    assert change.user.active
