"""Exporting submitted responses as CSV, Excel or SPSS files.

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
import pyreadstat
import sqlalchemy as sa

from .export_cells import neutralise_frame
from .extensions import db
from .models import Response

FORMATS = ("csv", "xlsx", "sav")
META_COLUMNS = ("id", "wave", "area", "language", "mode", "submitted_at")
LABEL_LANGUAGE = "da"
CHOSEN_LABELS = {0: "Ikke valgt", 1: "Valgt"}


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


def write_export(frame: pd.DataFrame, questionnaire: Any, path: str | Path, fmt: str) -> None:
    """Write the export table as ``csv``, ``xlsx`` or ``sav`` (SPSS, with Danish labels).

    Text cells of CSV and XLSX files are neutralised first
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
    else:
        _write_sav(frame, questionnaire, path)


def _label(text: Mapping[str, str], default_language: str) -> str:
    return text.get(LABEL_LANGUAGE) or text.get(default_language) or ""


def _numeric_codes(question: Any) -> bool:
    return all(code.lstrip("-").isdigit() for code in question.codes)


def _write_sav(frame: pd.DataFrame, questionnaire: Any, path: Path) -> None:
    sav = pd.DataFrame(index=frame.index)
    column_labels: dict[str, str] = {
        "id": "Besvarelsens id",
        "wave": "Bølge (år)",
        "area": "Boligområde",
        "language": "Sprog",
        "mode": "Indsamlingsmåde",
        "submitted_at": "Indsendt (UTC)",
    }
    value_labels: dict[str, dict[Any, str]] = {}
    for column in ("id", "area", "language", "mode"):
        sav[column] = frame[column].astype(object).where(frame[column].notna(), "")
    sav["wave"] = frame["wave"].astype("float64")
    sav["submitted_at"] = frame["submitted_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    value_labels["area"] = {area.id: area.label for area in questionnaire.areas}
    default = questionnaire.default_language
    for question in questionnaire.questions():
        text = _label(question.text, default)
        if question.type == "multiple":
            for choice in question.choices:
                column = multiple_column(question.id, choice.code)
                sav[column] = frame[column].astype("float64")
                column_labels[column] = f"{text} – {_label(choice.label, default)}"
                value_labels[column] = dict(CHOSEN_LABELS)
        elif question.type == "single":
            labels = {choice.code: _label(choice.label, default) for choice in question.choices}
            if _numeric_codes(question):
                sav[question.id] = pd.to_numeric(frame[question.id], errors="raise").astype(
                    "float64"
                )
                value_labels[question.id] = {float(code): label for code, label in labels.items()}
            else:
                values = frame[question.id].astype(object)
                sav[question.id] = values.where(values.notna(), "")
                value_labels[question.id] = labels
            column_labels[question.id] = text
        elif question.type == "number":
            sav[question.id] = frame[question.id].astype("float64")
            column_labels[question.id] = text
        else:
            values = frame[question.id].astype(object)
            sav[question.id] = values.where(values.notna(), "")
            column_labels[question.id] = text
    sav = sav[list(frame.columns)]
    pyreadstat.write_sav(
        sav,
        str(path),
        column_labels=[column_labels.get(column, column) for column in sav.columns],
        variable_value_labels=value_labels,
    )
