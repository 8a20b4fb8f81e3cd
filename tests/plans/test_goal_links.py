"""A goal's links to the contacts and referrals that served it: only the client's own (live)
records, picked from the recent ones, shown on the plan and the client page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.contacts.services import remove_contact
from app.errors import DomainError
from app.extensions import db
from app.plans import services
from app.plans.links import RECENT
from app.plans.models import Goal, goal_contact, goal_referral
from app.reference import Domain
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.organisations.conftest import make_organisation
from tests.referrals.conftest import refer
from tests.support.forms import form_values


@pytest.fixture
def person(app, team, companion):
    return factories.make_client(
        team, companion, preferred_name="Jeroen", registered_on=today() - timedelta(days=90)
    )


@pytest.fixture
def stranger(app, team, companion):
    """Another client of the same team: same companion, same access, different person."""
    return factories.make_client(team, companion, preferred_name="Roy")


@pytest.fixture
def cycling_school(app):
    return make_organisation(
        "Fietsschool Haacht", type="cycling_school", domains=[Domain.MOBILITY],
        covers_whole_region=True, municipalities=(),
    )  # fmt: skip


def add(client, by, contacts=(), referrals=(), text="Fietsles volgen"):
    return services.add_goal(
        client, domain="mobility", description=text, actor="client", contacts=contacts,
        referrals=referrals, by=by,
    )  # fmt: skip


def referral(client, organisation, by, days_ago=0):
    return refer(
        client, organisation, by=by, domain=Domain.MOBILITY,
        referred_on=today() - timedelta(days=days_ago), question="Fietslessen voor volwassenen",
    )  # fmt: skip


def form(**overrides):
    data = {"domain": "mobility", "description": "Fietsles volgen", "actor": "client"}
    return {**data, **overrides}


def links_stored() -> int:
    return sum(
        db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in (goal_contact, goal_referral)
    )


def test_a_goal_links_contacts_of_its_own_client(person, companion):
    visit = factories.make_contact(person, companion, kind="home_visit", days_ago=3)
    call = factories.make_contact(person, companion, kind="call", days_ago=1)
    goal = add(person, companion, contacts=[visit.id, call.id])
    db.session.expire(goal)
    assert [c.id for c in goal.contacts] == [call.id, visit.id]  # newest first
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "goal.created"))
    assert event.details["contacts"] == sorted([visit.id, call.id])


def test_a_contact_of_another_client_is_refused(person, stranger, companion):
    theirs = factories.make_contact(stranger, companion)
    ours = factories.make_contact(person, companion)
    with pytest.raises(DomainError) as refused:
        add(person, companion, contacts=[ours.id, theirs.id])
    assert refused.value.status == 422 and refused.value.field == "contacts"
    assert count(Goal) == 0 and links_stored() == 0
    goal = add(person, companion, contacts=[ours.id])
    with pytest.raises(DomainError):
        services.update_goal(
            goal, domain="mobility", description="Fietsles volgen", actor="client",
            contacts=[theirs.id], by=companion,
        )  # fmt: skip
    assert [c.id for c in goal.contacts] == [ours.id]


@pytest.mark.parametrize("bad", [0, -1, 2**31, 10**30, True, "3", None])
def test_ids_that_are_no_contact_are_refused(person, companion, bad):
    with pytest.raises(DomainError) as refused:
        add(person, companion, contacts=[bad])
    assert refused.value.field == "contacts" and count(Goal) == 0


def test_changing_the_links_is_audited_and_keeps_removed_contacts_linked(person, companion):
    first = factories.make_contact(person, companion, days_ago=5)
    second = factories.make_contact(person, companion, days_ago=4)
    third = factories.make_contact(person, companion, days_ago=2)
    goal = add(person, companion, contacts=[first.id, second.id])
    remove_contact(second, by=companion, reason="Dubbel ingevoerd")
    db.session.flush()
    assert [c.id for c in goal.live_contacts] == [first.id]
    with pytest.raises(DomainError):  # a removed contact cannot be linked again
        add(person, companion, contacts=[second.id])
    changed = services.update_goal(
        goal, domain="mobility", description="Fietsles volgen", actor="client",
        contacts=[third.id], by=companion,
    )  # fmt: skip
    assert changed == ["contacts"]
    assert {c.id for c in goal.contacts} == {second.id, third.id}  # the removed one stays
    assert [c.id for c in goal.live_contacts] == [third.id]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "goal.updated"))
    assert event.details == {"fields": ["contacts"]}
    unchanged = services.update_goal(
        goal, domain="mobility", description="Fietsles volgen", actor="client",
        contacts=[third.id], by=companion,
    )  # fmt: skip
    assert unchanged == []
    kept = services.update_goal(  # None leaves the links alone
        goal, domain="mobility", description="Fietsles in Haacht", actor="client", by=companion
    )
    assert kept == ["description"] and [c.id for c in goal.live_contacts] == [third.id]


def test_the_form_offers_recent_contacts_and_what_the_goal_links(person, companion, login):
    old = factories.make_contact(person, companion, kind="office", days_ago=80)
    recent = [
        factories.make_contact(person, companion, kind="call", days_ago=days, place=f"Plek {days}")
        for days in range(1, RECENT + 2)
    ]
    goal = add(person, companion, contacts=[old.id])
    db.session.commit()
    browser = login(companion)
    html = browser.get(f"/clients/{person.id}/plan/goals/new").get_data(as_text=True)
    offered = {c.id for c in recent if f'value="{c.id}"' in html}
    assert offered == {c.id for c in recent[:RECENT]}  # the oldest one drops off
    assert f'value="{old.id}"' not in html
    assert "Plek 1" in html and "Telefoon of videogesprek" in html  # kind and place
    html = browser.get(f"/clients/{person.id}/plan/goals/{goal.id}/edit").get_data(as_text=True)
    assert form_values(html)["contacts"] == str(old.id)  # ticked, and on offer however old
    assert all(f'value="{c.id}"' in html for c in recent[:RECENT])


def test_linking_through_the_pages_shows_on_the_plan_and_the_client_page(person, companion, login):
    visit = factories.make_contact(person, companion, kind="home_visit", days_ago=2)
    call = factories.make_contact(person, companion, kind="call", days_ago=1)
    db.session.commit()
    browser = login(companion)
    response = browser.post(
        f"/clients/{person.id}/plan/goals/new", data=form(contacts=[str(visit.id), str(call.id)])
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    goal = db.session.scalar(sa.select(Goal))
    assert {c.id for c in goal.contacts} == {visit.id, call.id}
    plan = browser.get(f"/clients/{person.id}/plan").get_data(as_text=True)
    assert f"/clients/{person.id}/contacts/{visit.id}" in plan and "Huisbezoek" in plan
    assert f'data-contact="{call.id}"' in plan
    page = browser.get(f"/clients/{person.id}").get_data(as_text=True)
    assert 'data-linked-contacts="2"' in page and "2 contacten" in page
    response = browser.post(
        f"/clients/{person.id}/plan/goals/{goal.id}/edit", data=form(contacts=[str(call.id)])
    )
    assert response.status_code == 302
    assert [c.id for c in goal.contacts] == [call.id]
    browser.post(f"/clients/{person.id}/plan/goals/{goal.id}/edit", data=form())
    assert goal.contacts == []  # nothing ticked: no links


@pytest.mark.parametrize("value", ["other", "abc", "99999999999999999999", "-3", "0"])
def test_a_forged_contact_in_the_form_is_a_422_and_nothing_is_stored(
    person, stranger, companion, login, value
):
    theirs = factories.make_contact(stranger, companion)
    db.session.commit()
    contact = str(theirs.id) if value == "other" else value
    response = login(companion).post(
        f"/clients/{person.id}/plan/goals/new", data=form(contacts=[contact])
    )
    assert response.status_code == 422
    assert "Fietsles volgen" in response.get_data(as_text=True)  # what was typed stays
    assert count(Goal) == 0 and links_stored() == 0


def test_the_plan_page_loads_links_in_a_fixed_number_of_queries(
    person, companion, login, cycling_school
):
    def queries_for_plan() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        browser = login(companion)
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert browser.get(f"/clients/{person.id}/plan").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    def add_linked_goal():
        contact = factories.make_contact(person, companion)
        partner = make_organisation(f"Partner {contact.id}", domains=[Domain.MOBILITY])
        add(person, companion, [contact.id], [referral(person, partner, companion).id])

    add_linked_goal()
    db.session.commit()
    one_goal = queries_for_plan()
    for _ in range(4):
        add_linked_goal()
    db.session.commit()
    assert queries_for_plan() == one_goal


def test_without_contacts_the_form_leaves_the_field_out(person, companion, login):
    db.session.commit()
    html = login(companion).get(f"/clients/{person.id}/plan/goals/new").get_data(as_text=True)
    assert 'data-field="contacts"' not in html and 'data-field="referrals"' not in html
    assert 'data-field="description"' in html


def test_a_goal_links_referrals_of_its_own_client_only(person, stranger, companion, cycling_school):
    ours = referral(person, cycling_school, companion, days_ago=2)
    later = referral(person, cycling_school, companion)
    theirs = referral(stranger, cycling_school, companion)
    with pytest.raises(DomainError) as refused:
        add(person, companion, referrals=[ours.id, theirs.id])
    assert refused.value.status == 422 and refused.value.field == "referrals"
    assert count(Goal) == 0 and links_stored() == 0
    goal = add(person, companion, referrals=[ours.id])
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "goal.created"))
    assert event.details["referrals"] == [ours.id] and "contacts" not in event.details
    changed = services.update_goal(
        goal, domain="mobility", description="Fietsles volgen", actor="client",
        referrals=[ours.id, later.id], by=companion,
    )  # fmt: skip
    assert changed == ["referrals"]
    db.session.expire(goal)
    assert [r.id for r in goal.referrals] == [later.id, ours.id]  # newest first
    with pytest.raises(DomainError):
        services.update_goal(
            goal, domain="mobility", description="Fietsles volgen", actor="client",
            referrals=[theirs.id], by=companion,
        )  # fmt: skip
    assert services.update_goal(  # None leaves the referrals alone
        goal, domain="mobility", description="Fietsles volgen", actor="client",
        contacts=[], by=companion,
    ) == []  # fmt: skip
    assert len(goal.referrals) == 2


def test_referrals_through_the_pages(person, stranger, companion, cycling_school, login):
    ours = referral(person, cycling_school, companion)
    theirs = referral(stranger, cycling_school, companion)
    visit = factories.make_contact(person, companion, kind="home_visit")
    db.session.commit()
    browser = login(companion)
    html = browser.get(f"/clients/{person.id}/plan/goals/new").get_data(as_text=True)
    assert 'data-field="referrals"' in html and "Fietsschool Haacht" in html
    assert "Fietslessen voor volwassenen" not in html  # the question is not in a list
    forged = browser.post(
        f"/clients/{person.id}/plan/goals/new",
        data=form(contacts=[str(visit.id)], referrals=[str(theirs.id)]),
    )
    assert forged.status_code == 422 and count(Goal) == 0 and links_stored() == 0
    response = browser.post(
        f"/clients/{person.id}/plan/goals/new",
        data=form(contacts=[str(visit.id)], referrals=[str(ours.id)]),
    )
    assert response.status_code == 302
    goal = db.session.scalar(sa.select(Goal))
    assert [r.id for r in goal.referrals] == [ours.id] and [c.id for c in goal.contacts] == [
        visit.id
    ]
    plan = browser.get(f"/clients/{person.id}/plan").get_data(as_text=True)
    assert f"/clients/{person.id}/referrals/{ours.id}" in plan
    assert f'data-referral="{ours.id}"' in plan and "Fietsschool Haacht" in plan
    page = browser.get(f"/clients/{person.id}").get_data(as_text=True)
    assert 'data-linked-referrals="1"' in page and "1 doorverwijzing" in page
    edit = browser.get(f"/clients/{person.id}/plan/goals/{goal.id}/edit").get_data(as_text=True)
    assert form_values(edit)["referrals"] == str(ours.id)


def test_without_referrals_the_form_leaves_that_field_out(person, companion, login):
    factories.make_contact(person, companion)
    db.session.commit()
    html = login(companion).get(f"/clients/{person.id}/plan/goals/new").get_data(as_text=True)
    assert 'data-field="referrals"' not in html and 'data-field="contacts"' in html
