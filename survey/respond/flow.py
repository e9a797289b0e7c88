"""Per-request state of the form: language, mode, and which responses this browser owns.

The signed session keeps the ids of the responses started in this browser
(and whether each is submitted), so a response's pages open only where it
was started, and a kiosk can forget them all at submit.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, session
from flask_babel import refresh

from ..models import MODES

SESSION_KEY = "respond"
#: Session key of the receipt code shown once on the thank-you page.
RECEIPT_KEY = "receipt"
#: How many responses one browser session remembers (a kiosk keeps none after submit).
MAX_REMEMBERED = 5


def set_language(questionnaire: Any, language: str, *, remember: bool = False) -> None:
    """Use ``language`` for this request: ``g.lang``, ``g.dir`` and the Babel locale.

    With ``remember`` the session keeps it for the pages outside the form
    (errors, login). Only requests that belong to a response remember it:
    a page fetched in the background (the offline copies) must not rewrite
    the session cookie, or it could overwrite the one a form POST just set.
    """
    g.lang = language
    g.dir = questionnaire.direction(language)
    if remember and session.get("lang") != language:
        session["lang"] = language
    refresh()


def requested_language(questionnaire: Any, *candidates: str | None) -> str | None:
    """The first candidate (e.g. ``?lang=``, then the response's) the questionnaire offers."""
    for candidate in candidates:
        if candidate and candidate in questionnaire.languages:
            return candidate
    return None


def requested_mode() -> str:
    """The mode asked for by ``?mode=`` (or the form's hidden field); ``web`` by default."""
    mode = request.values.get("mode", "web")
    return mode if mode in MODES else "web"


def requested_area(questionnaire: Any) -> str | None:
    """The area given by ``?area=`` (or the form), when it is one of the questionnaire's."""
    area = request.values.get("area")
    return area if area in {a.id for a in questionnaire.areas} else None


def _owned() -> dict[str, dict[str, Any]]:
    return dict(session.get(SESSION_KEY) or {})


def remember(response_id: str, questionnaire_id: str) -> None:
    """Record that this browser started ``response_id``."""
    owned = _owned()
    owned[response_id] = {"q": questionnaire_id, "submitted": False}
    session[SESSION_KEY] = dict(list(owned.items())[-MAX_REMEMBERED:])


def owns(response_id: str) -> bool:
    """Whether this browser started ``response_id`` (and has not forgotten it)."""
    return response_id in _owned()


def mark_submitted(response_id: str) -> None:
    """Remember that ``response_id`` is submitted: its pages now lead to the thank-you page."""
    owned = _owned()
    if response_id in owned:
        owned[response_id] = {**owned[response_id], "submitted": True}
        session[SESSION_KEY] = owned


def forget(response_id: str) -> None:
    """Forget one response (an aborted interview)."""
    owned = _owned()
    owned.pop(response_id, None)
    session[SESSION_KEY] = owned


def forget_all() -> None:
    """Forget every response of this browser and its language (a kiosk after submit)."""
    session.pop(SESSION_KEY, None)
    session.pop("lang", None)
    session.pop(RECEIPT_KEY, None)


def hand_receipt(code: str) -> None:
    """Keep a receipt code for the thank-you page (shown once, never in a URL)."""
    session[RECEIPT_KEY] = code


def take_receipt() -> str | None:
    """The receipt code kept for this thank-you page; it is then forgotten."""
    return session.pop(RECEIPT_KEY, None)
