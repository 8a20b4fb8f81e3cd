"""Generated staff for `flask demo generate`: teams with a lead, companions and buddies,
spread over the generated partnerships (each with an administrator of its own)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.auth.models import Team, User, team_membership
from app.auth.passwords import hash_password
from app.auth.vocab import Role
from app.database import utcnow
from app.demo.kernel import Context, insert
from app.extensions import db
from app.partnerships.models import Partnership

GENERATED_TEAM_PREFIX = "Team gegenereerd"
CLIENTS_PER_COMPANION = 60  # a realistic caseload


def make_staff(ctx: Context, teams: int, n_clients: int) -> None:
    """Teams with a lead, enough companions for caseloads of about 60 and half as many
    buddies (password DEMO_PASSWORD). The teams go round the partnerships of ``ctx`` (team
    k to partnership k mod N), so every partnership has at least one; a team's staff belong
    to its partnership. Generated partnerships get an administrator each."""
    companions = max(6, -(-n_clients // (teams * CLIENTS_PER_COMPANION)))
    password = hash_password(current_app.config["DEMO_PASSWORD"])
    existing = db.session.scalar(
        sa.select(sa.func.count(Team.id)).where(Team.name.like(f"{GENERATED_TEAM_PREFIX}%"))
    )
    if ctx.new_partnerships:
        _make_admins(ctx, password)
    for number in range(existing + 1, existing + teams + 1):
        partnership_id = ctx.partnerships[(number - existing - 1) % len(ctx.partnerships)]
        team = Team(name=f"{GENERATED_TEAM_PREFIX} {number}", partnership_id=partnership_id)
        db.session.add(team)
        db.session.flush()
        ctx.teams.append(team)
        staff = [
            ("lead", Role.LEAD, 1),
            ("gezel", Role.COMPANION, companions),
            ("buddy", Role.BUDDY, max(3, companions // 2)),
        ]
        for prefix, role, how_many in staff:
            rows = [
                {
                    "username": f"gen{number}-{prefix}{index}",
                    "display_name": f"{prefix.title()} {index} (team {number})",
                    "role": role,
                    "password_hash": password,
                    "must_change_password": False,
                    "active": True,
                    "is_demo": True,
                    "partnership_id": partnership_id,
                    "can_administer": False,
                    "session_token": f"gen-{number}-{prefix}-{index}-{ctx.rng.random()}",
                    "created_at": utcnow(),
                }
                for index in range(1, how_many + 1)
            ]
            ids = insert(User, rows, returning=User.id)
            db.session.execute(
                sa.insert(team_membership), [{"user_id": i, "team_id": team.id} for i in ids]
            )
            target = {Role.LEAD: ctx.leads, Role.COMPANION: ctx.companions, Role.BUDDY: ctx.buddies}
            target[role][team.id] = ids
    ctx.count("teams", teams)


def _make_admins(ctx: Context, password: str) -> None:
    prefixes = dict(
        db.session.execute(
            sa.select(Partnership.id, Partnership.code_prefix).where(
                Partnership.id.in_(ctx.partnerships)
            )
        ).all()
    )
    rows = [
        {
            "username": f"gen-{prefixes[pid].lower()}-admin",
            "display_name": f"Admin {prefixes[pid]}",
            "role": Role.ADMIN,
            "password_hash": password,
            "must_change_password": False,
            "active": True,
            "is_demo": True,
            "partnership_id": pid,
            "can_administer": False,
            "session_token": f"gen-{prefixes[pid]}-admin-{ctx.rng.random()}",
            "created_at": utcnow(),
        }
        for pid in ctx.partnerships
    ]
    insert(User, rows)
    ctx.count("administrators", len(rows))
