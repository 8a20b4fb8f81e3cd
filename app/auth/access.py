"""Who may give an account access: four eyes for client files and administration rights.

- Nobody changes their own role, teams or administration rights.
- What gives an account more access — a role that reads more client files, a team added,
  administration rights, (re)activation, another e-mail address (where its set-up links go)
  — is asked by one administrator and takes effect only when a second one, who is neither
  the one who asked nor the account concerned, confirms it. The one who asked can withdraw
  it; another administrator can decline it.
- What takes access away (a lower role, a team removed, rights taken away, deactivation)
  takes effect at once.
- The operator's command line (`flask users ...`) is trusted: it changes accounts at once.

Every change is audited with its old and new values, who asked and who confirmed; leads
see those of their teams' members on their start page (app/auth/home.py).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app import hooks
from app.audit import services as audit
from app.audit.models import AuditEvent
from app.auth import services, sessions, setup_links
from app.auth.models import AccessChange, Team, User, new_session_token
from app.auth.services import AuthError
from app.auth.vocab import AccessChangeStatus, Role
from app.database import utcnow
from app.extensions import db
from app.labels import label
from app.partnerships.context import current_partnership_id

# How much of the client files a role reads; a higher rank is more access.
# The privacy officer ranks highest: a subject access export holds a whole file.
RANK = {Role.ADMIN: 0, Role.BUDDY: 1, Role.COMPANION: 2, Role.LEAD: 3, Role.PRIVACY_OFFICER: 4}
# Audit actions of changes to an account's access (shown to leads).
ACCESS_ACTIONS = (
    "user.role_changed",
    "user.teams_changed",
    "user.admin_right_changed",
    "user.activated",
    "user.deactivated",
)
_UNCHANGED = object()


class OwnAccessRefused(AuthError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "You cannot change your own role, teams or administration rights. "
                "Ask another administrator."
            ),
            403,
        )


def pending_for(user: User) -> AccessChange | None:
    return db.session.scalar(
        sa.select(AccessChange).where(
            AccessChange.user_id == user.id, AccessChange.status == AccessChangeStatus.PENDING
        )
    )


def pending_changes(partnership_id: int | None = None) -> list[AccessChange]:
    """The pending changes to accounts of ``partnership_id`` (default: the current one)."""
    if partnership_id is None:
        partnership_id = current_partnership_id()
    return list(
        db.session.scalars(
            sa.select(AccessChange)
            .join(User, User.id == AccessChange.user_id)
            .where(
                AccessChange.status == AccessChangeStatus.PENDING,
                User.partnership_id == partnership_id,
            )
            .order_by(AccessChange.requested_at)
        )
    )


# Applying a change: each records its audit event with the old and new values.


def _context(user: User, extra_team_ids=(), **who) -> dict:
    """What every access event says besides its values: the teams concerned (old and new,
    for the leads' start page), who asked and who confirmed."""
    return {
        "team_ids": sorted(set(user.team_ids) | set(extra_team_ids)),
        "requested_by": who.get("requested_by"),
        "confirmed_by": who.get("confirmed_by"),
    }


def _set_role(user: User, role: Role, *, by: User | None, **who) -> None:
    old = user.role
    user.role = role
    audit.record(
        "user.role_changed",
        user,
        user=by,
        actor=None if by else "system",
        details={"old": old.value, "new": role.value, **_context(user, **who)},
    )


def _set_teams(user: User, teams: list[Team], *, by: User | None, **who) -> None:
    old = list(user.teams)
    old_ids = {t.id for t in old}
    new_ids = {t.id for t in teams}
    user.teams = sorted(teams, key=lambda t: t.name)
    audit.record(
        "user.teams_changed",
        user,
        user=by,
        actor=None if by else "system",
        details={
            "old": sorted(t.name for t in old),
            "new": sorted(t.name for t in teams),
            "added": sorted(t.name for t in teams if t.id not in old_ids),
            "removed": sorted(t.name for t in old if t.id not in new_ids),
            **_context(user, old_ids, **who),
        },
    )


def _set_admin(user: User, value: bool, *, by: User | None, **who) -> None:
    old = user.can_administer
    user.can_administer = value
    audit.record(
        "user.admin_right_changed",
        user,
        user=by,
        actor=None if by else "system",
        details={"old": old, "new": value, **_context(user, **who)},
    )


def _set_email(user: User, email: str | None, *, by: User | None, **who) -> None:
    old = user.email
    user.email = email
    audit.record(
        "user.email_changed",
        user,
        user=by,
        actor=None if by else "system",
        details={"old": old, "new": email, **_context(user, **who)},
    )


def activate(user: User, *, by: User | None, **who) -> None:
    user.active = True
    audit.record(
        "user.activated",
        user,
        user=by,
        actor=None if by else "system",
        details={
            "role": user.role.value,
            "teams": [t.name for t in user.teams],
            "admin": user.can_administer,
            **_context(user, **who),
        },
    )


def deactivate(user: User, *, by: User | None) -> None:
    user.active = False
    user.session_token = new_session_token()  # ends every session at once
    sessions.end_all(user)
    hooks.user_deactivated.send(user, by=by)  # the API revokes the account's tokens
    audit.record(
        "user.deactivated",
        user,
        user=by,
        actor=None if by else "system",
        details=_context(user, requested_by=getattr(by, "username", None)),
    )


# Asking, confirming, withdrawing.


def _ask(user: User, *, by: User, **asked) -> AccessChange:
    if pending_for(user) is not None:
        raise AuthError(
            _(
                "A change to this account already awaits confirmation. Have it confirmed or "
                "withdraw it first."
            ),
            409,
        )
    change = AccessChange(user=user, requested_by=by, **asked)
    db.session.add(change)
    db.session.flush()
    audit.record(
        "user.access_requested",
        user,
        user=by,
        details={"change": change.id, **describe_asked(change)},
    )
    return change


def change_access(
    user: User,
    *,
    by: User | None,
    role: Role | None = None,
    teams: list[Team] | None = None,
    can_administer: bool | None = None,
    email=_UNCHANGED,
) -> AccessChange | None:
    """Change the role, teams, administration rights and e-mail address of ``user``: what
    takes access away at once, what gives access as a change for a second administrator
    to confirm (returned). ``by`` None is the operator's command line: all at once."""
    role = user.role if role is None else Role(role)
    teams = list(user.teams) if teams is None else list(teams)
    can_administer = user.can_administer if can_administer is None else bool(can_administer)
    if email is not _UNCHANGED:
        email = (email or "").strip() or None
    services.check_same_partnership(user.partnership_id, teams)
    old_ids, new_ids = set(user.team_ids), {t.id for t in teams}
    own = by is not None and by.id == user.id
    if own and (role != user.role or new_ids != old_ids or can_administer != user.can_administer):
        raise OwnAccessRefused()
    who = {"requested_by": by.username if by else None}

    if by is None:
        asked = {}
    else:
        gains_admin = not user.is_admin and role == Role.ADMIN
        asked = {
            "role": role if RANK[role] > RANK[user.role] or gains_admin else None,
            "add_team_ids": sorted(new_ids - old_ids) or None,
            "grant_admin": can_administer and not user.can_administer,
            "email": email if email not in (_UNCHANGED, None, user.email) and not own else None,
        }
        asked = {key: value for key, value in asked.items() if value}

    # What takes access away (or is not asked) applies now.
    if role != user.role and "role" not in asked:
        _set_role(user, role, by=by, **who)
    keep = teams if "add_team_ids" not in asked else [t for t in user.teams if t.id in new_ids]
    if {t.id for t in keep} != old_ids:
        _set_teams(user, keep, by=by, **who)
    if can_administer != user.can_administer and "grant_admin" not in asked:
        _set_admin(user, can_administer, by=by, **who)
    if email not in (_UNCHANGED, user.email) and "email" not in asked:
        _set_email(user, email, by=by, **who)
    return _ask(user, by=by, **asked) if asked else None


def request_activation(user: User, *, by: User | None, new_account: bool = False):
    """(Re)activate an account: at once from the command line, else by a second admin."""
    if by is None:
        activate(user, by=None)
        return None
    return _ask(user, by=by, activate=True, send_setup_link=new_account)


def confirm(change: AccessChange, *, by: User) -> AccessChange:
    """A second administrator confirms ``change``: it takes effect now."""
    if change.status != AccessChangeStatus.PENDING:
        raise AuthError(_("This change has already been decided."), 409)
    if by.id == change.requested_by_id:
        raise AuthError(
            _("You asked for this change yourself: another administrator confirms it."), 403
        )
    if by.id == change.user_id:
        raise AuthError(_("Nobody confirms a change to their own account."), 403)
    user = change.user
    who = {
        "requested_by": change.requested_by.username if change.requested_by else None,
        "confirmed_by": by.username,
    }
    if change.email:
        _set_email(user, change.email, by=by, **who)
    if change.role is not None and change.role != user.role:
        _set_role(user, change.role, by=by, **who)
    if change.add_team_ids:
        added = db.session.scalars(sa.select(Team).where(Team.id.in_(change.add_team_ids)))
        teams = {t.id: t for t in user.teams} | {t.id: t for t in added}
        if set(teams) != set(user.team_ids):
            _set_teams(user, list(teams.values()), by=by, **who)
    if change.grant_admin and not user.can_administer:
        _set_admin(user, True, by=by, **who)
    if change.activate and not user.active:
        activate(user, by=by, **who)
    change.status = AccessChangeStatus.CONFIRMED
    change.decided_by = by
    change.decided_at = utcnow()
    audit.record(
        "user.access_confirmed",
        user,
        user=by,
        details={"change": change.id, "requested_by": who["requested_by"]},
    )
    return change


def withdraw(change: AccessChange, *, by: User) -> None:
    """The administrator who asked withdraws ``change``; another one declines it."""
    if change.status != AccessChangeStatus.PENDING:
        raise AuthError(_("This change has already been decided."), 409)
    if by.id == change.user_id and by.id != change.requested_by_id:
        raise AuthError(_("Nobody confirms a change to their own account."), 403)
    own = by.id == change.requested_by_id
    change.status = AccessChangeStatus.WITHDRAWN if own else AccessChangeStatus.DECLINED
    change.decided_by = by
    change.decided_at = utcnow()
    audit.record(
        "user.access_withdrawn" if own else "user.access_declined",
        change.user,
        user=by,
        details={"change": change.id},
    )


# Describing changes, for the admin pages and the leads' start page.


def _team_names(ids) -> str:
    if not ids:
        return ""
    names = db.session.scalars(sa.select(Team.name).where(Team.id.in_(ids)).order_by(Team.name))
    return ", ".join(names)


def describe_asked(change: AccessChange) -> dict:
    return {
        key: value
        for key, value in {
            "role": change.role.value if change.role else None,
            "add_teams": [t for t in _team_names(change.add_team_ids).split(", ") if t],
            "grant_admin": change.grant_admin,
            "email": change.email,
            "activate": change.activate,
        }.items()
        if value
    }


def describe_change(change: AccessChange) -> list[str]:
    """What a pending change gives, in words."""
    user = change.user
    lines = []
    if change.send_setup_link:
        lines.append(
            _(
                "New account: %(role)s; teams: %(teams)s",
                role=label(user.role),
                teams=", ".join(t.name for t in user.teams) or "—",
            )
        )
        if user.can_administer:
            lines.append(_("Administration rights given"))
        lines.append(_("A link to choose a password goes to %(email)s", email=user.email))
    elif change.activate:
        lines.append(_("Account activated"))
    if change.role is not None:
        lines.append(_("Role: %(old)s → %(new)s", old=label(user.role), new=label(change.role)))
    if change.add_team_ids:
        lines.append(_("Teams added: %(teams)s", teams=_team_names(change.add_team_ids)))
    if change.grant_admin:
        lines.append(_("Administration rights given"))
    if change.email:
        lines.append(
            _("E-mail address: %(old)s → %(new)s", old=user.email or "—", new=change.email)
        )
    return lines


def describe_event(event: AuditEvent) -> str:
    details = event.details or {}
    if event.action == "user.role_changed":
        return _(
            "Role: %(old)s → %(new)s",
            old=label(Role(details["old"])),
            new=label(Role(details["new"])),
        )
    if event.action == "user.teams_changed":
        parts = []
        if details.get("added"):
            parts.append(_("Teams added: %(teams)s", teams=", ".join(details["added"])))
        if details.get("removed"):
            parts.append(_("Teams removed: %(teams)s", teams=", ".join(details["removed"])))
        return "; ".join(parts)
    if event.action == "user.admin_right_changed":
        return (
            _("Administration rights given")
            if details.get("new")
            else _("Administration rights taken away")
        )
    if event.action == "user.activated" and "role" in details:
        return _(
            "Account activated: %(role)s; teams: %(teams)s",
            role=label(Role(details["role"])),
            teams=", ".join(details.get("teams", [])) or "—",
        )
    if event.action == "user.activated":
        return _("Account activated")
    return _("Account deactivated")


def recent_changes_for(lead: User, days: int = 30, limit: int = 50) -> list[dict]:
    """Access changes of the last ``days`` to members (present or past) of ``lead``'s teams."""
    team_ids = set(lead.team_ids)
    if not team_ids:
        return []
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.action.in_(ACCESS_ACTIONS),
            AuditEvent.object_type == "User",
            AuditEvent.at >= utcnow() - timedelta(days=days),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1000)
    )
    events = [e for e in events if team_ids & set((e.details or {}).get("team_ids", []))][:limit]
    ids = {int(e.object_id) for e in events}
    names = {e.details.get(k) for e in events for k in ("requested_by", "confirmed_by")} - {None}
    members = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
    people = dict(
        db.session.execute(
            sa.select(User.username, User.display_name).where(User.username.in_(names))
        ).all()
    )
    return [
        {
            "at": event.at,
            "member": members.get(int(event.object_id)),
            "what": describe_event(event),
            "by": people.get(event.details.get("requested_by"), event.details.get("requested_by")),
            "confirmed_by": people.get(
                event.details.get("confirmed_by"), event.details.get("confirmed_by")
            ),
        }
        for event in events
    ]


def propose_account(*, by: User, email: str | None, **fields) -> AccessChange:
    """A new account made by an administrator: inactive, without a usable password, until a
    second administrator confirms it; then its link to choose a password is e-mailed."""
    user, _temporary = services.create_user(email=email, by=by, **fields)
    setup_links.require_email(user)
    user.password_hash = setup_links.unusable_password_hash()  # nobody has seen one
    user.active = False
    return request_activation(user, by=by, new_account=True)


ACCESS_FIELDS = ("role", "teams", "can_administer", "email")


def update_user(user: User, *, by: User | None, **fields) -> list[str]:
    """Change account fields (username, display_name, locale, and through app/auth/access.py
    role, teams, can_administer and email); returns the names of the plain fields that
    changed. What gives access waits for a second administrator (see change_access)."""
    access_fields = {name: fields.pop(name) for name in ACCESS_FIELDS if name in fields}
    changed = []
    if "username" in fields:
        fields["username"] = services.validate_username(fields["username"], exclude=user)
    for name, value in fields.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    if changed:
        audit.record("user.updated", user, user=by, details={"fields": changed})
    if access_fields:
        change_access(user, by=by, **access_fields)
    return changed


def set_active(user: User, active: bool, *, by: User | None):
    """Deactivate an account (its sessions end at once), or ask to activate it: a second
    administrator confirms that. Returns the pending change, if any."""
    if by is not None and user.id == by.id and not active:
        raise AuthError(_("You cannot deactivate your own account."))
    if user.active == active:
        return None
    if not active:
        deactivate(user, by=by)
        return None
    return request_activation(user, by=by)
