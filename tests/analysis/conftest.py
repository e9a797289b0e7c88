"""Shared fixtures of the analysis tests."""

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A SQLite database holding both demo waves, stored by ``beboer init-db`` and ``load-demo``."""
    from beboer.cli import main

    path = tmp_path_factory.mktemp("db") / "beboer.db"
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("SECRET_KEY", "test-secret-key")
        runner = CliRunner()
        for command in (["init-db"], ["load-demo"]):
            result = runner.invoke(main, command)
            assert result.exit_code == 0, result.output
    return url
