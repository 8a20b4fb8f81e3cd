"""Group session pages: the list, planning, registrations and the attendance screen."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.models import Team, User
from app.auth.vocab import Role
from app.bounds import MAX_ID, parse_int
from app.clients.caseload import team_members
from app.clients.models import Client
from app.clients.scoping import visible_clients
from app.clients.vocab import OPEN_PHASES
from app.errors import DomainError
from app.extensions import db
from app.forms import apply_error, choices, submit
from app.groups import bp, services
from app.groups.forms import RegisterBuddyForm, RegisterClientForm, SessionForm
from app.groups.models import GroupRegistration, GroupSession
from app.groups.vocab import Attendance
from app.labels import choices_for
from app.timeutil import local_date, to_local, today, zone


def _session_or_404(session_id: int, *, manage: bool = True) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None:
        abort(404)
    if services.can_manage(current_user, session):
        return session
    if not manage and db.session.scalar(
        sa.select(GroupSession.id).where(
            GroupSession.id == session.id, services.visible_sessions_clause(current_user)
        )
    ):
        return session
    abort(404)


def _require_manager():
    if current_user.role not in services.MANAGERS or not current_user.team_ids:
        abort(404)


@bp.route("/")
def index():
    if current_user.role not in (*services.MANAGERS, Role.BUDDY):
        abort(404)
    past = request.args.get("past") == "1"
    sessions = db.session.scalars(
        services.sessions_for(current_user, upcoming=not past).limit(100)
    ).all()
    return render_template(
        "groups/index.html",
        sessions=sessions,
        past=past,
        taken=services.registration_counts(s.id for s in sessions),
        manager=current_user.role in services.MANAGERS,
        to_local=to_local,
    )


def _facilitators() -> list[User]:
    people = {
        user.id: user
        for team_id in current_user.team_ids
        for role in services.MANAGERS
        for user in team_members(team_id, role)
    }
    return sorted(people.values(), key=lambda u: u.display_name)


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
def session_form(session_id: int | None = None):
    _require_manager()
    session = _session_or_404(session_id) if session_id else None
    form = SessionForm(obj=session)
    form.team.choices = choices((t.id, t.name) for t in current_user.teams)
    form.facilitator.choices = choices(
        [("", _("— none —"))] + [(u.id, u.display_name) for u in _facilitators()]
    )
    if request.method == "GET":
        if session is not None:
            local = to_local(session.starts_at)
            form.starts_on.data, form.starts_at.data = local.date(), local.time()
            form.team.data, form.facilitator.data = session.team_id, session.facilitator_id
        else:
            form.facilitator.data = current_user.id

    def save():
        values = {
            "team": db.session.get(Team, form.team.data),
            "title": form.title.data,
            "domain": form.domain.data,
            "starts_at": datetime.combine(form.starts_on.data, form.starts_at.data, zone()),
            "duration_minutes": form.duration_minutes.data,
            "place": form.place.data,
            "facilitator": db.session.get(User, form.facilitator.data)
            if form.facilitator.data
            else None,
            "capacity": form.capacity.data,
            "description": form.description.data,
            "by": current_user,
        }
        if session is None:
            saved = services.create_session(**values)
        else:
            services.update_session(session, **values)
            saved = session
        flash(_("Session saved."), "success")
        return redirect(url_for("groups.detail", session_id=saved.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template("groups/session_form.html", form=form, session=session), status


def _registration_forms(session: GroupSession):
    registered_clients = {r.client_id for r in session.registrations if r.client_id}
    registered_buddies = {r.buddy_id for r in session.registrations if r.buddy_id}
    candidates = db.session.execute(
        visible_clients(current_user)
        .where(Client.phase.in_(OPEN_PHASES))
        .with_only_columns(Client.id, Client.preferred_name, Client.code)
        .order_by(sa.func.lower(Client.preferred_name))
    ).all()
    client_form = RegisterClientForm(prefix="c")
    client_form.client.choices = choices(
        [("", _("— choose —"))]
        + [(c.id, f"{c.preferred_name} ({c.code})") for c in candidates
           if c.id not in registered_clients]
    )  # fmt: skip
    buddy_form = RegisterBuddyForm(prefix="b")
    buddy_form.buddy.choices = choices(
        [("", _("— choose —"))]
        + [(u.id, u.display_name) for u in team_members(session.team_id, Role.BUDDY)
           if u.id not in registered_buddies]
    )  # fmt: skip
    return client_form, buddy_form


def _detail_page(session, client_form=None, buddy_form=None, status=200):
    manager = services.can_manage(current_user, session)
    if manager and client_form is None:
        client_form, buddy_form = _registration_forms(session)
    return render_template(
        "groups/detail.html",
        session=session,
        manager=manager,
        client_form=client_form,
        buddy_form=buddy_form,
        local_start=to_local(session.starts_at),
        taken=len(session.registrations),
        attendance_open=local_date(session.starts_at) <= today(),
        registration_open=local_date(session.starts_at) >= today(),
    ), status


@bp.route("/<int:session_id>")
def detail(session_id: int):
    return _detail_page(_session_or_404(session_id, manage=False))


@bp.route("/<int:session_id>/register", methods=["POST"])
def register(session_id: int):
    session = _session_or_404(session_id)
    client_form, buddy_form = _registration_forms(session)
    is_buddy = "b-buddy" in request.form
    form = buddy_form if is_buddy else client_form
    chosen = form.buddy.data if is_buddy else form.client.data
    if not form.validate_on_submit() or not chosen:
        field = form.buddy if is_buddy else form.client
        field.errors = [*field.errors, _("Choose a person from the list.")]
        return _detail_page(session, client_form, buddy_form, 422)
    try:
        if is_buddy:
            buddy = db.session.get(User, chosen)
            if buddy is None:
                abort(404)
            services.register_buddy(session, buddy, by=current_user)
            name = buddy.display_name
        else:
            client = db.session.get(Client, chosen)
            if client is None:
                abort(404)
            services.register_client(session, client, by=current_user)
            name = client.preferred_name
    except DomainError as error:
        apply_error(form, error)
        return _detail_page(session, client_form, buddy_form, error.status)
    flash(_("%(name)s is registered.", name=name), "success")
    return redirect(url_for("groups.detail", session_id=session.id))


@bp.route("/<int:session_id>/registrations/<int:registration_id>/remove", methods=["POST"])
def unregister(session_id: int, registration_id: int):
    session = _session_or_404(session_id)
    registration = db.session.get(GroupRegistration, registration_id)
    if registration is None or registration.session_id != session.id:
        abort(404)
    try:
        services.unregister(registration, by=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _detail_page(session, status=error.status)
    flash(_("Registration removed."), "success")
    return redirect(url_for("groups.detail", session_id=session.id))


def _posted_marks() -> dict[int, str]:
    """{registration id: mark} from the attendance form's ``attendance-<id>`` fields; an id
    that is not a number becomes -1, which no registration has (the service refuses it)."""
    marks = {}
    for key, value in request.form.items():
        if key.startswith("attendance-"):
            suffix = key.removeprefix("attendance-")
            number = parse_int(suffix, low=1, high=MAX_ID)
            marks[-1 if number is None else number] = value
    return marks


@bp.route("/<int:session_id>/attendance", methods=["GET", "POST"])
def attendance(session_id: int):
    """One tablet screen: a row per registered person, present / absent / excused. (The
    CSRF token is checked for every POST by CSRFProtect.)"""
    session = _session_or_404(session_id)
    status, errors = 200, []
    marks = {r.id: (r.attendance.value if r.attendance else "") for r in session.registrations}
    if request.method == "POST":
        posted = _posted_marks()
        marks.update({rid: value for rid, value in posted.items() if rid in marks})
        try:
            changed = services.record_attendance(session, posted, by=current_user)
        except DomainError as error:
            errors.append(error.message)
            status = error.status
        else:
            flash(
                ngettext(
                    "Attendance saved (%(num)d change).",
                    "Attendance saved (%(num)d changes).",
                    changed,
                ),
                "success",
            )
            return redirect(url_for("groups.detail", session_id=session.id))
    return render_template(
        "groups/attendance.html",
        session=session,
        marks=marks,
        errors=errors,
        choices=choices_for(Attendance),
        local_start=to_local(session.starts_at),
    ), status
