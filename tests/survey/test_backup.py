"""``beboer backup`` and ``beboer restore``: consistent under write load, 0600, empty targets."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.survey.conftest import make_payload
from tests.survey.live_server import Server, beboer, server_env
from tests.survey.load_clients import Submitters


def response_rows(url: str) -> dict[str, str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, answers_sha256 FROM responses"))
            return dict(rows.all())
    finally:
        engine.dispose()


@pytest.fixture
def restore_url(request, database_url, tmp_path):
    """An empty database of the same kind to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'beboer.db'}"
        return
    server_url = request.getfixturevalue("postgres_server")
    name = f"beboer_restore_{uuid.uuid4().hex}"
    admin = sa.create_engine(server_url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.slow
def test_backup_under_write_load_restores_every_acknowledged_response(
    app, database_url, restore_url, tmp_path
):
    env = server_env(database_url, tmp_path / "instance")
    server = Server(env).start()
    clients = Submitters(make_payload, n=6).start(server.url)
    try:
        time.sleep(1.5)
        before = clients.acknowledged_now()
        out = tmp_path / "backup.bin"
        started = time.monotonic()
        result = beboer(["backup", "--out", str(out)], env)
        seconds = time.monotonic() - started
        after = clients.acknowledged_now()
        time.sleep(0.5)
    finally:
        clients.stop()
        server.stop()
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600

    (tmp_path / "restored").mkdir()
    restore_env = server_env(restore_url, tmp_path / "restored")
    restored = beboer(["restore", str(out)], restore_env)
    assert restored.returncode == 0, restored.stderr
    rows = response_rows(restore_url)
    live = response_rows(database_url)
    assert before <= set(rows)  # everything acknowledged before the backup began is in it
    assert set(rows) <= set(live)  # nothing that was not stored
    assert all(rows[key] == live[key] for key in rows)
    assert len(after) > len(before)  # the writers really wrote during the backup
    if restore_url.startswith("sqlite"):
        path = make_url(restore_url).database
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the restored database serves
    check = beboer(["init-db"], restore_env)
    assert check.returncode == 0, check.stderr
    print(
        f"\nbackup under load ({make_url(database_url).get_backend_name()}): "
        f"{len(before)} acknowledged before, {len(after)} when the backup ended "
        f"({seconds:.1f} s), {len(rows)} in the backup, {len(live)} stored at the end"
    )


def test_backup_and_restore_refuse_bad_input(app, runner, tmp_path, database_url):
    missing = runner.invoke(["backup", "--out", str(tmp_path / "no" / "backup.bin")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    junk = tmp_path / "junk.bin"
    junk.write_text("not a backup")
    result = runner.invoke(["restore", str(junk)])
    assert result.exit_code == 2
    assert "neither a SQLite database nor a pg_dump" in result.output
    out = tmp_path / "backup.bin"
    assert runner.invoke(["backup", "--out", str(out)]).exit_code == 0
    again = runner.invoke(["restore", str(out)])  # into the same, non-empty database
    assert again.exit_code == 2
    assert "not empty" in again.output
