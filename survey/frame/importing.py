"""Check and store a sampling frame or a population file; a file with any problem stores nothing.

Every problem is reported with its file, line and column, e.g.
``frame.csv:14: area 'vangdal' is not an area of beboerundersoegelse-2016
(known: glarbjergvej, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from . import codes
from .models import FrameHousehold, InvitationCode, PopulationCount
from .tabular import read_table

FRAME_REQUIRED = ("household", "address", "area")
FRAME_OPTIONAL = ("language",)
POPULATION_REQUIRED = ("area", "count")
MAX_FIELD = {"household": 100, "address": 2000}


class ImportRejected(ValueError):
    """The file was refused; ``problems`` lists every one, each naming its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    """What an import stored."""

    rows: int
    by_area: dict[str, int]


def _area_lookup(questionnaire: Any) -> dict[str, str]:
    """Area ids, and their labels (case-insensitive), to the area id."""
    lookup: dict[str, str] = {}
    for area in questionnaire.areas:
        lookup[area.id.lower()] = area.id
        lookup[area.label.lower()] = area.id
    return lookup


def _known_areas(questionnaire: Any) -> str:
    return ", ".join(area.id for area in questionnaire.areas)


def _header_problems(path: Path, header: tuple[str, ...], required, allowed) -> list[str]:
    problems = []
    missing = [name for name in required if name not in header]
    if missing:
        problems.append(
            f"{path}:1: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (the columns are {', '.join(header)})"
        )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(f"{path}:1: column {name!r} appears twice")
        seen.add(name)
        if allowed is not None and name not in allowed:
            problems.append(f"{path}:1: unknown column {name!r} (allowed: {', '.join(allowed)})")
    return problems


def check_frame(path: Path, questionnaire: Any) -> list[dict[str, str]]:
    """Read and check a frame file; return its households or raise :class:`ImportRejected`.

    Checks: the columns, an empty or too long household or address, an
    unknown area (id or label), a language the questionnaire does not offer,
    a household twice in the file or already in the stored frame.
    """
    table = read_table(path)
    problems = _header_problems(path, table.header, FRAME_REQUIRED, FRAME_REQUIRED + FRAME_OPTIONAL)
    if problems:
        raise ImportRejected(problems)
    areas = _area_lookup(questionnaire)
    stored = set(
        db.session.scalars(
            sa.select(FrameHousehold.household).where(
                FrameHousehold.questionnaire_id == questionnaire.id,
                FrameHousehold.household.is_not(None),
            )
        )
    )
    first_line: dict[str, int] = {}
    households = []
    for line, row in table.rows:
        where = f"{path}:{line}"
        household = row["household"]
        for column in ("household", "address"):
            if not row[column]:
                problems.append(f"{where}: column {column} is empty")
            elif len(row[column]) > MAX_FIELD[column]:
                problems.append(
                    f"{where}: column {column} is longer than {MAX_FIELD[column]} characters"
                )
        if household:
            if household in first_line:
                problems.append(
                    f"{where}: duplicate household {household!r} (also on line "
                    f"{first_line[household]})"
                )
            elif household in stored:
                problems.append(
                    f"{where}: duplicate household {household!r} (already in the stored frame "
                    f"of {questionnaire.id})"
                )
            first_line.setdefault(household, line)
        area = areas.get(row["area"].lower())
        if area is None:
            problems.append(
                f"{where}: unknown area {row['area']!r} (areas of {questionnaire.id}: "
                f"{_known_areas(questionnaire)})"
            )
        language = row.get("language", "").lower() or questionnaire.default_language
        if language not in questionnaire.languages:
            problems.append(
                f"{where}: bad language {row.get('language')!r} ({questionnaire.id} is offered "
                f"in {', '.join(questionnaire.languages)})"
            )
        households.append(
            {
                "household": household,
                "address": row["address"],
                "area": area or "",
                "language": language,
            }
        )
    if not table.rows:
        problems.append(f"{path}: the file has a header but no households")
    if problems:
        raise ImportRejected(problems)
    return households


def _unique_codes(count: int) -> list[str]:
    """``count`` new codes that are unique among themselves and among the stored ones."""
    made: set[str] = set()
    while len(made) < count:
        batch = {codes.new_code() for _ in range(count - len(made))} - made
        taken = set(
            db.session.scalars(sa.select(InvitationCode.code).where(InvitationCode.code.in_(batch)))
        )
        made |= batch - taken
    return list(made)


def import_frame(path: Path, questionnaire: Any) -> ImportResult:
    """Check ``path``, then store its households with new invitation codes in one transaction."""
    households = check_frame(path, questionnaire)
    today = datetime.now(UTC).date()
    new_codes = _unique_codes(len(households))
    by_area: dict[str, int] = {}
    try:
        for values, code in zip(households, new_codes, strict=True):
            row = FrameHousehold(questionnaire_id=questionnaire.id, imported_on=today, **values)
            db.session.add(row)
            db.session.flush()
            db.session.add(
                InvitationCode(household_id=row.id, questionnaire_id=questionnaire.id, code=code)
            )
            by_area[values["area"]] = by_area.get(values["area"], 0) + 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(len(households), by_area)


def _cell_columns(questionnaire: Any, header: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The extra columns of a population file, and the problems with them."""
    extra = [name for name in header if name not in POPULATION_REQUIRED]
    problems = []
    for name in extra:
        if not questionnaire.has_question(name):
            problems.append(
                f"unknown column {name!r}: besides area and count, a column must be a "
                f"single-choice question id of {questionnaire.id} (e.g. an age group or sex)"
            )
        elif questionnaire.question(name).type != "single":
            problems.append(f"column {name!r} is not a single-choice question")
    return extra, problems


def check_population(path: Path, questionnaire: Any) -> list[dict[str, Any]]:
    """Read and check a population file: ``area``, ``count`` and optional question columns."""
    table = read_table(path)
    problems = _header_problems(path, table.header, POPULATION_REQUIRED, None)
    extra, column_problems = _cell_columns(questionnaire, table.header)
    problems += [f"{path}:1: {problem}" for problem in column_problems]
    if problems:
        raise ImportRejected(problems)
    areas = _area_lookup(questionnaire)
    seen: dict[tuple, int] = {}
    cells = []
    for line, row in table.rows:
        where = f"{path}:{line}"
        area = areas.get(row["area"].lower())
        if area is None:
            problems.append(
                f"{where}: unknown area {row['area']!r} (areas of {questionnaire.id}: "
                f"{_known_areas(questionnaire)})"
            )
        text = row["count"].replace(".", "").replace(" ", "")
        if not text.isdigit():
            problems.append(f"{where}: count {row['count']!r} is not a whole number ≥ 0")
        cell = {}
        for name in extra:
            value = row[name]
            allowed = questionnaire.question(name).codes
            if value not in allowed:
                problems.append(
                    f"{where}: {name} {value!r} is not an answer code of {name} "
                    f"(codes: {', '.join(allowed)})"
                )
            cell[name] = value
        key = (area, tuple(sorted(cell.items())))
        if key in seen:
            problems.append(f"{where}: the same cell is given twice (also on line {seen[key]})")
        seen.setdefault(key, line)
        cells.append({"area": area, "cell": cell, "count": int(text) if text.isdigit() else 0})
    if not table.rows:
        problems.append(f"{path}: the file has a header but no counts")
    if problems:
        raise ImportRejected(problems)
    return cells


def import_population(path: Path, questionnaire: Any) -> ImportResult:
    """Check ``path`` and replace the questionnaire's population counts with it."""
    cells = check_population(path, questionnaire)
    by_area: dict[str, int] = {}
    try:
        db.session.execute(
            sa.delete(PopulationCount).where(PopulationCount.questionnaire_id == questionnaire.id)
        )
        for values in cells:
            db.session.add(PopulationCount(questionnaire_id=questionnaire.id, **values))
            by_area[values["area"]] = by_area.get(values["area"], 0) + values["count"]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(len(cells), by_area)
