"""The encrypted file store: one file per document under ``DOCUMENTS_DIR`` (default
``instance/documents``), outside the web root, named by a random key and encrypted with
Fernet (AES-128-CBC with HMAC-SHA256) under ``DOCUMENTS_KEY``.

``DOCUMENTS_KEY`` may list several keys separated by commas: the first encrypts, all decrypt
(``MultiFernet``), so a key can be rotated without re-encrypting at once. Development and
the tests derive a key from ``SECRET_KEY`` when none is set; production refuses to start
without one (app/startup.py).

Files are removed only after the database has committed their rows' removal
(``remove_after_commit``), so a rolled-back transaction never leaves a row without its file;
a file written for a row that is then rolled back is removed (``remove_on_rollback``).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.startup import fernet_keys

# session.info: storage keys whose files go when the transaction commits / rolls back.
_AT_COMMIT = "gezel_documents_remove_at_commit"
_AT_ROLLBACK = "gezel_documents_remove_at_rollback"


def derived_key(secret: str) -> bytes:
    """A development key from SECRET_KEY (never used in production)."""
    digest = hashlib.sha256(b"gezel-documents:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _cipher() -> MultiFernet:
    config = current_app.config
    keys = fernet_keys(config.get("DOCUMENTS_KEY"))
    if not keys:
        if config["ENV_NAME"] == "production":  # app/startup.py stops before this
            raise RuntimeError("DOCUMENTS_KEY is not set")
        keys = [derived_key(config["SECRET_KEY"] or "")]
    return MultiFernet([Fernet(k) for k in keys])


def directory() -> Path:
    return Path(current_app.config["DOCUMENTS_DIR"])


def _path(key: str) -> Path:
    if not key.isalnum():  # keys are ours (token_hex); never a path from outside
        raise ValueError("bad storage key")
    return directory() / key[:2] / key


def new_key() -> str:
    return secrets.token_hex(24)


def write(key: str, data: bytes) -> None:
    """Encrypt ``data`` and write it under ``key`` (atomically: a partial file never stays)."""
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = _cipher().encrypt(data)
    partial = path.with_suffix(".part")
    with open(partial, "wb") as handle:
        handle.write(token)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def read(key: str) -> bytes | None:
    """The plain bytes stored under ``key``, or None when the file is gone or unreadable."""
    try:
        token = _path(key).read_bytes()
    except FileNotFoundError:
        return None
    try:
        return _cipher().decrypt(token)
    except InvalidToken:
        return None


def remove_now(key: str) -> None:
    _path(key).unlink(missing_ok=True)


def remove_after_commit(session: Session, keys: list[str]) -> None:
    """Remove these files once ``session`` commits (and keep them if it rolls back)."""
    session.info.setdefault(_AT_COMMIT, []).extend(keys)


def remove_on_rollback(session: Session, key: str) -> None:
    """A file just written for a row not committed yet: removed if ``session`` rolls back."""
    session.info.setdefault(_AT_ROLLBACK, []).append(key)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_AT_ROLLBACK, None)
    for key in session.info.pop(_AT_COMMIT, None) or ():
        remove_now(key)


@sa_event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous) -> None:
    if previous.nested:
        return
    session.info.pop(_AT_COMMIT, None)
    for key in session.info.pop(_AT_ROLLBACK, None) or ():
        remove_now(key)
