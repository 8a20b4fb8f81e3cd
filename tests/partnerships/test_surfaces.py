"""More surfaces across two partnerships: the API (an A token against B's ids), the social
map's CSV import and export, and the command line's social map."""

from __future__ import annotations

import io

import sqlalchemy as sa

from app import mail
from app.api.tokens import create_token
from app.extensions import db
from app.organisations.models import Organisation
from tests.api.conftest import ApiClient
from tests.partnerships.conftest import ORGANISATION, leaks, organisation_b


def api_client(app, user) -> ApiClient:
    _token, plain = create_token(user, "tests")
    db.session.commit()
    return ApiClient(app.test_client(), plain)


def test_an_api_token_of_a_does_not_reach_bs_ids(app, side_a, side_b):
    api = api_client(app, side_a.companion)
    assert api.get(f"/api/v1/clients/{side_b.client.id}").status_code == 404
    assert api.get(f"/api/v1/organisations/{organisation_b().id}").status_code == 404
    listed = api.get("/api/v1/clients")
    assert listed.status_code == 200 and leaks(listed.get_data(as_text=True)) == []
    found = api.get("/api/v1/organisations?q=secret")
    assert found.status_code == 200 and leaks(found.get_data(as_text=True)) == []
    # B's own companion reaches both.
    own = api_client(app, side_b.companion)
    assert own.get(f"/api/v1/clients/{side_b.client.id}").status_code == 200
    assert own.get(f"/api/v1/organisations/{organisation_b().id}").status_code == 200


def test_a_csv_import_does_not_touch_another_partnerships_organisation(login, side_a, side_b):
    """A's file names an organisation that exists only on B's map: A gets its own, B's is
    untouched, and nothing on A's page says that B has one (names are per partnership)."""
    browser = login(side_a.admin)
    csv = f"name,type,domains,municipalities\n{ORGANISATION},employer,work,Herent\n".encode()
    response = browser.post(
        "/organisations/import",
        data={"file": (io.BytesIO(csv), "kaart.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1 toegevoegd" in page
    assert "bestaat al" not in page
    rows = db.session.scalars(sa.select(Organisation).where(Organisation.name == ORGANISATION))
    by_partnership = {org.partnership_id: org for org in rows}
    assert set(by_partnership) == {side_a.partnership.id, side_b.partnership.id}
    theirs = by_partnership[side_b.partnership.id]
    assert theirs.type.value == "other" and theirs.covers_whole_region  # as B made it
    ours = by_partnership[side_a.partnership.id]
    assert ours.type.value == "employer" and not ours.covers_whole_region


def test_socialmap_seed_names_the_partnership_when_there_are_several(runner, side_a, side_b):
    result = runner.invoke(args=["socialmap", "seed"])
    assert result.exit_code != 0 and "--partnership" in result.output
    result = runner.invoke(args=["socialmap", "seed", "--partnership", "XX"])
    assert result.exit_code != 0 and "XX" in result.output


def test_the_outbox_shows_only_the_own_partnerships_messages(app, login, side_a, side_b):
    message = mail.queue(
        "desk@westland.example", "digest", kind="digest", user=side_b.companion, overdue=1,
        today=0, urgent=0, codes=["WL-1"], partnership_id=side_b.partnership.id,
    )  # fmt: skip
    db.session.commit()
    page = login(side_a.admin).get("/admin/outbox").get_data(as_text=True)
    assert "desk@westland.example" not in page
    assert login(side_a.admin).get(f"/admin/outbox/{message.id}.eml").status_code == 404
    assert "desk@westland.example" in login(side_b.admin).get("/admin/outbox").get_data(
        as_text=True
    )
