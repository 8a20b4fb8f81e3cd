"""Fictional referral desks for the demo's social map: every organisation without a desk gets
one at an @example.org address (never a real one), so that under ``make run`` a referral sent
to any partner e-mails its link - written as an .eml file without MAIL_SERVER - and a newcomer
can answer it as the partner would, on one machine."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.organisations.fields import name_key
from app.organisations.models import Organisation

HOURS = "Maandag tot vrijdag 9-12 u., dinsdag ook 13-16 u."
HOW_TO_REFER = (
    "Verwijs door via Gezel: wij krijgen een link per e-mail. Bellen mag ook, liefst in de "
    "voormiddag."
)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")[:40] or "partner"


def seed_demo_desks() -> int:
    """Give every organisation without a referral desk e-mail a fictional desk; returns how
    many were given one (none when they all have one: it runs once)."""
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.desk_email.is_(None), Organisation.type != "employer")
        .order_by(Organisation.id)
    ).all()
    for number, org in enumerate(organisations, start=1):
        org.desk_name = "Onthaal"
        org.desk_email = f"verwijzen@{slug(org.name)}.example.org"
        org.desk_phone = f"016 00 {number // 100:02d} {number % 100:02d}"
        org.desk_hours = HOURS
        org.desk_how_to_refer = HOW_TO_REFER
    db.session.flush()
    return len(organisations)
