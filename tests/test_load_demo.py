"""``beboer load-demo`` stores both demo waves through the storage path, once."""

import sqlite3

import pytest
from click.testing import CliRunner

from analysis.demo import is_synthetic
from beboer.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "beboer.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")
    return path


def _counts(path):
    with sqlite3.connect(path) as connection:
        return dict(
            connection.execute(
                "SELECT questionnaire_id || '/' || area, count(*) FROM responses "
                "WHERE status = 'submitted' GROUP BY questionnaire_id, area"
            ).fetchall()
        )


def test_load_demo_stores_both_waves_once(database):
    runner = CliRunner()
    result = runner.invoke(main, ["init-db"])
    assert result.exit_code == 0, result.output

    result = runner.invoke(main, ["load-demo", "--seed", "2016"])
    assert result.exit_code == 0, result.output
    assert "Wave 2012: 500 synthetic responses" in result.output
    assert "500 created, 0 identical, 0 conflict" in result.output
    assert "875 created, 0 identical, 0 conflict" in result.output
    assert _counts(database) == {
        "beboerundersoegelse-2012/glarbjergvej": 240,
        "beboerundersoegelse-2012/jennumparken": 260,
        "beboerundersoegelse-2016/glarbjergvej": 310,
        "beboerundersoegelse-2016/jennumparken": 280,
        "beboerundersoegelse-2016/vangdalen": 285,
    }
    with sqlite3.connect(database) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM responses")]
        hashes = connection.execute(
            "SELECT count(*) FROM responses WHERE length(answers_sha256) = 64"
        ).fetchone()[0]
    assert is_synthetic(ids).all()
    assert hashes == 1375

    # --if-empty does nothing once responses exist.
    result = runner.invoke(main, ["load-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "already holds 1375 submitted responses" in result.output
    # Loading again is an identical resend, not a duplicate.
    result = runner.invoke(main, ["load-demo"])
    assert result.exit_code == 0, result.output
    assert "0 created, 875 identical" in result.output
    assert sum(_counts(database).values()) == 1375


def test_load_demo_needs_the_schema(database):
    result = CliRunner().invoke(main, ["load-demo"])
    assert result.exit_code == 1
    assert "beboer init-db" in result.output
    assert "Traceback" not in result.output


def test_help():
    result = CliRunner().invoke(main, ["load-demo", "--help"])
    assert result.exit_code == 0
    assert "--if-empty" in result.output and "--seed" in result.output
