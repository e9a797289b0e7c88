"""Making text cells safe for spreadsheets before a CSV or XLSX export is written.

Free-text answers come from anyone who can open the form. A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(...)``, DDE), so such a cell gets
a leading apostrophe, as the OWASP CSV-injection rule says; the apostrophe
is visible, so nothing is silently changed. A plain number such as ``-1``
(a choice code) is no formula and stays as it is. XLSX files cannot hold most
control characters at all (openpyxl refuses them and the whole export would
fail), so those are replaced by U+FFFD, as are lone surrogates, which no
UTF-8 file can hold; line ends in XLSX cells are written as line feeds, as
XML reads them anyway.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_cell", "neutralise_frame"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
# Characters an XLSX (XML 1.0) cell cannot hold: C0 controls but tab, LF and CR; surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A plain number such as "-1" (a choice code) is no formula and is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# What a UTF-8 CSV file cannot hold: lone surrogates.
_SURROGATES = re.compile("[\ud800-\udfff]")


def neutralise_cell(value: Any, *, xlsx: bool = False) -> Any:
    """Return a text cell that a spreadsheet shows as text; other values are returned unchanged.

    ``xlsx=True`` also replaces characters an XLSX file cannot store.
    """
    if not isinstance(value, str):
        return value
    value = (_XML_ILLEGAL if xlsx else _SURROGATES).sub(REPLACEMENT, value)
    if value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    if xlsx:  # XML reads every CR as a line feed: write line feeds
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def neutralise_frame(frame: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text columns hold only neutralised cells."""
    safe = frame.copy()
    for column in safe.columns:
        dtype = safe[column].dtype
        if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
            series = safe[column]
            mask = series.notna()
            if mask.any():
                cleaned = series[mask].map(lambda cell: neutralise_cell(cell, xlsx=xlsx))
                safe[column] = series.astype(object).where(~mask, cleaned).astype(dtype)
    return safe
