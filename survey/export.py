"""Exporting submitted responses as CSV, Excel, SPSS or Stata files.

One row per response, the columns ``id, wave, area, language, mode,
submitted_at`` and then one column per question in questionnaire order:
a single-choice question holds its code, a multiple-choice question becomes
one ``{question_id}__{code}`` column per choice holding 1 or 0 (blank when
the question was not answered), a number an integer and a text a string.
``analysis.load_responses`` reads these files back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from . import statfiles
from .export_cells import neutralise_frame
from .extensions import db
from .models import Response

FORMATS = ("csv", "xlsx", "sav", "dta")
META_COLUMNS = ("id", "wave", "area", "language", "mode", "submitted_at")


def multiple_column(question_id: str, code: str) -> str:
    """The export column of one choice of a multiple-choice question."""
    return f"{question_id}__{code}"


def submitted_rows(questionnaire_id: str) -> list[Response]:
    """Every submitted response to a questionnaire (all versions), oldest first."""
    statement = (
        sa.select(Response)
        .where(Response.questionnaire_id == questionnaire_id, Response.status == "submitted")
        .order_by(Response.submitted_at, Response.id)
    )
    return list(db.session.scalars(statement))


def _question_cells(question: Any, value: Any) -> dict[str, Any]:
    if question.type == "multiple":
        answered = isinstance(value, list) and len(value) > 0
        return {
            multiple_column(question.id, code): (int(code in value) if answered else pd.NA)
            for code in question.codes
        }
    if value is None or value == "" or value == []:
        return {question.id: pd.NA}
    return {question.id: value}


def _question_dtype(question: Any) -> str:
    return {"number": "Int64"}.get(question.type, "string")


def response_frame(questionnaire: Any, rows: Iterable[Any]) -> pd.DataFrame:
    """Build the export table for ``questionnaire`` from response rows (or objects alike)."""
    records = []
    for row in rows:
        record: dict[str, Any] = {
            "id": row.id,
            "wave": row.wave,
            "area": row.area,
            "language": row.language,
            "mode": row.mode,
            "submitted_at": row.submitted_at,
        }
        answers: Mapping[str, Any] = row.answers or {}
        for question in questionnaire.questions():
            record.update(_question_cells(question, answers.get(question.id)))
        records.append(record)
    columns = list(META_COLUMNS)
    dtypes: dict[str, str] = {"wave": "Int64"}
    for question in questionnaire.questions():
        if question.type == "multiple":
            for code in question.codes:
                column = multiple_column(question.id, code)
                columns.append(column)
                dtypes[column] = "Int64"
        else:
            columns.append(question.id)
            dtypes[question.id] = _question_dtype(question)
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in ("id", "area", "language", "mode"):
        frame[column] = frame[column].astype("string")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return frame.astype(dtypes)


def write_export(
    frame: pd.DataFrame, questionnaire: Any, path: str | Path, fmt: str, lang: str | None = None
) -> None:
    """Write the export table as ``csv``, ``xlsx``, ``sav`` (SPSS) or ``dta`` (Stata).

    ``lang`` is the language of the SPSS/Stata labels (default: the
    questionnaire's default language); see :mod:`survey.statfiles`. Text
    cells of CSV and XLSX files are neutralised first
    (:func:`survey.export_cells.neutralise_frame`): no formula, no control
    character an XLSX file cannot hold.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    path = Path(path)
    if fmt == "csv":
        # CRLF line ends (RFC 4180): a cell holding a bare CR is then quoted too.
        neutralise_frame(frame).to_csv(
            path, index=False, date_format="%Y-%m-%dT%H:%M:%S%z", lineterminator="\r\n"
        )
    elif fmt == "xlsx":
        excel = neutralise_frame(frame, xlsx=True)
        # Excel has no time zones: write UTC wall time, which the header says.
        excel["submitted_at"] = excel["submitted_at"].dt.tz_convert("UTC").dt.tz_localize(None)
        excel.to_excel(path, index=False, sheet_name="responses")
    elif fmt == "sav":
        statfiles.write_sav(frame, questionnaire, path, lang)
    else:
        statfiles.write_dta(frame, questionnaire, path, lang)
