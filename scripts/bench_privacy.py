#!/usr/bin/env python3
"""How fast are anonymisation and the subject access export? In a fresh database: generate
5,000 files with their histories and anonymise them all (what a retention run or erasures
do), then build one client with 500 contacts (each with notes at three levels) and export
their whole file as JSON and as the print page.

Usage: scripts/bench_privacy.py [--clients 5000] [--contacts 500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_client_with_contacts(contacts: int) -> tuple[int, str]:
    """A client with ``contacts`` contacts, each with a practical, team and sensitive note."""
    import sqlalchemy as sa

    from app.auth import services as auth_services
    from app.clients import services as client_services
    from app.contacts.models import Contact, Note
    from app.extensions import db
    from app.timeutil import local_date, today, zone

    team = auth_services.create_team("Inzage", by=None)
    companion, _ = auth_services.create_user(
        username="inzage-gezel", display_name="C", role="companion", teams=[team],
        password="privacy-password",
    )  # fmt: skip
    officer, _ = auth_services.create_user(
        username="inzage-fg", display_name="F", role="privacy_officer", teams=[],
        password="privacy-password",
    )  # fmt: skip
    client = client_services.register_client(
        preferred_name="Lang dossier", municipality="haacht", place_met="street",
        registered_on=date(2020, 1, 1), team=team, by=companion,
    )  # fmt: skip
    start = today() - timedelta(days=contacts)
    rows = []
    for number in range(contacts):
        moment = datetime.combine(start + timedelta(days=number), clock(10), tzinfo=zone())
        rows.append({
            "client_id": client.id, "author_id": companion.id, "kind": "outreach",
            "outcome": "reached", "occurred_at": moment, "occurred_on": local_date(moment),
            "place": f"Plaats {number}", "next_step": "Opnieuw langsgaan",
            "created_at": moment, "updated_at": moment,
        })  # fmt: skip
    db.session.execute(sa.insert(Contact), rows)
    ids = db.session.scalars(sa.select(Contact.id).where(Contact.client_id == client.id)).all()
    db.session.execute(sa.insert(Note), [
        {"client_id": client.id, "contact_id": cid, "level": level, "author_id": companion.id,
         "body": f"Notitie {level} bij contact {cid}: " + "tekst " * 40}
        for cid in ids for level in ("practical", "team", "sensitive")
    ])  # fmt: skip
    db.session.commit()
    return client.id, officer.username


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="gezel-privacy-"))
    url = args.database_url or f"sqlite:///{workdir / 'privacy.db'}"

    import json

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.clients.models import Client
    from app.contacts.models import Note
    from app.database import write_transaction
    from app.demo.generate import generate
    from app.extensions import db
    from app.privacy.anonymise import anonymise
    from app.privacy.subject_access import collect

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    try:
        with app.app_context():
            upgrade()
            dialect = db.engine.dialect.name
            print(f"Privacy on {dialect}:")
            started = time.perf_counter()
            generate(args.clients, seed=16, scan_reminders=False)
            db.session.commit()
            ids = db.session.scalars(sa.select(Client.id)).all()
            notes = db.session.scalar(sa.select(sa.func.count()).select_from(Note))
            print(f"  generated {len(ids)} files ({notes} notes) in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip

            started = time.perf_counter()
            with write_transaction():
                done = anonymise(ids)
                db.session.commit()
            took = time.perf_counter() - started
            per_file = took / max(done, 1) * 1000
            print(f"  anonymise {done} files: {took:.2f} s ({per_file:.2f} ms/file)")
            started = time.perf_counter()
            with write_transaction():
                again = anonymise(ids)
                db.session.commit()
            print(f"  again (idempotent, {again} changed): {time.perf_counter() - started:.2f} s")

            client_id, officer = one_client_with_contacts(args.contacts)
            db.session.remove()
            times = []
            for _ in range(3):
                started = time.perf_counter()
                data = collect(db.session.get(Client, client_id))
                body = json.dumps(data, ensure_ascii=False)
                times.append(time.perf_counter() - started)
                db.session.remove()
            print(f"  subject access JSON, {args.contacts} contacts ({len(body) // 1024} KiB): "
                  f"best {min(times):.2f} s, worst {max(times):.2f} s")  # fmt: skip

        browser = app.test_client()
        browser.post("/login", data={"username": officer, "password": "privacy-password"})
        for path in ("export", "export.json"):
            started = time.perf_counter()
            response = browser.get(f"/privacy/files/{client_id}/{path}")
            took = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            print(f"  GET /privacy/files/<id>/{path}: {took:.2f} s "
                  f"({len(response.data) // 1024} KiB)")  # fmt: skip
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
