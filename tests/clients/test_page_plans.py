"""On SQLite the client page finds a client's links (co-companions, the organisations present
at a contact, the contacts and referrals that served a goal) by key. An eager load through a
link table joins "(link JOIN target)" in parentheses, and SQLite computed that join for the
whole installation before joining it: with 74,000 organisations on contacts among 20,000
clients the page took 300 ms instead of 25."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.clients.models import Client, co_companion
from app.contacts.models import Contact, contact_organisation
from app.extensions import db
from app.organisations.models import Organisation
from app.plans.models import Goal, goal_contact, goal_referral
from app.referrals.models import Referral
from tests import factories
from tests.clients.test_page_cost import busy  # noqa: F401  (the fixture)
from tests.support.databases import BACKEND


def _plant_links(client_id: int) -> tuple[str, str]:
    """A co-companion, an organisation on every contact, and the client's goals linked to
    its contacts and referrals; returns the co-companion's and the organisation's names."""
    person = db.session.get(Client, client_id)
    helper = factories.make_user("companion", teams=[person.team], username="cohelper")
    helper.display_name = "Corneel Meeloper"
    organisation = db.session.scalar(sa.select(Organisation).order_by(Organisation.id))
    organisation.name = "Wijkpunt Zichtbaar"
    db.session.flush()
    db.session.execute(sa.insert(co_companion).values(client_id=client_id, user_id=helper.id))
    contacts = db.session.scalars(sa.select(Contact.id).where(Contact.client_id == client_id))
    contact_ids = list(contacts)
    db.session.execute(
        sa.insert(contact_organisation),
        [{"contact_id": cid, "organisation_id": organisation.id} for cid in contact_ids],
    )
    goal = Goal(
        client_id=client_id, domain="housing", description="Een woning vinden",
        actor="client", status_on=person.registered_on,
    )  # fmt: skip
    db.session.add(goal)
    db.session.flush()
    db.session.execute(
        sa.insert(goal_contact), [{"goal_id": goal.id, "contact_id": contact_ids[0]}]
    )
    referral_id = db.session.scalar(sa.select(Referral.id).order_by(Referral.id))
    db.session.execute(
        sa.insert(goal_referral), [{"goal_id": goal.id, "referral_id": referral_id}]
    )
    db.session.commit()
    return helper.display_name, organisation.name


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's plans")
def test_the_client_page_finds_the_clients_links_by_key_on_sqlite(busy):  # noqa: F811
    client_id, http = busy
    co_name, organisation_name = _plant_links(client_id)
    seen: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = http.get(f"/clients/{client_id}")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert co_name in page and organisation_name in page and "Een woning vinden" in page
    raw = db.session.connection().connection.driver_connection
    links = ("co_companion", "contact_organisation", "goal_contact", "goal_referral")
    for statement, parameters in seen:
        if not any(link in statement for link in links):
            continue
        plan = " | ".join(
            row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        )
        assert "MATERIALIZE (join" not in plan, plan
        assert not any(f"SCAN {link}" in plan for link in links), plan
        assert not any(f"SCAN {table}" in plan for table in ("organisation", "referral")), plan
