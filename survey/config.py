"""Configuration of the survey app: defaults, the environment, then overrides.

Every setting can come from an environment variable of the same name; a dict
passed to :func:`survey.create_app` wins over both (that is how tests
configure the app).

``SESSION_COOKIE_SECURE`` is true unless the environment says otherwise or
the app runs under ``TESTING``. ``beboer serve`` on a loopback address
(127.0.0.1, ::1, localhost) turns it off, because such a server speaks plain
HTTP to the same machine only; behind a TLS-terminating proxy, serve on a
non-loopback address (or set ``SESSION_COOKIE_SECURE=1``) and the cookie is
only ever sent over HTTPS.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SECRET_KEY_FILE = "secret_key"
DEFAULT_MAX_CONTENT_LENGTH = 256 * 1024

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_bool(name: str, value: str) -> bool:
    """Read a boolean environment value such as ``1``, ``true``, ``no``."""
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def parse_int(name: str, value: str) -> int:
    """Read a non-negative integer environment value."""
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not an integer") from None
    if number < 0:
        raise ValueError(f"{name}={value!r} must not be negative")
    return number


def normalise_database_url(url: str) -> str:
    """Return a SQLAlchemy URL that uses psycopg 3 for every PostgreSQL spelling.

    ``postgres://`` (Heroku style), ``postgresql://`` and ``postgresql+psycopg2://``
    become ``postgresql+psycopg://``; other URLs are returned unchanged.
    """
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_secret_key(instance_path: str | os.PathLike[str]) -> str:
    """Return this installation's secret key, generating it on first use.

    The key is 32 random bytes as hex, kept in ``<instance>/secret_key`` with
    mode 0600 so that sessions survive restarts and are never signed with a
    key written in the code.
    """
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process wrote it first: use theirs so that both sign alike.
        existing = path.read_text(encoding="ascii").strip()
        if existing:
            return existing
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


# name -> parser for settings read from the environment
_ENVIRONMENT: dict[str, Any] = {
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "KIOSK_RESET_SECONDS": parse_int,
    "KIOSK_IDLE_SECONDS": parse_int,
    "KIOSK_IDLE_COUNTDOWN_SECONDS": parse_int,
    "LOGIN_LOCKOUT_ATTEMPTS": parse_int,
    "LOGIN_LOCKOUT_SECONDS": parse_int,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "RATELIMIT_ENABLED": parse_bool,
    "RATELIMIT_SUBMIT": str,
    "RATELIMIT_LOGIN": str,
    "RATELIMIT_CODE": str,
    "RATELIMIT_DRAFT": str,
    "DRAFT_MAX_AGE_HOURS": parse_int,
    "MAX_CONTENT_LENGTH": parse_int,
    "SESSION_COOKIE_SECURE": parse_bool,
    "WTF_CSRF_ENABLED": parse_bool,
    "PROXY_FIX_X_FOR": parse_int,
}


def defaults() -> dict[str, Any]:
    """Return the settings used when neither the environment nor overrides say otherwise."""
    return {
        "KIOSK_RESET_SECONDS": 20,
        "KIOSK_IDLE_SECONDS": 120,
        "KIOSK_IDLE_COUNTDOWN_SECONDS": 30,
        "LOGIN_LOCKOUT_ATTEMPTS": 5,
        "LOGIN_LOCKOUT_SECONDS": 900,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_SUBMIT": "60 per minute",
        "RATELIMIT_LOGIN": "10 per minute",
        "RATELIMIT_CODE": "20 per minute;200 per hour",
        "RATELIMIT_DRAFT": "20 per minute",
        "DRAFT_MAX_AGE_HOURS": 72,
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": DEFAULT_MAX_CONTENT_LENGTH,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "da",
        "PROXY_FIX_X_FOR": 0,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings given in ``environ`` (only those that are set and non-empty)."""
    settings: dict[str, Any] = {}
    for name, parse in _ENVIRONMENT.items():
        value = environ.get(name)
        if value is None or value == "":
            continue
        settings[name] = parse(name, value) if parse is not str else value
    return settings


def build_config(
    instance_path: str,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, the environment and ``overrides`` into the final settings.

    The database URL may be given as ``DATABASE_URL`` or
    ``SQLALCHEMY_DATABASE_URI``; it defaults to ``<instance>/beboer.db``. The
    secret key is generated and kept under ``instance/`` when none is given.
    """
    settings = defaults()
    settings.update(from_environment(os.environ if environ is None else environ))
    settings.update(overrides or {})

    url = settings.get("SQLALCHEMY_DATABASE_URI") or settings.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(instance_path) / "beboer.db")
    url = normalise_database_url(url)
    settings["SQLALCHEMY_DATABASE_URI"] = url
    settings["DATABASE_URL"] = url
    if url.startswith("sqlite"):
        options = dict(settings["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", 30)
        options["connect_args"] = connect_args
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = load_secret_key(instance_path)
    settings.setdefault("SESSION_COOKIE_SECURE", not settings.get("TESTING", False))
    settings.setdefault("REMEMBER_COOKIE_SECURE", settings["SESSION_COOKIE_SECURE"])
    return settings
