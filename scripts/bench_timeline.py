#!/usr/bin/env python3
"""How fast is the client timeline with a long history? Builds one client with 2,000 events
(contacts, check-ins, phase changes) in a fresh SQLite database and times a few pages.

Usage: scripts/bench_timeline.py [--events 2000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(events: int):
    """One client with ``events`` events: half contacts, a quarter check-ins and phases."""
    import sqlalchemy as sa

    from app.auth import services as auth_services
    from app.checkins.models import CheckIn
    from app.clients import services as client_services
    from app.clients.models import BuddyMatch, PhaseChange
    from app.contacts.models import Contact, ContactDomain
    from app.extensions import db
    from app.timeutil import local_date, today, zone

    team = auth_services.create_team("Timeline", by=None)
    companion, _ = auth_services.create_user(
        username="tl-companion", display_name="C", role="companion", teams=[team],
        password="timeline-password",
    )  # fmt: skip
    buddy, _ = auth_services.create_user(
        username="tl-buddy", display_name="B", role="buddy", teams=[team],
        password="timeline-password",
    )  # fmt: skip
    client = client_services.register_client(
        preferred_name="Lange geschiedenis", municipality="haacht", place_met="street",
        registered_on=date(2000, 1, 1), team=team, by=companion,
    )  # fmt: skip
    match = BuddyMatch(client=client, buddy=buddy, started_on=date(2000, 1, 1))
    db.session.add(match)
    db.session.flush()
    start = today() - timedelta(days=events)
    contacts, checkins, phases = [], [], []
    for number in range(events):
        day = start + timedelta(days=number)
        moment = datetime.combine(day, clock(9, number % 60), tzinfo=zone())
        common = {"client_id": client.id}
        if number % 4 in (0, 1):
            contacts.append({
                **common, "author_id": companion.id, "kind": "outreach",
                "outcome": "reached" if number % 3 else "attempt", "occurred_at": moment,
                "occurred_on": local_date(moment), "created_at": moment, "updated_at": moment,
            })  # fmt: skip
        elif number % 4 == 2:
            checkins.append({
                **common, "buddy_id": buddy.id, "match_id": match.id, "occurred_on": day,
                "activity": "walk", "duration_minutes": 60, "rating": 4, "worry": False,
                "created_at": moment,
            })  # fmt: skip
        else:
            phases.append({
                **common, "from_phase": "outreach", "to_phase": "engagement",
                "effective_on": day, "changed_at": moment, "without_consent": False,
            })  # fmt: skip
    db.session.execute(sa.insert(Contact), contacts)
    db.session.execute(sa.insert(CheckIn), checkins)
    db.session.execute(sa.insert(PhaseChange), phases)
    ids = db.session.scalars(sa.select(Contact.id)).all()
    db.session.execute(sa.insert(ContactDomain), [{"contact_id": i, "domain": "housing"}
                                                  for i in ids[::2]])  # fmt: skip
    db.session.commit()
    return client.id


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="gezel-timeline-"))
    url = args.database_url or f"sqlite:///{workdir / 'timeline.db'}"

    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.reference import Domain
    from app.timeline.queries import timeline_page

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    try:
        with app.app_context():
            upgrade()
            client_id = build(args.events)
            cases = {
                "first page": {},
                "middle page": {"page": args.events // 40},
                "last page": {"page": args.events // 20 + 1},
                "contacts in housing, page 5": {
                    "kind": "contact",
                    "domain": Domain.HOUSING,
                    "page": 5,
                },  # fmt: skip
            }
            print(f"Timeline of one client with {args.events} events ({db.engine.dialect.name}):")
            for name, filters in cases.items():
                times = []
                for _ in range(20):
                    db.session.expire_all()
                    started = time.perf_counter()
                    page, entries = timeline_page(client_id, per_page=20, **filters)
                    times.append((time.perf_counter() - started) * 1000)
                print(
                    f"  {name:<30} {len(entries):>3} entries of {page.total:>5}: "
                    f"median {statistics.median(times):6.1f} ms, max {max(times):6.1f} ms"
                )
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
