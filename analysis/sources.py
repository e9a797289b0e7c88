"""Where a report's data come from: the app's database or an export file, and the questionnaires.

:func:`resolve_source` classifies a source; :func:`questionnaire_data` reads the
responses to one questionnaire (from the database, each response with the
questionnaire version it was collected with); :func:`wave_questionnaire`
finds the questionnaire of a survey year. Every problem is a
:class:`SourceError` with one line naming what and where (exit code 2).
This module reads the ``responses`` and ``questionnaires`` tables directly and
never imports the survey app.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

import questionnaires
from questionnaires import QuestionnaireError

__all__ = [
    "FILE_SUFFIXES",
    "SourceError",
    "default_source",
    "load_questionnaire",
    "questionnaire_data",
    "resolve_source",
    "shown",
    "wave_questionnaire",
]

FILE_SUFFIXES = (".csv", ".xlsx", ".sav")
QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml", ".xlsx")
DATABASE_BACKENDS = ("sqlite", "postgresql")


class SourceError(click.ClickException):
    """The data source or questionnaire cannot be used: one line, exit code 2."""

    exit_code = 2


def default_source() -> str:
    """The app's database as the app finds it.

    ``DATABASE_URL`` from the environment, else ``beboer.db`` in the
    instance folder (``INSTANCE_PATH``, default ``instance/``).
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    instance = os.environ.get("INSTANCE_PATH") or "instance"
    return "sqlite:///" + str(Path(instance) / "beboer.db")


def _normalise_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def shown(url: str) -> str:
    """A database URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def resolve_source(source: str) -> tuple[str, str]:
    """Classify a data source as a database URL or an export file.

    Parameters
    ----------
    source : str
        A SQLAlchemy URL (SQLite or PostgreSQL) or a path to an export file.

    Returns
    -------
    (kind, value)
        ``("database", url)`` or ``("file", path)``.

    Raises
    ------
    SourceError
        Neither an existing export file nor a usable URL (unknown scheme), or
        a SQLite database file that does not exist.
    """
    if "://" in source:
        url = _normalise_url(source)
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise SourceError(f"unknown source {source!r}: not a database URL") from None
        backend = parsed.get_backend_name()
        if backend not in DATABASE_BACKENDS:
            raise SourceError(
                f"unknown source {source!r}: the URL scheme {backend!r} is not a database beboer "
                f"reads ({', '.join(DATABASE_BACKENDS)})"
            )
        if backend == "sqlite":
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


def _query(url: str, statement, **params) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(statement, params)]
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise SourceError(f"cannot read {shown(url)}: {reason}") from None
    finally:
        engine.dispose()


def _published(url: str, questionnaire_id: str) -> list[tuple[str, int, str]]:
    """(version, wave, source text) of each published version, oldest first."""
    statement = sa.text(
        "SELECT version, wave, source FROM questionnaires WHERE id = :id ORDER BY published_at"
    )
    return _query(url, statement, id=questionnaire_id)


def _loads(text: str, where: str):
    try:
        return questionnaires.loads(text, file=where)
    except QuestionnaireError as error:
        first = str(error).splitlines()[0] if str(error) else "not a valid questionnaire"
        raise SourceError(f"{where}: {first}") from None


def load_questionnaire(value: str, kind: str, source: str):
    """The questionnaire named on the command line: a file, a published id or a bundled id.

    Parameters
    ----------
    value : str
        A path to a questionnaire file, or a questionnaire id.
    kind, source : str
        The resolved data source (:func:`resolve_source`): an id is looked
        up among the questionnaires published in a database source, else
        among the bundled ones.

    Returns
    -------
    Questionnaire
        For a published id, its newest version.
    """
    path = Path(value)
    if path.suffix.lower() in QUESTIONNAIRE_SUFFIXES or path.is_file():
        if not path.is_file():
            raise SourceError(f"questionnaire file {value!r} does not exist")
        try:
            return questionnaires.load(str(path))
        except QuestionnaireError as error:
            raise SourceError(str(error).splitlines()[0]) from None
    if kind == "database":
        published = _published(source, value)
        if published:
            version, _wave, text = published[-1]
            return _loads(text, f"{value} version {version} in {shown(source)}")
    if value in questionnaires.available():
        return questionnaires.load(value)
    where = f"published in {shown(source)} or bundled" if kind == "database" else "bundled"
    raise SourceError(
        f"no questionnaire {value!r} {where}; give a questionnaire file with --questionnaire FILE"
    )


def wave_questionnaire(kind: str, source: str, wave: int):
    """The questionnaire whose responses in ``source`` belong to survey year ``wave``.

    From a database: the questionnaire the wave's submitted responses were
    collected with (there must be one). From a file: the bundled
    questionnaire of that year.
    """
    if kind == "database":
        statement = sa.text(
            "SELECT DISTINCT questionnaire_id FROM responses "
            "WHERE wave = :wave AND status = 'submitted' ORDER BY questionnaire_id"
        )
        ids = [row[0] for row in _query(source, statement, wave=wave)]
        if not ids:
            raise SourceError(f"no submitted responses for wave {wave} in {shown(source)}")
        if len(ids) > 1:
            raise SourceError(
                f"wave {wave} has responses to several questionnaires ({', '.join(ids)}); "
                "name one with --questionnaire"
            )
        return load_questionnaire(ids[0], kind, source)
    for questionnaire_id in questionnaires.available():
        questionnaire = questionnaires.load(questionnaire_id)
        if questionnaire.wave == wave:
            return questionnaire
    raise SourceError(
        f"no bundled questionnaire for wave {wave}; give the file with --questionnaire FILE"
    )


def _as_latest(frame: pd.DataFrame, questionnaire) -> pd.DataFrame:
    """Single-choice columns as categoricals of the newest version's codes."""
    for question in questionnaire.questions():
        if question.type == "single" and question.id in frame.columns:
            values = frame[question.id].astype(object)
            unknown = set(values.dropna()) - set(question.codes)
            if unknown:
                raise SourceError(
                    f"answers to {question.id!r} in an earlier version use codes "
                    f"{sorted(unknown)} that version {questionnaire.version} does not have"
                )
            frame[question.id] = pd.Categorical(
                values.where(values.notna(), None), categories=list(question.codes), ordered=True
            )
    return frame


def questionnaire_data(kind: str, source: str, questionnaire, *, wave: int | None = None,
                       label: str | None = None, cache: dict | None = None) -> pd.DataFrame:
    """The submitted responses to ``questionnaire`` in ``source``.

    From a database each response is read with the published version it was
    collected with; the result has the newest version's columns and codes.

    Parameters
    ----------
    kind, source : str
        As :func:`resolve_source` returns.
    questionnaire : Questionnaire
        The (newest) questionnaire.
    wave : int, optional
        Keep only this survey year.
    label : str, optional
        How to name this data in messages (e.g. ``"wave 2012"``).
    cache : dict, optional
        Export files already read, by path: a report reads each file once.

    Raises
    ------
    SourceError
        No responses, unreadable files, missing columns, unparseable values.
    """
    from analysis import load_responses
    from analysis.load import read_export, tidy_export

    where = label or f"questionnaire {questionnaire.id}"
    try:
        if kind == "database":
            frames = []
            versions = _published(source, questionnaire.id) or [
                (questionnaire.version, questionnaire.wave, None)
            ]
            for version, _wave, text in versions:
                used = questionnaire if version == questionnaire.version or text is None else (
                    _loads(text, f"{questionnaire.id} version {version}")
                )
                frames.append(load_responses(source, used, version=version))
            frames = [f for f in frames if len(f)]
            data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else (
                frames[0] if frames else load_responses(source, questionnaire)
            )
            data = _as_latest(data, questionnaire)
        else:
            cache = {} if cache is None else cache
            if source not in cache:
                cache[source] = read_export(source)
            data = tidy_export(cache[source], questionnaire, f"file {source!r}")
    except ValueError as error:
        raise SourceError(f"{where}: {error}") from None
    if wave is not None:
        data = data[data["wave"] == wave].reset_index(drop=True)
    if len(data) == 0:
        shown_source = shown(source) if kind == "database" else source
        year = f" for wave {wave}" if wave is not None else ""
        raise SourceError(f"no submitted responses{year} to {questionnaire.id} in {shown_source}")
    return data
