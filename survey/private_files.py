"""Files that hold answers are created readable by their owner only (mode 0600).

SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file,
so creating the database file 0600 before SQLite opens it protects all three.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = ["PRIVATE_MODE", "create_private_file", "sqlite_path"]

PRIVATE_MODE = 0o600


def create_private_file(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist; return it.

    An existing file keeps its content and, when this user owns it, is made 0600.
    """
    path = Path(path)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        if path.stat().st_uid == os.getuid():
            os.chmod(path, PRIVATE_MODE)
    else:
        os.close(descriptor)
    return path


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL, or ``None`` (another database, or in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
