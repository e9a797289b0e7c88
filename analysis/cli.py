"""``beboer report``: the annual report of one wave, optionally compared with an earlier one.

The data come from the app's database (``DATABASE_URL`` or
``sqlite:///instance/beboer.db``), another database URL or an export file
(``.csv``, ``.xlsx``, ``.sav`` written by ``beboer export``). This module reads
the ``responses`` table directly and never imports the survey app.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

import questionnaires

__all__ = ["commands", "report", "default_source", "resolve_source", "wave_data"]

DEFAULT_DATABASE = "sqlite:///instance/beboer.db"
FILE_SUFFIXES = (".csv", ".xlsx", ".sav")


class SourceError(click.UsageError):
    """The data source cannot be used (exit code 2)."""


def default_source() -> str:
    """The app's database: ``DATABASE_URL`` from the environment, else the SQLite default."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE


def _normalise_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def resolve_source(source: str) -> tuple[str, str]:
    """Classify a data source as a database URL or an export file.

    Parameters
    ----------
    source : str
        A SQLAlchemy URL or a path to an export file.

    Returns
    -------
    (kind, value)
        ``("database", url)`` or ``("file", path)``.

    Raises
    ------
    SourceError
        When the source is neither an existing export file nor a usable URL,
        or a SQLite database file does not exist.
    """
    if "://" in source:
        url = _normalise_url(source)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise SourceError(f"unknown source {source!r}: not a database URL") from None
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not Path(database).exists():
                raise SourceError(
                    f"no database at {database!r}; run `beboer init-db` and `beboer load-demo`, "
                    "or give --source"
                )
        return "database", url
    path = Path(source)
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise SourceError(
            f"unknown source {source!r}: give a database URL or an export file "
            f"({', '.join(FILE_SUFFIXES)})"
        )
    if not path.is_file():
        raise SourceError(f"unknown source {source!r}: the file does not exist")
    return "file", str(path)


def _questionnaire_ids(url: str, wave: int) -> list[tuple[str, str]]:
    statement = sa.text(
        "SELECT DISTINCT questionnaire_id, questionnaire_version FROM responses "
        "WHERE wave = :wave AND status = 'submitted' ORDER BY questionnaire_id"
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(statement, {"wave": wave})]
    except SQLAlchemyError as error:
        raise SourceError(f"cannot read responses from {_shown(url)}: {error.orig}") from None
    finally:
        engine.dispose()


def _bundled_for_wave(wave: int):
    for questionnaire_id in questionnaires.available():
        questionnaire = questionnaires.load(questionnaire_id)
        if questionnaire.wave == wave:
            return questionnaire
    return None


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def wave_data(kind: str, source: str, wave: int):
    """Responses and questionnaire of one wave from a resolved source.

    Parameters
    ----------
    kind : {"database", "file"}
        As :func:`resolve_source` returns.
    source : str
        URL or file path.
    wave : int
        Survey year.

    Returns
    -------
    (DataFrame, Questionnaire)

    Raises
    ------
    SourceError
        No submitted responses for the wave, several questionnaires for it, or a
        questionnaire that is not bundled.
    """
    from analysis import load_responses

    if kind == "database":
        found = _questionnaire_ids(source, wave)
        if not found:
            raise SourceError(f"no submitted responses for wave {wave} in {_shown(source)}")
        ids = sorted({questionnaire_id for questionnaire_id, _version in found})
        if len(ids) > 1:
            raise SourceError(f"wave {wave} has responses to several questionnaires: {ids}")
        if ids[0] not in questionnaires.available():
            raise SourceError(f"questionnaire {ids[0]!r} of wave {wave} is not a bundled one")
        questionnaire = questionnaires.load(ids[0])
    else:
        questionnaire = _bundled_for_wave(wave)
        if questionnaire is None:
            raise SourceError(f"no bundled questionnaire for wave {wave}")
    try:
        data = load_responses(source, questionnaire)
    except ValueError as error:
        raise SourceError(f"cannot read {source}: {error}") from None
    data = data[data["wave"] == wave].reset_index(drop=True)
    if len(data) == 0:
        raise SourceError(f"no submitted responses for wave {wave} in {source}")
    return data, questionnaire


WEIGHT_COLUMN = "_population_weight"


def population_weighting(kind: str, source: str, data, questionnaire, lang: str):
    """The wave's responses with population weights, the weight column and the methods note.

    Rows that cannot be weighted (no answer to a raking variable) are left out;
    the note says how many. Raises :class:`click.UsageError` (exit 2) when the
    source has no population counts for the questionnaire or they do not fit.
    """
    from analysis.population import load_population, population_weights
    from analysis.population_text import weighting_note

    if kind != "database":
        raise click.UsageError(
            "--weights population needs the database as --source: the population counts "
            "are stored there by `beboer frame population`"
        )
    try:
        counts = load_population(source, questionnaire.id)
        if counts.empty:
            raise ValueError(
                f"no population counts for {questionnaire.id}; import them with "
                f"`beboer frame population FILE --questionnaire {questionnaire.id}`"
            )
        weights = population_weights(data, counts)
    except ValueError as error:
        raise click.UsageError(f"--weights population: {error}") from None
    labels = {area.id: area.label for area in questionnaire.areas}
    note = weighting_note(weights, data, counts, labels=labels, lang=lang)
    weighted = data.assign(**{WEIGHT_COLUMN: weights})[weights.notna()].reset_index(drop=True)
    return weighted, WEIGHT_COLUMN, note


def _file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@click.command("report")
@click.option("--wave", type=int, required=True, help="Survey year to report on, e.g. 2016.")
@click.option("--compare", type=int, default=None, help="Earlier wave to compare with, e.g. 2012.")
@click.option(
    "--source",
    default=None,
    help="Database URL or export file (.csv/.xlsx/.sav). Default: DATABASE_URL or "
    "sqlite:///instance/beboer.db.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: results/<wave>.",
)
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True)
@click.option(
    "--min-n",
    type=click.IntRange(min=5),
    default=10,
    show_default=True,
    help="Smallest base on which a share is shown.",
)
@click.option(
    "--weights",
    type=click.Choice(["population"]),
    default=None,
    help="Weight the shares to the population counts imported with `beboer frame population` "
    "(post-stratified by area, or raked when the counts also have age/sex columns).",
)
def report(
    wave: int,
    compare: int | None,
    source: str | None,
    out: Path | None,
    lang: str,
    min_n: int,
    weights: str | None,
) -> None:
    """Write the annual report of one wave: charts, tables, report.html, report.pdf, manifest.json.

    With --compare, the waves are also compared on the areas they have in common.
    With --weights population, the shares are weighted to the population counts
    and the methods section gives the weighting, its design effect and effective n.
    """
    from analysis.report import build_report

    if compare is not None and compare == wave:
        raise click.BadParameter("must differ from --wave", param_hint="--compare")
    kind, resolved = resolve_source(source or default_source())
    data, questionnaire = wave_data(kind, resolved, wave)
    previous = previous_questionnaire = None
    if compare is not None:
        previous, previous_questionnaire = wave_data(kind, resolved, compare)
    weight_column = note = None
    if weights == "population":
        data, weight_column, note = population_weighting(kind, resolved, data, questionnaire, lang)
    out = out or Path("results") / str(wave)
    description = _shown(resolved) if kind == "database" else resolved
    if kind == "file":
        description = f"{resolved} (sha256 {_file_sha256(resolved)})"

    bar_holder: dict[str, object] = {}

    def progress(done: int, total: int, step: str) -> None:
        bar = bar_holder.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label="Rapport", file=sys.stderr)
            bar.__enter__()
            bar_holder["bar"] = bar
        bar.label = f"Rapport: {step}"
        bar.update(1)

    try:
        manifest = build_report(
            data,
            questionnaire,
            previous=previous,
            previous_questionnaire=previous_questionnaire,
            out_dir=out,
            lang=lang,
            min_n=min_n,
            progress=progress,
            source=description,
            weights=weight_column,
            weighting_note=note,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    finally:
        bar = bar_holder.get("bar")
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(
        f"Wrote {len(manifest['files']) + 1} files to {out}"
        + (" (synthetic demo data)" if manifest["synthetic"] else "")
    )
    click.echo(f"  {out / 'report.html'}")
    click.echo(f"  {out / 'report.pdf'}")
    click.echo(f"  {out / 'manifest.json'}")


commands = [report]
