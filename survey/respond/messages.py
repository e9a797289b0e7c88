"""Validation messages in the resident's language.

``Questionnaire.validate`` returns English messages that carry a ``code`` and
``params``; here each code has a translatable message (English msgid, the
catalogs hold the other languages) whose ``%(name)s`` placeholders take the
params.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

#: Translatable message per validation code of ``questionnaires.validation``.
MESSAGES: Mapping[str, Any] = {
    "required": _l("This question must be answered."),
    "unknown_choice": _l("Choose one of the answers shown."),
    "duplicate_choice": _l("Choose each answer only once."),
    "not_a_list": _l("Choose one or more of the answers shown."),
    "too_few_choices": _l("Choose at least %(min)s."),
    "too_many_choices": _l("Choose at most %(max)s."),
    "exclusive_choice": _l("This answer cannot be combined with other answers."),
    "not_a_number": _l("Write a whole number, for example 3."),
    "below_min": _l("The number must be at least %(min)s."),
    "above_max": _l("The number must be at most %(max)s."),
    "too_long": _l("The text may be at most %(max_length)s characters long (it has %(length)s)."),
    "not_text": _l("Write the answer as text."),
    "hidden_answered": _l("This question is not asked after your earlier answers."),
    "unknown_question": _l("An error occurred. Please try again."),
}


def localise(message: Any) -> str:
    """Return a validation message in the current locale.

    ``message`` is a ``ValidationMessage`` (anything with ``code`` and
    ``params``); a message without a known code becomes the general
    "An error occurred" message rather than English text.
    """
    template = MESSAGES.get(getattr(message, "code", None))
    if template is None:
        return _("An error occurred. Please try again.")
    params = dict(getattr(message, "params", None) or {})
    text = str(template)
    return text % params if params and "%(" in text else text


def localise_all(errors: Mapping[str, list[Any]]) -> dict[str, list[str]]:
    """Localise every message of a ``{question id: [messages]}`` mapping."""
    return {key: [localise(message) for message in messages] for key, messages in errors.items()}
