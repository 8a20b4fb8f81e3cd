#!/usr/bin/env python3
"""Benchmark Gezel at scale: `make bench` (or scripts/bench.py --help).

For each backend (SQLite, then PostgreSQL when reachable) it builds a data set of N clients
with `flask demo generate` (cached between runs, rebuilt when the migrations or the generator
change), serves the app with gunicorn (2 workers), drives a fixed number of requests per page
from this machine and prints p50/p95 per page with the ratio to a trivial page on the same
server. It also times a reminder scan over the whole data set. Figures go to
instance/bench-results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
INSTANCE = ROOT / "instance"
CACHE = INSTANCE / "bench"
RESULTS = INSTANCE / "bench-results.json"
PASSWORD = "gezel-demo"

ACCESS_LOG = (  # server-side times, to tell queueing from work (GEZEL_BENCH_ACCESS_LOG=path)
    [
        "--access-logfile",
        os.environ["GEZEL_BENCH_ACCESS_LOG"],
        "--access-logformat",
        "%(r)s %(s)s %(L)s",
    ]
    if os.environ.get("GEZEL_BENCH_ACCESS_LOG")
    else []
)
# A team's page 150 ms; the funder report counts whole partnerships (read a few times a
# month), 2 s.
TARGET_P95_MS = {"default": 150, "contact post (20 users)": 100, "funder report": 2000}


def data_key(n_clients: int, partnerships: int | None = None) -> str:
    """Changes whenever the generator changes: then the data set is rebuilt. A schema change
    alone (a new index, a new column) is brought in by `flask db upgrade` on the cached set,
    and the set is rebuilt only when that upgrade fails (a rewritten migration chain)."""
    digest = hashlib.sha256(str(n_clients).encode())
    if partnerships is not None:
        digest.update(f"partnerships={partnerships}".encode())
    demo = ROOT / "app" / "demo"  # the generator: its kernel and its steps
    files = [demo / "generate.py", demo / "kernel.py", *sorted((demo / "steps").glob("*.py"))]
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analyze(url: str) -> None:
    """Fresh planner statistics, and on PostgreSQL a vacuum, as autovacuum would have left a
    server that has run a while: the generator's last ANALYZE precedes the reminders its final
    scan writes, and a migration that fills a column rewrites every row (until a vacuum marks
    the pages all-visible again, no index answers on its own)."""
    import sqlalchemy as sa

    postgres = url.startswith("postgresql")
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1),
        **({"isolation_level": "AUTOCOMMIT"} if postgres else {}),
    )
    with engine.begin() as connection:
        connection.execute(sa.text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    engine.dispose()


def upgraded(url: str, env: dict) -> bool:
    """Bring a cached data set to the current schema; False when that cannot be done."""
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "run", "db", "upgrade"],
        cwd=ROOT, env={**env, "DATABASE_URL": url}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    if result.returncode:
        print("  the cached data set could not be upgraded; rebuilding it", flush=True)
        return False
    analyze(url)
    return True


def run_flask(env: dict, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "flask"), "--app", "run", *args],
        cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- data sets -------------------------------------------------------------------------


def set_name(n_clients: int, partnerships: int | None) -> str:
    """The cached set's name: bench-20000, or bench-20000-p8 with 8 partnerships."""
    return f"bench-{n_clients}" + (f"-p{partnerships}" if partnerships is not None else "")


def sqlite_dataset(
    n_clients: int, env: dict, rebuild: bool, partnerships: int | None = None
) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    name = set_name(n_clients, partnerships)
    path = CACHE / f"{name}.db"
    key_file = CACHE / f"{name}.sqlite.key"
    key = data_key(n_clients, partnerships)
    url = f"sqlite:///{path}"
    fresh = not rebuild and path.exists() and key_file.exists() and key_file.read_text() == key
    if fresh and upgraded(url, env):
        print(f"  reusing the cached data set {path.name}")
        return url
    key_file.unlink(missing_ok=True)  # a build cut short is never taken for a cached set
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    build(url, n_clients, env, partnerships)
    key_file.write_text(key)
    return url


def dataset(backend: str, n_clients: int, env: dict) -> str | None:
    """The cached data set of ``backend`` (built when missing), or None, said aloud, when
    PostgreSQL cannot be reached."""
    if backend == "sqlite":
        return sqlite_dataset(n_clients, env, False)
    from tests.support.databases import postgres_reachable

    reachable, reason = postgres_reachable()
    if not reachable:
        print(f"  PostgreSQL unreachable ({reason}); skipped")
        return None
    return postgres_dataset(n_clients, env, False)


def postgres_dataset(
    n_clients: int, env: dict, rebuild: bool, partnerships: int | None = None
) -> str:
    import sqlalchemy as sa

    from tests.support.databases import server_url

    # GEZEL_BENCH_PG_PREFIX: another checkout (a worktree) keeps databases of its own.
    prefix = os.environ.get("GEZEL_BENCH_PG_PREFIX", "gezel_bench")
    name = set_name(n_clients, partnerships).replace("bench-", f"{prefix}_").replace("-", "_")
    key = data_key(n_clients, partnerships)
    key_file = CACHE / f"{set_name(n_clients, partnerships)}.postgresql.key"
    admin = sa.create_engine(server_url().set(database="postgres"), isolation_level="AUTOCOMMIT")
    url = server_url().set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        fresh = exists and not rebuild and key_file.exists() and key_file.read_text() == key
    if fresh and upgraded(url, env):
        print(f"  reusing the cached database {name}")
        admin.dispose()
        return url
    key_file.unlink(missing_ok=True)  # a build cut short is never taken for a cached set
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    build(url, n_clients, env, partnerships)
    CACHE.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key)
    return url


def build(url: str, n_clients: int, env: dict, partnerships: int | None = None) -> None:
    over = f" over {partnerships} partnerships" if partnerships is not None else ""
    print(f"  building {n_clients} clients{over} (cached for the next run)...", flush=True)
    started = time.monotonic()
    env = {**env, "DATABASE_URL": url}
    run_flask(env, "db", "upgrade")
    spread = ["--partnerships", str(partnerships)] if partnerships is not None else []
    run_flask(env, "demo", "generate", "--clients", str(n_clients), *spread)
    analyze(url)
    # ru_maxrss of the children: the largest of them, the generator (KiB on Linux)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  built in {time.monotonic() - started:.0f} s, peak memory {peak:.0f} MB", flush=True)


# --- HTTP --------------------------------------------------------------------------------


class Session:
    """A browser-like session: cookies and the CSRF token, one keep-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        match = re.search(r'name="csrf-token" content="([^"]+)"', text)
        if match:
            self.csrf = match.group(1)
        return response.status, text

    def sign_in(self, username: str) -> None:
        self.request("GET", "/login")
        status, _ = self.request(
            "POST", "/login",
            {"username": username, "password": PASSWORD, "csrf_token": self.csrf},
        )  # fmt: skip
        if status != 302:
            raise SystemExit(f"bench: could not sign in as {username} (status {status})")


def measure(session: Session, paths: list[str], warmup: int = 5) -> dict:
    for path in paths[:warmup]:
        session.request("GET", path)
    times, errors = [], 0
    for path in paths:
        started = time.perf_counter()
        status, _ = session.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        errors += status >= 400
    return summarise(times, errors)


def summarise(times: list[float], errors: int) -> dict:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "requests": len(times),
        "errors": errors,
    }


THINK_SECONDS = (0.5, 1.5)  # a companion on a tablet pauses between contacts


def concurrent_contact_posts(port: int, users: list[str], client_ids: dict, per_user: int) -> dict:
    """20 users posting contacts at the same time, each pausing 0.5-1.5 s before and between
    posts as people on tablets do; every post has a fresh form id. (`make bench-contacts` is the
    stress test without pauses.)"""
    times, errors, lock = [], [0], threading.Lock()
    # Everyone signs in first: a sign-in hashes a password (some 100 ms of CPU), and 20 of
    # them at once held up the first posts, which were then most of the slowest 5 %.
    signed_in = threading.Barrier(len(users))

    def worker(username: str):
        session = Session(port)
        session.sign_in(username)
        signed_in.wait()
        # People do not start in step: each pauses before the first contact as between two.
        time.sleep(random.uniform(*THINK_SECONDS))
        ids = client_ids.get(username) or []
        for _ in range(per_user):
            client_id = random.choice(ids)
            session.request("GET", f"/clients/{client_id}/contacts/new")
            now = datetime.now(ZoneInfo("Europe/Brussels"))  # the form's date and time
            started = time.perf_counter()
            status, _ = session.request(
                "POST", f"/clients/{client_id}/contacts/new",
                {"csrf_token": session.csrf, "form_id": str(uuid.uuid4()), "kind": "call",
                 "outcome": "reached", "occurred_on": now.date().isoformat(),
                 "occurred_time": now.strftime("%H:%M"), "duration_minutes": "10",
                 "team_note": "bench"},
            )  # fmt: skip
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                times.append(elapsed)
                errors[0] += status >= 400
            time.sleep(random.uniform(*THINK_SECONDS))

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(times, errors[0])


# --- one backend ---------------------------------------------------------------------------


FUNDER = "bench-funder"


def add_funder(engine, lead: str) -> None:
    """An installation-level funder account (the funder report), signing in with the
    generated accounts' password: its hash is copied from the lead's. Kept in the cached set."""
    import sqlalchemy as sa

    with engine.begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (username, display_name, role, password_hash, '
                "must_change_password, active, is_demo, can_administer, session_token, "
                "created_at) SELECT :funder, 'Bench funder', 'funder', password_hash, false, "
                'true, true, false, :token, created_at FROM "user" WHERE username = :lead '
                "ON CONFLICT (username) DO NOTHING"
            ),
            {"funder": FUNDER, "token": f"{FUNDER}-session", "lead": lead},
        )
    engine.dispose()


def bench_backend(backend: str, url: str, env: dict, requests: int) -> dict:
    import sqlalchemy as sa

    env = {**env, "DATABASE_URL": url}
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        # The first generated team (with --partnerships: of the first generated partnership).
        team_id, prefix = connection.execute(
            sa.text(
                "SELECT t.id, p.code_prefix FROM team t "
                "JOIN partnership p ON p.id = t.partnership_id "
                "WHERE t.name LIKE 'Team gegenereerd%' ORDER BY t.id LIMIT 1"
            )
        ).one()
        client_ids = list(connection.execute(
            sa.text("SELECT id FROM client WHERE team_id = :t ORDER BY id"), {"t": team_id}
        ).scalars())  # fmt: skip
        companions = connection.execute(
            sa.text(
                "SELECT u.username, c.id FROM client c "
                'JOIN "user" u ON u.id = c.primary_companion_id '
                "WHERE c.team_id = :t AND c.phase <> 'closed'"
            ),
            {"t": team_id},
        ).all()
        has_contacts = sa.inspect(connection).has_table("contact")
        partnerships = connection.execute(sa.text("SELECT count(*) FROM partnership")).scalar()
    engine.dispose()
    by_user: dict[str, list[int]] = {}
    for username, client_id in companions:
        by_user.setdefault(username, []).append(client_id)
    companion = max(by_user, key=lambda u: len(by_user[u]))  # e.g. gen1-gezel3
    lead = companion.split("-")[0] + "-lead1"
    add_funder(engine, lead)

    # The scan over everything: the first run after a restart, then the steady state.
    scan = {}
    for run in ("first", "again"):
        lines = run_flask(env, "reminders", "scan", "--timing", capture=True).stdout.split("\n")
        took = next(line for line in lines if line.startswith("scan took"))
        summary = next(line for line in lines if line.startswith("created"))
        scan[run] = {"seconds": float(took.split()[2]), "result": summary}
    print(f"  reminder scan: {scan['again']['seconds']} s ({scan['again']['result']})", flush=True)

    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *ACCESS_LOG, "run:app"],
        cwd=ROOT, env={**env, "LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        rng = random.Random(7)
        as_lead, as_companion, as_funder = Session(port), Session(port), Session(port)
        as_lead.sign_in(lead)
        as_companion.sign_in(companion)
        as_funder.sign_in(FUNDER)
        names = ["sal", "nor", "jer", "cin", "roy", "ami", "voorbeeld", f"{prefix}-", "mar", "els"]
        pages = {
            "trivial (/healthz)": (as_lead, ["/healthz"] * requests),
            # The dashboard comes in sections (tabs); each is a page of its own.
            **{
                f"dashboard: {name}": (as_lead, [f"/dashboard/team?section={name}"] * requests)
                for name in ("overview", "referrals", "outcomes", "buddies")
            },
            "caseload": (as_companion, ["/caseload"] * requests),
            "team list": (
                as_lead,
                [f"/clients?page={rng.randint(1, 20)}" for _ in range(requests)],
            ),
            "client page": (
                as_lead,
                [f"/clients/{rng.choice(client_ids)}" for _ in range(requests)],
            ),
            "search": (
                as_lead,
                [f"/clients/search?q={rng.choice(names)}" for _ in range(requests)],
            ),
            # Installation-wide: grows with the number of partnerships, not with a team.
            f"funder report ({partnerships} p.)": (
                as_funder,
                ["/reports/partnerships"] * max(5, requests // 5),
            ),
        }
        results = {}
        for page, (session, paths) in pages.items():
            results[page] = measure(session, paths)
        if has_contacts:
            posters = sorted(by_user, key=lambda u: -len(by_user[u]))[:20]
            results["contact post (20 users)"] = concurrent_contact_posts(
                port, posters, by_user, max(5, requests // 10)
            )
        trivial = results["trivial (/healthz)"]["p50_ms"] or 1
        for figures in results.values():
            figures["ratio_to_trivial_p50"] = round(figures["p50_ms"] / trivial, 1)
        results["reminder scan"] = scan
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def print_table(backend: str, results: dict) -> None:
    print(f"\n  {'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'x trivial':>9} {'errors':>7}  target")
    for page, figures in results.items():
        if page in ("reminder scan", "load average"):
            continue
        target = TARGET_P95_MS.get(
            page, TARGET_P95_MS.get(page.split(" (")[0], TARGET_P95_MS["default"])
        )
        verdict = "ok" if figures["p95_ms"] <= target and not figures["errors"] else "MISSED"
        if page.startswith("trivial"):
            verdict = ""
        print(
            f"  {page:<30} {figures['p50_ms']:>8} {figures['p95_ms']:>8} "
            f"{figures['ratio_to_trivial_p50']:>9} {figures['errors']:>7}  "
            f"{'' if not verdict else f'p95 < {target} ms: {verdict}'}"
        )
    scan = results["reminder scan"]
    verdict = "ok" if scan["again"]["seconds"] < 5 else "MISSED"
    print(
        f"  {'reminder scan (steady state)':<30} {scan['again']['seconds']:>8} s   < 5 s: {verdict}"
    )
    print(f"  {'reminder scan (first run)':<30} {scan['first']['seconds']:>8} s")


TEAM_PAGES = ("dashboard: overview", "dashboard: referrals", "dashboard: outcomes",
              "dashboard: buddies", "caseload", "team list", "client page", "search")  # fmt: skip
FLAT_RATIO = 1.2  # a team's page at 100k clients within 1.2x of its time at 20k (issue 21)


def print_ratios(backend: str, sizes: list[int], by_size: dict) -> None:
    """Per page: p50 at the smallest and the largest size, and their ratio."""
    small, large = sizes[0], sizes[-1]
    a, b = by_size[small], by_size[large]
    print(f"\n  {backend}: p50 at {large:,} clients / p50 at {small:,} clients (same run)")
    print(f"  {'page':<30} {f'{small // 1000}k ms':>8} {f'{large // 1000}k ms':>8} {'ratio':>6}")
    for page in a:
        if page in ("reminder scan", "load average") or page not in b:
            continue
        ratio = b[page]["p50_ms"] / (a[page]["p50_ms"] or 1)
        verdict = ""
        if page in TEAM_PAGES:
            verdict = f"<= {FLAT_RATIO}: {'ok' if ratio <= FLAT_RATIO else 'MISSED'}"
        print(
            f"  {page:<30} {a[page]['p50_ms']:>8} {b[page]['p50_ms']:>8} {ratio:>6.2f}  {verdict}"
        )
    for run in ("first", "again"):
        print(f"  {f'reminder scan ({run})':<30} {a['reminder scan'][run]['seconds']:>7} s "
              f"{b['reminder scan'][run]['seconds']:>7} s")  # fmt: skip


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clients", default="20000,100000",
        help="comma-separated data set sizes; with two, the ratio per page is printed",
    )  # fmt: skip
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data sets")
    parser.add_argument(
        "--quick", action="store_true", help="20,000 clients only, 50 requests per page"
    )
    parser.add_argument(
        "--partnerships", type=int, default=None,
        help="spread the clients over N generated partnerships (data sets of their own)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.partnerships is not None and args.partnerships < 1:
        parser.error("--partnerships must be at least 1")
    sizes = sorted(int(n) for n in str(args.clients).split(","))
    if args.quick:
        sizes, args.requests = sizes[:1], min(args.requests, 50)
    env = {**os.environ, "GEZEL_ENV": "development", "FLASK_DEBUG": "0", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    all_results: dict = {}
    for backend in args.backends.split(","):
        if backend == "postgresql":
            from tests.support.databases import postgres_reachable

            reachable, reason = postgres_reachable()
            if not reachable:
                print(f"  PostgreSQL unreachable ({reason}); skipped")
                continue
        by_size = {}
        over = f" over {args.partnerships} partnerships" if args.partnerships else ""
        for n_clients in sizes:  # back to back, so the ratio compares like with like
            print(f"\n=== {backend}: {n_clients} clients{over} (load average {load_average()}) ===",
                  flush=True)  # fmt: skip
            if backend == "sqlite":
                url = sqlite_dataset(n_clients, env, args.rebuild, args.partnerships)
            else:
                url = postgres_dataset(n_clients, env, args.rebuild, args.partnerships)
            results = bench_backend(backend, url, env, args.requests)
            results["load average"] = load_average()
            print_table(backend, results)
            by_size[n_clients] = results
        if len(sizes) > 1:
            print_ratios(backend, sizes, by_size)
        all_results[backend] = {str(n): r for n, r in by_size.items()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"clients": sizes, "partnerships": args.partnerships, "results": all_results},
            indent=2,
        )
    )
    print(f"\nFigures written to {RESULTS.relative_to(ROOT)} (load average {load_average()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
