"""Who follows whom: companions, co-companions, buddy matches, reassignment and transfers."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients.models import BuddyMatch, Client
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today


def team_members(team_id: int, role: Role) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.teams.any(Team.id == team_id), User.role == role, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def companions_of_teams(team_ids: list[int]) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.teams.any(Team.id.in_(team_ids)),
                User.role == Role.COMPANION,
                User.active.is_(True),
            )
            .order_by(User.display_name)
        )
    )


def _check_companion(companion: User | None, team_id: int) -> None:
    if companion is None:
        return
    if (
        companion.role != Role.COMPANION
        or team_id not in companion.team_ids
        or not companion.active
    ):
        raise DomainError(_("Choose a companion of the person's team."), field="companion")


def assign_companions(
    client: Client, *, primary: User | None, co_companions: list[User], by: User
) -> None:
    """Set the primary companion and the co-companions (all of the client's team)."""
    _check_companion(primary, client.team_id)
    for companion in co_companions:
        _check_companion(companion, client.team_id)
    before = (client.primary_companion_id, sorted(u.id for u in client.co_companions))
    client.primary_companion = primary
    client.co_companions = [u for u in dict.fromkeys(co_companions) if u is not primary]
    after = (client.primary_companion_id, sorted(u.id for u in client.co_companions))
    if before != after:
        audit.record(
            "client.companions_assigned",
            client,
            user=by,
            details={"primary": primary.id if primary else None, "co": after[1]},
        )


def reassign(clients: list[Client], companion: User, *, by: User) -> int:
    """A lead moves clients of their team(s) to another companion of the same team; the new
    companion becomes primary. Returns how many changed."""
    if by.role != Role.LEAD:
        raise DomainError(_("Only a team lead can reassign clients."), 404)
    changed = 0
    for client in clients:
        if client.team_id not in by.team_ids:
            raise DomainError(_("You can only reassign clients of your own teams."), 404)
        _check_companion(companion, client.team_id)
        if client.primary_companion_id != companion.id:
            previous = client.primary_companion_id
            client.primary_companion = companion
            client.co_companions = [u for u in client.co_companions if u.id != companion.id]
            audit.record(
                "client.reassigned",
                client,
                user=by,
                details={"from": previous, "to": companion.id},
            )
            changed += 1
    return changed


def transfer(client: Client, team: Team, *, companion: User | None, by: User) -> None:
    """A lead moves a client of their team to another team (optionally with a companion
    there). Co-companions and buddy matches from the old team end."""
    if by.role != Role.LEAD or client.team_id not in by.team_ids:
        raise DomainError(_("Only a lead of the person's team can transfer them."), 404)
    if team is None or team.partnership_id != client.partnership_id:
        raise DomainError(
            _(
                "That team belongs to another partnership. Clients do not move between "
                "partnerships: export the file and register the person again there."
            ),
            404,
            field="team",
        )
    if team.id == client.team_id:
        raise DomainError(_("The person is already in this team."), field="team")
    _check_companion(companion, team.id)
    previous = client.team_id
    client.team = team
    client.primary_companion = companion
    client.co_companions = []
    for match in client.buddy_matches:
        if match.ended_on is None:
            match.ended_on = today()
    audit.record("client.transferred", client, user=by, details={"from": previous, "to": team.id})


def match_buddy(
    client: Client, buddy: User, *, started_on: date, note: str | None, by: User
) -> BuddyMatch:
    if buddy.role != Role.BUDDY or client.team_id not in buddy.team_ids or not buddy.active:
        raise DomainError(_("Choose a buddy of the person's team."), field="buddy")
    if client.is_closed:
        raise DomainError(_("The trajectory is closed."), 409)
    for match in client.buddy_matches:
        if match.buddy_id == buddy.id and (match.ended_on is None or match.ended_on >= today()):
            raise DomainError(_("This buddy is already matched with the person."), 409)
    match = BuddyMatch(
        buddy=buddy,
        started_on=started_on,
        note=(note or "").strip() or None,
        created_by_id=by.id,
    )
    client.buddy_matches.append(match)
    db.session.flush()
    audit.record("client.buddy_matched", match, user=by, client_id=client.id)
    return match


def end_buddy_match(match: BuddyMatch, *, ended_on: date, by: User) -> None:
    if match.ended_on is not None and match.ended_on <= today():
        raise DomainError(_("This match has already ended."), 409)
    if ended_on < match.started_on:
        raise DomainError(_("A match cannot end before it starts."), field="ended_on")
    match.ended_on = ended_on
    audit.record("client.buddy_match_ended", match, user=by, client_id=match.client_id)
