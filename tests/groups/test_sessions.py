"""Group sessions: planning, registering within capacity, attendance, scoping."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.extensions import db
from app.groups import services
from app.groups.models import GroupRegistration, GroupSession
from app.groups.vocab import Attendance
from app.timeutil import local_date, local_now, today
from tests import factories
from tests.conftest import count
from tests.groups.conftest import plan_session


@pytest.fixture
def people(app, team, companion):
    return [factories.make_client(team, companion, preferred_name=n) for n in ("Saled", "Olena")]


def test_planning_a_session_in_local_time(session):
    assert local_date(session.starts_at) == today()
    assert session.starts_at.tzinfo is not None
    assert count(AuditEvent, AuditEvent.action == "group.created") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"capacity": 0}, "capacity"), ({"title": " "}, "title"), ({"domain": "cooking"}, "domain")],
)
def test_bad_sessions_are_refused(team, companion, change, field):
    values = {
        "team": team, "title": "Praatgroep", "domain": "language", "starts_at": local_now(),
        "duration_minutes": 90, "place": "Bib", "facilitator": None, "capacity": 5,
        "description": None, "by": companion,
    }  # fmt: skip
    values.update(change)
    with pytest.raises(DomainError) as refused:
        services.create_session(**values)
    assert refused.value.field == field and count(GroupSession) == 0


def test_only_own_team_and_team_facilitators(team, other_team, companion):
    stranger = factories.make_user("companion", teams=[other_team])
    with pytest.raises(DomainError) as refused:
        plan_session(other_team, companion)
    assert refused.value.status == 404
    with pytest.raises(DomainError, match="begeleider"):
        services.create_session(
            team=team, title="X", domain="language", starts_at=local_now(),
            duration_minutes=60, place="Bib", facilitator=stranger, capacity=3,
            description=None, by=companion,
        )  # fmt: skip


def test_register_clients_and_buddies_until_full(session, people, team, companion, buddy):
    services.register_client(session, people[0], by=companion)
    services.register_buddy(session, buddy, by=companion)
    with pytest.raises(DomainError, match="al ingeschreven") as duplicate:
        services.register_client(session, people[0], by=companion)
    assert duplicate.value.status == 409
    services.register_client(session, people[1], by=companion)
    third = factories.make_client(team, companion)
    with pytest.raises(DomainError, match="volzet") as full:
        services.register_client(session, third, by=companion)
    assert full.value.status == 409
    assert count(GroupRegistration) == 3


def test_only_clients_in_scope_and_open(session, other_team, team, companion):
    theirs = factories.make_client(other_team, factories.make_user("companion", teams=[other_team]))
    with pytest.raises(DomainError) as refused:
        services.register_client(session, theirs, by=companion)
    assert refused.value.status == 404
    closed = factories.make_client(team, companion)
    from app.clients.phases import change_phase
    from app.clients.vocab import ExitOutcome, Phase

    change_phase(closed, Phase.CLOSED, by=companion, exit_outcome=ExitOutcome.MOVED_AWAY,
                 consent_valid=False)  # fmt: skip
    with pytest.raises(DomainError):
        services.register_client(session, closed, by=companion)
    assert count(GroupRegistration) == 0


def test_capacity_cannot_drop_below_the_registered(session, people, companion):
    for person in people:
        services.register_client(session, person, by=companion)
    values = {
        "team": session.team, "title": session.title, "domain": "language",
        "starts_at": session.starts_at, "duration_minutes": 90, "place": "Bib",
        "facilitator": None, "description": None, "by": companion,
    }  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.update_session(session, capacity=1, **values)
    assert refused.value.field == "capacity"
    services.update_session(session, capacity=2, **values)


def test_attendance_marks_and_refusals(session, people, companion, buddy):
    ours = [services.register_client(session, p, by=companion) for p in people]
    theirs = services.register_buddy(session, buddy, by=companion)
    changed = services.record_attendance(
        session,
        {ours[0].id: "present", ours[1].id: "excused", theirs.id: "present"},
        by=companion,
    )
    assert changed == 3
    assert [r.attendance for r in (*ours, theirs)] == [
        Attendance.PRESENT, Attendance.EXCUSED, Attendance.PRESENT,
    ]  # fmt: skip
    assert services.record_attendance(session, {ours[0].id: "present"}, by=companion) == 0
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "group.attendance_recorded")
    ).all()
    assert sorted(e.client_id or 0 for e in events) == sorted([0, *(p.id for p in people)])


def test_attendance_for_someone_not_registered_refuses_everything(session, people, companion, team):
    ours = services.register_client(session, people[0], by=companion)
    other = plan_session(team, companion, title="Kookgroep")
    elsewhere = services.register_client(other, people[1], by=companion)
    with pytest.raises(DomainError, match="ingeschreven") as refused:
        services.record_attendance(
            session, {ours.id: "present", elsewhere.id: "present"}, by=companion
        )
    assert refused.value.status == 422
    assert ours.attendance is None and elsewhere.attendance is None


def test_attendance_waits_for_the_day(team, companion, people):
    later = plan_session(team, companion, days=7)
    registration = services.register_client(later, people[0], by=companion)
    with pytest.raises(DomainError) as refused:
        services.record_attendance(later, {registration.id: "present"}, by=companion)
    assert refused.value.status == 409


def test_registration_closes_after_the_day(team, companion, people):
    past = plan_session(team, companion, days=-2)
    with pytest.raises(DomainError) as refused:
        services.register_client(past, people[0], by=companion)
    assert refused.value.status == 409


def test_upcoming_sessions_listed_soonest_first(team, companion, buddy, login, people):
    next_week = plan_session(team, companion, days=7, title="Praatgroep volgende week")
    plan_session(team, companion, days=0, title="Praatgroep vandaag")
    plan_session(team, companion, days=-7, title="Praatgroep vorige week")
    services.register_buddy(next_week, buddy, by=companion)
    db.session.commit()
    html = login(companion).get("/groups/").get_data(as_text=True)
    assert html.index("Praatgroep vandaag") < html.index("Praatgroep volgende week")
    assert "vorige week" not in html
    assert "vorige week" in login(companion).get("/groups/?past=1").get_data(as_text=True)
    buddy_html = login(buddy).get("/groups/").get_data(as_text=True)
    assert "Praatgroep volgende week" in buddy_html and "vandaag" not in buddy_html


def test_full_session_refuses_over_http_with_a_message(team, companion, login, people):
    small = plan_session(team, companion, capacity=1)
    services.register_client(small, people[0], by=companion)
    db.session.commit()
    response = login(companion).post(
        f"/groups/{small.id}/register", data={"c-client": str(people[1].id)}
    )
    assert response.status_code == 409
    assert "De sessie is volzet (aantal plaatsen: 1)" in response.get_data(as_text=True)
    assert count(GroupRegistration) == 1


def test_attendance_screen_over_http(session, people, companion, buddy, login):
    ours = [services.register_client(session, p, by=companion) for p in people]
    theirs = services.register_buddy(session, buddy, by=companion)
    db.session.commit()
    browser = login(companion)
    html = browser.get(f"/groups/{session.id}/attendance").get_data(as_text=True)
    assert html.count('type="radio"') == 9 and "Verontschuldigd" in html
    response = browser.post(
        f"/groups/{session.id}/attendance",
        data={f"attendance-{ours[0].id}": "present", f"attendance-{theirs.id}": "absent"},
    )
    assert response.status_code == 302
    assert (ours[0].attendance, ours[1].attendance, theirs.attendance) == (
        Attendance.PRESENT, None, Attendance.ABSENT,
    )  # fmt: skip
    bad = browser.post(
        f"/groups/{session.id}/attendance",
        data={f"attendance-{ours[1].id}": "present", "attendance-99999": "present"},
    )
    assert bad.status_code == 422 and ours[1].attendance is None
    assert "ingeschreven" in bad.get_data(as_text=True)


@pytest.mark.parametrize("who", ["other_companion", "unregistered_buddy", "admin"])
def test_group_pages_are_404_outside_the_team(session, people, companion, other_team, team,
                                              login, who):  # fmt: skip
    registration = services.register_client(session, people[0], by=companion)
    user = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "unregistered_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    db.session.commit()
    browser = login(user)
    for url in (f"/groups/{session.id}", f"/groups/{session.id}/edit",
                f"/groups/{session.id}/attendance"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    assert browser.post(f"/groups/{session.id}/register",
                        data={"c-client": str(people[1].id)}).status_code == 404  # fmt: skip
    marks = {f"attendance-{registration.id}": "present"}
    assert browser.post(f"/groups/{session.id}/attendance", data=marks).status_code == 404
    assert count(GroupRegistration) == 1 and registration.attendance is None
    assert session.title not in browser.get("/groups/").get_data(as_text=True)


def test_a_registered_buddy_sees_the_session_but_cannot_manage(session, companion, buddy, login,
                                                                people):  # fmt: skip
    services.register_client(session, people[0], by=companion)
    services.register_buddy(session, buddy, by=companion)
    db.session.commit()
    browser = login(buddy)
    html = browser.get(f"/groups/{session.id}").get_data(as_text=True)
    assert "Praatgroep Nederlands" in html and "Saled" not in html
    assert browser.get(f"/groups/{session.id}/attendance").status_code == 404


def test_client_page_lists_the_persons_sessions(session, people, companion, login):
    services.register_client(session, people[0], by=companion)
    db.session.commit()
    html = login(companion).get(f"/clients/{people[0].id}").get_data(as_text=True)
    assert 'data-testid="group-section"' in html and "Praatgroep Nederlands" in html


def test_unregister_before_attendance_only(session, people, companion):
    registration = services.register_client(session, people[0], by=companion)
    services.record_attendance(session, {registration.id: "absent"}, by=companion)
    with pytest.raises(DomainError):
        services.unregister(registration, by=companion)
    other = services.register_client(session, people[1], by=companion)
    services.unregister(other, by=companion)
    assert count(GroupRegistration) == 1
