"""What the staff pages show: response counts grouped per questionnaire, and what can be started.

The grouping is a pure function of the questionnaires and the counts
(:func:`group_counts`), so it is tested without a database; the two
functions that read storage (:func:`counts_overview`,
:func:`latest_questionnaires`) only gather their inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import storage


@dataclass(frozen=True)
class LanguageColumn:
    """One language column: its code, its own name and direction, and whether it is a draft."""

    code: str
    name: str
    direction: str
    draft: bool


@dataclass(frozen=True)
class AreaRow:
    """One area row: its id, its label and the submitted count per language column."""

    id: str
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """Submitted responses in this area, every language."""
        return sum(self.counts)


@dataclass(frozen=True)
class QuestionnaireCounts:
    """Submitted responses of one questionnaire as an area × language table with totals."""

    id: str
    title: str
    wave: int | None
    versions: tuple[str, ...]
    languages: tuple[LanguageColumn, ...]
    rows: tuple[AreaRow, ...]
    drafts: int

    @property
    def column_totals(self) -> tuple[int, ...]:
        """Submitted responses per language, every area."""
        return tuple(
            sum(row.counts[index] for row in self.rows) for index in range(len(self.languages))
        )

    @property
    def total(self) -> int:
        """Submitted responses of this questionnaire."""
        return sum(row.total for row in self.rows)

    @property
    def has_draft_language(self) -> bool:
        """Whether any column is a draft translation (the page then explains the mark)."""
        return any(language.draft for language in self.languages)


def danish_title(questionnaire: Any) -> str:
    """The questionnaire's title in Danish, or in its default language when it has no Danish."""
    return questionnaire.title.get("da") or questionnaire.title[questionnaire.default_language]


def group_counts(
    questionnaires: Sequence[Any],
    counts: Iterable[tuple[str, str, str, int]],
    *,
    versions: Mapping[str, Sequence[str]] | None = None,
    drafts: Mapping[str, int] | None = None,
) -> list[QuestionnaireCounts]:
    """Group ``(questionnaire id, area, language, n)`` counts into one table per questionnaire.

    Rows are the questionnaire's areas and columns its languages, in the
    questionnaire's order, so an area or language without responses shows 0.
    An area or language code that is counted but not declared (an older
    version's) is added after the declared ones under its code, and a counted
    questionnaire id that is not in ``questionnaires`` gets a table titled by
    its id, so no submitted response is left out of the totals.
    """
    versions = versions or {}
    drafts = drafts or {}
    cells: dict[str, dict[tuple[str, str], int]] = {}
    for questionnaire_id, area, language, n in counts:
        table = cells.setdefault(questionnaire_id, {})
        table[(area, language)] = table.get((area, language), 0) + int(n)
    known = {questionnaire.id: questionnaire for questionnaire in questionnaires}
    order = list(known) + sorted(set(cells) - set(known))
    return [
        _table(
            known.get(questionnaire_id),
            questionnaire_id,
            cells.get(questionnaire_id, {}),
            tuple(versions.get(questionnaire_id, ())),
            drafts.get(questionnaire_id, 0),
        )
        for questionnaire_id in order
    ]


def _table(
    questionnaire: Any | None,
    questionnaire_id: str,
    cells: Mapping[tuple[str, str], int],
    versions: tuple[str, ...],
    drafts: int,
) -> QuestionnaireCounts:
    """One questionnaire's table; ``questionnaire`` is ``None`` when it is not published."""
    languages: list[LanguageColumn] = []
    areas: list[tuple[str, str]] = []
    if questionnaire is not None:
        languages = [
            LanguageColumn(info.code, info.name, info.direction, info.translation_status == "draft")
            for info in questionnaire.language_info
        ]
        areas = [(area.id, area.label) for area in questionnaire.areas]
    declared_languages = {column.code for column in languages}
    declared_areas = {area_id for area_id, _label in areas}
    for area_id, language in sorted(cells):
        if language not in declared_languages:
            languages.append(LanguageColumn(language, language, "ltr", False))
            declared_languages.add(language)
        if area_id not in declared_areas:
            areas.append((area_id, area_id))
            declared_areas.add(area_id)
    rows = tuple(
        AreaRow(area_id, label, tuple(cells.get((area_id, column.code), 0) for column in languages))
        for area_id, label in areas
    )
    return QuestionnaireCounts(
        id=questionnaire_id,
        title=danish_title(questionnaire) if questionnaire is not None else questionnaire_id,
        wave=questionnaire.wave if questionnaire is not None else None,
        versions=versions,
        languages=tuple(languages),
        rows=rows,
        drafts=drafts,
    )


def latest_questionnaires() -> list[Any]:
    """The latest published version of every questionnaire, newest wave first."""
    seen: list[str] = []
    for row in storage.published_questionnaires():
        if row.id not in seen:
            seen.append(row.id)
    loaded = (storage.get_questionnaire(questionnaire_id) for questionnaire_id in seen)
    return [questionnaire for questionnaire in loaded if questionnaire is not None]


def counts_overview() -> list[QuestionnaireCounts]:
    """Every questionnaire's submitted counts by area and language, with its versions and drafts."""
    versions: dict[str, list[str]] = {}
    for row in storage.published_questionnaires():
        versions.setdefault(row.id, []).append(row.version)
    return group_counts(
        latest_questionnaires(),
        storage.counts_by_area_language(),
        versions=versions,
        drafts=storage.draft_counts(),
    )
