"""Who viewed this file (issue 16, item 1): reads through the web, the API and exports,
shown to the client's companions and the team's leads, and nobody else."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent, audit_event_client
from app.extensions import db
from tests import factories
from tests.api.conftest import api_as  # noqa: F401


def _rows(html: str) -> str:
    return html.split('data-testid="events"', 1)[1] if 'data-testid="events"' in html else ""


def test_reads_through_the_web_the_api_and_an_export_are_shown(
    app,
    team,
    companion,
    lead,
    login,
    api_as,  # noqa: F811
):
    person = factories.make_client(team, companion, preferred_name="Jamila")
    reader = factories.make_user("companion", teams=[team], username="lezer")
    db.session.commit()

    assert login(reader).get(f"/clients/{person.id}").status_code == 200
    api_reader = factories.make_user("companion", teams=[team], username="apilezer")
    assert api_as(api_reader).get(f"/api/v1/clients/{person.id}/contacts").status_code == 200
    assert api_as(api_reader).get("/api/v1/clients").status_code == 200
    exporter = factories.make_user("lead", teams=[team], username="exporteur")
    export = login(exporter).get("/exports/clients.csv")
    assert export.status_code == 200 and person.code in export.get_data(as_text=True)

    page = login(companion).get(f"/clients/{person.id}/accesses")
    assert page.status_code == 200
    rows = _rows(page.get_data(as_text=True))
    assert "lezer" in rows and "client.viewed" in rows
    assert "apilezer" in rows and "api.request" in rows
    assert "exporteur" in rows and "export.downloaded" in rows
    assert "127.0.0.1" in rows  # from which address

    # The export is linked to the client in one row per client, not copied per client.
    linked = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(audit_event_client)
        .join(AuditEvent, AuditEvent.id == audit_event_client.c.event_id)
        .where(
            audit_event_client.c.client_id == person.id, AuditEvent.action == "export.downloaded"
        )
    )
    assert linked == 1

    # The lead of the team sees it too; viewing the list is itself audited.
    assert login(lead).get(f"/clients/{person.id}/accesses").status_code == 200
    viewed = db.session.scalars(
        sa.select(AuditEvent.actor).where(
            AuditEvent.action == "client.accesses_viewed", AuditEvent.client_id == person.id
        )
    ).all()
    assert sorted(viewed) == sorted([companion.username, lead.username])


def test_the_link_shows_on_the_client_page_for_companions_and_leads_only(
    app, team, companion, lead, login
):
    person = factories.make_client(team, companion)
    colleague = factories.make_user("companion", teams=[team])
    db.session.commit()
    url = f"/clients/{person.id}/accesses"
    assert url in login(companion).get(f"/clients/{person.id}").get_data(as_text=True)
    assert url in login(lead).get(f"/clients/{person.id}").get_data(as_text=True)
    assert url not in login(colleague).get(f"/clients/{person.id}").get_data(as_text=True)


def test_nobody_else_sees_who_viewed(app, team, other_team, companion, buddy, login):
    person = factories.make_client(team, companion)
    factories.match(person, buddy)
    colleague = factories.make_user("companion", teams=[team])  # not assigned
    other_lead = factories.make_user("lead", teams=[other_team])
    officer = factories.make_user("privacy_officer")
    admin = factories.make_user("admin")
    db.session.commit()
    for user in (colleague, other_lead, buddy, officer, admin):
        assert login(user).get(f"/clients/{person.id}/accesses").status_code == 404, user
