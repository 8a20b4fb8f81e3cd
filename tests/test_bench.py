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


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "sqlite", reason="builds its own data sets on both databases")
def test_the_throughput_bench_answers_every_request_and_loses_no_contact():
    """`make bench`'s throughput run, short and small: the /healthz ceiling and the team at
    work under gunicorn with 4 workers while scans run back to back; no error, no failed scan,
    every contact stored once."""
    result = subprocess.run(
        [sys.executable, "scripts/bench_throughput.py", "--clients", "150", "--quick",
         "--seconds", "4", "--scan-every", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESULT: ok" in result.stdout
    assert "lost 0, duplicates 0" in result.stdout
    assert "team at work" in result.stdout and "of the ceiling" in result.stdout
    assert "(failed 0)" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(BACKEND != "sqlite", reason="builds its own data sets on both databases")
def test_the_page_bench_prints_the_ratio_between_two_sizes():
    """`make bench`'s pages at two sizes (tiny here): p50 of each page at both and the ratio."""
    result = subprocess.run(
        [sys.executable, "scripts/bench.py", "--clients", "120,150", "--requests", "5",
         "--backends", "sqlite"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "p50 at 150 clients / p50 at 120 clients" in result.stdout
    assert "client page" in result.stdout.split("p50 at 150 clients")[1]
    assert "funder report (1 p.)" in result.stdout  # the installation-wide report too
