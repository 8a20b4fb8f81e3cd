#!/usr/bin/env python3
"""Run the whole test suite on SQLite, then on PostgreSQL when a server is reachable.

Usage: scripts/run_tests.py [--backend sqlite|postgresql] [pytest arguments...]
PostgreSQL comes from TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
each run creates and drops its own throwaway database there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.databases import postgres_reachable, server_url  # noqa: E402


def run_pytest(backend: str, args: list[str]) -> int:
    print(f"\n=== Test suite on {backend} ===", flush=True)
    env = dict(os.environ, GEZEL_TEST_BACKEND=backend)
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    backends = ["sqlite", "postgresql"]
    if argv[:1] == ["--backend"] and len(argv) > 1:
        backends, argv = [argv[1]], argv[2:]

    if not Path("/usr/bin/chromium").exists() and not shutil.which("chromium"):
        print(
            "NOTE: Chromium is not installed; the browser tests (tests/e2e) will be skipped. "
            "Install it with: apt-get install -y chromium chromium-driver",
            flush=True,
        )

    results: dict[str, str] = {}
    for backend in backends:
        if backend == "postgresql":
            reachable, reason = postgres_reachable()
            if not reachable:
                where = server_url().render_as_string(hide_password=True)
                results[backend] = f"NOT RUN: PostgreSQL unreachable at {where} ({reason})"
                continue
        code = run_pytest(backend, argv)
        results[backend] = "passed" if code == 0 else f"FAILED (exit {code})"

    print("\n=== Backends ===")
    for backend, outcome in results.items():
        print(f"  {backend:<11} {outcome}")
    failed = any(outcome.startswith("FAILED") for outcome in results.values())
    if "postgresql" in backends and results.get("postgresql", "").startswith("NOT RUN"):
        print(
            "  PostgreSQL was not reachable, so the suite ran on SQLite only. "
            "Set TEST_DATABASE_URL or start PostgreSQL to test both."
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
