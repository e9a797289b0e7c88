"""Command line: ``beboer check-questionnaire FILE...``."""

from __future__ import annotations

import click

from .loader import check, load
from .model import Questionnaire
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
            click.echo(f"{name}: {summary(questionnaire)}, ok")
    if failed:
        raise SystemExit(2)


def summary(questionnaire: Questionnaire) -> str:
    """``35 questions, 10 pages, 8 languages (drafts: ar, fa)`` for a questionnaire."""
    drafts = [language.code for language in questionnaire.language_info
              if language.translation_status == "draft"]
    text = (f"{len(questionnaire.questions())} questions, {len(questionnaire.pages)} pages, "
            f"{len(questionnaire.languages)} languages")
    return text + (f" (drafts: {', '.join(drafts)})" if drafts else "")


commands = [check_questionnaire]
