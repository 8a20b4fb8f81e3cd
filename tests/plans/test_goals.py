"""Goals: the allowed status moves, overdue logic and counts, the pages, the printable plan
and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import DomainError
from app.extensions import db
from app.plans import services
from app.plans.models import Goal
from app.plans.rules import ALLOWED_MOVES, can_move
from app.plans.vocab import GoalStatus
from app.timeutil import today
from tests import factories
from tests.conftest import count

S = GoalStatus


@pytest.fixture
def person(app, team, companion):
    return factories.make_client(team, companion, preferred_name="Jeroen")


def add(client, by, *, days=10, actor="client", domain="mobility", text="Fietsles volgen"):
    return services.add_goal(
        client, domain=domain, description=text, actor=actor,
        target_date=today() + timedelta(days=days) if days is not None else None, by=by,
    )  # fmt: skip


def make_overdue(goal, days_ago=3):
    goal.target_date = today() - timedelta(days=days_ago)
    db.session.flush()


def test_a_new_goal_is_open_and_audited(person, companion):
    goal = add(person, companion)
    assert goal.status == S.OPEN and goal.status_on == today()
    assert count(AuditEvent, AuditEvent.action == "goal.created") == 1


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (S.OPEN, S.IN_PROGRESS, True),
        (S.OPEN, S.ACHIEVED, True),
        (S.IN_PROGRESS, S.OPEN, True),
        (S.ACHIEVED, S.IN_PROGRESS, True),
        (S.ACHIEVED, S.DROPPED, False),
        (S.ACHIEVED, S.OPEN, False),
        (S.DROPPED, S.OPEN, True),
        (S.DROPPED, S.ACHIEVED, False),
        (S.OPEN, S.OPEN, False),
    ],
)
def test_status_moves(person, companion, start, target, allowed):
    goal = add(person, companion)
    goal.status = start
    assert can_move(start, target) is allowed
    if allowed:
        services.change_status(goal, target, note="reden", by=companion)
        assert goal.status == target
    else:
        with pytest.raises(DomainError) as refused:
            services.change_status(goal, target, note="reden", by=companion)
        assert refused.value.status == 409 and goal.status == start


def test_every_status_has_its_moves_in_one_table():
    assert set(ALLOWED_MOVES) == set(GoalStatus)


def test_dropping_needs_a_reason(person, companion):
    goal = add(person, companion)
    with pytest.raises(DomainError, match="reden") as refused:
        services.change_status(goal, S.DROPPED, note="  ", by=companion)
    assert refused.value.field == "note" and goal.status == S.OPEN
    services.change_status(goal, S.DROPPED, note="Verhuist naar Gent", by=companion)
    assert goal.status_note == "Verhuist naar Gent"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "goal.status_changed")
    )
    assert event.details == {"from": "open", "to": "dropped"} and event.client_id == person.id


def test_overdue_means_active_with_a_target_date_before_today(person, companion):
    overdue_open = add(person, companion)
    overdue_busy = add(person, companion)
    due_today = add(person, companion, days=0)
    add(person, companion, days=None)  # no target date: never overdue
    achieved_late = add(person, companion)
    dropped_late = add(person, companion)
    for goal in (overdue_open, overdue_busy, achieved_late, dropped_late):
        make_overdue(goal)
    overdue_busy.status = S.IN_PROGRESS
    achieved_late.status = S.ACHIEVED
    dropped_late.status = S.DROPPED
    db.session.flush()
    assert [overdue_open.is_overdue(today()), due_today.is_overdue(today())] == [True, False]
    assert services.overdue_counts([person.id]) == {person.id: 2}
    assert services.overdue_counts([person.id], on=today() + timedelta(days=1)) == {person.id: 3}


def test_overdue_counts_for_a_page_in_one_query(app, person, companion, team):
    others = [factories.make_client(team, companion) for _ in range(3)]
    for client, number in zip([person, *others], (2, 0, 1, 0), strict=True):
        for _ in range(number):
            make_overdue(add(client, companion))
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        counts = services.overdue_counts([person.id] + [c.id for c in others])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert counts == {person.id: 2, others[1].id: 1}
    assert len(statements) == 1


def test_target_date_cannot_be_set_in_the_past(person, companion):
    with pytest.raises(DomainError) as refused:
        add(person, companion, days=-1)
    assert refused.value.field == "target_date" and count(Goal) == 0
    goal = add(person, companion)
    make_overdue(goal)
    services.update_goal(  # an overdue goal keeps its date while its text changes
        goal, domain="mobility", description="Fietsles volgen in Haacht", actor="client",
        target_date=goal.target_date, by=companion,
    )  # fmt: skip
    assert goal.description.endswith("Haacht")


def test_only_a_partner_goal_names_an_organisation(person, companion):
    from app.organisations.services import create_organisation

    org = create_organisation(
        name="Fietsschool Haacht", type="cycling_school", domains=["mobility"],
        municipalities=["haacht"], by=None,
    )  # fmt: skip
    goal = services.add_goal(
        person, domain="mobility", description="Fietsles", actor="partner", partner=org,
        by=companion,
    )  # fmt: skip
    assert goal.partner is org
    services.update_goal(
        goal, domain="mobility", description="Fietsles", actor="client", partner=org,
        by=companion,
    )  # fmt: skip
    assert goal.partner is None


def test_plan_pages(person, companion, login):
    db.session.commit()
    browser = login(companion)
    response = browser.post(
        f"/clients/{person.id}/plan/goals/new",
        data={
            "domain": "language",
            "description": "Naar de praatgroep gaan",
            "actor": "buddy",
            "partner": "",
            "target_date": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    goal = db.session.scalar(sa.select(Goal))
    assert (goal.domain.value, goal.actor.value) == ("language", "buddy")
    html = browser.get(f"/clients/{person.id}/plan").get_data(as_text=True)
    assert "Naar de praatgroep gaan" in html and "Bezig" in html  # a move button
    response = browser.post(
        f"/clients/{person.id}/plan/goals/{goal.id}/status", data={"status": "in_progress"}
    )
    assert response.status_code == 302 and goal.status == S.IN_PROGRESS
    response = browser.post(
        f"/clients/{person.id}/plan/goals/{goal.id}/status", data={"status": "dropped"}
    )
    assert response.status_code == 422 and goal.status == S.IN_PROGRESS
    assert "Geef een reden" in response.get_data(as_text=True)


def test_a_bad_goal_form_keeps_what_was_typed(person, companion, login):
    db.session.commit()
    response = login(companion).post(
        f"/clients/{person.id}/plan/goals/new",
        data={
            "domain": "language",
            "description": "Naar de praatgroep",
            "actor": "client",
            "target_date": (today() - timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Naar de praatgroep" in html and "streefdatum" in html.lower()
    assert count(Goal) == 0


def test_overdue_goals_show_on_client_page_caseload_and_team_list(person, companion, lead, login):
    make_overdue(add(person, companion))
    db.session.commit()
    browser = login(companion)
    for url in (f"/clients/{person.id}", "/caseload", "/clients"):
        html = browser.get(url).get_data(as_text=True)
        assert 'data-overdue="1"' in html, url
        assert "1 doel over tijd" in html, url
    assert 'data-overdue="1"' in login(lead).get("/clients").get_data(as_text=True)


def test_the_printable_plan_speaks_plain_dutch_to_the_client(person, companion, login):
    add(person, companion, text="Een fiets kopen", actor="client")
    goal = add(person, companion, text="Inschrijven bij de fietsschool", actor="companion")
    services.change_status(goal, S.ACHIEVED, by=companion)
    companion.locale = "en"  # the companion's own language does not change the plan's
    db.session.commit()
    html = login(companion).get(f"/clients/{person.id}/plan/print").get_data(as_text=True)
    for text in (
        "Mijn plan",
        "Wat wil ik bereiken?",
        "Wie doet wat?",
        "Tegen wanneer?",
        "Een fiets kopen",
        "Ik doe dit zelf",
        "Wat ik al bereikt heb",
        "Inschrijven bij de fietsschool",
    ):
        assert text in html, text
    english = login(companion).get(f"/clients/{person.id}/plan/print?lang=en")
    assert "What do I want to achieve?" in english.get_data(as_text=True)


@pytest.mark.parametrize("who", ["other_companion", "unmatched_buddy", "matched_buddy", "admin"])
def test_plan_pages_are_404_outside_the_team(person, companion, other_team, team, login, who):
    goal = add(person, companion)
    user = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "unmatched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "matched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    if who == "matched_buddy":
        factories.match(person, user)
    db.session.commit()
    browser = login(user)
    base = f"/clients/{person.id}/plan"
    for url in (base, f"{base}/goals/new", f"{base}/goals/{goal.id}/edit",
                f"{base}/goals/{goal.id}/status", f"{base}/print"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    response = browser.post(f"{base}/goals/{goal.id}/status", data={"status": "achieved"})
    assert response.status_code == 404 and goal.status == S.OPEN


def test_a_goal_of_another_client_is_404(person, companion, team, login):
    goal = add(person, companion)
    other = factories.make_client(team, companion)
    db.session.commit()
    assert login(companion).get(f"/clients/{other.id}/plan/goals/{goal.id}/edit").status_code == 404
