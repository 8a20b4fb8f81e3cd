"""Synthetic referrals for `flask demo generate`: about half of the clients who reached the
trajectory get one or two, each walked along the lifecycle table with plausible dates, so
that the pages, the organisation numbers and the reminder scan meet realistic data."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.clients.vocab import Phase
from app.database import utcnow
from app.demo.kernel import SHARED_DOMAINS, Context, insert, moment
from app.extensions import db
from app.organisations.models import Organisation
from app.referrals.lifecycle import (
    ACCEPTING,
    APPOINTMENT_OUTCOMES,
    AWAITING_RESPONSE,
    INITIAL,
    NEEDS_APPOINTMENT_DATE,
    NEEDS_REASON,
    TERMINAL,
    ReferralStatus,
    allowed_targets,
)
from app.referrals.models import Referral, ReferralStatusChange
from app.referrals.vocab import SharingBasis

RESPONSE_DAYS = 14
REASONS = ["Wachtlijst te lang", "Valt niet onder de doelgroep", "Verhuisd", "Wil niet meer"]


def _organisations(ctx: Context, partnership_id: int) -> list[tuple[int, list]]:
    """The partnership's social map (its active organisations with the domains they serve),
    read once per run: a client is referred only to an organisation of their partnership."""
    if partnership_id not in ctx.organisations:
        organisations = db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.active, Organisation.partnership_id == partnership_id)
            .order_by(Organisation.id)
        )  # a fixed order: the same seed gives the same data on both databases
        ctx.organisations[partnership_id] = [
            (org.id, org.domains) for org in organisations if org.domains
        ]
    return ctx.organisations[partnership_id]


def _walk(ctx: Context, start) -> list[tuple]:
    """(from, to, day, appointment) moves from draft on ``start``, never past today."""
    rng, moves, state, day, appointment = ctx.rng, [], INITIAL, start, None
    while state not in TERMINAL and rng.random() < 0.85:
        targets = allowed_targets(state)
        forward = [t for t in targets if t not in NEEDS_REASON and t != state]
        target = rng.choice(forward if forward and rng.random() < 0.8 else targets)
        day = day + timedelta(days=rng.randint(0, 9))
        if target in APPOINTMENT_OUTCOMES:
            day = max(day, appointment)
        if day > ctx.today:
            break
        if target in NEEDS_APPOINTMENT_DATE:
            appointment = day + timedelta(days=rng.randint(0, 12))
        moves.append(
            (state, target, day, appointment if target in NEEDS_APPOINTMENT_DATE else None)
        )
        state = target
    return moves


def make_referrals(ctx: Context) -> None:
    rng, rows, walks = ctx.rng, [], []
    for client in ctx.clients:
        organisations = _organisations(ctx, client["partnership_id"])
        if not organisations:
            continue
        phases = dict(client["path"])
        entered = phases.get(Phase.TRAJECTORY)
        if entered is None or rng.random() < 0.5:
            continue
        until = phases.get(Phase.CLOSED, ctx.today)
        for _ in range(rng.randint(1, 2)):
            org_id, domains = rng.choice(organisations)
            domain = rng.choice(domains)
            start = entered + timedelta(days=rng.randint(0, max((until - entered).days, 0)))
            moves = _walk(ctx, start)
            state = moves[-1][1] if moves else INITIAL
            sent = next((m[2] for m in moves if m[1] == ReferralStatus.SENT), None)
            accepted = next(
                (m[2] for m in moves if m[0] in AWAITING_RESPONSE and m[1] in ACCEPTING), None
            )
            consented = domain in SHARED_DOMAINS
            rows.append({
                "client_id": client["id"], "organisation_id": org_id, "domain": domain,
                "question": "Gegenereerde vraag.", "referred_on": start,
                "response_deadline": (sent or start) + timedelta(days=RESPONSE_DAYS),
                "warm_handover": rng.random() < 0.3, "handover_on": None,
                "status": state, "status_since": moves[-1][2] if moves else start,
                "appointment_on": next((m[3] for m in reversed(moves) if m[3]), None),
                "sent_on": sent, "accepted_on": accepted,
                "shared_basis": (
                    None if sent is None
                    else SharingBasis.CONSENT_DOMAIN if consented else SharingBasis.OVERRIDE
                ),
                "shared_fields": None if sent is None else ["preferred_name", "domain", "question"],
                "override_reason": None if consented or sent is None else "Mondeling akkoord",
                "created_by_id": client["companion_id"], "created_at": utcnow(),
                "updated_at": utcnow(),
            })  # fmt: skip
            walks.append((start, client["companion_id"], moves))
    for row in rows:
        if row["warm_handover"]:
            row["handover_on"] = row["appointment_on"] or row["referred_on"]
    ids = insert(Referral, rows, returning=Referral.id)
    changes = []
    for referral_id, (start, by, moves) in zip(ids, walks, strict=True):
        first = (None, INITIAL, start, None)
        for source, target, day, appointment in [first, *moves]:
            changes.append({
                "referral_id": referral_id, "from_status": source, "to_status": target,
                "effective_on": day, "at": moment(day, rng), "by_id": by,
                "appointment_on": appointment,
                "reason": rng.choice(REASONS) if target in NEEDS_REASON else None,
            })  # fmt: skip
    insert(ReferralStatusChange, changes)
    ctx.count("referrals", len(ids))
    ctx.count("referral status changes", len(changes))
