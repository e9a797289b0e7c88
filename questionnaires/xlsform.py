"""Import of questionnaires written as XLSForm spreadsheets (``.xlsx``).

The common subset of XLSForm (https://xlsform.org) is read with openpyxl and
turned into the same data as a YAML file, which then goes through the same
checks and builds the same model.

Sheets and columns:

``survey``
    ``type`` (``begin group`` / ``end group`` make a page; ``select_one LIST``,
    ``select_multiple LIST``, ``integer``, ``text``; ``text`` with
    ``appearance`` ``multiline`` is a long text; metadata such as ``start``
    and ``end`` is skipped), ``name``, ``label::Dansk (da)`` and
    ``hint::Dansk (da)`` per language, ``required`` (``yes``/``no``; blank is
    no, as in XLSForm; ``yes`` needs a ``missing`` choice or a
    ``required_reason``), ``relevant`` (only ``${q} = 'code'``,
    ``selected(${q}, 'code')`` and ``${q} != ''`` joined by ``and``/``or``),
    ``constraint`` (only ``. >= N``, ``. <= N``, ``count-selected(.) <= N``,
    ``count-selected(.) >= N`` and ``string-length(.) <= N`` joined by
    ``and``), ``media::audio::Dansk (da)``.
``choices``
    ``list_name``, ``name`` (the code), ``label::...``, and the extensions
    ``missing`` and ``exclusive`` (``yes``/``no``).
``settings``
    ``form_id``, ``version``, ``wave``, ``default_language``, ``consent_version``,
    ``title::Dansk (da)`` per language (``form_title`` is the default language's).
``areas``
    ``id``, ``label``.
``consent``
    ``name`` (``title``, ``text``, ``agree``) and ``label::...`` per language.
``languages`` (optional)
    ``code``, ``name``, ``direction``, ``translation_status``; without it the
    languages are those of the label columns, written in Babel's direction,
    with status ``final``.

Every problem names the sheet and row it comes from.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from babel import Locale, UnknownLocaleError
from openpyxl.utils.exceptions import InvalidFileException

from .model import Questionnaire
from .problems import Problem, format_path
from .schema import Location, babel_direction, build, check_data

#: ``label::Dansk (da)``, ``hint::da``, ``media::audio::Dansk (da)``.
LANGUAGE_COLUMN = re.compile(
    r"(?P<kind>label|hint|title|media::audio|audio)::\s*(?P<name>.*?)\s*(?:\((?P<code>[^()]+)\))?\s*\Z"
)
METADATA_TYPES = frozenset({"start", "end", "today", "deviceid", "username", "phonenumber",
                            "simserial", "subscriberid", "audit", "start-geopoint"})
SURVEY_COLUMNS = frozenset({"type", "name", "required", "required_reason", "relevant",
                            "constraint", "appearance",
                            "required_message", "constraint_message"})
CHOICE_COLUMNS = frozenset({"list_name", "name", "missing", "exclusive"})
IGNORED_PREFIXES = ("required_message::", "constraint_message::")
YES = frozenset({"yes", "true", "true()", "1"})
NO = frozenset({"no", "false", "false()", "0", ""})

_NAME = r"\$\{(?P<q>[A-Za-z_][A-Za-z0-9_]*)\}"
_CODE = r"(?:'(?P<c1>[^']*)'|\"(?P<c2>[^\"]*)\"|(?P<c3>-?\d+))"
TERMS = (
    ("in", re.compile(rf"{_NAME}\s*=\s*{_CODE}\Z")),
    ("in", re.compile(rf"selected\(\s*{_NAME}\s*,\s*{_CODE}\s*\)\Z")),
    ("answered", re.compile(rf"{_NAME}\s*!=\s*(?:''|\"\")\Z")),
)
CONSTRAINT_TERMS = (
    ("min", re.compile(r"\.\s*>=\s*(-?\d+)\Z")),
    ("max", re.compile(r"\.\s*<=\s*(-?\d+)\Z")),
    ("min_choices", re.compile(r"count-selected\(\s*\.\s*\)\s*>=\s*(\d+)\Z")),
    ("max_choices", re.compile(r"count-selected\(\s*\.\s*\)\s*<=\s*(\d+)\Z")),
    ("max_length", re.compile(r"string-length\(\s*\.\s*\)\s*<=\s*(\d+)\Z")),
)
RELEVANT_HELP = ("only ${q} = 'code', selected(${q}, 'code') and ${q} != '' joined by "
                 "'and' / 'or' are supported")


class _SheetError(Exception):
    """A problem that stops the conversion of one part of the workbook."""


@dataclass
class _Row:
    sheet: str
    number: int
    cells: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.sheet} row {self.number}"

    def get(self, column: str) -> str:
        return _cell_text(self.cells.get(column))


@dataclass
class _Converter:
    """Turns the sheets into questionnaire data, recording where each part came from."""

    problems: list[tuple[str, str, int | None]] = field(default_factory=list)
    origins: dict[Location, tuple[str, int | None]] = field(default_factory=dict)
    language_names: dict[str, str] = field(default_factory=dict)

    def problem(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append((where, message, line))

    def texts(self, row: _Row, kind: str) -> dict[str, str]:
        """The ``kind::Language (code)`` cells of a row, by language code."""
        found = {}
        for column, value in row.cells.items():
            match = LANGUAGE_COLUMN.match(column)
            if match and match["kind"] == kind:
                code = (match["code"] or match["name"]).strip()
                name = match["name"] if match["code"] else _own_name(code)
                self.language_names.setdefault(code, name or code)
                text = _cell_text(value)
                if text:
                    found[code] = text
        return found


def read_xlsform(path: Path, source: bytes, *,
                 file: str) -> tuple[list[Problem], Questionnaire | None]:
    """Read an XLSForm workbook; return its problems and, when there are none, the model.

    Parameters
    ----------
    path
        Where the workbook is (audio files are looked for next to it).
    source
        The workbook's bytes (their SHA-256 becomes ``source_sha256``).
    file
        The name to use in problems.
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(source), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        return [Problem(file, "", f"not a readable .xlsx workbook ({error})")], None
    try:
        sheets = {name.strip().lower(): _read_sheet(workbook[name], name.strip().lower())
                  for name in workbook.sheetnames}
    finally:
        workbook.close()
    converter = _Converter()
    data = _convert(sheets, converter)
    problems = [Problem(file, where, message, line) for where, message, line in converter.problems]
    if problems:
        return problems, None
    findings = check_data(data, base_dir=path.parent)
    if findings:
        return [_locate(finding.path, finding.message, converter.origins, file)
                for finding in findings], None
    questionnaire = build(data, source_sha256=hashlib.sha256(source).hexdigest(),
                          path=path.resolve())
    return [], questionnaire


def _locate(path: Location, message: str, origins: Mapping[Location, tuple[str, int | None]],
            file: str) -> Problem:
    """A problem in the converted data, named by the sheet row it came from."""
    for end in range(len(path), -1, -1):
        origin = origins.get(path[:end])
        if origin is not None:
            where, line = origin
            return Problem(file, f"{where}: {format_path(path)}" if path else where,
                           message, line)
    return Problem(file, format_path(path), message)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(sheet: Any, name: str) -> list[_Row]:
    """Rows of a sheet as header -> value, skipping empty rows."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    columns = [_cell_text(cell) for cell in header]
    columns = [c if LANGUAGE_COLUMN.match(c) else c.lower() for c in columns]
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {column: value for column, value in zip(columns, values, strict=False)
                 if column and _cell_text(value)}
        if cells:
            result.append(_Row(name, number, cells))
    return result


def _convert(sheets: Mapping[str, list[_Row]], converter: _Converter) -> dict[str, Any]:
    for required in ("survey", "settings", "areas", "consent"):
        if required not in sheets:
            converter.problem(required, f"the workbook has no sheet {required!r}")
    data: dict[str, Any] = {}
    data["pages"] = _survey(sheets.get("survey", []), converter)
    data["choice_lists"] = _choices(sheets.get("choices", []), converter)
    data["areas"] = [_area(row, index, converter)
                     for index, row in enumerate(sheets.get("areas", []))]
    converter.origins[("areas",)] = ("areas", None)
    data["consent"] = _consent(sheets.get("consent", []), converter)
    _settings(sheets.get("settings"), data, converter)
    data["languages"] = _languages(sheets.get("languages"), converter)
    return data


def _settings(rows: list[_Row] | None, data: dict[str, Any], converter: _Converter) -> None:
    if not rows:
        if rows is not None:
            converter.problem("settings", "the settings sheet has no row of settings")
        return
    row = rows[0]
    for path in (("id",), ("version",), ("wave",), ("default_language",), ("title",),
                 ("consent", "version"), ()):
        converter.origins[path] = (row.where, row.number)
    data["id"] = row.get("form_id")
    data["version"] = row.get("version")
    wave = row.get("wave")
    data["wave"] = int(wave) if wave.isdigit() else wave
    default = row.get("default_language")
    match = re.search(r"\(([^()]+)\)\s*\Z", default)
    data["default_language"] = match[1].strip() if match else default
    title = converter.texts(row, "title")
    if row.get("form_title") and data["default_language"] not in title:
        title[data["default_language"]] = row.get("form_title")
    data["title"] = title
    data["consent"]["version"] = row.get("consent_version")
    unknown = set(row.cells) - {"form_id", "version", "wave", "default_language", "form_title",
                                "consent_version", "instance_name", "style"}
    for column in sorted(c for c in unknown if not LANGUAGE_COLUMN.match(c)):
        converter.problem(row.where, f"column {column!r} is not supported in settings", row.number)


def _languages(rows: list[_Row] | None, converter: _Converter) -> list[dict[str, Any]]:
    if rows is None:
        converter.origins[("languages",)] = ("label columns", None)
        return [{"code": code, "name": name, "direction": babel_direction(code) or "ltr",
                 "translation_status": "final"}
                for code, name in converter.language_names.items()]
    languages = []
    for index, row in enumerate(rows):
        converter.origins[("languages", index)] = (row.where, row.number)
        languages.append({key: row.get(key) for key in
                          ("code", "name", "direction", "translation_status")})
    return languages


def _area(row: _Row, index: int, converter: _Converter) -> dict[str, Any]:
    converter.origins[("areas", index)] = (row.where, row.number)
    return {"id": row.get("id") or row.get("name"), "label": row.get("label")}


def _consent(rows: list[_Row], converter: _Converter) -> dict[str, Any]:
    consent: dict[str, Any] = {}
    for row in rows:
        key = row.get("name")
        if key not in ("title", "text", "agree"):
            converter.problem(row.where, f"name must be title, text or agree, got {key!r}",
                              row.number)
            continue
        converter.origins[("consent", key)] = (row.where, row.number)
        consent[key] = converter.texts(row, "label")
    return consent


def _choices(rows: list[_Row], converter: _Converter) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        _check_columns(row, converter, CHOICE_COLUMNS)
        name = row.get("list_name")
        if not name:
            converter.problem(row.where, "list_name is empty", row.number)
            continue
        entries = lists.setdefault(name, [])
        converter.origins[("choice_lists", name, len(entries))] = (row.where, row.number)
        choice: dict[str, Any] = {"code": row.get("name"), "label": converter.texts(row, "label")}
        for flag in ("missing", "exclusive"):
            value = _flag(row, flag, converter)
            if value:
                choice[flag] = True
        entries.append(choice)
    return lists


def _flag(row: _Row, column: str, converter: _Converter) -> bool:
    value = row.get(column).lower()
    if value in YES:
        return True
    if value not in NO:
        converter.problem(row.where, f"{column} must be yes or no, got {value!r}", row.number)
    return False


def _survey(rows: list[_Row], converter: _Converter) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    page: dict[str, Any] | None = None
    for row in rows:
        # "select_one x" and "select one x", "begin_group" and "begin group" are the same
        kind = " ".join(row.get("type").replace("_", " ", 1).split())
        words = kind.split()
        _check_columns(row, converter)
        if kind in ("begin group", "begin repeat"):
            if kind == "begin repeat":
                converter.problem(row.where, "repeats are not supported", row.number)
            if page is not None:
                converter.problem(row.where, "groups cannot be nested: each group is one page",
                                  row.number)
                continue
            page = {"id": row.get("name"), "title": converter.texts(row, "label"),
                    "questions": []}
            converter.origins[("pages", len(pages))] = (row.where, row.number)
            pages.append(page)
        elif kind in ("end group", "end repeat"):
            if page is None:
                converter.problem(row.where, "end group without begin group", row.number)
            page = None
        elif kind in METADATA_TYPES or not kind:
            if not kind:
                converter.problem(row.where, "type is empty", row.number)
        elif page is None:
            converter.problem(row.where, "a question outside a group: put the questions of "
                                         "each page between 'begin group' and 'end group'",
                              row.number)
        else:
            question = _question(row, words, converter)
            if question is not None:
                path = ("pages", len(pages) - 1, "questions", len(page["questions"]))
                converter.origins[path] = (row.where, row.number)
                page["questions"].append(question)
    if page is not None:
        converter.problem("survey", f"group {page['id']!r} has no 'end group'")
    return pages


def _own_name(code: str) -> str | None:
    """A language's name in itself, from Babel (``dansk`` for ``da``)."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _check_columns(row: _Row, converter: _Converter,
                   allowed: frozenset[str] = SURVEY_COLUMNS) -> None:
    for column in row.cells:
        if (column in allowed or LANGUAGE_COLUMN.match(column)
                or column.startswith(IGNORED_PREFIXES)):
            continue
        if column in ("label", "hint", "title"):
            message = (f"column {column!r} needs its language, e.g. "
                       f"'{column}::Dansk (da)', one column per language")
        else:
            message = f"column {column!r} is not supported"
        converter.problem(row.where, message, row.number)


def _question(row: _Row, words: list[str], converter: _Converter) -> dict[str, Any] | None:
    question: dict[str, Any] = {"id": row.get("name")}
    if words[0] == "select":
        if len(words) != 3 or words[1] not in ("one", "multiple"):
            converter.problem(row.where, f"cannot read type {row.get('type')!r}: use "
                                         "'select_one LIST' or 'select_multiple LIST'", row.number)
            return None
        question["type"] = "single" if words[1] == "one" else "multiple"
        question["choices"] = words[2]
    elif words == ["integer"]:
        question["type"] = "number"
    elif words == ["text"]:
        multiline = "multiline" in row.get("appearance").lower().split()
        question["type"] = "long_text" if multiline else "text"
    else:
        converter.problem(row.where, f"type {row.get('type')!r} is not supported (supported: "
                                     "select_one, select_multiple, integer, text, begin group, "
                                     "end group)", row.number)
        return None
    question["text"] = converter.texts(row, "label")
    hint = converter.texts(row, "hint")
    if hint:
        question["help"] = hint
    audio = converter.texts(row, "media::audio") | converter.texts(row, "audio")
    if audio:
        question["audio"] = audio
    question["required"] = _flag(row, "required", converter)
    if row.get("required_reason"):
        question["required_reason"] = str(row.get("required_reason"))
    if row.get("relevant"):
        try:
            question["show_if"] = parse_relevant(row.get("relevant"))
        except ValueError as error:
            converter.problem(row.where, f"relevant: {error}", row.number)
    if row.get("constraint"):
        try:
            question.update(parse_constraint(row.get("constraint")))
        except ValueError as error:
            converter.problem(row.where, f"constraint: {error}", row.number)
    return question


def parse_relevant(expression: str) -> dict[str, Any]:
    """Turn a simple XLSForm ``relevant`` expression into a ``show_if`` condition.

    ``and`` binds tighter than ``or``; parentheses and other functions are not
    supported.

    Raises
    ------
    ValueError
        Naming the part that cannot be read.
    """
    alternatives = []
    for alternative in re.split(r"\s+or\s+", expression.strip()):
        terms = [_relevant_term(term) for term in re.split(r"\s+and\s+", alternative.strip())]
        alternatives.append(terms[0] if len(terms) == 1 else {"all": terms})
    return alternatives[0] if len(alternatives) == 1 else {"any": alternatives}


def _relevant_term(term: str) -> dict[str, Any]:
    for kind, pattern in TERMS:
        match = pattern.match(term.strip())
        if match:
            if kind == "answered":
                return {"question": match["q"], "answered": True}
            code = next(c for c in (match["c1"], match["c2"], match["c3"]) if c is not None)
            return {"question": match["q"], "in": [code]}
    raise ValueError(f"cannot read {term!r}; {RELEVANT_HELP}")


def parse_constraint(expression: str) -> dict[str, int]:
    """Turn a simple XLSForm ``constraint`` into ``min``/``max``/``min_choices``/... limits.

    Raises
    ------
    ValueError
        Naming the part that cannot be read.
    """
    limits: dict[str, int] = {}
    for term in re.split(r"\s+and\s+", expression.strip()):
        for key, pattern in CONSTRAINT_TERMS:
            match = pattern.match(term.strip())
            if match:
                limits[key] = int(match[1])
                break
        else:
            raise ValueError(
                f"cannot read {term!r}; only . >= N, . <= N, count-selected(.) >= N, "
                "count-selected(.) <= N and string-length(.) <= N joined by 'and' are supported"
            )
    return limits
