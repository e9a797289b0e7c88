"""App-wide security and configuration: headers, error pages, rate limit, secret key, settings."""

from __future__ import annotations

import os
import stat

import pytest
from flask import Blueprint

from survey import create_app, storage
from survey.config import build_config, normalise_database_url
from survey.extensions import db
from survey.security import CONTENT_SECURITY_POLICY

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def test_security_headers_on_pages_and_api(client):
    for path in ("/auth/login", "/api/v1/openapi.json", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == STRICT_CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
    assert CONTENT_SECURITY_POLICY == STRICT_CSP


def test_404_page_is_friendly_and_has_no_traceback(client):
    reply = client.get("/no-such-page")
    assert reply.status_code == 404
    assert reply.mimetype == "text/html"
    text = reply.get_data(as_text=True)
    assert "Traceback" not in text
    assert '<html lang="da" dir="ltr">' in text


def test_405_page(client):
    reply = client.post("/healthz")
    assert reply.status_code == 405
    assert reply.mimetype == "text/html"


def crashing_app(app_config):
    application = create_app(dict(app_config, TESTING=False, PROPAGATE_EXCEPTIONS=False))
    crash = Blueprint("crash", __name__)

    @crash.get("/crash")
    def page() -> str:
        raise RuntimeError("secret internals")

    @crash.get("/api/v1/crash")
    def api() -> str:
        raise RuntimeError("secret internals")

    application.register_blueprint(crash)
    return application


def test_500_shows_no_stack_trace(app_config):
    client = crashing_app(app_config).test_client()
    page = client.get("/crash")
    assert page.status_code == 500
    text = page.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    api = client.get("/api/v1/crash")
    assert api.status_code == 500
    assert api.json["error"] == "Internal Server Error"
    assert "secret internals" not in api.get_data(as_text=True)


def test_submissions_are_rate_limited_per_client(app_config, payload):
    app_config["RATELIMIT_ENABLED"] = True
    app_config["RATELIMIT_SUBMIT"] = "3 per minute"
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
        storage.publish_file("tests/survey/fixtures/mini-survey.yaml")
    client = application.test_client()
    statuses = [client.post("/api/v1/responses", json=payload()).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = client.post("/api/v1/responses", json=payload())
    assert limited.json["error"] == "Too Many Requests"
    assert "3 per 1 minute" in limited.json["message"]
    assert "Retry-After" in limited.headers
    other = client.post(
        "/api/v1/responses", json=payload(), environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other.status_code == 201
    with application.app_context():
        db.engine.dispose()


def test_secret_key_is_generated_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    config = {"TESTING": True, "INSTANCE_PATH": str(instance), "DATABASE_URL": "sqlite://"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    int(first, 16)
    key_file = instance / "secret_key"
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    other = create_app(dict(config, INSTANCE_PATH=str(tmp_path / "other")))
    assert other.config["SECRET_KEY"] != first


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    application = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    assert application.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/beboer", "postgresql+psycopg://u:p@db/beboer"),
        ("postgresql://u@db/beboer", "postgresql+psycopg://u@db/beboer"),
        ("postgresql+psycopg2://u@db/beboer", "postgresql+psycopg://u@db/beboer"),
        ("postgresql+psycopg://u@db/beboer", "postgresql+psycopg://u@db/beboer"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_uses_psycopg(given, expected):
    assert normalise_database_url(given) == expected


def test_settings_from_the_environment(tmp_path):
    environ = {
        "DATABASE_URL": "postgres://db/beboer",
        "SECRET_KEY": "k",
        "KIOSK_RESET_SECONDS": "45",
        "RATELIMIT_STORAGE_URI": "redis://cache:6379",
        "MAX_CONTENT_LENGTH": "1024",
        "RATELIMIT_ENABLED": "false",
        "SESSION_COOKIE_SECURE": "yes",
    }
    settings = build_config(str(tmp_path), {"KIOSK_RESET_SECONDS": 5}, environ)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/beboer"
    assert settings["KIOSK_RESET_SECONDS"] == 5  # overrides win
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert settings["MAX_CONTENT_LENGTH"] == 1024
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    defaults = build_config(str(tmp_path), {"SECRET_KEY": "k"}, {})
    assert defaults["KIOSK_RESET_SECONDS"] == 20
    assert defaults["RATELIMIT_STORAGE_URI"] == "memory://"
    assert defaults["MAX_CONTENT_LENGTH"] == 256 * 1024


def test_bad_environment_values_are_named(tmp_path):
    with pytest.raises(ValueError, match="KIOSK_RESET_SECONDS='soon' is not an integer"):
        build_config(str(tmp_path), {"SECRET_KEY": "k"}, {"KIOSK_RESET_SECONDS": "soon"})
    with pytest.raises(ValueError, match="RATELIMIT_ENABLED='maybe' is not a boolean"):
        build_config(str(tmp_path), {"SECRET_KEY": "k"}, {"RATELIMIT_ENABLED": "maybe"})


def test_locale_and_direction_follow_the_session_language(app, client):
    with client.session_transaction() as session:
        session["lang"] = "ar"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    with client.session_transaction() as session:
        session["lang"] = "ur"
    assert '<html lang="ur" dir="rtl">' in client.get("/auth/login").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "so"
    assert '<html lang="so" dir="ltr">' in client.get("/auth/login").get_data(as_text=True)
