"""``beboer frame``: import a sampling frame or population counts, print letters, anonymise.

Bad input (a rejected file, an unknown questionnaire) exits with status 2
and names every problem on stderr; nothing is stored from a rejected file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from .. import storage
from ..cli import fail, make_app
from .anonymise import anonymise, has_frame
from .importing import ImportRejected, import_frame, import_population
from .letters import LettersProblem, write_letters
from .tabular import FileProblem

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
QUESTIONNAIRE = click.option(
    "--questionnaire", "questionnaire_id", required=True, help="Id of a published questionnaire."
)


def _questionnaire(questionnaire_id: str) -> Any:
    try:
        questionnaire = storage.get_questionnaire(questionnaire_id)
    except SQLAlchemyError as error:
        fail(f"the database is not ready (has `beboer init-db` run?): {error.orig}", 1)
    if questionnaire is None:
        known = ", ".join(sorted({row.id for row in storage.published_questionnaires()})) or "none"
        fail(f"{questionnaire_id!r} is not a published questionnaire (published: {known})", 2)
    return questionnaire


def _report_rejection(error: ImportRejected) -> None:
    for problem in error.problems[:200]:
        click.echo(problem, err=True)
    if len(error.problems) > 200:
        click.echo(f"... and {len(error.problems) - 200} more problems", err=True)
    fail("Nothing was stored: correct the file and import it again.", 2)


@click.group("frame")
def frame() -> None:
    """Fieldwork: the households invited by letter, their codes and the population counts."""


@frame.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@QUESTIONNAIRE
def import_command(file: Path, questionnaire_id: str) -> None:
    """Import households from FILE (.csv or .xlsx), each given a new invitation code.

    Columns: household, address, area and optionally language (the
    questionnaire's default when empty). A file with any problem stores nothing.
    """
    app = make_app()
    with app.app_context():
        questionnaire = _questionnaire(questionnaire_id)
        try:
            result = import_frame(file, questionnaire)
        except FileProblem as error:
            fail(str(error), 2)
        except ImportRejected as error:
            _report_rejection(error)
        except SQLAlchemyError as error:
            fail(f"the frame could not be stored (has `beboer init-db` run?): {error}", 1)
    areas = ", ".join(f"{area} {n}" for area, n in sorted(result.by_area.items()))
    click.echo(f"Imported {result.rows} households with new invitation codes ({areas}).")


@frame.command("population")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@QUESTIONNAIRE
def population_command(file: Path, questionnaire_id: str) -> None:
    """Import population counts from FILE (.csv or .xlsx), replacing the stored ones.

    Columns: area, count, and optionally single-choice question ids of the
    questionnaire (e.g. age group, sex) whose values are answer codes; each
    line is one cell. `beboer report --weights population` weights to them.
    """
    app = make_app()
    with app.app_context():
        questionnaire = _questionnaire(questionnaire_id)
        try:
            result = import_population(file, questionnaire)
        except FileProblem as error:
            fail(str(error), 2)
        except ImportRejected as error:
            _report_rejection(error)
        except SQLAlchemyError as error:
            fail(f"the counts could not be stored (has `beboer init-db` run?): {error}", 1)
    areas = ", ".join(f"{area} {n}" for area, n in sorted(result.by_area.items()))
    click.echo(f"Imported {result.rows} population counts ({areas}).")


@frame.command("letters")
@QUESTIONNAIRE
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PDF file to write.",
)
@click.option(
    "--reminders",
    is_flag=True,
    help="Only households whose code has not given a submitted response.",
)
@click.option(
    "--base-url",
    default=lambda: os.environ.get("PUBLIC_URL", DEFAULT_BASE_URL),
    show_default="PUBLIC_URL or http://127.0.0.1:5000",
    help="The address residents open; the letters print <base-url>/k/<code>.",
)
def letters_command(questionnaire_id: str, out: Path, reminders: bool, base_url: str) -> None:
    """Write print-ready A4 letters, one page per household, in Danish and its language."""
    if not base_url.startswith(("http://", "https://")):
        fail(f"--base-url must start with http:// or https://, got {base_url!r}", 2)
    if not out.parent.exists():
        fail(f"the folder {out.parent} does not exist", 2)
    app = make_app()
    with app.app_context():
        questionnaire = _questionnaire(questionnaire_id)
        try:
            count = write_letters(questionnaire, out, base_url, reminders=reminders)
        except LettersProblem as error:
            fail(str(error), 2)
        except OSError as error:
            fail(f"could not write {out}: {error}", 1)
    kind = "reminders" if reminders else "letters"
    click.echo(f"Wrote {count} {kind} to {out}.")


@frame.command("anonymise")
@QUESTIONNAIRE
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def anonymise_command(questionnaire_id: str, yes: bool) -> None:
    """After fieldwork: delete addresses, household ids and codes (the rates stay; audited)."""
    app = make_app()
    with app.app_context():
        _questionnaire(questionnaire_id)
        if not has_frame(questionnaire_id):
            fail(f"{questionnaire_id} has no sampling frame", 2)
        if not yes:
            click.confirm(
                f"Delete every address and invitation code of {questionnaire_id}? "
                "Letters can no longer be printed and codes stop working.",
                abort=True,
            )
        try:
            result = anonymise(questionnaire_id)
        except SQLAlchemyError as error:
            fail(f"the frame could not be anonymised: {error}", 1)
    click.echo(
        f"Anonymised {questionnaire_id}: {result.households} addresses and "
        f"{result.codes} codes deleted; the response-rate counts stay."
    )


commands = [frame]
