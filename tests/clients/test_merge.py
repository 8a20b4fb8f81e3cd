"""Merging duplicates: everything linked moves to the survivor; the merge is audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.merge import client_foreign_keys, merge_clients
from app.clients.models import Client
from app.clients.services import add_context_member
from app.clients.vocab import Relationship
from app.errors import DomainError
from app.extensions import db
from tests import factories
from tests.support.forms import field_errors


@pytest.fixture
def pair(app, team, companion, lead, buddy):
    survivor = factories.make_client(team, companion, preferred_name="Cindy")
    duplicate = factories.make_client(
        team, companion, preferred_name="Cindy V.", challenges=["mental_health_addiction"]
    )
    factories.make_consent(duplicate)
    add_context_member(
        duplicate, name="Mila", relationship_kind=Relationship.CHILD, birth_year=2018, note=None,
        by=companion,
    )  # fmt: skip
    factories.match(duplicate, buddy)
    duplicate.co_companions = [companion]
    survivor.co_companions = [companion]  # shared: must not be duplicated
    db.session.flush()
    return survivor, duplicate


def linked_rows(client_id: int) -> dict[str, int]:
    counts = {}
    for table, column in client_foreign_keys():
        n = db.session.scalar(
            sa.select(sa.func.count()).select_from(table).where(column == client_id)
        )
        if n:
            counts[table.name] = counts.get(table.name, 0) + n
    return counts


def test_merge_moves_every_linked_record(pair, lead):
    survivor, duplicate = pair
    before = linked_rows(duplicate.id)
    assert set(before) >= {"consent", "context_member", "buddy_match", "phase_change",
                           "client_challenge", "co_companion"}  # fmt: skip
    moved = merge_clients(survivor, duplicate, by=lead)
    assert linked_rows(duplicate.id) == {}
    after = linked_rows(survivor.id)
    assert after["context_member"] == 1 and after["consent"] == 1
    assert after["phase_change"] == 2 and after["co_companion"] == 1
    assert moved["phase_change"] == 1
    assert duplicate.merged_into_id == survivor.id
    assert [c.value for c in survivor.challenges] == ["mental_health_addiction"]
    events = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like("client.merged%"))
    ).all()
    assert sorted(events) == ["client.merged", "client.merged_away"]


def test_merge_with_itself_is_refused(pair, lead):
    survivor, _ = pair
    with pytest.raises(DomainError):
        merge_clients(survivor, survivor, by=lead)


def test_only_leads_merge(pair, companion):
    survivor, duplicate = pair
    with pytest.raises(DomainError) as refused:
        merge_clients(survivor, duplicate, by=companion)
    assert refused.value.status == 404
    assert duplicate.merged_into_id is None


def test_merge_through_the_page(pair, as_lead):
    survivor, duplicate = pair
    db.session.commit()
    response = as_lead.post(
        f"/clients/{survivor.id}/merge", data={"other_code": duplicate.code.lower(), "confirm": "y"}
    )
    assert response.status_code == 302
    assert duplicate.merged_into_id == survivor.id
    assert as_lead.get(f"/clients/{duplicate.id}").status_code == 404
    assert "Mila" in as_lead.get(f"/clients/{survivor.id}").get_data(as_text=True)


def test_merge_page_refuses_bad_input(pair, as_lead, other_team):
    survivor, duplicate = pair
    stranger = factories.make_client(other_team)
    db.session.commit()
    url = f"/clients/{survivor.id}/merge"
    cases = [
        ({"other_code": survivor.code, "confirm": "y"}, 400, "niet met zichzelf"),
        ({"other_code": stranger.code, "confirm": "y"}, 404, "Geen dossier met die code"),
        ({"other_code": "DL-1999-9999", "confirm": "y"}, 404, "Geen dossier met die code"),
        ({"other_code": duplicate.code}, 422, "Vink dit vakje aan"),
    ]
    for data, status, message in cases:
        response = as_lead.post(url, data=data)
        assert response.status_code == status, data
        assert message in response.get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(Client.merged_into_id).where(Client.id == duplicate.id)) is None
    )


def test_merge_refusals_are_shown_on_the_code_field(pair, as_lead):
    survivor, _duplicate = pair
    url = f"/clients/{survivor.id}/merge"
    itself = as_lead.post(url, data={"other_code": survivor.code, "confirm": "y"})
    assert field_errors(itself.get_data(as_text=True), "other_code") == [
        "Een dossier kan niet met zichzelf samengevoegd worden."
    ]
    unknown = as_lead.post(url, data={"other_code": "DL-1999-9999", "confirm": "y"})
    assert field_errors(unknown.get_data(as_text=True), "other_code") == [
        "Geen dossier met die code in je teams."
    ]
