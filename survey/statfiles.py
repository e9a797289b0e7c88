"""SPSS (.sav) and Stata (.dta) files of the export table, ready to analyse.

What a researcher opening the file needs is declared in it:

- variable and value labels in a chosen language (falling back to the
  questionnaire's default language where a text has no translation);
- SPSS user-missing values: the codes 8 and 9 and every code the
  questionnaire flags ``missing`` ("Ved ikke", "Ønsker ikke at svare"), so
  that a mean or frequency in SPSS leaves them out;
- SPSS measurement levels: *ordinal* for a rating scale (a question with a
  declared positive side, or four or more numbered steps with a
  "don't know" option), *nominal* for other choices and texts, *scale* for
  numbers and times;
- integer display formats (``F1.0``, not ``2016.00``);
- a file label naming the questionnaire, its version and the number of
  responses.

Stata files carry the variable labels, value labels for every numerically
coded question, integer formats, and the missing codes as Stata's extended
missing values (``.a`` for the first missing code of a question, ``.b`` for
the next) labelled with their texts, so ``mean`` and ``tab`` leave them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat

__all__ = ["write_sav", "write_dta", "missing_codes", "measure", "label_language"]

#: Codes treated as missing in every question that has them.
MISSING_CODES = ("8", "9")
META_LABELS = {
    "da": {
        "id": "Besvarelsens id",
        "wave": "Bølge (år)",
        "area": "Boligområde",
        "language": "Sprog",
        "mode": "Indsamlingsmåde",
        "submitted_at": "Indsendt (UTC)",
    },
    "en": {
        "id": "Response id",
        "wave": "Wave (year)",
        "area": "Housing area",
        "language": "Language",
        "mode": "Mode of collection",
        "submitted_at": "Submitted (UTC)",
    },
}
CHOSEN = {"da": {0: "Ikke valgt", 1: "Valgt"}, "en": {0: "Not chosen", 1: "Chosen"}}
RESPONSES = {"da": "svar", "en": "responses"}
SPSS_FILE_LABEL = 64
STATA_FILE_LABEL = 79
STATA_LABEL = 79  # bytes, without the terminating NUL
STATA_NAME = 32


def label_language(questionnaire: Any, lang: str | None) -> str:
    """The language of the labels: ``lang`` when the questionnaire has it.

    Raises
    ------
    ValueError
        When ``lang`` is not one of the questionnaire's languages.
    """
    if lang is None:
        return questionnaire.default_language
    if lang not in questionnaire.languages:
        raise ValueError(
            f"questionnaire {questionnaire.id!r} has no language {lang!r}; "
            f"languages: {', '.join(questionnaire.languages)}"
        )
    return lang


def _text(text: Mapping[str, str] | None, lang: str, default: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get(default) or ""


def _numeric_codes(question: Any) -> bool:
    return bool(question.codes) and all(code.lstrip("-").isdigit() for code in question.codes)


def missing_codes(question: Any) -> list[str]:
    """The question's codes that are missing values: 8, 9 and every choice flagged ``missing``."""
    return [
        choice.code
        for choice in question.choices
        if choice.missing or choice.code in MISSING_CODES
    ]


def measure(question: Any) -> str:
    """SPSS measurement level of a question: ``ordinal``, ``nominal`` or ``scale``."""
    if question.type == "number":
        return "scale"
    if question.type != "single":
        return "nominal"
    if getattr(question, "positive", ()):
        return "ordinal"
    missing = set(missing_codes(question))
    steps = [code for code in question.codes if code not in missing]
    numbered = steps == [str(i) for i in range(1, len(steps) + 1)]
    return "ordinal" if numbered and len(steps) >= 4 and missing else "nominal"


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, with an ellipsis when cut."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", errors="ignore") + "…"


def _width(values: list[str]) -> int:
    return max((len(v.lstrip("-")) + v.startswith("-") for v in values), default=1)


def _prepare(frame: pd.DataFrame, questionnaire: Any, lang: str):
    """Columns, labels, value labels, missing codes, measures and formats of the file."""
    default = questionnaire.default_language
    meta_labels = META_LABELS.get(lang, META_LABELS["en"])
    chosen = CHOSEN.get(lang, CHOSEN["en"])
    out = pd.DataFrame(index=frame.index)
    labels: dict[str, str] = dict(meta_labels)
    values: dict[str, dict[Any, str]] = {}
    missing: dict[str, list[float]] = {}
    measures: dict[str, str] = {}
    formats: dict[str, str] = {}
    for column in ("id", "area", "language", "mode"):
        out[column] = frame[column].astype(object).where(frame[column].notna(), "")
        measures[column] = "nominal"
    out["wave"] = frame["wave"].astype("float64")
    formats["wave"] = "F4.0"
    measures["wave"] = "nominal"
    out["submitted_at"] = frame["submitted_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    measures["submitted_at"] = "scale"
    values["area"] = {area.id: area.label for area in questionnaire.areas}
    for question in questionnaire.questions():
        text = _text(question.text, lang, default)
        if question.type == "multiple":
            for choice in question.choices:
                column = f"{question.id}__{choice.code}"
                out[column] = frame[column].astype("float64")
                labels[column] = f"{text} – {_text(choice.label, lang, default)}"
                values[column] = dict(chosen)
                measures[column] = "nominal"
                formats[column] = "F1.0"
            continue
        labels[question.id] = text
        measures[question.id] = measure(question)
        if question.type == "single":
            choice_labels = {c.code: _text(c.label, lang, default) for c in question.choices}
            if _numeric_codes(question):
                out[question.id] = pd.to_numeric(frame[question.id], errors="raise").astype(
                    "float64"
                )
                values[question.id] = {float(code): label for code, label in choice_labels.items()}
                formats[question.id] = f"F{_width(list(question.codes))}.0"
                codes = missing_codes(question)
                if codes:
                    missing[question.id] = [float(code) for code in codes]
            else:
                strings = frame[question.id].astype(object)
                out[question.id] = strings.where(strings.notna(), "")
                values[question.id] = choice_labels
                measures[question.id] = "nominal"
        elif question.type == "number":
            out[question.id] = frame[question.id].astype("float64")
            formats[question.id] = "F8.0"
        else:
            strings = frame[question.id].astype(object)
            out[question.id] = strings.where(strings.notna(), "")
    return out[list(frame.columns)], labels, values, missing, measures, formats


def _file_label(questionnaire: Any, rows: int, lang: str, limit: int) -> str:
    """``title (version), N responses``, cut to ``limit`` bytes of UTF-8 (the files' limit)."""
    title = _text(questionnaire.title, lang, questionnaire.default_language)
    tail = f" ({questionnaire.version}), {rows} {RESPONSES.get(lang, 'responses')}"
    room = limit - len(tail.encode("utf-8"))
    encoded = title.encode("utf-8")
    if len(encoded) > room:
        title = encoded[: max(room - 3, 0)].decode("utf-8", errors="ignore") + "…"
    return title + tail


def _spss_missing(codes: list[float]) -> list[Any]:
    """At most three discrete values, or one range plus one value (SPSS's limits)."""
    if len(codes) <= 3:
        return codes
    return [{"lo": min(codes[:-1]), "hi": max(codes[:-1])}, codes[-1]]


def _guarded(writer, *args, **kwargs) -> None:
    """Run a pyreadstat writer; its errors become ``ValueError`` naming the file format."""
    try:
        writer(*args, **kwargs)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as error:
        raise ValueError(f"the statistics file cannot hold this export: {error}") from None


def write_sav(frame: pd.DataFrame, questionnaire: Any, path: str | Path, lang: str | None = None):
    """Write the export table as an SPSS ``.sav`` file with labels in ``lang``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The export table (:func:`survey.export.response_frame`).
    questionnaire : Questionnaire
        Gives the texts, codes and missing codes.
    path : str or Path
        The file to write.
    lang : str, optional
        Language of the labels (default: the questionnaire's default language).
    """
    lang = label_language(questionnaire, lang)
    data, labels, values, missing, measures, formats = _prepare(frame, questionnaire, lang)
    _guarded(
        pyreadstat.write_sav,
        data,
        str(path),
        file_label=_file_label(questionnaire, len(frame), lang, SPSS_FILE_LABEL),
        column_labels=[labels.get(column) or column for column in data.columns],
        variable_value_labels=values,
        missing_ranges={column: _spss_missing(codes) for column, codes in missing.items()},
        variable_measure=measures,
        variable_format=formats,
    )


def write_dta(frame: pd.DataFrame, questionnaire: Any, path: str | Path, lang: str | None = None):
    """Write the export table as a Stata ``.dta`` file (version 15) with labels in ``lang``.

    Missing codes become extended missing values ``.a``, ``.b``, ... with their
    labels; text-coded questions keep their codes as strings without value labels
    (Stata labels numbers only), as does a variable whose name is so long that
    its label set's name (the variable's plus a number) would pass Stata's 32
    characters.

    Raises
    ------
    ValueError
        When a column name is longer than Stata's 32 characters.
    """
    lang = label_language(questionnaire, lang)
    data, labels, values, missing, _measures, formats = _prepare(frame, questionnaire, lang)
    too_long = [column for column in data.columns if len(column) > STATA_NAME]
    if too_long:
        raise ValueError(
            f"Stata allows variable names of at most {STATA_NAME} characters: {too_long[0]!r}"
        )
    # pyreadstat names each label set after its variable plus a running number; Stata
    # allows 32 characters, so a variable with a long name keeps its codes unlabelled
    labelled_columns = []
    for column in data.columns:
        if column in values and data[column].dtype.kind == "f":
            if len(column) + len(str(len(labelled_columns))) <= STATA_NAME:
                labelled_columns.append(column)
    dta_values: dict[str, dict[Any, str]] = {}
    user_missing: dict[str, list[str]] = {}
    for column in labelled_columns:
        codes = missing.get(column, [])
        letters = {code: chr(ord("a") + i) for i, code in enumerate(codes)}
        dta_values[column] = {letters.get(k, k): v for k, v in values[column].items()}
        if letters:
            numbers = data[column].to_numpy(dtype=float)
            cells = pd.Series(numbers, index=data.index, dtype=object)
            for code, letter in letters.items():
                cells[numbers == code] = letter
            cells[np.isnan(numbers)] = np.nan
            data[column] = cells
            user_missing[column] = list(letters.values())
    _guarded(
        pyreadstat.write_dta,
        data,
        str(path),
        file_label=_file_label(questionnaire, len(frame), lang, STATA_FILE_LABEL),
        column_labels=[_cut(labels.get(column) or column, STATA_LABEL) for column in data.columns],
        variable_value_labels={
            column: {k: _cut(v, STATA_LABEL) for k, v in labelled.items()}
            for column, labelled in dta_values.items()
        },
        missing_user_values=user_missing,
        variable_format={column: f"%{fmt[1:].split('.')[0]}.0f" for column, fmt in formats.items()},
    )
