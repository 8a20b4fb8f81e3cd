"""Password hashing with Argon2id (argon2-cffi), the OWASP first choice."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_default = PasswordHasher()
# Tests hash thousands of passwords; a cheap profile keeps the suite fast.
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# Verified against when the username is unknown, so both paths take about the same time.
_DUMMY_HASHES = {id(h): h.hash("not-a-real-password") for h in (_default, _fast)}


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _DUMMY_HASHES[id(hasher)], password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
