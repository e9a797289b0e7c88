"""Command line: ``beboer check-questionnaire FILE...``."""

from __future__ import annotations

import click

from .loader import check, load
from .problems import QuestionnaireError


@click.command("check-questionnaire")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--verbose", "-v", is_flag=True, help="Print a summary line for each good file.")
def check_questionnaire(files: tuple[str, ...], verbose: bool) -> None:
    """Check questionnaire files (.yaml, .yml, XLSForm .xlsx) or bundled ids.

    Prints every problem to stderr, one per line, as FILE: PATH: MESSAGE, and
    exits with status 2 when there is any; prints nothing and exits 0 when all
    files are fine.
    """
    failed = False
    for name in files:
        problems = check(name)
        for problem in problems:
            click.echo(str(problem), err=True)
        failed = failed or bool(problems)
        if verbose and not problems:
            try:
                questionnaire = load(name)
            except QuestionnaireError as error:
                click.echo(str(error), err=True)
                failed = True
                continue
            click.echo(
                f"{name}: {len(questionnaire.questions())} questions, "
                f"{len(questionnaire.pages)} pages, {len(questionnaire.languages)} languages, ok"
            )
    if failed:
        raise SystemExit(2)


commands = [check_questionnaire]
