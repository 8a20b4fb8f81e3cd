"""The benchmarks behind `make bench` keep working (short runs; figures are printed, never
asserted: only correctness is)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import BACKEND

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "sqlite", reason="the tablet benchmark is about SQLite")
def test_tablets_posting_at_once_store_every_contact_exactly_once():
    result = subprocess.run(
        [sys.executable, "scripts/bench_concurrent_contacts.py", "--writers", "6",
         "--seconds", "4", "--workers", "2", "--threads", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESULT: ok" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "sqlite", reason="builds its own data sets on both databases")
def test_a_team_at_work_during_scans_gets_no_server_error(tmp_path):
    """The mixed load of `make bench` on a small data set, on SQLite under `make run`'s server
    and gunicorn, and on PostgreSQL when reachable: no 5xx, nothing lost."""
    result = subprocess.run(
        [sys.executable, "scripts/bench_mixed_load.py", "--clients", "150", "--users", "5",
         "--seconds", "6"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESULT: ok" in result.stdout
    assert "5xx: 0 " in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "sqlite", reason="the browser part is the same on both")
def test_the_offline_sync_bench_stores_the_queued_contacts_exactly_once():
    result = subprocess.run(
        [sys.executable, "scripts/bench_offline_sync.py", "--clients", "3", "--queued", "6"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exactly once: True" in result.stdout and "sensitive text cached: no" in result.stdout


@pytest.mark.skipif(BACKEND != "sqlite", reason="builds its own data sets on both databases")
def test_the_search_benchmark_runs_without_errors():
    """`make bench`'s search benchmark on a small data set: every search answers 200."""
    result = subprocess.run(
        [sys.executable, "scripts/bench_search.py", "--clients", "300", "--requests", "20"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESULT: errors" not in result.stdout
