"""Configuration: every setting comes from the environment, with safe defaults for development."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def database_url() -> str:
    """DATABASE_URL, normalised so plain ``postgres://`` URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'gezel.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    # SQLite reads the database file through a memory map of up to this many bytes (PRAGMA
    # mmap_size; SQLite caps it at its own maximum, about 2 GiB): a page is read where the
    # operating system already holds it instead of being copied into each connection's cache,
    # which every connection would otherwise do again after any other one wrote. A team's
    # figures read pages spread over the whole file, the more so the larger it grows
    # (100,000 clients: 1.1 GB). 0 switches it off.
    SQLITE_MMAP_BYTES = env_int("SQLITE_MMAP_BYTES", 2**31)
    # PostgreSQL planner settings for Gezel's own connections (app/database.py), as
    # "name=value" pairs. Index reads cost about what sequential reads cost when the data is
    # on SSD or in memory (random_page_cost 1.1 instead of 4): a team's figures then read the
    # team's rows through their indexes instead of scanning a whole table, so they stay as
    # fast when the installation grows. Web requests are short and many at once: a parallel
    # worker costs more to start than it saves. Empty: the server's own settings (needed
    # behind a pooler that refuses startup options; then set them on the database instead).
    POSTGRES_SESSION_SETTINGS = os.environ.get(
        "POSTGRES_SESSION_SETTINGS", "random_page_cost=1.1 max_parallel_workers_per_gather=0"
    )

    # Sessions: shared tablets, so no remember-me and an idle timeout.
    SESSION_COOKIE_NAME = "gezel_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=0)
    IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 30)
    SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)  # a working day, however active

    # Sign-in throttling. Per address: this many failures (for any accounts) within the
    # window refuse the address until the window has passed. Per account: after this many
    # failures each next attempt waits 2^failures seconds after the last failure, at most
    # LOGIN_DELAY_MAX_SECONDS; failures are remembered LOGIN_ACCOUNT_MEMORY_HOURS, and an
    # address the account signed in from within LOGIN_TRUSTED_ADDRESS_DAYS counts only its own.
    LOGIN_WINDOW_MINUTES = env_int("LOGIN_WINDOW_MINUTES", 15)
    LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 900)
    LOGIN_ACCOUNT_MEMORY_HOURS = env_int("LOGIN_ACCOUNT_MEMORY_HOURS", 24)
    LOGIN_TRUSTED_ADDRESS_DAYS = env_int("LOGIN_TRUSTED_ADDRESS_DAYS", 30)
    PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
    # zxcvbn's score (0-4) a new password needs: 3 is "safely unguessable" online.
    PASSWORD_MIN_SCORE = env_int("PASSWORD_MIN_SCORE", 3)
    # A link to choose a password (new account, reset) works once, within this many hours.
    SETUP_LINK_HOURS = env_int("SETUP_LINK_HOURS", 48)
    # Two-factor sign-in (TOTP). Enforced: a role whose setting says "required" (admin
    # settings, two_factor.<role>) must enrol at its next sign-in. Off: everyone is offered it
    # and whoever enrolled is always asked for a code. On in production, off in development
    # (the demo accounts of 'make run') and in the test suite (tests turn it on).
    TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", False)
    TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Gezel")  # name in the app
    # After the password, the code must follow within this many minutes.
    TWO_FACTOR_PENDING_MINUTES = env_int("TWO_FACTOR_PENDING_MINUTES", 10)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session bounds the token's life

    # Documents on a client file (app/documents): PDF, JPEG, PNG (HEIC becomes JPEG) up to
    # DOCUMENT_MAX_MB, stored encrypted under DOCUMENTS_DIR with DOCUMENTS_KEY (a Fernet key,
    # or several separated by commas: the first encrypts, all decrypt). Production refuses to
    # start without DOCUMENTS_KEY; development and tests derive one from SECRET_KEY.
    DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 10)
    DOCUMENTS_DIR = os.environ.get("DOCUMENTS_DIR") or str(INSTANCE_DIR / "documents")
    DOCUMENTS_KEY = os.environ.get("DOCUMENTS_KEY") or None
    # The largest request body: a document and its form, with room to spare; anything
    # larger is refused with a 413 page before it is read.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", (DOCUMENT_MAX_MB + 1) * 1024 * 1024)

    LANGUAGES = ("nl", "en")
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    TIMEZONE = os.environ.get("GEZEL_TIMEZONE", "Europe/Brussels")

    # The partnership an existing installation migrates into (migration 0027); since then
    # each partnership carries its own client-code prefix (app/partnerships).
    PARTNERSHIP_NAME = os.environ.get("PARTNERSHIP_NAME", "Dijleland+")
    CLIENT_CODE_PREFIX = os.environ.get("CLIENT_CODE_PREFIX", "DL")
    CONSENT_MONTHS = env_int("CONSENT_MONTHS", 12)  # default validity of a new consent
    # The partnership's own consent explanations, <language code>.txt, next to (and over)
    # the shipped Dutch, English, French and Arabic ones (app/clients/consent_texts.py).
    CONSENT_TEXTS_DIR = os.environ.get("CONSENT_TEXTS_DIR") or None
    # Contacts: the author edits freely this many days; later changes are corrections.
    CONTACT_EDIT_DAYS = env_int("CONTACT_EDIT_DAYS", 7)
    CONTACT_MAX_MINUTES = env_int("CONTACT_MAX_MINUTES", 720)
    # A removed note keeps its text this long, for "Undo"; then the scheduler clears it
    # (0: cleared at once). A removed contact's free text is cleared at once.
    NOTE_UNDO_MINUTES = env_int("NOTE_UNDO_MINUTES", 10)
    # A contact is "due" this many days before its cadence (an admin setting) runs out.
    CONTACT_DUE_WITHIN_DAYS = env_int("CONTACT_DUE_WITHIN_DAYS", 2)
    REPORT_SUPPRESS_BELOW = env_int("REPORT_SUPPRESS_BELOW", 5)  # small counts in exports
    # The JSON API (/api/v1): requests per token per minute; failed token checks per address.
    API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
    API_MAX_FAILED_AUTH_PER_ADDRESS = env_int("API_MAX_FAILED_AUTH_PER_ADDRESS", 20)
    API_FAILED_AUTH_WINDOW_SECONDS = env_int("API_FAILED_AUTH_WINDOW_SECONDS", 900)
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "gezel-demo")
    # Proxies in front of the app (HTTPS termination); see README "Production".
    PROXY_FIX_HOPS = env_int("PROXY_FIX_HOPS", 0)
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    STARTUP_CHECKS = True

    # The scheduler process (flask scheduler run).
    SCHEDULER_SCAN_MINUTES = env_int("SCHEDULER_SCAN_MINUTES", 15)
    SCHEDULER_SCAN_SECONDS = env_int("SCHEDULER_SCAN_SECONDS", 0)  # overrides minutes (tests)
    SCHEDULER_STANDBY_POLL_SECONDS = env_int("SCHEDULER_STANDBY_POLL_SECONDS", 10)
    SCHEDULER_MISFIRE_GRACE_SECONDS = env_int("SCHEDULER_MISFIRE_GRACE_SECONDS", 3600)
    # This machine's name in the scheduler's lock and logs ("which host is active?").
    NODE_NAME = os.environ.get("NODE_NAME") or socket.gethostname()
    DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
    # Submission keys (app/idempotency.py) are dropped this many days after their form was
    # sent: a resent form or a retried API call comes within minutes, never weeks later.
    SUBMISSION_KEY_DAYS = env_int("SUBMISSION_KEY_DAYS", 30)
    # Daily backup by the scheduler (flask backup create): off until BACKUP_DIR is set; the
    # newest BACKUP_KEEP backups in it are kept, older ones removed.
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or None
    BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
    BACKUP_HOUR = env_int("BACKUP_HOUR", 2)
    # Offline in the field: the installable web app keeps the user's own caseload encrypted
    # on the device (never sensitive notes) for at most this many hours; README "Offline".
    OFFLINE_ENABLED = env_bool("OFFLINE_ENABLED", True)
    OFFLINE_MAX_HOURS = env_int("OFFLINE_MAX_HOURS", 72)

    # E-mail (app/mail.py): queued in the outbox, sent by the scheduler process. Without
    # MAIL_SERVER each message is written as an .eml file under MAIL_FILE_DIR instead.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 587)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_FROM = os.environ.get("MAIL_FROM", "gezel@localhost")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_SEND_SECONDS = env_int("MAIL_SEND_SECONDS", 30)  # how often the outbox is sent
    MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)  # first retry; doubles each time
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)  # then the message is marked failed
    MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 300)  # a claimed message is retried after
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # Partner desks answer a referral through a link e-mailed when it is sent (app/partners).
    PARTNER_LINK_DAYS = env_int("PARTNER_LINK_DAYS", 30)  # a link works this long
    PARTNER_CODE_MINUTES = env_int("PARTNER_CODE_MINUTES", 15)  # a one-time code works this long
    PARTNER_CODE_TRIES = env_int("PARTNER_CODE_TRIES", 5)  # wrong tries before a code is void
    PARTNER_CODES_PER_DAY = env_int("PARTNER_CODES_PER_DAY", 5)  # codes e-mailed per link a day
    PARTNER_SESSION_HOURS = env_int("PARTNER_SESSION_HOURS", 8)  # a verified browser, this long


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    # A fixed key is fine on a developer machine; production refuses to start without one.
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_SQLALCHEMY_DATABASE_URI", "sqlite://")
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_FAST = True  # tests hash thousands of passwords
    MAIL_FILE_DIR = str(Path(os.environ.get("TMPDIR", "/tmp")) / "gezel-test-mail")
    DOCUMENTS_DIR = str(Path(os.environ.get("TMPDIR", "/tmp")) / "gezel-test-documents")
    STARTUP_CHECKS = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", True)
    PROXY_FIX_HOPS = env_int("PROXY_FIX_HOPS", 1)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("GEZEL_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise SystemExit(f"Unknown GEZEL_ENV {name!r}; use one of {', '.join(CONFIGS)}.") from None
