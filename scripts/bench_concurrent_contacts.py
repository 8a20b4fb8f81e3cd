#!/usr/bin/env python3
"""Many tablets at once: writers post contacts to Gezel under gunicorn on SQLite, then the
database is checked: every acknowledged contact is stored exactly once.

Usage: scripts/bench_concurrent_contacts.py [--writers 20] [--seconds 30] [--workers 4]
                                            [--threads 4] [--keep]

It makes a fresh SQLite database (migrate, then a team with one companion and one client
per writer), starts gunicorn on a free port with GEZEL_ENV=development, and lets each writer
sign in and, until the time is up, open the contact form (for its CSRF token and form id,
as a browser does) and post it. Every fifth form is sent again at once (a double tap) and
every seventh a second time after the answer (a resubmission); both must answer as a
success and store nothing new. Prints the counts and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench-password-1"
LOCKED = "database is locked"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, writers: int) -> list[tuple[str, int]]:
    """Migrate a fresh database and seed one companion and one client per writer."""
    env = dict(os.environ, DATABASE_URL=url, GEZEL_ENV="development", LOG_LEVEL="WARNING")
    subprocess.run(
        [str(BIN / "flask"), "--app", "run", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from datetime import timedelta

    from app import create_app
    from app.auth import services as auth_services
    from app.auth.vocab import Role
    from app.clients import services as client_services
    from app.extensions import db
    from app.timeutil import today

    app = create_app(
        "development", SQLALCHEMY_DATABASE_URI=url, STARTUP_CHECKS=False, PASSWORD_HASH_FAST=True
    )
    seeded = []
    with app.app_context():
        team = auth_services.create_team("Bench", by=None)
        for number in range(writers):
            user, _ = auth_services.create_user(
                username=f"bench{number}", display_name=f"Bench {number}", role=Role.COMPANION,
                teams=[team], password=PASSWORD,
            )  # fmt: skip
            user.must_change_password = False
            client = client_services.register_client(
                preferred_name=f"Tablet {number}", municipality="haacht", place_met="street",
                registered_on=today() - timedelta(days=1), team=team, by=user,
            )  # fmt: skip
            db.session.flush()
            seeded.append((user.username, client.id))
        db.session.commit()
        db.engine.dispose()
    return seeded


def start_gunicorn(url: str, port: int, workers: int, threads: int, log: Path):
    env = dict(
        os.environ, DATABASE_URL=url, GEZEL_ENV="development", LOG_LEVEL="WARNING",
        SECRET_KEY="bench-not-secret",
    )  # fmt: skip
    command = [
        str(BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--error-logfile", "-",
        "--no-control-socket", "run:app",
    ]  # fmt: skip
    handle = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process, handle
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}:\n{log.read_text()[-2000:]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we want to see


class Tablet:
    """One signed-in browser: a cookie jar and the pages it reads."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self, username: str) -> None:
        _, page = self.request("/login")
        status, _ = self.request(
            "/login", {"username": username, "password": PASSWORD, "csrf_token": token(page)}
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed for {username}: {status}")


def token(page: str) -> str:
    return html.unescape(re.search(r'name="csrf-token" content="([^"]+)"', page).group(1))


def input_value(page: str, name: str) -> str:
    """The value of the input called ``name`` in a rendered form."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page).group(0)
    return html.unescape(re.search(r'\bvalue="([^"]*)"', tag).group(1))


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.posted = 0
        self.acknowledged: set[str] = set()
        self.statuses: Counter[int] = Counter()
        self.latencies: list[float] = []
        self.form_latencies: list[float] = []
        self.locked = 0
        self.repeats = 0
        self.failures: list[str] = []

    def record(self, form: str, status: int, body: str, seconds: float) -> None:
        with self.lock:
            self.posted += 1
            self.statuses[status] += 1
            self.latencies.append(seconds)
            if status == 302:
                self.acknowledged.add(form)
            if LOCKED in body:
                self.locked += 1
            if status != 302 and len(self.failures) < 5:
                self.failures.append(f"{status}: {body[:200]!r}")


def writer(base: str, username: str, client_id: int, deadline: float, results: Results):
    tablet = Tablet(base)
    tablet.sign_in(username)
    path = f"/clients/{client_id}/contacts/new"
    number = 0
    while time.monotonic() < deadline:
        number += 1
        started = time.perf_counter()
        _, page = tablet.request(path)
        results.form_latencies.append(time.perf_counter() - started)
        form = input_value(page, "form_id")
        data = {
            "csrf_token": token(page), "form_id": form,
            "outcome": "reached" if number % 3 else "attempt", "kind": "outreach",
            "occurred_on": input_value(page, "occurred_on"), "occurred_time": "10:00",
            "next_step": f"bench {form}",
        }  # fmt: skip

        def post(form=form, data=data):
            started = time.perf_counter()
            status, body = tablet.request(path, data)
            results.record(form, status, body, time.perf_counter() - started)

        if number % 5 == 0:  # a double tap: the same form twice at the same moment
            twins = [threading.Thread(target=post) for _ in range(2)]
            for twin in twins:
                twin.start()
            for twin in twins:
                twin.join()
            results.repeats += 1
        else:
            post()
            if number % 7 == 0:  # the back button and send again
                post()
                results.repeats += 1


def verify(path: Path, results: Results) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT next_step, count(*) FROM contact WHERE next_step LIKE 'bench %' "
            "GROUP BY next_step"
        ).fetchall()
    stored = {step.removeprefix("bench "): number for step, number in rows}
    return {
        "stored": sum(stored.values()),
        "duplicates": sum(number - 1 for number in stored.values() if number > 1),
        "lost": len(results.acknowledged - set(stored)),
        "stored_unacknowledged": len(set(stored) - results.acknowledged),
    }


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database and the log")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="gezel-bench-"))
    database = workdir / "bench.db"
    url = f"sqlite:///{database}"
    log = workdir / "gunicorn.log"
    print(f"Preparing {database} ...", flush=True)
    seeded = prepare_database(url, args.writers)
    port = free_port()
    process, handle = start_gunicorn(url, port, args.workers, args.threads, log)
    print(
        f"gunicorn on port {port}: {args.workers} workers x {args.threads} threads; "
        f"{args.writers} writers for {args.seconds:.0f} s ...",
        flush=True,
    )
    results = Results()
    deadline = time.monotonic() + args.seconds
    errors: list[BaseException] = []

    def run(username, client_id):
        try:
            writer(f"http://127.0.0.1:{port}", username, client_id, deadline, results)
        except BaseException as error:  # a writer that dies is a failure, not a hang
            errors.append(error)

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=pair) for pair in seeded]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    process.terminate()
    process.wait(timeout=30)
    handle.close()

    counts = verify(database, results)
    server_log = log.read_text(errors="replace")
    locked = results.locked + server_log.count(LOCKED)
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    print()
    print(f"  posted                 {results.posted}  ({results.repeats} deliberate repeats)")
    print(f"  acknowledged           {len(results.acknowledged)}  (distinct forms answered 302)")
    print(f"  stored                 {counts['stored']}")
    print(f"  duplicates             {counts['duplicates']}")
    print(f"  acknowledged but lost  {counts['lost']}")
    print(f"  5xx                    {server_errors}")
    print(f"  'database is locked'   {locked}")
    print(f"  statuses               {dict(sorted(results.statuses.items()))}")
    print(
        f"  latency p50 / p95      {percentile(results.latencies, 0.5) * 1000:.0f} ms / "
        f"{percentile(results.latencies, 0.95) * 1000:.0f} ms "
        f"(mean {statistics.fmean(results.latencies or [0]) * 1000:.0f} ms)"
    )
    print(
        f"  opening the form       p50 {percentile(results.form_latencies, 0.5) * 1000:.0f} ms"
        f" / p95 {percentile(results.form_latencies, 0.95) * 1000:.0f} ms"
    )
    print(f"  throughput             {results.posted / elapsed:.1f} posts/s")
    failed = (
        errors
        or counts["duplicates"]
        or counts["lost"]
        or counts["stored"] != len(results.acknowledged)
        or server_errors
        or locked
        or set(results.statuses) - {302}
    )
    for error in errors[:3]:
        print(f"  writer error: {error!r}")
    for failure in results.failures:
        print(f"  refused: {failure}")
    print("\nRESULT:", "FAILED" if failed else "ok: every acknowledged contact stored exactly once")
    if args.keep or failed:
        print(f"Kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
