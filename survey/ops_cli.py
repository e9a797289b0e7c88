"""Operator commands: ``backup``, ``restore``, ``purge-drafts`` and ``device-token``.

Like the other commands they read the database from ``DATABASE_URL`` (or
the instance folder); bad input exits 2, failures 1, each with a message on
stderr and no traceback.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from . import backup as backups
from . import devices, drafts
from .cli import fail, make_app

__all__ = ["commands"]


@click.command("backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (mode 0600).",
)
def backup(out: Path) -> None:
    """Write a consistent backup of the database while the app keeps serving.

    SQLite: a copy made with SQLite's online backup API. PostgreSQL: a
    pg_dump custom-format file. Restore it with `beboer restore FILE`.
    """
    app = make_app()
    try:
        backups.backup_database(app.config["SQLALCHEMY_DATABASE_URI"], out)
    except backups.BackupError as error:
        fail(str(error), error.exit_code)
    click.echo(f"Wrote a backup of the database to {out}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Restore a backup made by `beboer backup` into an empty database.

    The database named by DATABASE_URL must be new (SQLite: no file yet;
    PostgreSQL: a database without tables). Run `beboer init-db` afterwards
    when the backup comes from an older version of beboer.
    """
    app = make_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        kind = backups.restore_database(url, file)
    except backups.BackupError as error:
        fail(str(error), error.exit_code)
    click.echo(f"Restored the {kind} backup {file}.")


@click.command("purge-drafts")
@click.option(
    "--older-than",
    "hours",
    type=click.IntRange(min=1),
    default=None,
    help="Age in hours of the drafts to delete (default: DRAFT_MAX_AGE_HOURS, 72).",
)
def purge_drafts(hours: int | None) -> None:
    """Delete abandoned drafts: consent given, never submitted, untouched for a while.

    `beboer serve` does this at start and once a day.
    """
    app = make_app()
    with app.app_context():
        age = timedelta(hours=hours or app.config["DRAFT_MAX_AGE_HOURS"])
        try:
            removed = drafts.purge_drafts(age)
        except SQLAlchemyError as error:
            fail(f"the drafts could not be purged: {error}", 1)
    hours_shown = f"{age.total_seconds() / 3600:g}"
    click.echo(f"Deleted {removed} drafts untouched for more than {hours_shown} hours.")


@click.group("device-token")
def device_token() -> None:
    """Tokens that let an interviewer's tablet send interviewer-mode responses to the API."""


@device_token.command("issue")
@click.option("--user", "username", required=True, help="The interviewer the tablet belongs to.")
@click.option("--name", required=True, help="A label for the device, e.g. 'tablet 3'.")
def issue(username: str, name: str) -> None:
    """Issue a token; it is printed once and only its hash is stored."""
    app = make_app()
    with app.app_context():
        try:
            issued = devices.issue_token(name, username, issued_by="beboer device-token")
        except devices.DeviceTokenError as error:
            fail(str(error), 2)
    click.echo(f"Token {issued.id} for {issued.username} ({issued.pseudonym}) on {issued.name}:")
    click.echo(f"  {issued.token}")
    click.echo("It is shown only this once; the tablet sends it as 'Authorization: Bearer ...'.")


@device_token.command("list")
def list_tokens() -> None:
    """List the issued tokens (never the tokens themselves)."""
    app = make_app()
    with app.app_context():
        for row, username in devices.list_tokens():
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
            click.echo(f"{row.id}\t{row.name}\t{username}\t{row.created_at:%Y-%m-%d}\t{state}")


@device_token.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke a token by its number (see `beboer device-token list`)."""
    app = make_app()
    with app.app_context():
        if not devices.revoke_token(token_id, revoked_by="beboer device-token"):
            fail(f"no active device token has number {token_id}", 2)
    click.echo(f"Revoked device token {token_id}.")


commands = [backup, restore, purge_drafts, device_token]
