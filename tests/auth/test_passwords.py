"""Password hashing, temporary passwords and the forced change at first sign-in."""

from __future__ import annotations

import pytest

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


COMMON = "Dit wachtwoord staat in lijsten van veelgebruikte wachtwoorden."
ADVICE = "Gebruik een zin van een paar woorden die alleen jij zou bedenken."


def change_to(client, password):
    return client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": password,
            "confirm": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "Herhalingen zoals ‘aaa’ zijn makkelijk te raden."),
        ("1234567890", COMMON),
        ("password123", COMMON),
        ("qwertyuiop", COMMON),
        ("gezel-demo", "Een wachtwoord op basis van je naam of van Gezel is makkelijk te raden."),
        ("asdfghjkl;", "Rijen toetsen of cijfers zijn makkelijk te raden."),
        ("9876543210", "Rijen toetsen of cijfers zijn makkelijk te raden."),
        ("01-01-1990x", "Datums en jaartallen zijn makkelijk te raden."),
        ("pieter1985", "Dit wachtwoord is te makkelijk te raden."),
    ],
)
def test_guessable_passwords_are_refused_with_a_reason(client, companion, password, why):
    sign_in(client, companion)
    response = change_to(client, password)
    assert response.status_code == 400
    assert field_errors(response.get_data(as_text=True), "new_password") == [f"{why} {ADVICE}"]
    client.post("/logout")
    assert sign_in(client, companion, password).status_code == 401  # nothing changed


def test_a_password_made_of_the_users_own_name_is_refused(client, team):
    user = factories.make_user("companion", teams=[team], display_name="Marieke Vandenbroucke")
    sign_in(client, user)
    response = change_to(client, "Marieke Vandenbroucke!")
    assert response.status_code == 400
    assert "op basis van je naam" in response.get_data(as_text=True)


def test_a_sentence_of_a_few_words_is_accepted(client, companion):
    sign_in(client, companion)
    assert change_to(client, "fiets naar de markt op dinsdag").status_code == 302
    client.post("/logout")
    assert sign_in(client, companion, "fiets naar de markt op dinsdag").status_code == 302


def test_the_minimum_score_is_configurable(app, client, companion):
    app.config["PASSWORD_MIN_SCORE"] = 4
    try:
        sign_in(client, companion)
        assert change_to(client, "Jansen2024!").status_code == 400  # scores 3
    finally:
        app.config["PASSWORD_MIN_SCORE"] = 3
    assert change_to(client, "Jansen2024!").status_code == 302


def test_the_operator_cli_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=["users", "create", "nieuw", "--name", "Nieuw", "--password"],
        input="password123\npassword123\n",
    )
    assert result.exit_code != 0
    assert "veelgebruikte wachtwoorden" in result.output or "commonly used" in result.output
