"""``/k/<code>`` and the code box: a household's invitation code opens its questionnaire.

Entry is rate-limited per client address (``RATELIMIT_CODE``, one budget shared by
the box and ``/k/<code>``). A known,
unused code opens the questionnaire in the household's area and language; a
code whose response is already submitted shows a page that says so and
nothing else; an unknown code asks again.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from .. import text_direction
from ..extensions import limiter
from ..respond import links
from . import codes, invitation
from .letter_texts import text

bp = Blueprint("invite", __name__)


def _code_limit() -> str:
    return current_app.config.get("RATELIMIT_CODE", "20 per minute;200 per hour")


def _language(candidate: str | None = None) -> str:
    language = candidate or request.values.get("lang") or session.get("lang") or "da"
    g.lang = language
    g.dir = text_direction(language)
    return language


@bp.app_context_processor
def code_texts() -> dict[str, Any]:
    """``code_text(key)``: a sentence of the code box in the page's language."""
    return {"code_text": lambda key: text(g.get("lang") or "da", key), "used_text": text}


@bp.app_template_global()
def has_invitations(questionnaire_id: str) -> bool:
    """Whether the questionnaire has usable invitation codes (the chooser then shows the box)."""
    return invitation.has_codes(questionnaire_id)


def _ask_again(typed: str, status: int) -> tuple[str, int]:
    language = _language()
    return (
        render_template(
            "frame/enter.html", error=text(language, "unknown") if typed else None, typed=typed
        ),
        status,
    )


@bp.route("/k", methods=["GET", "POST"])
@limiter.shared_limit(_code_limit, scope="invitation-code", methods=["POST"])
def enter() -> Any:
    """The code box on its own page; a POST goes on to ``/k/<code>``."""
    if request.method == "GET":
        return _ask_again("", 200)
    typed = request.form.get("code", "").strip()
    code = codes.normalise(typed)
    if code is None:
        return _ask_again(typed or " ", 422)
    return redirect(url_for("invite.open_code", code=code))


@bp.route("/k/<code>")
@limiter.shared_limit(_code_limit, scope="invitation-code")
def open_code(code: str) -> Any:
    """Open the questionnaire for a code; say so if its response is already submitted."""
    normal = codes.normalise(code)
    found = invitation.find(normal) if normal else None
    if found is None:
        return _ask_again(code, 404)
    code_row, household = found
    if code_row.submitted:
        language = _language(household.language)
        return render_template("frame/used.html", language=language, also="da"), 200
    invitation.open_code(code_row, household)
    return redirect(
        links.start_url(code_row.questionnaire_id, area=household.area, lang=household.language)
    )
