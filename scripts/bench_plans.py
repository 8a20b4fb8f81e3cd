#!/usr/bin/env python3
"""The query plans of the team-scoped pages on a bench data set (scripts/bench.py builds it).

Signs in as the first generated team's lead and one of its companions, requests the caseload,
the team list and the dashboard sections in-process, records every statement that reads the
client table through the scope (``client.partnership_id``), and prints its plan (EXPLAIN QUERY
PLAN on SQLite, EXPLAIN on PostgreSQL) with the indexes the plan uses. Run it on a data set
with one partnership and on one with several: the indexes should be the same.

    scripts/bench_plans.py sqlite:///instance/bench/bench-20000-p8.db
    scripts/bench_plans.py postgresql://postgres@127.0.0.1:5432/gezel_bench_20000_p8
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "caseload": ("companion", "/caseload"),
    "team list": ("lead", "/clients?page=3"),
    **{
        f"dashboard: {name}": ("lead", f"/dashboard/team?section={name}")
        for name in ("overview", "referrals", "outcomes", "buddies")
    },
}
INDEX = re.compile(r"(?:USING (?:COVERING )?INDEX|Index (?:Only )?Scan (?:Backward )?using|"
                   r"Bitmap Index Scan on) (\w+)")  # fmt: skip
FULL_SCAN = re.compile(r"(?:SCAN (client)\b(?! USING)|Seq Scan on (client)\b)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--full", action="store_true", help="print the whole plans")
    parser.add_argument(
        "--time", type=int, default=0, metavar="N",
        help="also request each page N times in-process and print the median (ms)",
    )  # fmt: skip
    args = parser.parse_args()
    url = args.url.replace("postgresql://", "postgresql+psycopg://", 1)
    os.environ.update(GEZEL_ENV="development", DATABASE_URL=url, LOG_LEVEL="WARNING")

    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db

    app = create_app()
    password = app.config["DEMO_PASSWORD"]
    with app.app_context():
        team_id = db.session.execute(
            sa.text("SELECT min(id) FROM team WHERE name LIKE 'Team gegenereerd%'")
        ).scalar()
        companion = db.session.execute(
            sa.text(
                'SELECT u.username FROM client c JOIN "user" u ON u.id = c.primary_companion_id '
                "WHERE c.team_id = :t GROUP BY u.username ORDER BY count(*) DESC LIMIT 1"
            ),
            {"t": team_id},
        ).scalar()
        partnerships = db.session.execute(sa.text("SELECT count(*) FROM partnership")).scalar()
        engine = db.engine
    users = {"companion": companion, "lead": companion.split("-")[0] + "-lead1"}
    print(f"{partnerships} partnerships; team {team_id}; {users}")

    recorded: list[tuple[str, str, object]] = []
    current = [""]

    def record(conn, cursor, statement, parameters, context, executemany):
        if current[0] and "partnership_id" in statement and "client" in statement:
            recorded.append((current[0], statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    browsers = {}
    for role, username in users.items():
        browser = browsers[role] = app.test_client()
        page = browser.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        response = browser.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, (username, response.status_code)
        for page, (who, path) in PAGES.items():
            if who != role:
                continue
            current[0] = page
            status = browser.get(path).status_code
            current[0] = ""
            assert status == 200, (page, status)
    sa.event.remove(engine, "before_cursor_execute", record)
    if args.time:
        print("\nmedian ms over", args.time, "requests (in-process, after the first):")
        for page, (who, path) in PAGES.items():
            times = []
            for _ in range(args.time):
                started = time.perf_counter()
                assert browsers[who].get(path).status_code == 200
                times.append((time.perf_counter() - started) * 1000)
            print(f"  {page:<24} {statistics.median(times):8.1f}")

    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for page, statement, parameters in recorded:
            cursor.execute(
                ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters
            )
            lines = [str(row[-1] if sqlite else row[0]) for row in cursor.fetchall()]
            plan = "\n".join(lines)
            indexes = sorted(set(INDEX.findall(plan)))
            full = "  FULL SCAN OF client" if FULL_SCAN.search(plan) else ""
            first = " ".join(statement.split())[:90]
            print(f"\n[{page}] {first}...")
            print(
                f"  indexes: {', '.join(indexes) or '-'}{'  FULL SCAN OF client' if full else ''}"
            )
            if args.full:
                print("  " + plan.replace("\n", "\n  "))
    finally:
        raw.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
