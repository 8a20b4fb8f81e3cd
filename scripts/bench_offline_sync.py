#!/usr/bin/env python3
"""Offline in the field: how long from reconnect until 50 queued contacts are stored, and how
large the cached caseload of 40 clients is. Runs Gezel on a live server (fresh SQLite by
default) and drives Debian's headless Chromium at tablet size (768x1024).

Target: the 50 contacts stored within 10 s of reconnecting on this (2-core) machine.

Usage: scripts/bench_offline_sync.py [--clients 40] [--queued 50]
                                     [--postgresql | --database-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "offline-bench-password"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

QUEUE_JS = """async ([count, userId, clientIds]) => {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const minutes = Math.abs(offset);
  const zone = (offset >= 0 ? '+' : '-') + pad(Math.floor(minutes / 60)) + ':' + pad(minutes % 60);
  const day = now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
  for (let i = 0; i < count; i++) {
    const clientId = clientIds[i % clientIds.length];
    await GezelOffline.store.putItem({
      id: crypto.randomUUID(), userId: userId, kind: 'contact', clientId: clientId,
      clientName: 'bench', url: '/api/v1/clients/' + clientId + '/contacts',
      body: {kind: 'outreach', outcome: i % 2 ? 'attempt' : 'reached',
             occurred_at: day + 'T' + pad(Math.min(now.getHours(), 23)) + ':00:00' + zone,
             notes: i % 2 ? undefined : {team: 'Onderweg gesproken ' + i}},
      status: 'pending', createdAt: Date.now() + i
    });
  }
  return (await GezelOffline.store.counts()).outbox;
}"""

SIZES_JS = """async () => {
  const db = await idb.openDB('gezel-offline', 1);
  const record = await db.get('cache', 'snapshot');
  return record ? record.data.byteLength : 0;
}"""


def build(clients: int):
    """A companion with ``clients`` clients, each with 5 contacts (team and practical notes),
    2 standalone notes and a sensitive note (which must not be cached)."""
    from app.auth import services as auth_services
    from app.clients import services as client_services
    from app.contacts.notes import add_note
    from app.contacts.services import ContactInput, log_contact
    from app.contacts.vocab import NoteLevel
    from app.extensions import db
    from app.idempotency import new_key
    from app.timeutil import today, zone

    team = auth_services.create_team("Offline", by=None)
    companion, _ = auth_services.create_user(
        username="offline-companion", display_name="Veldwerker", role="companion",
        teams=[team], password=PASSWORD,
    )  # fmt: skip
    ids = []
    for number in range(clients):
        client = client_services.register_client(
            preferred_name=f"Cliënt {number:02d}", municipality="haacht", place_met="street",
            registered_on=today() - timedelta(days=200), team=team, by=companion,
        )  # fmt: skip
        client.primary_companion = companion
        db.session.flush()
        for days_ago in range(1, 6):
            moment = datetime.combine(
                today() - timedelta(days=days_ago * 7),
                datetime.min.time().replace(hour=10),
                tzinfo=zone(),
            )
            notes = {
                NoteLevel.TEAM: f"Gesprek over werk en huisvesting, week {days_ago}. " * 3,
                NoteLevel.PRACTICAL: "Afspraak aan de voedselbank op dinsdag.",
                NoteLevel.SENSITIVE: "Gevoelig: medische details.",
            }
            data = ContactInput(
                kind="outreach", outcome="reached", occurred_at=moment,
                place="Voedselbank Haacht", next_step="Samen naar het OCMW", notes=notes,
            )  # fmt: skip
            log_contact(client, data, by=companion, key=new_key())
        add_note(client, level="team", body="Teamafspraak: om de twee weken bellen.", by=companion)
        add_note(client, level="practical", body="Liefst bellen na 14 uur.", by=companion)
        ids.append(client.id)
    db.session.commit()
    return companion.id, ids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--queued", type=int, default=50)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    parser.add_argument(
        "--postgresql", action="store_true",
        help="a throwaway PostgreSQL database (TEST_DATABASE_URL, default 127.0.0.1:5432)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.postgresql and not args.database_url:
        import os

        os.environ["GEZEL_TEST_BACKEND"] = "postgresql"
        from tests.support.databases import throwaway_database

        with throwaway_database(Path(tempfile.mkdtemp(prefix="gezel-offline-pg-"))) as url:
            return run(args, url)
    return run(args, args.database_url)


def run(args, database_url: str | None) -> int:
    if not Path(CHROMIUM).exists():
        print("Chromium is not installed (scripts/ensure-chromium.sh); skipped.")
        return 0

    import sqlalchemy as sa
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from app import create_app
    from app.contacts.models import Contact
    from app.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="gezel-offline-"))
    url = database_url or f"sqlite:///{workdir / 'offline.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            upgrade()
            user_id, client_ids = build(args.clients)
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()

        def stored() -> int:
            with app.app_context():
                found = db.session.scalar(sa.select(sa.func.count(Contact.id)))
                db.session.remove()
                return found

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )  # fmt: skip
            context = browser.new_context(
                viewport={"width": 768, "height": 1024}, locale="nl-BE", base_url=base
            )
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto("/login")
            page.get_by_label("Gebruikersnaam").fill("offline-companion")
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Aanmelden").click()
            page.wait_for_url(lambda u: "/login" not in u)
            page.goto("/offline")
            page.wait_for_selector("body[data-synced='1']", state="attached")
            snapshot = page.request.get(f"{base}/offline/data").body()
            encrypted = page.evaluate(SIZES_JS)
            leaked = "Gevoelig" in page.evaluate("GezelOffline.store.readableText()")

            context.set_offline(True)
            before = stored()
            queued = page.evaluate(QUEUE_JS, [args.queued, user_id, client_ids])
            started = time.perf_counter()
            context.set_offline(False)  # the page's "online" event sends the outbox
            deadline = started + 120
            while stored() - before < queued and time.perf_counter() < deadline:
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            # Acknowledged too: the outbox empties (each item leaves only on a 2xx).
            page.wait_for_function(
                "() => document.querySelectorAll('[data-outbox-pending] li').length === 0"
                " && document.body.dataset.syncState === 'idle'",
                timeout=120_000,
            )
            left = page.evaluate("GezelOffline.store.counts().then(c => c.outbox)")
            after = stored()
            browser.close()
        server.shutdown()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"offline sync on {url.split(':', 1)[0]}, {args.clients} clients")
    print(
        f"  cached caseload for {args.clients} clients: {len(snapshot) / 1024:.1f} KiB JSON, "
        f"{encrypted / 1024:.1f} KiB encrypted in IndexedDB; sensitive text cached: "
        f"{'YES (a leak!)' if leaked else 'no'}"
    )
    verdict = "ok" if elapsed <= 10 and after - before == queued else "OVER TARGET"
    print(
        f"  reconnect until {queued} queued contacts stored: {elapsed:.2f} s "
        f"(target <= 10 s; stored {after - before}, exactly once: {after - before == queued}, "
        f"left in the outbox: {left}) {verdict}"
    )
    return 0 if after - before == queued and not leaked else 1


if __name__ == "__main__":
    raise SystemExit(main())
