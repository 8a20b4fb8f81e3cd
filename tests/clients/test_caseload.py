"""Caseloads: my caseload, the team list, reassignment, transfers, buddy matches, context."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.models import BuddyMatch, Client, ContextMember
from app.clients.vocab import Phase
from app.extensions import db
from app.timeutil import today
from tests import factories


def test_my_caseload_shows_assigned_clients_only(as_companion, companion, team):
    mine = factories.make_client(team, companion, preferred_name="Mine")
    shared = factories.make_client(team, None, preferred_name="Shared")
    shared.co_companions = [companion]
    factories.make_client(team, None, preferred_name="Colleague's")
    db.session.commit()
    html = as_companion.get("/caseload").get_data(as_text=True)
    assert mine.code in html and shared.code in html and "Colleague" not in html


@pytest.mark.parametrize("sort", ["phase", "name", "since"])
def test_caseload_sorts(as_companion, companion, team, sort):
    factories.make_client(team, companion, preferred_name="Bert")
    factories.make_client(team, companion, preferred_name="Anna")
    db.session.commit()
    assert as_companion.get(f"/caseload?sort={sort}").status_code == 200


def test_caseload_rejects_unknown_sort(as_companion):
    assert as_companion.get("/caseload?sort=drop table").status_code == 400


def test_caseload_is_for_companions(as_lead, as_buddy):
    assert as_lead.get("/caseload").status_code == 404
    assert as_buddy.get("/caseload").status_code == 404


def test_team_list_filters_and_pagination(as_lead, team, companion):
    for number in range(55):
        factories.make_client(
            team, companion, preferred_name=f"P{number:02d}",
            municipality="tremelo" if number % 5 == 0 else "haacht",
            challenges=["housing_newcomers"] if number % 2 == 0 else None,
        )  # fmt: skip
    db.session.commit()
    first = as_lead.get("/clients").get_data(as_text=True)
    assert "55 mensen" in first and "P00" in first and "P54" not in first
    assert "P54" in as_lead.get("/clients?page=2").get_data(as_text=True)
    tremelo = as_lead.get("/clients?municipality=tremelo").get_data(as_text=True)
    assert "11 mensen" in tremelo
    both = as_lead.get("/clients?municipality=tremelo&challenge=housing_newcomers")
    assert "6 mensen" in both.get_data(as_text=True)
    assert "0 mensen" in as_lead.get("/clients?phase=closed").get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["phase=nope", "municipality=gent", "challenge=x", "companion=abc", "sort=evil"]
)
def test_team_list_rejects_unknown_filters(as_lead, query):
    assert as_lead.get(f"/clients?{query}").status_code == 400


def test_lead_reassigns_many_at_once(as_lead, team, companion):
    colleague = factories.make_user("companion", teams=[team])
    clients = [factories.make_client(team, companion) for _ in range(3)]
    db.session.commit()
    response = as_lead.post(
        "/clients/reassign",
        data={"companion": str(colleague.id), "client_ids": [str(c.id) for c in clients[:2]]},
    )
    assert response.status_code == 302
    assert [c.primary_companion_id for c in clients] == [colleague.id, colleague.id, companion.id]
    assert (
        len(
            db.session.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == "client.reassigned")
            ).all()
        )
        == 2
    )


def test_reassign_refuses_other_teams_and_companions(as_lead, team, other_team, companion):
    stranger = factories.make_client(other_team)
    outsider = factories.make_user("companion", teams=[other_team])
    ours = factories.make_client(team, companion)
    db.session.commit()
    forged = as_lead.post(
        "/clients/reassign", data={"companion": str(companion.id), "client_ids": [str(stranger.id)]}
    )
    assert forged.status_code == 404
    wrong_companion = as_lead.post(
        "/clients/reassign", data={"companion": str(outsider.id), "client_ids": [str(ours.id)]}
    )
    assert wrong_companion.status_code == 422
    nothing = as_lead.post("/clients/reassign", data={"companion": str(companion.id)})
    assert nothing.status_code == 422
    assert ours.primary_companion_id == companion.id and stranger.team_id == other_team.id


def test_companions_cannot_reassign(as_companion, team, companion):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = as_companion.post(
        "/clients/reassign", data={"companion": str(companion.id), "client_ids": [str(client.id)]}
    )
    assert response.status_code == 404


def test_lead_transfers_to_another_team(as_lead, lead, team, other_team, companion, buddy):
    target_companion = factories.make_user("companion", teams=[other_team])
    client = factories.make_client(team, companion)
    factories.match(client, buddy)
    db.session.commit()
    response = as_lead.post(
        f"/clients/{client.id}/transfer",
        data={"team": str(other_team.id), "companion": str(target_companion.id)},
    )
    assert response.status_code == 302
    assert client.team_id == other_team.id and client.primary_companion_id == target_companion.id
    assert all(m.ended_on is not None for m in client.buddy_matches)
    # The lead does not lead the other team: the client is out of their scope now.
    assert as_lead.get(f"/clients/{client.id}").status_code == 404


def test_companion_cannot_transfer(as_companion, team, other_team, companion):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = as_companion.post(
        f"/clients/{client.id}/transfer", data={"team": str(other_team.id)}
    )
    assert response.status_code == 404
    assert client.team_id == team.id


def test_buddy_match_gives_practical_access(login, as_companion, team, companion, buddy):
    client = factories.make_client(team, companion, preferred_name="Nora")
    db.session.commit()
    as_buddy = login(buddy)
    assert as_buddy.get(f"/clients/{client.id}").status_code == 404
    response = as_companion.post(
        f"/clients/{client.id}/buddy",
        data={
            "buddy": str(buddy.id),
            "started_on": (today() - timedelta(days=10)).isoformat(),
            "note": "wandelen",
        },
    )
    assert response.status_code == 302
    assert as_buddy.get(f"/clients/{client.id}").status_code == 200
    assert "Nora" in as_buddy.get("/clients/search?q=nora").get_data(as_text=True)
    match = db.session.scalar(sa.select(BuddyMatch))
    end = as_companion.post(
        f"/clients/{client.id}/buddy/{match.id}/end",
        data={"ended_on": (today() - timedelta(days=1)).isoformat()},
    )
    assert end.status_code == 302
    assert as_buddy.get(f"/clients/{client.id}").status_code == 404


def test_buddy_of_another_team_cannot_be_matched(as_companion, team, other_team, companion):
    outsider = factories.make_user("buddy", teams=[other_team])
    client = factories.make_client(team, companion)
    db.session.commit()
    response = as_companion.post(
        f"/clients/{client.id}/buddy",
        data={"buddy": str(outsider.id), "started_on": today().isoformat()},
    )
    assert response.status_code == 422
    assert client.buddy_matches == []


def test_context_members(as_companion, team, companion):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = as_companion.post(
        f"/clients/{client.id}/context/new",
        data={
            "name": "Mila",
            "relationship_kind": "child",
            "birth_year": "2019",
            "note": "school in Haacht",
        },
    )
    assert response.status_code == 302
    member = db.session.scalar(sa.select(ContextMember))
    page = as_companion.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Mila" in page and "Kind" in page and "2019" in page
    bad = as_companion.post(
        f"/clients/{client.id}/context/{member.id}",
        data={"name": "Mila", "relationship_kind": "child", "birth_year": "3000"},
    )
    assert bad.status_code == 400 and member.birth_year == 2019
    removed = as_companion.post(f"/clients/{client.id}/context/{member.id}/delete")
    assert removed.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ContextMember.id))) == 0


def test_companions_assignment(as_companion, team, companion):
    colleague = factories.make_user("companion", teams=[team])
    client = factories.make_client(team, companion)
    db.session.commit()
    response = as_companion.post(
        f"/clients/{client.id}/companions",
        data={"primary": str(companion.id), "co_companions": [str(colleague.id)]},
    )
    assert response.status_code == 302
    assert [u.id for u in client.companions] == [companion.id, colleague.id]


def test_closed_clients_hidden_by_default(as_lead, team, companion):
    client = factories.make_client(team, companion, preferred_name="Gone")
    client.phase = Phase.CLOSED
    db.session.commit()
    assert "Gone" not in as_lead.get("/clients").get_data(as_text=True)
    assert "Gone" in as_lead.get("/clients?closed=1").get_data(as_text=True)
    assert db.session.get(Client, client.id) is not None
