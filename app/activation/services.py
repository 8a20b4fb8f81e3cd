"""Activation: placements with employers, the employer engagement log, aftercare checks.
Services flush; the request commits."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.activation.models import AftercareCheck, EmployerEngagement, Placement
from app.activation.vocab import AftercareSituation, EngagementKind, PlacementKind, PlacementOutcome
from app.audit import services as audit
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients.models import Client, PhaseChange
from app.clients.vocab import Phase
from app.errors import DomainError
from app.extensions import db
from app.organisations import services as organisation_services
from app.organisations.models import BY_NAME_ONLY, Organisation
from app.organisations.vocab import OrganisationType
from app.sqlfunctions import add_months, latest_start
from app.timeutil import today

MAX_HOURS = 60
AFTERCARE_MONTHS = (1, 3, 6)  # DESIGN.md: checks at 1, 3 and 6 months
EMPLOYER_TYPES = (OrganisationType.EMPLOYER, OrganisationType.SHELTERED_EMPLOYER)


def employers_first() -> list[Organisation]:
    """Active organisations for a placement: employers first, then the rest, by name."""
    not_employer = sa.case((Organisation.type.in_(EMPLOYER_TYPES), 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.active, organisation_services.ours_clause())
            .order_by(not_employer, Organisation.name_key)
        )
    )


def _enum(enum_class, value, field):
    try:
        return enum_class(value)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422, field=field) from None


def _clean_placement(*, organisation, kind, started_on, ended_on, hours_per_week, outcome,
                     outcome_note) -> dict:  # fmt: skip
    if organisation is None:
        raise DomainError(_("Choose the employer or organisation."), 422, field="organisation")
    if started_on is None:
        raise DomainError(_("This field is required."), 422, field="started_on")
    if ended_on is not None and ended_on < started_on:
        raise DomainError(_("A placement cannot end before it starts."), 422, field="ended_on")
    if hours_per_week is not None and not 0 <= hours_per_week <= MAX_HOURS:
        raise DomainError(
            _("Give the hours a week from 0 to %(max)d.", max=MAX_HOURS), 422, "hours_per_week"
        )
    note = (outcome_note or "").strip() or None
    if note and len(note) > 500:
        raise DomainError(_("At most %(max)d characters.", max=500), 422, field="outcome_note")
    return {
        "organisation_id": organisation.id,
        "kind": _enum(PlacementKind, kind, "kind"),
        "started_on": started_on,
        "ended_on": ended_on,
        "hours_per_week": hours_per_week,
        "outcome": _enum(PlacementOutcome, outcome or PlacementOutcome.ONGOING, "outcome"),
        "outcome_note": note,
    }


def add_placement(client: Client, *, by: User, **values) -> Placement:
    """Record a placement (internship, IBO, TWE, art. 60, job, volunteering, training) of the
    client with an organisation; audited. Refused for a closed trajectory, an inactive
    organisation, an end before the start or hours outside 0-60."""
    if client.is_closed:
        raise DomainError(_("The trajectory is closed."), 409)
    organisation = values.get("organisation")
    if organisation is not None and not organisation.active:
        raise DomainError(_("Choose the employer or organisation."), 422, field="organisation")
    placement = Placement(
        client_id=client.id, created_by_id=by.id if by else None, **_clean_placement(**values)
    )
    db.session.add(placement)
    db.session.flush()
    audit.record("placement.created", placement, user=by, details={"kind": placement.kind.value})
    return placement


def update_placement(placement: Placement, *, by: User, **values) -> list[str]:
    """Change a placement, typically its end date and outcome; audited with the fields."""
    cleaned = _clean_placement(**values)
    changed = [name for name, value in cleaned.items() if getattr(placement, name) != value]
    for name in changed:
        setattr(placement, name, cleaned[name])
    if changed:
        db.session.flush()
        audit.record("placement.updated", placement, user=by, details={"fields": changed})
    return changed


def placements_of(client: Client) -> list[Placement]:
    """The client's placements, newest first, with their organisation (by name)."""
    return list(db.session.scalars(_placements_statement(), {"client_id": client.id}))


@functools.cache
def _placements_statement() -> sa.Select:
    """``placements_of``' statement, built once (the client's id is its parameter)."""
    return (
        sa.select(Placement)
        .where(Placement.client_id == sa.bindparam("client_id"))
        .options(joinedload(Placement.organisation).options(*BY_NAME_ONLY))
        .order_by(Placement.started_on.desc(), Placement.id.desc())
    )


# Employer engagement ---------------------------------------------------------------------


def engagement_teams(user: User) -> list[Team]:
    """Companions and leads keep their teams' employer log."""
    return list(user.teams) if user.role in (Role.COMPANION, Role.LEAD) else []


def log_engagement(
    team: Team, *, organisation: Organisation | None, occurred_on: date, kind, participants,
    note, by: User,
) -> EmployerEngagement:  # fmt: skip
    """Add a visit, information session on inclusive hiring, job carving... to the team's
    employer log (audited)."""
    if team not in engagement_teams(by):
        raise DomainError(_("You can only keep the log of your own team."), 404, field="team")
    if organisation is None:
        raise DomainError(_("Choose the employer or organisation."), 422, field="organisation")
    if occurred_on is None or occurred_on > today():
        raise DomainError(_("The date cannot be in the future."), 422, field="occurred_on")
    entry = EmployerEngagement(
        team_id=team.id,
        organisation_id=organisation.id,
        occurred_on=occurred_on,
        kind=_enum(EngagementKind, kind, "kind"),
        participants=(participants or "").strip() or None,
        note=(note or "").strip() or None,
        recorded_by_id=by.id,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record("employer_engagement.created", entry, user=by)
    return entry


def engagements_for(user: User) -> sa.Select:
    team_ids = [team.id for team in engagement_teams(user)]
    return (
        sa.select(EmployerEngagement)
        .where(EmployerEngagement.team_id.in_(team_ids))
        .order_by(EmployerEngagement.occurred_on.desc(), EmployerEngagement.id.desc())
    )


# Aftercare ---------------------------------------------------------------------------------


def aftercare_starts() -> sa.Subquery:
    """(client_id, started_on) for every client now in aftercare: the date of their latest
    move into aftercare, from the phase history."""
    return (
        sa.select(PhaseChange.client_id, sa.func.max(PhaseChange.effective_on).label("started_on"))
        .join(Client, Client.id == PhaseChange.client_id)
        .where(
            PhaseChange.to_phase == Phase.AFTERCARE,
            Client.phase == Phase.AFTERCARE,
            Client.merged_into_id.is_(None),
        )
        .group_by(PhaseChange.client_id)
        .subquery("aftercare_starts")
    )


def due_aftercare_query(on: date) -> sa.Select:
    """Checks due on ``on`` and not recorded yet, for clients in aftercare: columns
    client_id, aftercare_started_on, months, due_on (set-based; the reminder rule uses it)."""
    starts = aftercare_starts()
    selects = []
    for months in AFTERCARE_MONTHS:
        due_on = add_months(starts.c.started_on, months)
        is_due = starts.c.started_on <= latest_start(on, months)
        recorded = sa.exists().where(
            AftercareCheck.client_id == starts.c.client_id,
            AftercareCheck.aftercare_started_on == starts.c.started_on,
            AftercareCheck.months == months,
        )
        selects.append(
            sa.select(
                starts.c.client_id,
                starts.c.started_on.label("aftercare_started_on"),
                sa.literal(months).label("months"),
                due_on.label("due_on"),
            ).where(is_due, sa.not_(recorded))
        )
    return sa.union_all(*selects)


@dataclass(frozen=True)
class DueCheck:
    client_id: int
    aftercare_started_on: date
    months: int
    due_on: date


def due_aftercare_checks(on: date | None = None, clients=None) -> list[DueCheck]:
    """The aftercare checks that are due and not recorded (for the reminders); ``clients``:
    optional client ids, or a select of them, to limit to."""
    due = due_aftercare_query(on or today()).subquery()
    stmt = sa.select(due).order_by(due.c.client_id, due.c.months)
    if clients is not None:
        stmt = stmt.where(due.c.client_id.in_(clients))
    return [DueCheck(*row) for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class ScheduledCheck:
    months: int
    due_on: date
    check: AftercareCheck | None


def aftercare_start(client: Client) -> date | None:
    if client.phase != Phase.AFTERCARE:
        return None
    if "phase_changes" not in sa.inspect(client).unloaded:  # loaded with the client
        days = [c.effective_on for c in client.phase_changes if c.to_phase == Phase.AFTERCARE]
        return max(days, default=None)
    return db.session.scalar(
        sa.select(sa.func.max(PhaseChange.effective_on)).where(
            PhaseChange.client_id == client.id, PhaseChange.to_phase == Phase.AFTERCARE
        )
    )


def aftercare_schedule(client: Client) -> list[ScheduledCheck]:
    """The 1-, 3- and 6-month checks of the current aftercare period, with what was found."""
    start = aftercare_start(client)
    if start is None:
        return []
    checks = {
        check.months: check
        for check in db.session.scalars(
            sa.select(AftercareCheck).where(
                AftercareCheck.client_id == client.id,
                AftercareCheck.aftercare_started_on == start,
            )
        )
    }
    return [
        ScheduledCheck(months, start + relativedelta(months=months), checks.get(months))
        for months in AFTERCARE_MONTHS
    ]


def record_aftercare_check(
    client: Client, *, months: int, checked_on: date, situation, note: str | None, by: User
) -> AftercareCheck:
    """Record the check at ``months`` (1, 3 or 6) of the current aftercare period: whether
    the person is still in work or training. Audited; each check once."""
    start = aftercare_start(client)
    if start is None:
        raise DomainError(_("The person is not in aftercare."), 409)
    if months not in AFTERCARE_MONTHS:
        raise DomainError(_("Choose from the list."), 422, field="months")
    if checked_on is None or checked_on > today() or checked_on < start:
        raise DomainError(
            _("Give a date between the start of aftercare and today."), 422, field="checked_on"
        )
    exists = sa.select(AftercareCheck.id).where(
        AftercareCheck.client_id == client.id,
        AftercareCheck.aftercare_started_on == start,
        AftercareCheck.months == months,
    )
    if db.session.scalar(exists) is not None:
        raise DomainError(_("This check is recorded already."), 409, field="months")
    check = AftercareCheck(
        client_id=client.id,
        aftercare_started_on=start,
        months=months,
        checked_on=checked_on,
        situation=_enum(AftercareSituation, situation, "situation"),
        note=(note or "").strip() or None,
        recorded_by_id=by.id,
    )
    db.session.add(check)
    db.session.flush()
    audit.record(
        "aftercare.checked",
        check,
        user=by,
        details={"months": months, "situation": check.situation.value},
    )
    return check
