"""The funder's figures across partnerships (issue 22 item 2): the partnership report summed
over partnerships for an installation-level reporting role, suppressed per partnership before
summing, never client-level; and that role sees no client data anywhere.

Known data (threshold 5), registered today, beside side A's and side B's own client (gender
unknown, one each):

                 A (first)   B (Westland)   total
  women              6            5           11
  men                2 (<5)       7           7+   (A's 2 is not revealed through the total)
  unknown            1 (<5)       1 (<5)      0+
  registered         9           13           22
  trajectories       6            2 (<5)      6+
  ended              1 (<5)       5           5+   (A: lost contact; B: regular work)
"""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from flask import url_for
from openpyxl import load_workbook

from app.api.tokens import create_token
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.phases import change_phase
from app.clients.vocab import ExitOutcome, Phase
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.api.conftest import ApiClient
from tests.conftest import sign_in
from tests.partnerships.conftest import PLANTED

FUNDER_TEXT = "SECRET-FUNDER-TEXT"
A_NAME = "SECRETAFUNDERNAME"


@pytest.fixture
def funder(app):
    return factories.make_user(Role.FUNDER_REPORTER, username="financier")


@pytest.fixture
def figures(side_a, side_b):
    """The known data of the module docstring; returns every client made, for their codes."""
    made = [side_a.client, side_b.client]
    closed = {"DL": (ExitOutcome.LOST_CONTACT, 1), "WL": (ExitOutcome.REGULAR_WORK, 5)}
    for side, women, men, in_trajectory in ((side_a, 6, 2, 6), (side_b, 5, 7, 2)):
        people = [("female", number) for number in range(women)]
        people += [("male", number) for number in range(men)]
        for index, (gender, number) in enumerate(people):
            client = factories.make_client(
                side.team, side.companion, preferred_name=f"{A_NAME}{gender}{number}",
                gender=gender, by=side.lead,
            )  # fmt: skip
            if index < in_trajectory:
                for phase in (Phase.ENGAGEMENT, Phase.TRAJECTORY):
                    change_phase(client, phase, by=side.lead, on=today(), consent_valid=True)
            elif gender == "male" and number < closed[side.partnership.code_prefix][1]:
                change_phase(client, Phase.CLOSED, by=side.lead, on=today(), consent_valid=True,
                             exit_outcome=closed[side.partnership.code_prefix][0])  # fmt: skip
            made.append(client)
    factories.make_note(made[2], side_a.companion, "team", FUNDER_TEXT)
    db.session.commit()
    return made


def period() -> str:
    return f"start={today().replace(day=1).isoformat()}&end={today().isoformat()}"


def rows_of(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    reader = csv.reader(
        io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
    )
    rows = list(reader)
    return {"header": rows[0][1:]} | {row[0]: row[1:] for row in rows[1:]}


def assert_no_client_data(text: str, clients) -> None:
    for planted in (*PLANTED, FUNDER_TEXT, A_NAME, "Persoon A"):
        assert planted not in text, planted
    for client in clients:
        assert client.code not in text, client.code


def test_the_gender_table_per_partnership_and_summed(login, funder, figures, side_a, side_b):
    browser = login(funder)
    gender = rows_of(browser.get(f"/reports/partnerships.csv?table=entry_gender&{period()}"))
    a, b = side_a.partnership.name, side_b.partnership.name
    assert gender["header"] == [f"{a}: Deelnemers", f"{b}: Deelnemers", "Totaal: Deelnemers"]
    assert gender["Vrouw"] == ["6", "5", "11"]
    assert gender["Man"] == ["<5", "7", "7+"]  # A's 2 men: suppressed there, not in the total
    assert gender["X / ander"] == ["0", "0", "0"]
    assert gender["Onbekend"] == ["<5", "<5", "0+"]
    # A breakdown's total is the sum of the counts shown, too (no subtraction to a small cell).
    assert gender["Totaal"] == ["6+", "12+", "18+"]


def test_the_flow_table_per_partnership_and_summed(login, funder, figures):
    flow = rows_of(login(funder).get(f"/reports/partnerships.csv?table=flow&{period()}"))
    assert flow["Nieuwe deelnemers (aangemeld)"] == ["9", "13", "22"]
    assert flow["Trajecten gestart"] == ["6", "<5", "6+"]
    assert flow["Trajecten afgesloten"] == ["<5", "5", "5+"]


def test_exits_hide_the_average_of_a_suppressed_count(login, funder, figures):
    exits = rows_of(login(funder).get(f"/reports/partnerships.csv?table=exits&{period()}"))
    # B's 5 people closed on the day they registered: 0 days on average, shown and summed.
    assert exits["Regulier werk"] == ["0", "", "5", "0", "5", "0"]
    # A's one person: the count is suppressed and so is their number of days.
    assert exits["Contact verloren"] == ["<5", "", "0", "", "0+", ""]
    assert exits["Totaal"][::2] == ["0+", "5", "5+"]


def test_a_chosen_set_of_partnerships(login, funder, figures, side_b):
    browser = login(funder)
    url = (
        f"/reports/partnerships.csv?table=entry_gender&chosen=1&partnership={side_b.partnership.id}"
    )
    gender = rows_of(browser.get(f"{url}&{period()}"))
    assert gender["header"] == [f"{side_b.partnership.name}: Deelnemers", "Totaal: Deelnemers"]
    assert gender["Vrouw"] == ["5", "5"] and gender["Man"] == ["7", "7"]
    page = browser.get(f"/reports/partnerships?chosen=1&partnership={side_b.partnership.id}")
    assert page.status_code == 200
    assert f"{side_b.partnership.name}: Deelnemers" in page.get_data(as_text=True)


def test_page_and_exports_hold_no_client_data(login, funder, figures):
    browser = login(funder)
    page = browser.get(f"/reports/partnerships?{period()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Cijfers over samenwerkingsverbanden" in text and "Westland" in text
    assert "&lt;5" in text  # suppressed on the page too
    assert_no_client_data(text, figures)
    for key in ("flow", "entry_gender", "entry_age", "entry_municipality", "entry_challenge",
                "exits", "activation"):  # fmt: skip
        csv_text = browser.get(f"/reports/partnerships.csv?table={key}&{period()}")
        assert csv_text.status_code == 200, key
        assert_no_client_data(csv_text.get_data(as_text=True), figures)
    book = load_workbook(io.BytesIO(browser.get(f"/reports/partnerships.xlsx?{period()}").data))
    values = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "<5" in values and "7+" in values
    assert_no_client_data("\n".join(values), figures)


def test_small_counts_are_suppressed_on_the_page_with_the_threshold(app, login, funder, figures):
    app.config["REPORT_SUPPRESS_BELOW"] = 2
    try:
        gender = rows_of(
            login(funder).get(f"/reports/partnerships.csv?table=entry_gender&{period()}")
        )
    finally:
        app.config["REPORT_SUPPRESS_BELOW"] = 5
    assert gender["Man"] == ["2", "7", "9"]
    assert gender["Onbekend"] == ["<2", "<2", "0+"]


@pytest.mark.parametrize(
    "query",
    ["chosen=1", "chosen=1&partnership=", "chosen=1&partnership=999999", "partnership=abc",
     "partnership=-1"],
)  # fmt: skip
def test_an_empty_or_unknown_choice_is_refused(login, funder, side_a, side_b, query):
    browser = login(funder)
    page = browser.get(f"/reports/partnerships?{query}")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert (
        "Kies minstens één samenwerkingsverband." in text
        or "Onbekend samenwerkingsverband." in text
    )
    export = browser.get(f"/reports/partnerships.xlsx?{query}")
    assert export.status_code == 422


@pytest.mark.parametrize("who", ["companion", "lead", "admin", "officer"])
def test_no_one_of_a_partnership_reaches_the_figures_across_partnerships(
    login, side_a, side_b, who
):
    browser = login(getattr(side_a, who))
    for url in ("/reports/partnerships", "/reports/partnerships.xlsx",
                "/reports/partnerships.csv?table=flow"):  # fmt: skip
        assert browser.get(url).status_code == 404, url


def test_nor_does_the_installation_administrator(login, side_a):
    browser = login(factories.make_user(Role.INSTALLATION_ADMIN, username="installatie"))
    assert browser.get("/reports/partnerships").status_code == 404


def test_the_funder_sees_no_client_data_anywhere(app, login, funder, figures, side_a, side_b):
    browser = login(funder)
    for side in (side_a, side_b):
        client_id = side.client.id
        for url in (f"/clients/{client_id}", f"/clients/{client_id}/edit",
                    f"/clients/{client_id}/timeline", f"/privacy/files/{client_id}"):  # fmt: skip
            assert browser.get(url).status_code == 404, url
    for url in ("/dashboard", "/dashboard/team", "/dashboard/mine", "/reports/partnership",
                "/reports/partnership.xlsx", "/exports/clients.csv", "/admin/users",
                "/admin/partnerships", "/admin/funder-accounts", "/privacy/audit"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    for url in ("/", "/clients", "/clients/search?q=secret", f"/clients/search?q={figures[0].code.lower()}",
                "/reminders", "/organisations/?q=secret"):  # fmt: skip
        response = browser.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        assert_no_client_data(response.get_data(as_text=True), figures)
    home = browser.get("/").get_data(as_text=True)
    assert "/reports/partnerships" in home  # its navigation entry
    _token, plain = create_token(funder, "tests")
    db.session.commit()
    api = ApiClient(app.test_client(), plain)
    for side in (side_a, side_b):
        assert api.get(f"/api/v1/clients/{side.client.id}").status_code == 404
    listed = api.get("/api/v1/clients")
    assert listed.status_code in (200, 403, 404)
    assert_no_client_data(listed.get_data(as_text=True), figures)


def test_the_installation_administrator_creates_a_funder_account(login, side_a):
    browser = login(factories.make_user(Role.INSTALLATION_ADMIN, username="installatie"))
    assert browser.get("/admin/funder-accounts/new").status_code == 200
    data = {"username": "fonds", "display_name": "Het Fonds", "email": "fonds@example.org"}
    response = browser.post("/admin/funder-accounts/new", data=data)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "fonds"))
    assert (user.role, user.partnership_id, user.is_admin) == (Role.FUNDER_REPORTER, None, False)
    assert user.active and user.setup_token_hash is not None  # a set-up link was issued
    assert "Het Fonds" in browser.get("/admin/funder-accounts").get_data(as_text=True)
    again = browser.post("/admin/funder-accounts/new", data=data)
    assert again.status_code == 409  # the username is taken: a message, not a 500
    # A partnership's administrator cannot make one, nor reach the page.
    admin = login(side_a.admin)
    assert admin.get("/admin/funder-accounts").status_code == 404
    assert admin.post("/admin/users/new", data={
        "username": "fonds2", "display_name": "F", "email": "f@example.org", "role": "funder",
    }).status_code == 422  # fmt: skip
    assert db.session.scalar(sa.select(User).where(User.username == "fonds2")) is None


def test_a_funder_account_from_the_command_line(runner, side_a, side_b):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "fonds",
            "--name",
            "Het Fonds",
            "--role",
            "funder",
            "--email",
            "f@x.org",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "fonds"))
    assert (user.role, user.partnership_id) == (Role.FUNDER_REPORTER, None)
    refused = runner.invoke(
        args=["users", "create", "fonds2", "--name", "F", "--role", "funder", "--partnership", "WL"]
    )
    assert refused.exit_code != 0 and "no partnership" in refused.output


def test_every_page_without_parameters_shows_the_funder_no_client_data(app, login, funder,
                                                                       figures):  # fmt: skip
    browser = login(funder)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        response = browser.get(rule.rule)
        assert response.status_code < 500, rule.rule
        if response.status_code == 200:
            assert_no_client_data(response.get_data(as_text=True), figures)


def test_every_page_of_a_client_is_a_404_for_the_funder(app, login, funder, figures):
    browser = login(funder)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments != {"client_id"}:
            continue
        for client in figures[:2]:
            with app.test_request_context():
                url = url_for(rule.endpoint, client_id=client.id)
            response = browser.get(url)
            assert response.status_code in (401, 404), url
            checked += 1
    assert checked > 20


def test_a_funder_account_signs_in_with_a_second_factor_when_enforced(app, monkeypatch, funder):
    monkeypatch.setitem(app.config, "TWO_FACTOR_ENFORCED", True)
    response = sign_in(app.test_client(), funder)
    assert response.status_code == 302 and response.location == "/account/two-factor/setup"
