"""URLs that carry the form's state (language, mode, area) from page to page."""

from __future__ import annotations

from typing import Any

from flask import url_for


def state_params(mode: str | None, area: str | None) -> dict[str, Any]:
    """The query parameters that carry the form's mode (unless ``web``) and area (if any)."""
    params: dict[str, Any] = {}
    if mode is not None and mode != "web":
        params["mode"] = mode
    if area:
        params["area"] = area
    return params


def start_url(
    questionnaire_id: str, *, mode: str = "web", area: str | None = None, **extra: Any
) -> str:
    """The language chooser (or, with ``lang=``, the consent page) of a questionnaire."""
    params = {**extra, **state_params(mode, area)}
    return url_for("respond.start", questionnaire_id=questionnaire_id, **params)


def page_url(response: Any, number: int, **extra: Any) -> str:
    """A question page of a response."""
    return url_for(
        "respond.page",
        questionnaire_id=response.questionnaire_id,
        response_id=response.id,
        number=number,
        **extra,
    )


def thanks_url(questionnaire_id: str, *, language: str, mode: str, area: str | None) -> str:
    """The thank-you page, which shows nothing of the answers."""
    params = {"lang": language, **state_params(mode, area)}
    return url_for("respond.thanks", questionnaire_id=questionnaire_id, **params)


def language_links(questionnaire: Any, endpoint: str, **params: Any) -> list[tuple[Any, str]]:
    """Each language of the questionnaire with the URL of this page in that language."""
    return [
        (language, url_for(endpoint, **{**params, "lang": language.code}))
        for language in questionnaire.language_info
    ]
