"""Synthetic links for `flask demo generate`, the last step: a co-companion for some clients,
the organisations present at some contacts, and goals linked to the contacts and referrals
that served them. Pages read these through link tables; without them in the generated data
the bench could not see a plan that joins a link table for the whole installation.

It runs last in each round and draws from a generator of its own (seeded with the round's
first client id), so every other step makes the same data as before it existed; it reads
the round's contacts, referrals and goals back per batch of clients (bounded memory)."""

from __future__ import annotations

import random

import sqlalchemy as sa

from app.clients.models import co_companion
from app.contacts.models import Contact, contact_organisation
from app.demo.kernel import Context, insert
from app.demo.steps.referrals import _organisations
from app.extensions import db
from app.plans.models import Goal, goal_contact, goal_referral
from app.referrals.models import Referral

CLIENTS_PER_BATCH = 2000
CO_COMPANION_SHARE = 0.15  # clients with a second companion
ORGANISATION_SHARE = 0.15  # contacts where someone of an organisation was present
GOAL_CONTACT_SHARE = 0.4  # goals linked to a contact of the client
GOAL_REFERRAL_SHARE = 0.5  # goals linked to a referral of the same domain


def _by_client(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for client_id, *rest in rows:
        grouped.setdefault(client_id, []).append(rest[0] if len(rest) == 1 else tuple(rest))
    return grouped


def make_links(ctx: Context) -> None:
    if not ctx.clients:
        return
    rng = random.Random(ctx.clients[0]["id"])
    for begin in range(0, len(ctx.clients), CLIENTS_PER_BATCH):
        batch = ctx.clients[begin : begin + CLIENTS_PER_BATCH]
        ids = [client["id"] for client in batch]
        contacts = _by_client(
            db.session.execute(
                sa.select(Contact.client_id, Contact.id)
                .where(Contact.client_id.in_(ids))
                .order_by(Contact.client_id, Contact.id)
            )
        )
        referrals = _by_client(
            db.session.execute(
                sa.select(Referral.client_id, Referral.id, Referral.domain)
                .where(Referral.client_id.in_(ids))
                .order_by(Referral.client_id, Referral.id)
            )
        )
        goals = _by_client(
            db.session.execute(
                sa.select(Goal.client_id, Goal.id, Goal.domain)
                .where(Goal.client_id.in_(ids))
                .order_by(Goal.client_id, Goal.id)
            )
        )
        companions, present, goal_contacts, goal_referrals = [], [], [], []
        for client in batch:
            team = ctx.companions.get(client["team_id"], [])
            others = [u for u in team if u != client["companion_id"]]
            if others and rng.random() < CO_COMPANION_SHARE:
                companions.append({"client_id": client["id"], "user_id": rng.choice(others)})
            own = contacts.get(client["id"], [])
            organisations = _organisations(ctx, client["partnership_id"])
            if organisations:
                for contact_id in own:
                    if rng.random() < ORGANISATION_SHARE:
                        for org_id, _domains in rng.sample(organisations, rng.choice([1, 1, 2])):
                            present.append({"contact_id": contact_id, "organisation_id": org_id})
            for goal_id, domain in goals.get(client["id"], []):
                if own and rng.random() < GOAL_CONTACT_SHARE:
                    for contact_id in rng.sample(own, min(len(own), rng.choice([1, 2, 3]))):
                        goal_contacts.append({"goal_id": goal_id, "contact_id": contact_id})
                same = [r for r, r_domain in referrals.get(client["id"], []) if r_domain == domain]
                if same and rng.random() < GOAL_REFERRAL_SHARE:
                    goal_referrals.append({"goal_id": goal_id, "referral_id": rng.choice(same)})
        insert(co_companion, companions)
        insert(contact_organisation, present)
        insert(goal_contact, goal_contacts)
        insert(goal_referral, goal_referrals)
        ctx.count("co-companions", len(companions))
        ctx.count("organisations at contacts", len(present))
        ctx.count("goal links", len(goal_contacts) + len(goal_referrals))
