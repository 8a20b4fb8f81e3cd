"""Processes of the app started by tests: the scheduler (`flask scheduler run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class SchedulerProcess:
    def __init__(self, database_url: str, **settings: str):
        env = {
            **os.environ,
            "GEZEL_ENV": "development",
            "DATABASE_URL": database_url,
            "FLASK_APP": "run.py",
            "SCHEDULER_SCAN_SECONDS": "1",
            "SCHEDULER_STANDBY_POLL_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "scheduler", "run"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not seen; output:\n{''.join(self.lines)}")

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
