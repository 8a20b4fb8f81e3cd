"""The steps of `flask demo generate` after the staff and the clients, in the order they run.

The order is part of the data: the steps share one seeded random generator, so the same N
gives the same data only if they run in the same order. Check-ins need the buddy matches;
a new step goes where its inputs exist, normally at the end."""

from __future__ import annotations

from collections.abc import Callable

from app.demo.kernel import Context
from app.demo.steps import checkins, clients, contacts, links, measurements, plans, referrals

STEPS: list[tuple[str, Callable[[Context], None]]] = [
    ("buddy matches", clients.make_buddy_matches),
    ("check-ins", checkins.make_checkins),
    ("contacts", contacts.make_contacts),
    ("referrals", referrals.make_referrals),
    ("goals", plans.make_goals),
    ("measurements", measurements.make_measurements),
    ("links", links.make_links),
]
