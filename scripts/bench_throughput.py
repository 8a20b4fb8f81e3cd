#!/usr/bin/env python3
"""How many people Gezel serves at once: throughput and latency under a team's mixed load.

Usage: scripts/bench_throughput.py [--clients 20000] [--users 10,20,40] [--seconds 30]
                                   [--backends sqlite,postgresql] [--quick]

On the cached data set of `make bench`, for each backend, gunicorn with 4 workers serves the
app. For each number of users, first the ceiling: as many connections asking `/healthz` as
fast as they can; then the team at work: companions and leads, each with a session of their
own and no pause, 80 % reads (a companion: caseload, client page, search; a lead: the team
dashboard's sections, client page, search) and 20 % contact posts (the form first, as a
browser does, then the post with a fresh form id), while the scheduler's own process (`flask
scheduler run`) scans for reminders every --scan-every seconds (default 10: a scan starts as
the team starts and runs again three times in a 30 s run, 90 times as often as the production
cadence of 15 minutes; --scan-every 1 scans back to back, as `make bench`'s mixed-load run
does to prove that nothing is lost). Prints per run the throughput,
p50/p95 per kind of request, errors, and the mixed throughput as a share of the ceiling; then
checks: no error, every acknowledged contact stored exactly once. Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # scripts/bench.py: the data sets and the browser-like session
import bench_mixed_load as mixed  # the team's people and the stored contacts

ROOT, BIN = bench.ROOT, bench.BIN
SECTIONS = ("overview", "referrals", "outcomes", "buddies")
NAMES = ("sal", "nor", "jer", "cin", "roy", "ami", "mar", "els", "jan", "ann")
SHARE_TARGET = 0.15  # mixed throughput at 10 users >= 15 % of the /healthz ceiling (issue 21)


class Timings:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.failures: list[str] = []
        self.acknowledged: list[str] = []

    def add(self, kind: str, started: float, status: int, body: str) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.times[kind].append(elapsed)
            if status >= 400 or mixed.LOCKED in body:
                self.errors[kind] += 1
                if len(self.failures) < 5:
                    self.failures.append(f"{kind} {status}: {body[:160]!r}")

    def count(self) -> int:
        return sum(len(t) for t in self.times.values())


def timed(session: bench.Session, timings: Timings, kind: str, method: str, path: str, body=None):
    started = time.perf_counter()
    try:
        status, page = session.request(method, path, body)
    except OSError as error:  # a refused or dropped connection counts as an error
        status, page = 599, repr(error)
    timings.add(kind, started, status, page)
    return status, page


def ceiling(port: int, users: int, seconds: float) -> Timings:
    """Connections asking /healthz back to back: what this server answers at most."""
    timings, end = Timings(), time.monotonic() + seconds

    def worker():
        session = bench.Session(port)
        while time.monotonic() < end:
            timed(session, timings, "healthz", "GET", "/healthz")

    run_threads([threading.Thread(target=worker) for _ in range(users)])
    return timings


def team_member(session, clients, is_lead, clock, timings, seed) -> None:
    rng = random.Random(seed)
    clock["start"].wait()  # everyone signed in: the clock runs from here
    end = clock["end"]
    while time.monotonic() < end:
        client_id = rng.choice(clients)
        roll = rng.random()
        if roll < 0.2:
            timed(session, timings, "contact form", "GET", f"/clients/{client_id}/contacts/new")
            now = datetime.now(ZoneInfo("Europe/Brussels"))
            form_id = str(uuid.uuid4())
            status, _ = timed(
                session, timings, "contact post", "POST", f"/clients/{client_id}/contacts/new",
                {"csrf_token": session.csrf, "form_id": form_id, "kind": "call",
                 "outcome": "reached", "occurred_on": now.date().isoformat(),
                 "occurred_time": now.strftime("%H:%M"), "next_step": f"mixed {form_id}"},
            )  # fmt: skip
            if status == 302:
                with timings.lock:
                    timings.acknowledged.append(form_id)
            continue
        roll = rng.random()
        if is_lead and roll < 0.5:
            kind, path = "dashboard", f"/dashboard/team?section={rng.choice(SECTIONS)}"
        elif not is_lead and roll < 0.25:
            kind, path = "caseload", "/caseload"
        elif roll < 0.75:
            kind, path = "client page", f"/clients/{client_id}"
        else:
            kind, path = "search", f"/clients/search?q={rng.choice(NAMES)}"
        timed(session, timings, kind, "GET", path)


def team_at_work(
    port, env, by_user, lead, users, seconds, scan_every
) -> tuple[Timings, dict, float]:
    companions = sorted(by_user, key=lambda u: -len(by_user[u]))
    team_clients = [cid for ids in by_user.values() for cid in ids]
    timings, scans = Timings(), {"scans": 0, "failed": 0}
    members = []
    for number in range(users):  # signing in (a slow password hash) is not part of the run
        is_lead = number % 5 == 4  # one in five is a lead reading the dashboard
        name = lead if is_lead else companions[number % len(companions)]
        session = bench.Session(port)
        session.sign_in(name)
        clients = team_clients if is_lead else by_user[name]
        for path in (f"/clients/{clients[0]}", "/clients/search?q=mar", "/caseload"):
            session.request("GET", path)  # warm the workers' templates and caches
        members.append((session, team_clients if is_lead else by_user[name], is_lead))
    clock = {"start": threading.Barrier(users + 1)}
    threads = [
        threading.Thread(target=team_member, args=(*member, clock, timings, number))
        for number, member in enumerate(members)
    ]
    for thread in threads:
        thread.start()
    clock["end"] = time.monotonic() + seconds
    with scheduler(env, scans, scan_every):
        started = time.monotonic()
        clock["start"].wait()
        run_threads([], also=threads)
        took = time.monotonic() - started
    return timings, scans, took


@contextlib.contextmanager
def scheduler(env: dict, scans: dict, scan_every: float):
    """The scheduler process scanning every ``scan_every`` seconds (its first scan at once)
    while the block runs; counts its scans and failures from its log."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [str(BIN / "flask"), "--app", "run", "scheduler", "run"],
            cwd=ROOT, env={**env, "SCHEDULER_SCAN_SECONDS": str(scan_every), "LOG_LEVEL": "INFO"},
            stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            log.seek(0)
            lines = log.read().splitlines()
            scans["scans"] = sum("reminder scan (" in line for line in lines)
            scans["failed"] = sum("reminder scan failed" in line for line in lines)


def run_threads(threads: list[threading.Thread], also=()) -> None:
    """Start ``threads``; wait for them and for the already started ``also``."""
    for thread in threads:
        thread.start()
    for thread in [*threads, *also]:
        thread.join()


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))] if values else 0


def serve(env: dict) -> tuple[subprocess.Popen, int]:
    port = bench.free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "4", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "run:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if bench.Session(port).request("GET", "/healthz")[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("bench: gunicorn did not answer /healthz within 60 s")


def run_backend(
    backend: str, url: str, env: dict, user_counts, seconds: float, scan_every: int
) -> list[dict]:
    env = {**env, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    by_user, lead = mixed.people(url)
    before = mixed.stored_contacts(url)
    process, port = serve(env)
    rows, acknowledged, failures = [], Counter(), []
    try:
        for users in user_counts:
            top = ceiling(port, users, seconds)
            top_rate = top.count() / seconds
            timings, scans, took = team_at_work(
                port, env, by_user, lead, users, seconds, scan_every
            )
            acknowledged.update(timings.acknowledged)
            failures += timings.failures
            every = [t for times in timings.times.values() for t in times]
            rate = len(every) / took
            rows.append({
                "backend": backend, "users": users, "healthz_per_s": round(top_rate),
                "healthz_p95_ms": round(percentile(top.times["healthz"], 0.95), 1),
                "mixed_per_s": round(rate, 1), "share": rate / top_rate if top_rate else 0,
                "p50_ms": round(percentile(every, 0.5), 1),
                "p95_ms": round(percentile(every, 0.95), 1),
                "errors": sum(timings.errors.values()) + sum(top.errors.values()),
                "scans": scans["scans"], "scans_failed": scans["failed"],
                "by_kind": {
                    kind: (len(times), round(percentile(times, 0.5), 1),
                           round(percentile(times, 0.95), 1), timings.errors[kind])
                    for kind, times in sorted(timings.times.items())
                },
                "load": bench.load_average(),
            })  # fmt: skip
            print_row(rows[-1])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    stored = mixed.stored_contacts(url) - before
    lost = sum((acknowledged - stored).values())
    duplicates = sum(n - 1 for n in stored.values() if n > 1)
    print(f"  contacts acknowledged {sum(acknowledged.values())}, stored "
          f"{sum(stored.values())}, lost {lost}, duplicates {duplicates}")  # fmt: skip
    for failure in failures:
        print(f"    {failure}")
    for row in rows:
        row["lost"], row["duplicates"] = lost, duplicates
    return rows


def print_row(row: dict) -> None:
    print(
        f"\n  {row['users']} users: /healthz {row['healthz_per_s']}/s (p95 "
        f"{row['healthz_p95_ms']} ms); team at work {row['mixed_per_s']}/s = "
        f"{row['share']:.0%} of the ceiling, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
        f"errors {row['errors']}, scans {row['scans']} (failed {row['scans_failed']}), "
        f"load average {row['load']}",
        flush=True,
    )
    print(f"    {'request':<14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for kind, (count, p50, p95, errors) in row["by_kind"].items():
        print(f"    {kind:<14} {count:>6} {p50:>8} {p95:>8} {errors:>7}")


def print_summary(rows: list[dict]) -> bool:
    print(f"\n  {'backend':<11} {'users':>5} {'healthz/s':>9} {'mixed/s':>8} {'share':>6} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")  # fmt: skip
    ok = True
    for row in rows:
        print(f"  {row['backend']:<11} {row['users']:>5} {row['healthz_per_s']:>9} "
              f"{row['mixed_per_s']:>8} {row['share']:>6.0%} {row['p50_ms']:>7} "
              f"{row['p95_ms']:>7} {row['errors']:>6}")  # fmt: skip
        ok &= not (row["errors"] or row["lost"] or row["duplicates"] or row["scans_failed"])
        if row["users"] == 10 and row["share"] < SHARE_TARGET:
            print(f"    share at 10 users below the {SHARE_TARGET:.0%} goal (printed, not failed)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--users", default="10,20,40")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--scan-every", type=int, default=10, metavar="SECONDS",
        help="the scheduler's scan interval during the runs (1: back to back)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="10 users, 8 s per run")
    args = parser.parse_args()
    user_counts = [int(n) for n in args.users.split(",")]
    if args.quick:
        user_counts, args.seconds = user_counts[:1], min(args.seconds, 8)
    env = {**os.environ, "GEZEL_ENV": "development", "FLASK_DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    print(f"\n=== Throughput: gunicorn 4 workers, {args.clients} clients, users "
          f"{user_counts}, {args.seconds:g} s per run, a reminder scan every "
          f"{args.scan_every} s ===", flush=True)  # fmt: skip
    rows = []
    for backend in args.backends.split(","):
        url = bench.dataset(backend, args.clients, env)
        if url is None:
            continue
        print(f"\n--- {backend} ---", flush=True)
        rows += run_backend(backend, url, env, user_counts, args.seconds, args.scan_every)
    ok = print_summary(rows)
    print(f"\nRESULT: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
