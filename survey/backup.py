"""Backing up and restoring the survey database.

SQLite is copied with its online backup API, which reads one consistent
snapshot while the app keeps writing (a plain file copy of a live WAL
database can miss acknowledged rows). PostgreSQL is dumped with ``pg_dump``
in its custom format, also one consistent snapshot. Backup files are
created with mode 0600, like the database.

A backup is restored only into an empty database (a new SQLite file, or a
PostgreSQL database without tables), so a restore never mixes two
databases' rows; ``beboer init-db`` afterwards brings an older backup's
schema up to date.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from .private_files import PRIVATE_MODE, create_private_file, sqlite_path

__all__ = ["BackupError", "backup_database", "backup_kind", "restore_database"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore could not be made; ``exit_code`` 2 for bad input, 1 for a failure."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        self.exit_code = exit_code
        super().__init__(message)


def backup_kind(path: str | os.PathLike[str]) -> str:
    """``sqlite`` or ``postgresql``: what kind of backup the file at ``path`` is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}", 2) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format file", 2)


def backup_database(url: str, out: str | os.PathLike[str]) -> None:
    """Write a consistent backup of the database at ``url`` to ``out`` (mode 0600).

    The backup is written next to ``out`` under a temporary name and moved
    into place only when complete, so ``out`` is never a half-written file.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist", 2)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    os.chmod(temporary, PRIVATE_MODE)
    try:
        if sqlite_path(url) is not None:
            _backup_sqlite(sqlite_path(url), Path(temporary))
        elif make_url(url).get_backend_name() == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={temporary}"], url)
        else:
            raise BackupError(f"cannot back up a {make_url(url).get_backend_name()} database", 2)
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _backup_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no database at {source}", 2)
    source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    target_db = sqlite3.connect(target)
    try:
        source_db.execute("PRAGMA busy_timeout=30000")
        source_db.backup(target_db)  # all pages in one step: one consistent snapshot
        target_db.execute("PRAGMA journal_mode=DELETE")
        (result,) = target_db.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.Error as error:
        raise BackupError(f"the SQLite backup failed: {error}") from None
    finally:
        target_db.close()
        source_db.close()
    if result != "ok":
        raise BackupError(f"the backup copy fails its integrity check: {result}")


def restore_database(url: str, backup: str | os.PathLike[str]) -> str:
    """Restore ``backup`` into the empty database at ``url``; return the backup's kind."""
    kind = backup_kind(backup)
    target = sqlite_path(url)
    backend = make_url(url).get_backend_name()
    if kind == "sqlite" and target is not None:
        _restore_sqlite(Path(backup), target)
    elif kind == "postgresql" and backend == "postgresql":
        _require_empty(url)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(backup)], url)
    else:
        raise BackupError(f"a {kind} backup cannot be restored into a {backend} database", 2)
    return kind


def _restore_sqlite(backup: Path, target: Path) -> None:
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} exists and is not empty; restore into a new database", 2)
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist", 2)
    source_db = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        (result,) = source_db.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"{backup} fails its integrity check: {result}")
        create_private_file(target)
        target_db = sqlite3.connect(target)
        try:
            source_db.backup(target_db)
            target_db.execute("PRAGMA journal_mode=WAL")
        finally:
            target_db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} cannot be read as a SQLite database: {error}", 2) from None
    finally:
        source_db.close()


def _require_empty(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
    except sa.exc.OperationalError as error:
        raise BackupError(f"cannot reach the database: {error.orig}") from None
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"the database is not empty (it has {', '.join(sorted(tables))}); "
            "restore into a new, empty database",
            2,
        )


def _libpq_environment(url: URL) -> dict[str, str]:
    """The PG* variables naming the database at ``url`` (no password on the command line)."""
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], url: str) -> None:
    """Run a PostgreSQL client program against the database at ``url``."""
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    parsed = make_url(url)
    if command[0] == "pg_restore":
        command = [*command[:-1], f"--dbname={parsed.database}", command[-1]]
    completed = subprocess.run(
        [program, *command[1:]],
        env=_libpq_environment(parsed),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed: {completed.stderr.strip()}")
