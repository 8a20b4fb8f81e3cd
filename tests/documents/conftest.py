"""Documents are written under a directory of each test's own."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    directory = tmp_path / "documents"
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(directory))
    return directory


def stored_files(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []
