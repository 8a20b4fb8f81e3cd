"""Agenda pages: day and week, the team's week, planning an appointment, logging it in one
tap, and the calendar feed (its address managed by its owner, read without a session)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.agenda import bp, calendar, feed, services
from app.agenda.forms import AppointmentForm, FeedForm, LogForm
from app.agenda.models import Appointment
from app.agenda.services import AppointmentInput
from app.auth.vocab import Role
from app.bounds import MAX_ID, date_arg, int_arg, parse_int
from app.clients.models import Client
from app.clients.scoping import client_child_or_404, get_client_or_404, visible_clients
from app.clients.vocab import OPEN_PHASES
from app.contacts.vocab import ContactOutcome
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_error, choices
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.referrals.models import Referral
from app.timeutil import to_local, today, zone

AGENDA_ROLES = (Role.COMPANION, Role.LEAD, Role.BUDDY)
PLANNERS = (Role.COMPANION, Role.LEAD)


def _require(roles) -> None:
    if current_user.role not in roles or not current_user.team_ids:
        abort(404)


def _appointment_or_404(appointment_id: int) -> Appointment:
    try:
        return services.appointment_or_404(appointment_id, current_user)
    except DomainError:
        abort(404)


@bp.route("/")
def index():
    _require(AGENDA_ROLES)
    view = "day" if request.args.get("view") == "day" else "week"
    day = date_arg("day", default=today())
    if view == "day":
        start = end = day
        previous, following = day - timedelta(days=1), day + timedelta(days=1)
    else:
        start, end = calendar.week_of(day)
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    found = calendar.entries(current_user, start, end)
    return render_template(
        "agenda/index.html",
        view=view,
        day=day,
        start=start,
        end=end,
        days=calendar.by_day(found, start, end),
        previous=previous,
        following=following,
        today=today(),
        can_log=services.can_log,
        planner=current_user.role in PLANNERS,
        log_form=LogForm(),
    )


@bp.route("/team")
def team():
    if current_user.role != Role.LEAD or not current_user.team_ids:
        abort(404)
    start, end = calendar.week_of(date_arg("day", default=today()))
    return render_template(
        "agenda/team.html",
        start=start,
        end=end,
        days=[start + timedelta(days=n) for n in range(7)],
        grid=calendar.team_week(current_user, start, end),
        previous=start - timedelta(days=7),
        following=start + timedelta(days=7),
        to_local=to_local,
    )


def _client_choices():
    rows = db.session.execute(
        visible_clients(current_user)
        .where(Client.phase.in_(OPEN_PHASES))
        .with_only_columns(Client.id, Client.preferred_name, Client.code)
        .order_by(sa.func.lower(Client.preferred_name))
    ).all()
    return choices(
        [("", _("— choose —"))] + [(c.id, f"{c.preferred_name} ({c.code})") for c in rows]
    )


def _fill_choices(form: AppointmentForm, client: Client | None) -> None:
    form.client.choices = _client_choices()
    members = client.context_members if client is not None else []
    form.participants.choices = choices((m.id, m.name) for m in members)
    buddies = services.matched_buddies(client) if client is not None else []
    form.buddy.choices = choices([("", _("— none —"))] + [(b.id, b.display_name) for b in buddies])
    organisations = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.active.is_(True), organisation_services.ours_clause())
        .order_by(Organisation.name_key)
        .limit(1000)
    ).all()
    form.organisation.choices = choices(
        [("", _("— none —"))] + [(o.id, o.name) for o in organisations]
    )


def _prefill_from_referral(form: AppointmentForm, referral: Referral) -> None:
    form.kind.data = "warm_handover" if referral.warm_handover else "accompaniment"
    form.day.data = referral.handover_on or referral.appointment_on
    form.organisation.data = referral.organisation_id
    form.place.data = referral.appointment_place
    form.referral.data = str(referral.id)


def _input(form: AppointmentForm) -> AppointmentInput:
    referral_id = parse_int(form.referral.data or "", low=1, high=MAX_ID)
    return AppointmentInput(
        kind=form.kind.data,
        starts_at=datetime.combine(form.day.data, form.starts_time.data, zone()),
        ends_at=datetime.combine(form.day.data, form.ends_time.data, zone()),
        place=form.place.data,
        purpose=form.purpose.data,
        participant_ids=form.participants.data or [],
        buddy_id=form.buddy.data,
        organisation_id=form.organisation.data,
        referral_id=referral_id,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Plan an appointment: from the agenda (choose the person), from the client page
    (``?client=``) or from a referral (``?client=&referral=``: the handover date)."""
    _require(PLANNERS)
    client_id = int_arg("client") or (
        parse_int(request.form.get("client", ""), low=1, high=MAX_ID) if request.form else None
    )
    client = get_client_or_404(client_id) if client_id else None
    form = AppointmentForm()
    _fill_choices(form, client)
    if request.method == "GET":
        form.client.data = client.id if client else None
        form.day.data = date_arg("day", default=today())
        referral_id = int_arg("referral")
        if referral_id and client is not None:
            _prefill_from_referral(form, client_child_or_404(Referral, referral_id, client))
        return render_template("agenda/form.html", form=form, client=client, warnings=[])
    if not form.validate_on_submit():
        return render_template("agenda/form.html", form=form, client=client, warnings=[]), 422
    if client is None:
        form.client.errors = [*form.client.errors, _("Choose a person from the list.")]
        return render_template("agenda/form.html", form=form, client=client, warnings=[]), 422
    data = _input(form)
    if services.in_the_past(data) and not form.confirm_past.data:
        form.confirm_past.errors = [
            _("This appointment is in the past. Tick the box to plan it anyway.")
        ]
        return render_template(
            "agenda/form.html", form=form, client=client, warnings=[], ask_past=True
        ), 422
    try:
        appointment = services.plan(client, data, by=current_user)
    except DomainError as error:
        apply_error(form, error)
        return render_template(
            "agenda/form.html", form=form, client=client, warnings=[]
        ), error.status
    flash(_("Appointment planned."), "success")
    clashes = services.overlapping(
        current_user, appointment.starts_at, appointment.ends_at, besides=appointment.id
    )
    if clashes:
        flash(
            _(
                "This overlaps with %(count)d other appointment(s) of yours.",
                count=len(clashes),
            ),
            "warning",
        )
    return redirect(url_for("agenda.detail", appointment_id=appointment.id))


@bp.route("/<int:appointment_id>")
def detail(appointment_id: int):
    appointment = _appointment_or_404(appointment_id)
    return render_template(
        "agenda/detail.html",
        appointment=appointment,
        planner=services.can_plan(current_user, appointment.client),
        can_log=services.can_log(appointment),
        log_form=LogForm(),
        clashes=services.overlapping(
            appointment.companion or current_user,
            appointment.starts_at,
            appointment.ends_at,
            besides=appointment.id,
        )
        if appointment.cancelled_at is None
        else [],
        to_local=to_local,
    )


@bp.route("/<int:appointment_id>/log", methods=["POST"])
def log(appointment_id: int):
    """The one tap: reached (or not) - the contact is stored with its fields filled in."""
    appointment = _appointment_or_404(appointment_id)
    if not services.can_plan(current_user, appointment.client):
        abort(404)
    form = LogForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = request.form.get("outcome", "")
    if outcome not in {o.value for o in ContactOutcome}:
        raise DomainError(_("Choose from the list."), 422)
    contact = services.log_as_contact(appointment, ContactOutcome(outcome), by=current_user)
    flash(_("Contact logged from the appointment."), "success")
    return redirect(
        url_for("contacts.edit", client_id=appointment.client_id, contact_id=contact.id)
    )


@bp.route("/<int:appointment_id>/cancel", methods=["POST"])
def cancel(appointment_id: int):
    appointment = _appointment_or_404(appointment_id)
    if not LogForm().validate_on_submit():
        abort(400)
    services.cancel(appointment, by=current_user)
    flash(_("Appointment cancelled."), "success")
    return redirect(url_for("agenda.index", day=appointment.starts_on.isoformat()))


@bp.route("/feed", methods=["GET"])
def feed_settings():
    _require(AGENDA_ROLES)
    return render_template(
        "agenda/feed.html", form=FeedForm(), feed=feed.feed_of(current_user), address=None
    )


@bp.route("/feed", methods=["POST"])
def feed_change():
    _require(AGENDA_ROLES)
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("action") == "revoke":
        feed.revoke(current_user)
        flash(_("The calendar address no longer works."), "success")
        return redirect(url_for("agenda.feed_settings"))
    token = feed.regenerate(current_user)
    address = url_for("agenda.ical", token=token, _external=True)
    return render_template(
        "agenda/feed.html", form=form, feed=feed.feed_of(current_user), address=address
    )


@bp.route("/feed/<token>.ics")
def ical(token: str):
    user = feed.user_for(token)
    if user is None:
        abort(404)
    body = feed.calendar_for(user, host=request.host.split(":")[0] or "gezel")
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"},
    )
