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
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import sqlalchemy as sa

import questionnaires

__all__ = ["load_responses", "read_export", "tidy_export", "META_COLUMNS", "FILE_SUFFIXES"]

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
        sa.Column("questionnaire_version", sa.String),
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


def _per_value(raw: pd.Series, convert) -> pd.Series:
    """``convert`` applied once per distinct value (a column of codes has a handful)."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    converted = [convert(value) for value in uniques] + [pd.NA]  # index -1: missing
    values = np.array(converted, dtype=object)[codes]
    return pd.Series(values, index=raw.index, dtype="string")


def _text_column(raw: pd.Series) -> pd.Series:
    """Values as pandas strings; blanks (empty or only spaces) and missing values as NA."""
    if _is_text(raw):
        text = raw.astype("string")  # ids, times, free text: mostly distinct values
        return text.mask(text.str.strip() == "")
    return _per_value(raw, lambda v: _blank_to_na(v if isinstance(v, str) else str(v)))


def _codes(raw: pd.Series) -> pd.Series:
    """Stored codes as strings, vectorised: 1, 1.0 and "1" all become "1"; blanks NA."""
    if pd.api.types.is_bool_dtype(raw):
        return raw.astype("Int64").astype("string")
    if pd.api.types.is_numeric_dtype(raw):
        numbers = raw.astype("float64")
        text = pd.Series(pd.NA, index=raw.index, dtype="string")
        whole = numbers.notna() & (numbers == np.floor(numbers))
        text[whole] = numbers[whole].astype("int64").astype(str)
        other = numbers.notna() & ~whole
        text[other] = numbers[other].astype(str)
        return text
    return _per_value(raw, _code_text)


def _is_text(raw: pd.Series) -> bool:
    """A column of strings (pandas' string dtype, or objects that are all strings)."""
    if isinstance(raw.dtype, pd.StringDtype):
        return True
    return raw.dtype == object and pd.api.types.infer_dtype(raw[:1000], skipna=True) in (
        "string", "empty")


def _as_codes(raw: pd.Series, codes: list[str]) -> tuple[pd.Categorical, pd.Series]:
    """An ordered categorical of ``codes`` and, per row, the value that is not a code (or NA).

    Text columns (CSV) are matched in C; other columns go through :func:`_codes`.
    """
    if _is_text(raw):
        known = raw.isin(codes).to_numpy()
        categorical = pd.Categorical(raw.where(known), categories=codes, ordered=True)
        odd = raw.notna().to_numpy() & ~known
        if odd.any():  # blanks with spaces are missing, anything else is not a code
            text = _codes(raw[odd])
            categorical[odd] = np.nan
            bad = pd.Series(pd.NA, index=raw.index, dtype="string")
            bad[raw.index[odd]] = text
            return categorical, bad
        return categorical, pd.Series(pd.NA, index=raw.index, dtype="string")
    text = _codes(raw)
    bad = text.where(text.notna() & ~text.isin(codes))
    categorical = pd.Categorical(
        text.astype(object).where(text.notna() & text.isin(codes), None),
        categories=codes, ordered=True,
    )
    return categorical, bad


def _read_database(url, questionnaire, version=None) -> pd.DataFrame:
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
    if version is not None:
        statement = statement.where(table.c.questionnaire_version == version)
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
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=object)
        # user_missing: the declared missing codes (8, 9) stay codes, as in the other formats
        frame, _meta = pyreadstat.read_sav(str(path), apply_value_formats=False,
                                           user_missing=True)
        return frame
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, pyreadstat.ReadstatError,
            pd.errors.ParserError, UnicodeDecodeError) as error:
        kind = {".csv": "CSV", ".xlsx": "XLSX", ".sav": "SPSS (.sav)"}[suffix]
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(
            f"cannot read {str(path)!r}: not a complete {kind} file ({reason})"
        ) from None


def _whole_numbers(raw: pd.Series, column: str, source: str) -> pd.Series:
    text = _codes(raw)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & numbers.isna()
    if bad.any():
        raise ValueError(
            f"{source}: column {column!r} holds {int(bad.sum())} value(s) that are not whole "
            f"numbers (e.g. {text[bad].iloc[0]!r})"
        )
    return numbers.astype("Int64")


def _times(raw: pd.Series, source: str) -> pd.Series:
    """The ``submitted_at`` column as UTC times; names the column when a value is no time."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        times = raw
        return times.dt.tz_localize("UTC") if times.dt.tz is None else times.dt.tz_convert("UTC")
    text = _text_column(raw.astype(object).where(raw.notna(), None))
    try:
        times = pd.to_datetime(text, utc=True, format="ISO8601")
    except (ValueError, TypeError):
        times = pd.to_datetime(text, utc=True, format="mixed", errors="coerce")
    bad = text.notna() & times.isna()
    if bad.any():
        raise ValueError(
            f"{source}: column 'submitted_at' holds {int(bad.sum())} value(s) that are not "
            f"dates and times (e.g. {text[bad].iloc[0]!r})"
        )
    return times


def _tidy(raw: pd.DataFrame, questionnaire, source: str) -> pd.DataFrame:
    """Convert a raw export-shaped frame into typed columns, column by column (vectorised)."""
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
    raw = raw.reset_index(drop=True)
    tidy = {}
    tidy["id"] = _text_column(raw["id"])
    tidy["wave"] = _whole_numbers(raw["wave"], "wave", source)
    for column in ("area", "language", "mode"):
        tidy[column] = _text_column(raw[column])
    tidy["submitted_at"] = _times(raw["submitted_at"], source)
    for question in questionnaire.questions():
        if question.type == "single":
            categorical, bad = _as_codes(raw[question.id], list(question.codes))
            unknown = bad.notna()
            if unknown.any():
                raise ValueError(
                    f"{source}: {int(unknown.sum())} answers to {question.id!r} are not codes "
                    f"of the question (e.g. {bad[unknown].iloc[0]!r}; codes: "
                    f"{', '.join(question.codes)})"
                )
            tidy[question.id] = categorical
        elif question.type == "multiple":
            for code in question.codes:
                column = _option_column(question.id, code)
                flags, bad = _as_codes(raw[column], ["0", "1"])
                if bad.notna().any():
                    raise ValueError(
                        f"{source}: column {column!r} must hold 0, 1 or blank, found "
                        f"{bad[bad.notna()].iloc[0]!r}"
                    )
                chosen = pd.array(flags.codes == 1, dtype="boolean")
                chosen[flags.codes == -1] = pd.NA
                tidy[column] = chosen
        elif question.type == "number":
            tidy[question.id] = _whole_numbers(raw[question.id], question.id, source)
        else:
            tidy[question.id] = _text_column(raw[question.id])
    return pd.DataFrame(tidy, index=pd.RangeIndex(len(raw)))


def read_export(path) -> pd.DataFrame:
    """Read an export file (``.csv``, ``.xlsx``, ``.sav``) as it is, once.

    Pass the result to :func:`tidy_export` for each questionnaire it holds.
    """
    return _read_file(Path(path))


def tidy_export(raw: pd.DataFrame, questionnaire, source: str) -> pd.DataFrame:
    """Type and check an export frame read by :func:`read_export` (as :func:`load_responses`)."""
    return _tidy(raw, _as_questionnaire(questionnaire), source)


def load_responses(source, questionnaire, *, version=None):
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
    version : str, optional
        From a database, only the responses collected with this version of
        the questionnaire (``questionnaire_version``).

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
        raw = _read_database(source, questionnaire, version)
        return _tidy(raw, questionnaire, "the database")
    if not isinstance(source, str | Path):
        raise TypeError(
            f"source must be a database URL or a file path, got {type(source).__name__}"
        )
    text = str(source)
    if "://" in text:
        raw = _read_database(text, questionnaire, version)
        return _tidy(raw, questionnaire, "the database")
    path = Path(text)
    if path.suffix.lower() not in FILE_SUFFIXES:
        raise ValueError(
            f"cannot read {text!r}: give a database URL or a {', '.join(FILE_SUFFIXES)} file"
        )
    return _tidy(_read_file(path), questionnaire, f"file {text!r}")
