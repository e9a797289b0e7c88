"""Read a CSV or XLSX file as numbered rows of text, for the frame and population imports."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".csv", ".xlsx")


class FileProblem(ValueError):
    """The file cannot be read as a table (wrong type, no header, broken workbook)."""


@dataclass(frozen=True)
class Table:
    """A file's header (lower-cased, stripped) and its rows as ``(line, {column: text})``."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            return [list(row) for row in csv.reader(handle, dialect)]
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8 CSV"
        ) from None


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise FileProblem(f"{path}: not a readable Excel workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(path: Path) -> Table:
    """Read ``path`` (``.csv`` in UTF-8 with ``,``, ``;`` or tab, or ``.xlsx``, first sheet).

    Blank lines are skipped; line numbers count from 1 with the header on line 1.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileProblem(f"{path}: use a .csv or .xlsx file, not {suffix or 'no extension'}")
    raw = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    if not raw or not any(_text(cell) for cell in raw[0]):
        raise FileProblem(f"{path}: the first line must name the columns")
    header = tuple(_text(cell).lower() for cell in raw[0])
    rows = []
    for line, values in enumerate(raw[1:], start=2):
        texts = [_text(value) for value in values]
        if not any(texts):
            continue
        rows.append(
            (line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(header)})
        )
    return Table(header, tuple(rows))
