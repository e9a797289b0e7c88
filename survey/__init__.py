"""The survey app: the tablet form, the JSON API, staff login and admin.

``create_app`` is a short list of ``configure_*`` steps; nothing is created
at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, g, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .assets import configure_assets
from .config import build_config
from .errors import configure_errors
from .extensions import babel, csrf, db, limiter, login_manager
from .lockout import configure_lockout
from .private_files import create_private_file, sqlite_path
from .request_guard import configure_request_guard
from .security import configure_security_headers

__all__ = ["create_app"]

DEFAULT_LANGUAGE = "da"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the survey app; ``config`` overrides the environment (tests use it).

    ``config["INSTANCE_PATH"]`` (or the environment's ``INSTANCE_PATH``) moves
    the instance folder, which holds the SQLite database and the generated
    secret key; by default it is Flask's ``instance/`` folder.
    """
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    if instance_path:
        instance_path = str(Path(instance_path).resolve())
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    configure_settings(app, config)
    configure_request_guard(app)
    configure_extensions(app)
    configure_database(app)
    configure_login(app)
    configure_i18n(app)
    configure_security_headers(app)
    configure_assets(app)
    configure_lockout(app)
    configure_proxy(app)
    configure_blueprints(app)
    configure_errors(app)
    return app


def configure_settings(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Merge defaults, the environment and ``config`` into ``app.config``."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(app.instance_path, config))


def configure_extensions(app: Flask) -> None:
    """Bind the database, CSRF protection and the rate limiter to the app."""
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def configure_database(app: Flask) -> None:
    """Create a SQLite file 0600 and put it in WAL mode with foreign keys on every connection."""
    path = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    if path is not None and path.parent.is_dir():
        create_private_file(path)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def configure_login(app: Flask) -> None:
    """Set up Flask-Login for staff accounts."""
    from .auth import users
    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return users.user_for_session(session_id)


def select_locale() -> str:
    """The UI language: the form's language (``g.lang``), else the session's, else Danish."""
    return g.get("lang") or session.get("lang") or DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    """Return ``rtl`` or ``ltr`` for a language code, as Babel's locale data say."""
    try:
        return Locale.parse(language.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"


def configure_i18n(app: Flask) -> None:
    """Set up Flask-Babel and give templates ``g.lang`` and ``g.dir``."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_and_direction() -> dict[str, Any]:
        language = select_locale()
        g.lang = language
        if not g.get("dir"):
            g.dir = text_direction(language)
        return {}


def configure_proxy(app: Flask) -> None:
    """Trust ``X-Forwarded-For`` from as many proxies as ``PROXY_FIX_X_FOR`` says (default none)."""
    hops = app.config.get("PROXY_FIX_X_FOR", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def configure_blueprints(app: Flask) -> None:
    """Register the form, the API, staff login and admin, and the health check."""
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .api.health import bp as health_bp
    from .auth import bp as auth_bp
    from .frame.console import bp as rates_bp
    from .frame.entry import bp as invite_bp
    from .respond import bp as respond_bp

    app.register_blueprint(respond_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(health_bp)
    app.register_blueprint(invite_bp)
    app.register_blueprint(rates_bp, url_prefix="/admin/rates")
    csrf.exempt(api_bp)
