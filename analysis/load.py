"""Load submitted responses into a tidy DataFrame, from the database or an export file.

The frame has one row per response: ``id``, ``wave``, ``area``, ``language``,
``mode``, ``submitted_at``, then per question of the questionnaire

- single choice: an ordered categorical of the codes, in the questionnaire's
  order (NA when not answered or not asked);
- multiple choice: one nullable boolean column ``"{question_id}__{code}"`` per
  option (NA when the question was not answered);
- number: nullable ``Int64``; text: pandas ``string``.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import sqlalchemy as sa

import questionnaires

__all__ = ["load_responses", "META_COLUMNS", "FILE_SUFFIXES"]

#: Columns describing a response, first in the tidy frame and the export files.
META_COLUMNS = ("id", "wave", "area", "language", "mode", "submitted_at")
#: Export files ``load_responses`` reads.
FILE_SUFFIXES = (".csv", ".xlsx", ".sav")


def _responses_table() -> sa.Table:
    """The columns of the app's ``responses`` table that the analysis reads."""
    return sa.Table(
        "responses",
        sa.MetaData(),
        sa.Column("id", sa.String),
        sa.Column("questionnaire_id", sa.String),
        sa.Column("wave", sa.Integer),
        sa.Column("language", sa.String),
        sa.Column("area", sa.String),
        sa.Column("mode", sa.String),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("status", sa.String),
        sa.Column("answers", sa.JSON),
    )


def _as_questionnaire(questionnaire):
    if isinstance(questionnaire, questionnaires.Questionnaire):
        return questionnaire
    if isinstance(questionnaire, str | Path):
        return questionnaires.load(str(questionnaire))
    raise TypeError(
        "questionnaire must be a Questionnaire, a bundled id or a path, got "
        f"{type(questionnaire).__name__}"
    )


def _option_column(question_id: str, code: str) -> str:
    return f"{question_id}__{code}"


def _blank_to_na(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return pd.NA
    if isinstance(value, str) and value.strip() == "":
        return pd.NA
    return value


def _code_text(value):
    """A stored code as its string: 1, 1.0 and "1" all become "1"."""
    value = _blank_to_na(value)
    if value is pd.NA:
        return value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _read_database(url, questionnaire) -> pd.DataFrame:
    """One query for the submitted responses of ``questionnaire``; raw frame as the export."""
    table = _responses_table()
    statement = (
        sa.select(
            table.c.id,
            table.c.wave,
            table.c.area,
            table.c.language,
            table.c.mode,
            table.c.submitted_at,
            table.c.answers,
        )
        .where(table.c.status == "submitted", table.c.questionnaire_id == questionnaire.id)
        .order_by(table.c.submitted_at, table.c.id)
    )
    engine = url if isinstance(url, sa.Engine) else sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(statement).all()
    finally:
        if engine is not url:
            engine.dispose()
    meta = pd.DataFrame([tuple(row[:6]) for row in rows], columns=list(META_COLUMNS))
    answers = pd.DataFrame.from_records(
        [row.answers or {} for row in rows], index=meta.index, columns=None
    )
    columns = {}
    for question in questionnaire.questions():
        raw = (
            answers[question.id]
            if question.id in answers.columns
            else pd.Series(pd.NA, index=meta.index, dtype=object)
        )
        if question.type == "multiple":
            answered = raw.map(lambda v: isinstance(v, list) and len(v) > 0).to_numpy(bool)
            chosen = raw[answered].explode()
            for code in question.codes:
                picked = pd.Series(pd.NA, index=meta.index, dtype=object)
                hit = chosen[chosen == code].index.unique()
                picked[answered] = 0
                picked[hit] = 1
                columns[_option_column(question.id, code)] = picked
            unknown = set(chosen.dropna().unique()) - set(question.codes)
            if unknown:
                raise ValueError(
                    f"responses to {question.id!r} hold codes {sorted(unknown)} that are not "
                    f"choices of questionnaire {questionnaire.id!r}"
                )
        else:
            columns[question.id] = raw
    return pd.concat([meta, pd.DataFrame(columns, index=meta.index)], axis=1)


def _read_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ValueError(f"export file {str(path)!r} does not exist")
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if suffix == ".xlsx":
        return pd.read_excel(path, dtype=object)
    # user_missing: the declared missing codes (8, 9) stay codes, as in the other formats
    frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=True)
    return frame


def _tidy(raw: pd.DataFrame, questionnaire, source: str) -> pd.DataFrame:
    """Convert a raw export-shaped frame into typed columns, checking every code."""
    expected = list(META_COLUMNS)
    for question in questionnaire.questions():
        if question.type == "multiple":
            expected += [_option_column(question.id, code) for code in question.codes]
        else:
            expected.append(question.id)
    missing = [column for column in expected if column not in raw.columns]
    if missing:
        shown = ", ".join(repr(c) for c in missing[:8]) + (", ..." if len(missing) > 8 else "")
        raise ValueError(
            f"{source} lacks {len(missing)} column{'s' if len(missing) != 1 else ''} of "
            f"questionnaire {questionnaire.id!r}: {shown}"
        )
    tidy = {}
    tidy["id"] = raw["id"].map(_blank_to_na).astype("string")
    tidy["wave"] = pd.to_numeric(raw["wave"].map(_blank_to_na), errors="raise").astype("Int64")
    for column in ("area", "language", "mode"):
        tidy[column] = raw[column].map(_blank_to_na).astype("string")
    submitted = pd.to_datetime(raw["submitted_at"].map(_blank_to_na), utc=True, format="mixed")
    tidy["submitted_at"] = submitted
    for question in questionnaire.questions():
        if question.type == "single":
            codes = raw[question.id].map(_code_text)
            unknown = codes.notna() & ~codes.isin(question.codes)
            if unknown.any():
                raise ValueError(
                    f"{source}: {int(unknown.sum())} answers to {question.id!r} are not codes "
                    f"of the question (e.g. {codes[unknown].iloc[0]!r}; codes: "
                    f"{', '.join(question.codes)})"
                )
            tidy[question.id] = pd.Categorical(
                codes.astype(object).where(codes.notna(), None),
                categories=list(question.codes),
                ordered=True,
            )
        elif question.type == "multiple":
            for code in question.codes:
                column = _option_column(question.id, code)
                flags = raw[column].map(_code_text)
                bad = flags.notna() & ~flags.isin(["0", "1"])
                if bad.any():
                    raise ValueError(
                        f"{source}: column {column!r} must hold 0, 1 or blank, found "
                        f"{flags[bad].iloc[0]!r}"
                    )
                tidy[column] = flags.map({"1": True, "0": False}).astype("boolean")
        elif question.type == "number":
            values = raw[question.id].map(_blank_to_na)
            tidy[question.id] = pd.to_numeric(values, errors="raise").astype("Int64")
        else:
            tidy[question.id] = raw[question.id].map(_blank_to_na).astype("string")
    return pd.DataFrame(tidy, index=pd.RangeIndex(len(raw)))


def load_responses(source, questionnaire):
    """Read the submitted responses to a questionnaire as a tidy DataFrame.

    Parameters
    ----------
    source : str, pathlib.Path or sqlalchemy.Engine
        A database URL (``sqlite:///instance/beboer.db``,
        ``postgresql+psycopg://...``) or engine, read through SQLAlchemy Core from
        the table ``responses`` (only ``status = 'submitted'`` rows of this
        questionnaire, only the needed columns, in one query); or the path of a
        ``.csv``, ``.xlsx`` or ``.sav`` file written by ``beboer export``.
    questionnaire : Questionnaire or str
        The questionnaire, a bundled id or a path to its file.

    Returns
    -------
    pandas.DataFrame
        One row per response: ``id``, ``wave``, ``area``, ``language``, ``mode``,
        ``submitted_at`` (UTC), then per question an ordered categorical of codes
        (single choice), nullable booleans ``"{id}__{code}"`` (multiple choice),
        ``Int64`` (number) or ``string`` (text). Missing answers are NA.

    Raises
    ------
    ValueError
        An unknown file type or missing file, a file lacking the questionnaire's
        columns, or answers that are not codes of their question.

    Examples
    --------
    >>> import questionnaires
    >>> q = questionnaires.load("beboerundersoegelse-2016")
    >>> frame = load_responses("sqlite:///instance/beboer.db", q)  # doctest: +SKIP
    >>> frame = load_responses("results/export-2016.csv", q)       # doctest: +SKIP
    >>> frame["tilfreds_omraade"].cat.categories.tolist()          # doctest: +SKIP
    ['1', '2', '3', '4', '5', '9']
    """
    questionnaire = _as_questionnaire(questionnaire)
    if isinstance(source, sa.Engine):
        raw = _read_database(source, questionnaire)
        return _tidy(raw, questionnaire, "the database")
    if not isinstance(source, str | Path):
        raise TypeError(
            f"source must be a database URL or a file path, got {type(source).__name__}"
        )
    text = str(source)
    if "://" in text:
        raw = _read_database(text, questionnaire)
        return _tidy(raw, questionnaire, "the database")
    path = Path(text)
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise ValueError(
            f"cannot read {text!r}: give a database URL or a {', '.join(FILE_SUFFIXES)} file"
        )
    return _tidy(_read_file(path), questionnaire, f"file {text!r}")
