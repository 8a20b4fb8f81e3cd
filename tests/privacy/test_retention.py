"""Retention and anonymisation (issue 16, item 4): closed files past their term lose every
name and free text in every table, the figures for past periods stay the same, a legal hold
stops it, and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.activation.models import AftercareCheck, Placement
from app.agenda.models import Appointment
from app.audit.models import AuditEvent
from app.checkins.models import CheckIn
from app.clients.models import BuddyMatch, Client, ClientNameKey, ContextMember
from app.clients.vocab import ExitOutcome, Phase
from app.contacts.models import Contact, ContactRevision, Note, NoteRevision
from app.documents.models import Document
from app.extensions import db
from app.partners.models import PartnerAnswer
from app.privacy.anonymise import CLEARED, DELETED, KEPT, _owned
from app.referrals.models import Referral
from app.reminders.models import Reminder
from tests import factories
from tests.organisations.conftest import make_organisation

MARK = "Zqxmerkteken"
TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def _fill_gaps(client: Client, companion) -> None:
    """Rows of every kind the anonymiser clears, for this client (the generator leaves some
    kinds out)."""
    today = client.closed_on
    moment = datetime.combine(today, time(10, 0), tzinfo=UTC)
    member = ContextMember(client_id=client.id, name="x", relationship_kind="child")
    match = BuddyMatch(client_id=client.id, buddy_id=companion.id, started_on=today, note="x")
    db.session.add_all([member, match])
    db.session.flush()
    db.session.add_all([
        CheckIn(client_id=client.id, buddy_id=companion.id, match_id=match.id, occurred_on=today,
                activity="meeting", duration_minutes=30, rating=3, worry=True, worry_text="x",
                activity_note="x"),
        Placement(client_id=client.id, organisation_id=make_organisation("Werkplek X").id,
                  kind="internship", started_on=today, outcome_note="x"),
        AftercareCheck(client_id=client.id, aftercare_started_on=today, months=1,
                       checked_on=today, situation="work", note="x"),
        Reminder(client_id=client.id, assignee_id=companion.id, rule="manual", due_on=today,
                 dedupe_key=f"test-{client.id}", dismiss_reason="x"),
        AuditEvent(action="referral.consent_override", client_id=client.id,
                   details={"reason": MARK, "domain": "housing"}),
        Appointment(client_id=client.id, companion_id=companion.id, kind="home_visit",
                    starts_at=moment, ends_at=moment + timedelta(hours=1), starts_on=today,
                    place="x", purpose="x"),
    ])  # fmt: skip
    referral = Referral(client_id=client.id, organisation_id=make_organisation("Loket X").id,
                        domain="housing", question="x", referred_on=today,
                        response_deadline=today, status="sent", status_since=today)  # fmt: skip
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        PartnerAnswer(referral_id=referral.id, kind="appointment", answered_on=today,
                      appointment_on=today, place="x")
    )  # fmt: skip
    contact = db.session.scalar(sa.select(Contact).where(Contact.client_id == client.id).limit(1))
    note = db.session.scalar(sa.select(Note).where(Note.client_id == client.id).limit(1))
    db.session.add_all([
        ContactRevision(contact_id=contact.id, snapshot={"place": MARK}, reason=MARK),
        NoteRevision(note_id=note.id, level="sensitive", body=MARK, reason=MARK),
    ])  # fmt: skip
    db.session.flush()


def _plant(ids: list[int]) -> None:
    """The marker in every free-text column of every row of these clients."""
    for model, columns in CLEARED.items():
        db.session.execute(
            sa.update(model)
            .where(_owned(model, ids))
            .values({name: f"{MARK} {name}" for name in columns}),
            execution_options={"synchronize_session": False},
        )
    db.session.expire_all()
    for client in db.session.scalars(sa.select(Client).where(Client.id.in_(ids))):
        client.preferred_name = f"{MARK} naam"
    db.session.flush()


def _marked() -> dict[str, int]:
    """Where the marker still is: every text column of every table, and the search index."""
    found = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, TEXT_TYPES):
                continue
            count = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(table)
                .where(sa.cast(column, sa.Text).ilike(f"%{MARK}%"))
            )
            if count:
                found[f"{table.name}.{column.name}"] = count
    if db.session.get_bind().dialect.name == "sqlite":
        hits = db.session.execute(
            sa.text("SELECT count(*) FROM client_search WHERE client_search MATCH :m"),
            {"m": MARK.lower()},
        ).scalar()
        if hits:
            found["client_search"] = hits
    return found


def _figures(lead, start: date, end: date):
    from app.dashboards.filters import parse_filters
    from app.dashboards.report import report_tables
    from app.dashboards.services import dashboard_tables

    filters = parse_filters({"start": start.isoformat(), "end": end.isoformat()}, lead)
    tables = dashboard_tables(lead, filters) + report_tables(lead, filters)
    return [(t.key, t.rows, t.totals) for t in tables]


@pytest.fixture
def generated(app):
    from app.auth.models import Team
    from app.demo.generate import generate

    generate(40, teams=1, seed=13, scan_reminders=True)
    team = db.session.scalar(sa.select(Team).where(Team.name.like("Team gegenereerd%")))
    lead = factories.make_user("lead", teams=[team], username="retentielead")
    closed = list(
        db.session.scalars(
            sa.select(Client).where(Client.phase == Phase.CLOSED).order_by(Client.id)
        )
    )
    assert len(closed) >= 3
    _fill_gaps(closed[0], lead)
    _plant([c.id for c in closed])
    db.session.commit()
    return lead, closed


def test_every_text_column_about_a_client_is_cleared_or_kept_on_purpose():
    from app.privacy.models import PrivacyRequest

    about_clients = {
        mapper.class_
        for mapper in db.Model.registry.mappers
        if "client_id" in mapper.class_.__table__.columns
    } - {AuditEvent, PrivacyRequest}  # the trail and the requests: codes, actions, ids
    for model in (about_clients | set(CLEARED) | set(KEPT)) - set(DELETED):  # rows deleted
        texts = {
            c.name
            for c in model.__table__.columns
            if isinstance(c.type, TEXT_TYPES) and not isinstance(c.type, sa.Enum)
        }
        handled = set(CLEARED.get(model, ())) | set(KEPT.get(model, ()))
        assert texts <= handled, (model.__name__, texts - handled)
    assert set(DELETED) == {ContactRevision, NoteRevision, ClientNameKey, Document}


def test_anonymisation_keeps_the_figures_and_leaves_no_text(app, generated, runner):
    lead, closed = generated
    held = closed[-1]
    held.legal_hold, held.legal_hold_reason = True, "Lopend onderzoek"
    db.session.commit()
    for table in CLEARED:  # the planting reached every kind of row
        assert db.session.scalar(
            sa.select(sa.func.count())
            .select_from(table)
            .where(_owned(table, [c.id for c in closed if c is not held]))
        ), table.__name__
    start, end = date(closed[0].registered_on.year - 1, 1, 1), max(c.closed_on for c in closed)
    later = datetime.combine(end + timedelta(days=5 * 366 + 30), datetime.min.time())

    with time_machine.travel(later, tick=False):
        before = _figures(lead, start, end)
        result = runner.invoke(args=["retention", "run"])
        assert result.exit_code == 0, result.output
        assert (
            f"anonymised {len(closed) - 1} files past their term, 1 on legal hold" in result.output
        )
        db.session.expire_all()
        assert _figures(lead, start, end) == before

        left = _marked()
        # Only the file on legal hold keeps its text.
        for column, count in left.items():
            held_count = _count_for(column, held.id)
            assert count == held_count, (column, count, held_count)
        assert left, "the held file keeps its text"
        gone = db.session.get(Client, closed[0].id)
        assert gone.anonymised_at is not None and gone.code and gone.exit_outcome
        assert gone.preferred_name == "" and gone.birth_date is None

        again = runner.invoke(args=["retention", "run"])
        assert "anonymised 0 files past their term, 1 on legal hold" in again.output
        assert _marked() == left and _figures(lead, start, end) == before

    runs = db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "retention.run")
    ).all()
    assert [r["anonymised"] for r in runs] == [len(closed) - 1, 0]
    assert all(r["held"] == 1 for r in runs)


def _count_for(column: str, client_id: int) -> int:
    """How many marked values of ``column`` belong to this client (the held one)."""
    if column == "client_search":
        return 1
    table_name, name = column.split(".")
    for model in [*CLEARED, *DELETED]:
        if model.__tablename__ == table_name:
            col = model.__table__.c[name]
            return db.session.scalar(
                sa.select(sa.func.count())
                .select_from(model)
                .where(_owned(model, [client_id]), sa.cast(col, sa.Text).ilike(f"%{MARK}%"))
            )
    if table_name == "audit_event":
        return 0
    raise AssertionError(f"{column} holds the marker outside the client's rows")


def test_nothing_is_due_before_the_term(app, generated, runner):
    lead, closed = generated
    end = max(c.closed_on for c in closed)
    with time_machine.travel(datetime.combine(end + timedelta(days=365), datetime.min.time())):
        assert "anonymised 0 files" in runner.invoke(args=["retention", "run"]).output
    assert _marked()


def test_a_retention_setting_of_zero_or_less_is_refused(app, login, admin_user):
    browser = login(admin_user)
    page = browser.get("/admin/settings")
    assert "retention__regular_work" in page.get_data(as_text=True)
    from tests.support.walk import forms_in

    form = forms_in(page.get_data(as_text=True), "/admin/settings")[0]
    for bad in ("0", "-3"):
        response = browser.post("/admin/settings", data=form.data(retention__regular_work=bad))
        assert response.status_code == 422
        assert "Kies een waarde van 1 tot 50." in response.get_data(as_text=True)
    from app.settings.registry import get_setting

    db.session.expire_all()
    assert get_setting("retention.regular_work") == 5


def test_the_scheduler_job_anonymises_and_audits(fresh_app):
    """The nightly job runs through the scheduler's ``run_job`` wrapper and commits."""
    from app.clients.phases import change_phase
    from app.scheduler.runner import RETENTION_HOUR, build_scheduler, run_retention

    app = fresh_app()
    with app.app_context():
        team = factories.make_team("Team Nacht")
        companion = factories.make_user("companion", teams=[team])
        person = factories.make_client(
            team, companion, preferred_name="Nachtwerk", registered_on=date(2014, 1, 1)
        )
        change_phase(person, Phase.CLOSED, by=companion, on=date(2015, 3, 1),
                     exit_outcome=ExitOutcome.MOVED_AWAY, consent_valid=False)  # fmt: skip
        db.session.commit()
        person_id = person.id
        db.session.remove()
    run_retention(app)
    with app.app_context():
        client = db.session.get(Client, person_id)
        assert client.anonymised_at is not None and client.preferred_name == ""
        run = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "retention.run"))
        assert run.actor == "scheduler" and run.details["anonymised"] == 1
        db.session.remove()
    job = build_scheduler(app, lock=None).get_job("retention")
    assert str(job.trigger).startswith("cron") and f"hour='{RETENTION_HOUR}'" in str(job.trigger)
