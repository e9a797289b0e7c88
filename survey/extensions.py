"""Flask extensions, created unbound and attached to an app in :func:`survey.create_app`."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_login.config import COOKIE_NAME
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every table of the survey app."""


class StaffLoginManager(LoginManager):
    """Flask-Login whose session protection checks signed-in sessions only.

    Flask-Login compares every non-empty session with the visitor's identifier
    (address and user agent). A resident's session (language, CSRF token, the
    responses in progress) is anonymous and has no identifier, so "strong" mode
    would mark it modified on every page that reads ``current_user``: each reply
    would then rewrite the cookie with that request's copy of the session, and
    concurrent requests could undo each other's changes. A session holding a
    staff user id, or a request with a remember-me cookie, is still checked, and
    under "strong" a mismatch logs the staff member out.
    """

    def _session_protection_failed(self) -> bool:
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
        if "_user_id" not in session and remember_cookie not in request.cookies:
            return False
        return super()._session_protection_failed()


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
login_manager = StaffLoginManager()
limiter = Limiter(key_func=get_remote_address)
