"""Which questionnaires residents may answer: the published ones (see ``survey.storage``)."""

from __future__ import annotations

from typing import Any

from flask import abort

from .. import storage


def published() -> list[Any]:
    """Every published questionnaire (its latest version), newest wave first."""
    seen: list[str] = []
    for row in storage.published_questionnaires():
        if row.id not in seen:
            seen.append(row.id)
    found = (storage.get_questionnaire(questionnaire_id) for questionnaire_id in seen)
    return [questionnaire for questionnaire in found if questionnaire is not None]


def get_or_404(questionnaire_id: str, version: str | None = None) -> Any:
    """The published questionnaire with this id (and version), or a 404 page."""
    questionnaire = storage.get_questionnaire(questionnaire_id, version)
    if questionnaire is None:
        abort(404)
    return questionnaire


def text(mapping: Any, language: str, default_language: str) -> str:
    """A questionnaire text in ``language``, or in the questionnaire's default language.

    Questionnaire texts exist in every declared language (the loader checks
    that); the fallback only serves pages shown before a language is chosen.
    """
    if mapping is None:
        return ""
    return mapping.get(language) or mapping.get(default_language) or ""
