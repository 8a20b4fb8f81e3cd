#!/usr/bin/env python3
"""A team at work while the reminder scan runs: no server error, nothing lost.

Usage: scripts/bench_mixed_load.py [--clients 20000] [--users 10] [--seconds 60]
                                   [--backends sqlite,postgresql] [--servers make-run,gunicorn]

On the data set of `make bench` (cached in instance/bench), for each backend and server:
`flask run` as `make run` serves it (SQLite only) and gunicorn with 4 workers. USERS people
sign in and, until the time is up, read (80 %: client pages, each writing an audit event,
timelines, notes, the caseload, and a lead's exports) and post contacts (20 %, the form
first, as a browser does), while `flask reminders scan` runs back to back in its own process.
Prints the counts per kind of request and status, then checks: no 5xx, no "database is
locked", every acknowledged contact stored exactly once, every scan succeeded. Exits 1 when a
check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # scripts/bench.py: the data sets and the browser-like session

ROOT, BIN = bench.ROOT, bench.BIN
LOCKED = "database is locked"
EXPORTS = ["/exports/clients.csv", "/reports/partnership.csv", "/dashboard/team/export/all.xlsx"]
SERVERS = {
    # `make run` serves with Flask's threaded server; the scheduler is our scan loop.
    "make-run": lambda port: [str(BIN / "flask"), "--app", "run", "run", "--host",
                              "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
    "gunicorn": lambda port: [str(BIN / "gunicorn"), "--workers", "4", "--bind",
                              f"127.0.0.1:{port}", "--log-level", "warning", "run:app"],
}  # fmt: skip


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.locked = 0
        self.acknowledged: list[str] = []
        self.failures: list[str] = []
        self.gave_up = 0

    def add(self, kind: str, status: int, body: str) -> None:
        with self.lock:
            self.statuses[kind, status] += 1
            self.locked += LOCKED in body
            if status >= 500 and len(self.failures) < 5:
                self.failures.append(f"{kind} {status}: {body[:160]!r}")


def people(url: str) -> tuple[dict[str, list[int]], str]:
    """The companions of the first generated team with their clients, and its lead."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT u.username, c.id FROM client c "
                'JOIN "user" u ON u.id = c.primary_companion_id '
                "WHERE c.team_id = (SELECT min(id) FROM team WHERE name LIKE 'Team gegenereerd%') "
                "AND c.phase <> 'closed'"
            )
        ).all()
    engine.dispose()
    by_user: dict[str, list[int]] = {}
    for username, client_id in rows:
        by_user.setdefault(username, []).append(client_id)
    lead = next(iter(by_user)).split("-")[0] + "-lead1"
    return by_user, lead


def user(*args) -> None:
    tally: Tally = args[5]
    try:
        user_loop(*args)
    except BaseException as error:  # a user who gave up is a failure
        with tally.lock:
            tally.gave_up += 1
            tally.failures.append(f"user {args[1]} gave up: {error!r}"[:200])


def user_loop(port: int, username: str, clients: list[int], is_lead: bool, deadline: float,
              tally: Tally, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    session = bench.Session(port)
    session.sign_in(username)
    while time.monotonic() < deadline:
        client_id = rng.choice(clients)
        roll = rng.random()
        if roll < 0.2:
            status, page = session.request("GET", f"/clients/{client_id}/contacts/new")
            tally.add("contact form", status, page)
            now = datetime.now(ZoneInfo("Europe/Brussels"))
            form_id = str(uuid.uuid4())
            status, page = session.request(
                "POST", f"/clients/{client_id}/contacts/new",
                {"csrf_token": session.csrf, "form_id": form_id, "kind": "call",
                 "outcome": "reached", "occurred_on": now.date().isoformat(),
                 "occurred_time": now.strftime("%H:%M"), "next_step": f"mixed {form_id}"},
            )  # fmt: skip
            tally.add("contact post", status, page)
            if status == 302:
                with tally.lock:
                    tally.acknowledged.append(form_id)
            continue
        if is_lead and roll < 0.3:
            kind, path = "export", rng.choice(EXPORTS)
        elif roll < 0.6:
            kind, path = "client page", f"/clients/{client_id}"
        elif roll < 0.75:
            kind, path = "timeline", f"/clients/{client_id}/timeline"
        elif roll < 0.9:
            kind, path = "notes", f"/clients/{client_id}/notes"
        elif not is_lead:
            kind, path = "caseload", "/caseload"
        else:
            kind, path = "team list", "/clients"
        status, page = session.request("GET", path)
        tally.add(kind, status, page)


def scan_loop(env: dict, deadline: float, results: dict) -> None:
    """`flask reminders scan` back to back, each in its own process as an operator runs it."""
    while time.monotonic() < deadline:
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "run", "reminders", "scan"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        results["scans"] += 1
        if done.returncode != 0:
            results["failed"] += 1
            results["last_error"] = (done.stderr or done.stdout)[-300:]


def stored_contacts(url: str) -> Counter[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT next_step FROM contact WHERE next_step LIKE 'mixed %'")
        ).scalars()
        stored = Counter(row.split(" ", 1)[1] for row in rows)
    engine.dispose()
    return stored


def run_one(backend: str, server: str, url: str, env: dict, users: int, seconds: int) -> bool:
    env = {**env, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    before = stored_contacts(url)
    by_user, lead = people(url)
    port = bench.free_port()
    process = subprocess.Popen(
        SERVERS[server](port), cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if bench.Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        tally, scans = Tally(), {"scans": 0, "failed": 0}
        companions = sorted(by_user, key=lambda u: -len(by_user[u]))[: users - 1]
        all_clients = [cid for ids in by_user.values() for cid in ids]
        end = time.monotonic() + seconds
        threads = [threading.Thread(target=scan_loop, args=(env, end, scans))]
        threads += [
            threading.Thread(
                target=user,
                args=(port, name, by_user[name], False, end, tally, number),
            )
            for number, name in enumerate(companions)
        ]
        threads.append(
            threading.Thread(target=user, args=(port, lead, all_clients, True, end, tally, 99))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    stored = stored_contacts(url) - before
    acknowledged = Counter(tally.acknowledged)
    server_errors = sum(n for (_, status), n in tally.statuses.items() if status >= 500)
    lost = sum((acknowledged - stored).values())
    duplicates = sum(n - 1 for n in stored.values() if n > 1)
    kinds = sorted({kind for kind, _ in tally.statuses})
    total = sum(tally.statuses.values())
    print(f"\n  {backend} / {server}: {users} users for {seconds} s, {total} requests, "
          f"{scans['scans']} scans back to back")  # fmt: skip
    print(f"  {'request':<14} {'2xx/3xx':>8} {'4xx':>6} {'5xx':>6}")
    for kind in kinds:
        counts = {s: n for (k, s), n in tally.statuses.items() if k == kind}
        ok = sum(n for s, n in counts.items() if s < 400)
        client_errors = sum(n for s, n in counts.items() if 400 <= s < 500)
        failing = sum(counts.values()) - ok - client_errors
        print(f"  {kind:<14} {ok:>8} {client_errors:>6} {failing:>6}")
    print(
        f"  5xx: {server_errors}   'database is locked': {tally.locked}   contacts acknowledged: "
        f"{len(acknowledged)}, stored: {sum(stored.values())}, lost: {lost}, duplicates: "
        f"{duplicates}   scans failed: {scans['failed']}   users who gave up: {tally.gave_up}"
    )
    for failure in tally.failures:
        print(f"    {failure}")
    if scans["failed"]:
        print(f"    last scan error: {scans.get('last_error')}")
    failed = server_errors or tally.locked or lost or duplicates or scans["failed"] or tally.gave_up
    return not failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--servers", default="make-run,gunicorn")
    args = parser.parse_args()
    env = {**os.environ, "GEZEL_ENV": "development", "FLASK_DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    ok = True
    print(f"\n=== Mixed load: {args.users} users (80 % reads, 20 % contact posts) while "
          f"scans run back to back, {args.clients} clients ===", flush=True)  # fmt: skip
    for backend in args.backends.split(","):
        url = bench.dataset(backend, args.clients, env)
        if url is None:
            continue
        # `make run` serves the embedded database only
        servers = args.servers.split(",") if backend == "sqlite" else ["gunicorn"]
        for server in servers:
            ok &= run_one(backend, server, url, env, args.users, args.seconds)
    print(f"\nRESULT: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
