"""Shared fixtures: ``app``, ``client`` and ``runner`` on SQLite and on PostgreSQL.

Every test that uses ``app`` runs twice: on a fresh SQLite file and on a
PostgreSQL database created for its test module (``beboer_test_<hex>``,
dropped afterwards, emptied between tests). The PostgreSQL server is
``DATABASE_URL_TEST`` or the local one; when it is down the PostgreSQL runs
are skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

FIXTURES = Path(__file__).parent / "survey" / "fixtures"
MINI_SURVEY = FIXTURES / "mini-survey.yaml"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TABLES = (
    "responses",
    "questionnaires",
    "device_tokens",
    "users",
    "audit_log",
    "deletions",
    "invitation_codes",
    "invitation_days",
    "frame_households",
    "population_counts",
)


def in_ci() -> bool:
    """Whether the tests run in CI, where nothing may be skipped."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of a database on the PostgreSQL server to create test databases from."""
    from survey.config import normalise_database_url

    url = normalise_database_url(os.environ.get("DATABASE_URL_TEST") or DEFAULT_SERVER)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        message = (
            f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is down: {error}"
        )
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="module")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A PostgreSQL database of this test module's own, dropped afterwards."""
    name = f"beboer_test_{uuid.uuid4().hex}"
    server = sa.create_engine(
        postgres_server, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or the module's PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'beboer.db'}"
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        existing = set(sa.inspect(connection).get_table_names())
        tables = [table for table in TABLES if table in existing]
        if tables:
            connection.execute(sa.text(f"TRUNCATE {', '.join(tables)}"))
    engine.dispose()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """The settings of the test app; a test may change them before asking for ``app``."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """The survey app on a migrated database with the small test questionnaire published.

    Ask for ``bundled`` as well to publish the bundled questionnaires.
    """
    from survey import create_app, storage
    from survey.extensions import db

    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
        storage.publish_file(MINI_SURVEY)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def bundled(app: Flask) -> list[tuple[str, str, bool]]:
    """Publish the bundled questionnaires in ``app``; ``(id, version, new)`` for each."""
    from survey import storage

    with app.app_context():
        return storage.publish_bundled()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


class BeboerRunner:
    """Runs ``beboer`` commands against the test app's configuration."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.runner = CliRunner()

    def invoke(self, args: list[str], *, input: str | None = None) -> Result:  # noqa: A002
        """Run ``beboer ARGS...`` and return click's result (output, exit code)."""
        from beboer.cli import main
        from survey.cli import CONFIG_KEY

        return self.runner.invoke(main, args, input=input, obj={CONFIG_KEY: dict(self.config)})


@pytest.fixture
def runner(app: Flask, app_config: dict[str, Any]) -> BeboerRunner:
    """Runs ``beboer`` commands on the same database and settings as ``app``."""
    return BeboerRunner(app_config)
