"""A per-account lockout after repeated failed logins, besides the per-address rate limit.

The audit log already records every failed login with the name tried; when
an account has ``LOGIN_LOCKOUT_ATTEMPTS`` failures (default 5) within
``LOGIN_LOCKOUT_SECONDS`` (default 900) since its last successful login,
further logins to that account are refused with a 429 page saying how long to
wait, whichever address they come from. The check runs before the login view,
so a locked account's password is not even tried.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

from .extensions import db
from .models import AuditEntry, utcnow

DEFAULT_ATTEMPTS = 5
DEFAULT_SECONDS = 15 * 60


def seconds_locked(username: str) -> int:
    """Seconds until ``username`` may try again (0 when the account is not locked)."""
    attempts = current_app.config.get("LOGIN_LOCKOUT_ATTEMPTS", DEFAULT_ATTEMPTS)
    window = timedelta(seconds=current_app.config.get("LOGIN_LOCKOUT_SECONDS", DEFAULT_SECONDS))
    if not attempts or not username:
        return 0
    now = utcnow()
    last_login = db.session.scalar(
        sa.select(sa.func.max(AuditEntry.at)).where(
            AuditEntry.event == "login", AuditEntry.username == username
        )
    )
    since = now - window if last_login is None else max(now - window, last_login)
    failures = list(
        db.session.scalars(
            sa.select(AuditEntry.at)
            .where(
                AuditEntry.event == "login_failed",
                AuditEntry.username == username,
                AuditEntry.at > since,
            )
            .order_by(AuditEntry.at.desc())
            .limit(attempts)
        )
    )
    if len(failures) < attempts:
        return 0
    # Locked until the oldest of the last ``attempts`` failures leaves the window.
    return max(1, int((failures[-1] + window - now).total_seconds()) + 1)


def refuse_locked_accounts() -> None:
    """Before the login view: a 429 for an account with too many recent failures."""
    if request.endpoint != "auth.login" or request.method != "POST":
        return
    username = (request.form.get("username") or "").strip()
    wait = seconds_locked(username)
    if wait:
        db.session.add(
            AuditEntry(at=utcnow(), event="login_locked", username=username[:80], detail={})
        )
        db.session.commit()
        raise TooManyRequests(
            description="this account is locked after repeated failed logins",
            retry_after=wait,
        )


def configure_lockout(app: Flask) -> None:
    """Check the per-account lockout before every login attempt."""
    app.before_request(refuse_locked_accounts)
