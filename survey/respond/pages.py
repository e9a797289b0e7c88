"""What the form's templates need: progress, texts, conditions, checks of the consent form."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from questionnaires.model import thaw

from . import links
from .answers import condition_questions, visible_pages
from .catalog import text
from .interviewer import staff_controls


def consent_errors(questionnaire: Any, form: Any, *, interviewer: bool) -> dict[str, list[str]]:
    """Problems with the consent form, in the resident's language; empty when it may go on."""
    errors: dict[str, list[str]] = {}
    if not form.consent.data:
        errors["consent"] = [_("Tick the box to take part, or choose not to take part.")]
    if form.area.data not in {area.id for area in questionnaire.areas}:
        errors["area"] = [_("Choose your area.")]
    if interviewer and form.assistance.data not in {"self", "read_aloud", "interpreter"}:
        errors["assistance"] = [staff_controls()["assistance_error"]]
    for name, messages in errors.items():
        getattr(form, name).errors = messages
    return errors


def conditions_json(questionnaire: Any) -> str:
    """Every question's id, type and ``show_if`` (or null), in order, as JSON for the script."""
    return json.dumps(
        [
            {"id": q.id, "type": q.type, "show_if": thaw(q.show_if)}
            for q in questionnaire.questions()
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def audio_url(questionnaire: Any, question: Any, language: str) -> str | None:
    """The URL of a question's recorded audio in ``language``, when it has one."""
    if not question.audio or language not in question.audio or questionnaire.path is None:
        return None
    return url_for(
        "respond.audio",
        questionnaire_id=questionnaire.id,
        language=language,
        question_id=question.id,
    )


def question_view(questionnaire: Any, question: Any, language: str, shown: bool) -> dict[str, Any]:
    """Texts and attributes of one question for the page template."""
    default = questionnaire.default_language
    return {
        "q": question,
        "shown": shown,
        "help": text(question.help, language, default) if question.help else "",
        "show_if": json.dumps(thaw(question.show_if), separators=(",", ":"))
        if question.show_if
        else "",
        "audio": audio_url(questionnaire, question, language),
        "missing_codes": [c.code for c in question.choices if c.missing],
        "exclusive_codes": [c.code for c in question.choices if c.exclusive],
    }


def page_context(
    questionnaire: Any,
    response: Any,
    number: int,
    answers: dict[str, Any],
    rows: list[tuple[Any, bool]],
    form: Any,
    errors: dict[str, Any],
    language: str,
) -> dict[str, Any]:
    """Everything ``respond/page.html`` shows for page ``number`` of a response, in ``language``."""
    pages = visible_pages(questionnaire, answers)
    position = pages.index(number) + 1 if number in pages else 1
    later = [n for n in pages if n > number]
    page_obj = questionnaire.pages[number - 1]
    on_page = {q.id for q, _shown in rows}
    referred = set().union(*(condition_questions(q.show_if) for q, _shown in rows)) - on_page
    known = {key: answers[key] for key in sorted(referred) if key in answers}
    return {
        "q": questionnaire,
        "response": response,
        "languages": links.language_links(
            questionnaire,
            "respond.page",
            questionnaire_id=questionnaire.id,
            response_id=response.id,
            number=number,
        ),
        "known": json.dumps(known, ensure_ascii=False, separators=(",", ":")),
        "mode": response.mode,
        "area": response.area,
        "number": number,
        "page_title": text(page_obj.title, language, questionnaire.default_language),
        "current": position,
        "total": len(pages),
        "is_last": not later,
        "has_back": any(n < number for n in pages),
        "form": form,
        "questions": [question_view(questionnaire, q, language, shown) for q, shown in rows],
        "shown": " ".join(q.id for q, shown in rows if shown),
        "errors": errors,
        "conditions": conditions_json(questionnaire),
        "offline": False,
        "staff": staff_controls() if response.mode == "interviewer" else None,
        "kiosk_reset_seconds": current_app.config.get("KIOSK_RESET_SECONDS", 20),
    }


def language_prompts(questionnaire: Any) -> list[tuple[Any, str]]:
    """ "Choose language" in each of the questionnaire's languages, for the chooser."""
    prompts = []
    for language in questionnaire.language_info:
        with force_locale(language.code):
            prompts.append((language, _("Choose language")))
    return prompts
