"""Command line of the survey app: serve, init-db, create-user, import, export.

Each command builds the app with :func:`survey.create_app` (configured from
the environment, e.g. ``DATABASE_URL``) and works inside its app context.
Bad input exits with status 2, failures with status 1, each with a message
on stderr and no traceback.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click
from flask import Flask
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from tqdm import tqdm

import questionnaires

from . import create_app, drafts, export, storage
from .auth import users
from .extensions import db
from .payload import capped_errors
from .request_guard import BadJSON, load_json

CONFIG_KEY = "survey_config"
LOOPBACK_NAMES = {"localhost"}


def make_app(extra: dict[str, Any] | None = None) -> Flask:
    """Create the app; tests may pass config overrides as ``obj={"survey_config": {...}}``."""
    context = click.get_current_context(silent=True)
    config: dict[str, Any] = {}
    if context is not None and isinstance(context.obj, dict):
        config.update(context.obj.get(CONFIG_KEY, {}))
    config.update(extra or {})
    try:
        return create_app(config)
    except ValueError as error:  # a bad setting in the environment
        raise click.UsageError(str(error)) from None


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` to stderr and exit with ``code``."""
    click.echo(message, err=True)
    raise SystemExit(code)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256))
def serve(host: str, port: int, threads: int) -> None:
    """Serve the survey app with the waitress WSGI server.

    On a loopback address the session cookie is not marked Secure (the
    server speaks plain HTTP to this machine only) unless SESSION_COOKIE_SECURE
    is set; on any other address it is, so put a TLS proxy in front. Drafts
    untouched for DRAFT_MAX_AGE_HOURS are purged at start and then daily.
    """
    from waitress import serve as waitress_serve

    # one database connection per server thread, so that no request waits for one
    extra: dict[str, Any] = {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": threads}
    }
    if is_loopback(host) and "SESSION_COOKIE_SECURE" not in os.environ:
        extra["SESSION_COOKIE_SECURE"] = False
    app = make_app(extra)
    drafts.start_daily_purge(app)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving beboer on http://{shown}:{port}/ (Ctrl+C stops)")
    # Waitress drops X-Forwarded-* headers unless told otherwise; with PROXY_FIX_X_FOR
    # set, ProxyFix decides how many of them to trust.
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="beboer",
        clear_untrusted_proxy_headers=not app.config.get("PROXY_FIX_X_FOR"),
    )


@click.command("init-db")
@click.option(
    "--publish",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also publish this questionnaire file (repeatable).",
)
def init_db(files: tuple[Path, ...]) -> None:
    """Migrate the database to the latest schema and publish the bundled questionnaires.

    Safe to run again: nothing that exists is changed.
    """
    app = make_app()
    with app.app_context():
        try:
            storage.migrate_database()
            results = storage.publish_bundled()
            for path in files:
                questionnaire, new = storage.publish_file(path)
                results.append((questionnaire.id, questionnaire.version, new))
        except questionnaires.QuestionnaireError as error:
            fail(str(error), 2)
        except ValueError as error:
            fail(str(error), 2)
        except SQLAlchemyError as error:
            fail(f"the database could not be migrated: {error}", 1)
        click.echo(f"Database at schema revision {storage.current_revision()}.")
        for questionnaire_id, version, new in results:
            state = "published" if new else "already published"
            click.echo(f"{questionnaire_id} {version}: {state}")


@click.command("create-user")
@click.argument("username", required=False)
@click.option(
    "--role",
    type=click.Choice(["admin", "interviewer"]),
    default="interviewer",
    show_default=True,
)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.option(
    "--first-run",
    is_flag=True,
    help="Create 'admin' with a random password, printed once, if no staff user exists yet.",
)
def create_user(username: str | None, role: str, password_stdin: bool, first_run: bool) -> None:
    """Create a staff account (admin or interviewer) with an argon2-hashed password."""
    if first_run and (username or password_stdin):
        raise click.UsageError("--first-run takes no USERNAME and no --password-stdin")
    if not first_run and not username:
        raise click.UsageError("give a USERNAME (or --first-run)")
    app = make_app()
    with app.app_context():
        try:
            if first_run:
                _first_run_user()
                return
            if password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
            else:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = users.create_user(username, password, role=role)
        except users.UserError as error:
            fail(str(error), 2)
        except SQLAlchemyError as error:
            fail(f"the user could not be stored (has `beboer init-db` run?): {error}", 1)
        click.echo(f"Created {user.role} {user.username} (interviewer code {user.pseudonym}).")


def _first_run_user() -> None:
    if users.staff_exists():
        click.echo("A staff user exists already; no user was created.")
        return
    password = users.generate_password()
    user = users.create_user("admin", password, role="admin")
    click.echo("Created the first staff user. Log in at /auth/login with:")
    click.echo(f"  user name: {user.username}")
    click.echo(f"  password:  {password}")
    click.echo("The password is shown only this once.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def import_responses(file: Path, quiet: bool) -> None:
    """Store responses from a JSON-lines file of API payloads, as the API would.

    Every line is tried: a bad line (not UTF-8, malformed JSON, an invalid or
    conflicting response) is named on stderr with its line number and reason,
    and the good lines before and after it are stored. Prints how many were
    created, identical (already stored), conflicts and invalid; exits 1 at
    the end when any line was rejected.
    """
    app = make_app()
    counts: Counter[str] = Counter()
    with app.app_context(), file.open("rb") as handle:
        lines = handle.readlines()
        for number, raw in enumerate(tqdm(lines, disable=quiet, unit="line", file=sys.stderr), 1):
            if not raw.strip():
                continue
            try:
                outcome = import_line(raw)
            except ImportRejected as rejected:
                counts[rejected.kind] += 1
                click.echo(f"{file}:{number}: {rejected.kind}: {rejected}", err=True)
            else:
                counts[outcome] += 1
    click.echo(
        f"created {counts['created']}, identical {counts['identical']}, "
        f"conflict {counts['conflict']}, invalid {counts['invalid']}"
    )
    if counts["conflict"] or counts["invalid"]:
        raise SystemExit(1)


class ImportRejected(Exception):
    """One line of an import file was not stored; ``kind`` is ``invalid`` or ``conflict``."""

    def __init__(self, kind: str, reason: str) -> None:
        self.kind = kind
        super().__init__(reason)


def import_line(raw: bytes) -> str:
    """Store one line of an import file; its outcome, or :class:`ImportRejected` saying why not.

    A database that cannot be reached at all stops the import (exit 1); any
    other refusal by the database rejects the line only.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRejected("invalid", f"not UTF-8 (byte {error.start})") from None
    try:
        payload = load_json(text)
        return storage.submit_payload(payload).outcome
    except BadJSON as error:
        raise ImportRejected("invalid", str(error)) from None
    except storage.PayloadError as error:
        problems = "; ".join(
            f"{field}: {', '.join(messages)}"
            for field, messages in capped_errors(error.errors).items()
        )
        raise ImportRejected("invalid", problems) from None
    except storage.Conflict as error:
        raise ImportRejected("conflict", str(error)) from None
    except OperationalError as error:
        click.echo(f"the database cannot be reached: {error.orig}", err=True)
        raise SystemExit(1) from None
    except SQLAlchemyError as error:
        db.session.rollback()
        raise ImportRejected("invalid", f"the database refused it: {error.orig}") from None


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", required=True, help="Questionnaire id.")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--lang",
    default=None,
    help="Language of the SPSS/Stata variable and value labels (default: the questionnaire's).",
)
def export_responses(questionnaire_id: str, fmt: str, out: Path, lang: str | None) -> None:
    """Export the submitted responses to one questionnaire as CSV, Excel, SPSS or Stata.

    SPSS (.sav) files declare the missing codes, measurement levels, integer
    formats and labels; Stata (.dta) files carry labels and extended missing values.
    """
    app = make_app()
    with app.app_context():
        questionnaire = storage.get_questionnaire(questionnaire_id)
        if questionnaire is None:
            known = ", ".join(row.id for row in storage.published_questionnaires()) or "none"
            fail(f"{questionnaire_id!r} is not a published questionnaire (published: {known})", 2)
        if not out.parent.exists():
            fail(f"the folder {out.parent} does not exist", 2)
        if lang is not None and lang not in questionnaire.languages:
            fail(
                f"--lang {lang!r} is not a language of {questionnaire_id!r} "
                f"(languages: {', '.join(questionnaire.languages)})",
                2,
            )
        frame = export.response_frame(questionnaire, export.submitted_rows(questionnaire_id))
        try:
            export.write_export(frame, questionnaire, out, fmt, lang)
        except (OSError, ValueError) as error:
            fail(f"could not write {out}: {error}", 1)
    click.echo(f"Wrote {len(frame)} responses to {out}.")


@click.command("codebook")
@click.option("--questionnaire", "questionnaire_id", required=True, help="Questionnaire id.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The codebook file: .html or .pdf.",
)
@click.option("--lang", default=None, help="Language of the headings, labels and conditions.")
def codebook_command(questionnaire_id: str, out: Path, lang: str | None) -> None:
    """Write the codebook of a published questionnaire's export as HTML or PDF.

    Every variable with its question text in all languages, codes and labels,
    missing codes, the condition under which it is asked and counts answered.
    """
    from . import codebook

    if out.suffix.lower() not in (".html", ".pdf"):
        fail(f"--out must end in .html or .pdf, got {out.name!r}", 2)
    app = make_app()
    with app.app_context():
        questionnaire = storage.get_questionnaire(questionnaire_id)
        if questionnaire is None:
            known = ", ".join(row.id for row in storage.published_questionnaires()) or "none"
            fail(f"{questionnaire_id!r} is not a published questionnaire (published: {known})", 2)
        if lang is not None and lang not in questionnaire.languages:
            fail(
                f"--lang {lang!r} is not a language of {questionnaire_id!r} "
                f"(languages: {', '.join(questionnaire.languages)})",
                2,
            )
        if not out.parent.exists():
            fail(f"the folder {out.parent} does not exist", 2)
        frame = export.response_frame(questionnaire, export.submitted_rows(questionnaire_id))
        try:
            language = lang or questionnaire.default_language
            codebook.write_codebook(questionnaire, frame, out, language)
        except OSError as error:
            fail(f"could not write {out}: {error}", 1)
    click.echo(f"Wrote the codebook of {questionnaire_id} ({len(frame)} responses) to {out}.")


commands = [serve, init_db, create_user, import_responses, export_responses, codebook_command]
