"""Password hashing, temporary passwords and the forced change at first sign-in."""

from __future__ import annotations

from app.auth.passwords import hash_password, verify_password
from tests import factories
from tests.conftest import sign_in
from tests.support.forms import field_errors


def test_hashes_are_argon2_and_verify(app):
    hashed = hash_password("a long secret phrase")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long secret phrase")
    assert not verify_password(hashed, "another phrase")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")


def test_temporary_password_must_be_changed_first(client, team):
    user = factories.make_user("companion", teams=[team], must_change_password=True)
    response = sign_in(client, user)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home.location == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert "tijdelijk wachtwoord" in page
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new phrase",
            "confirm": "a brand new phrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in, no longer forced
    assert not user.must_change_password
    client.post("/logout")
    assert sign_in(client, user, "a brand new phrase").status_code == 302


def test_password_change_refuses_bad_input(client, companion):
    sign_in(client, companion)
    wrong_current = client.post(
        "/account/password",
        data={"current_password": "nope nope nope", "new_password": "x" * 12, "confirm": "x" * 12},
    )
    assert wrong_current.status_code == 400
    assert "Het huidige wachtwoord klopt niet." in wrong_current.get_data(as_text=True)

    too_short = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": "short", "confirm": "short"},
    )
    assert too_short.status_code == 400
    assert "minstens 10 tekens" in too_short.get_data(as_text=True)

    mismatch = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "first phrase here",
            "confirm": "second phrase here",
        },
    )
    assert mismatch.status_code == 422
    assert "De wachtwoorden verschillen." in mismatch.get_data(as_text=True)
    # Nothing changed: the old password still works.
    client.post("/logout")
    assert sign_in(client, companion).status_code == 302


def test_password_change_ends_other_sessions(login, companion):
    tablet = login(companion)
    phone = login(companion)
    response = phone.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new phrase",
            "confirm": "a brand new phrase",
        },
    )
    assert response.status_code == 302
    assert phone.get("/").status_code == 200
    assert tablet.get("/").status_code == 302


def test_password_refusals_are_shown_on_their_field(client, companion):
    sign_in(client, companion)
    wrong_current = client.post(
        "/account/password",
        data={"current_password": "nope nope nope", "new_password": "x" * 12, "confirm": "x" * 12},
    )
    html = wrong_current.get_data(as_text=True)
    assert field_errors(html, "current_password") == ["Het huidige wachtwoord klopt niet."]
    assert field_errors(html, "new_password") == []
    # A refusal that names no field is about the new password.
    too_short = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": "short", "confirm": "short"},
    )
    html = too_short.get_data(as_text=True)
    assert field_errors(html, "new_password") == ["Het wachtwoord moet minstens 10 tekens hebben."]
    assert field_errors(html, "current_password") == []
