"""Validation of a set of answers against a questionnaire.

One function, :func:`validate_answers`, used by the tablet form and the JSON
API alike (through :meth:`Questionnaire.validate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .conditions import is_answered

if TYPE_CHECKING:
    from .model import Question, Questionnaire

#: English message per code; ``params`` fill the placeholders.
MESSAGES: Mapping[str, str] = MappingProxyType(
    {
        "required": "This question must be answered.",
        "unknown_choice": "\"{value}\" is not one of the choices.",
        "duplicate_choice": "\"{value}\" is chosen more than once.",
        "not_a_list": "Expected a list of choice codes.",
        "too_few_choices": "Choose at least {min}.",
        "too_many_choices": "Choose at most {max}.",
        "exclusive_choice": "\"{choice}\" cannot be combined with other answers.",
        "not_a_number": "Expected a whole number.",
        "below_min": "The number must be at least {min}.",
        "above_max": "The number must be at most {max}.",
        "too_long": "The text must be at most {max_length} characters long (it has {length}).",
        "not_text": "Expected text.",
        "hidden_answered": "This question is not asked after the earlier answers, so it must "
        "not have an answer.",
        "unknown_question": "There is no question \"{question}\" in this questionnaire.",
    }
)


class ValidationMessage(str):
    """An English validation message that also carries ``code`` and ``params``.

    It compares and serialises as the plain message; the form looks up
    ``code`` (one of :data:`MESSAGES`) to show it in the resident's language,
    filling in ``params``.
    """

    code: str

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> ValidationMessage:
        if code not in MESSAGES:
            raise ValueError(f"unknown validation code {code!r}; known: {', '.join(MESSAGES)}")
        values = dict(params or {})
        message = super().__new__(cls, MESSAGES[code].format(**values))
        object.__setattr__(message, "code", code)
        object.__setattr__(message, "_params", values)
        return message

    @property
    def params(self) -> dict[str, Any]:
        """The values filled into the message (a fresh, JSON-ready dict on each access)."""
        return dict(self._params)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("ValidationMessage is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (ValidationMessage, (self.code, self.params))

    def __repr__(self) -> str:
        return f"ValidationMessage({self.code!r}, {self.params!r}: {str(self)!r})"


def validate_answers(
    questionnaire: Questionnaire, answers: Mapping[Any, Any]
) -> dict[str, list[ValidationMessage]]:
    """Check a set of answers.

    Parameters
    ----------
    questionnaire
        The questionnaire the answers belong to.
    answers
        Question id to value: a code for ``single``, a list of codes for
        ``multiple``, an integer for ``number``, a string for ``text`` and
        ``long_text``. ``None``, ``""`` and ``[]`` mean "not answered". Values of
        any type are tolerated and reported, never raised on.

    Returns
    -------
    dict[str, list[ValidationMessage]]
        Question id (``str(key)`` for an unknown key) to its messages, in
        questionnaire order with unknown ids last; empty when the answers are
        valid. Checked: required answers of asked questions, answers to
        questions that ``show_if`` hides, codes, list or single value, choice
        counts and exclusive choices, whole numbers and their range, text
        type and length, and unknown question ids.

    Raises
    ------
    TypeError
        When ``answers`` is not a mapping.
    """
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a mapping of question id to value, not {answers!r}")
    errors: dict[str, list[ValidationMessage]] = {}
    visible = {question.id for question in questionnaire.visible_questions(answers)}
    for question in questionnaire.questions():
        value = answers.get(question.id)
        if question.id not in visible:
            messages = [ValidationMessage("hidden_answered")] if is_answered(value) else []
        elif not is_answered(value):
            messages = [ValidationMessage("required")] if question.required else []
        else:
            messages = _CHECKS[question.type](question, value)
        if messages:
            errors[question.id] = messages
    for key in answers:
        if not questionnaire.has_question(key):
            errors.setdefault(str(key), []).append(
                ValidationMessage("unknown_question", {"question": _show(key)})
            )
    return errors


def _show(value: Any) -> str:
    """A short, JSON-ready rendering of an offending value: itself if a string, else its repr."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_single(question: Question, value: Any) -> list[ValidationMessage]:
    if isinstance(value, str) and value in question.codes:
        return []
    return [ValidationMessage("unknown_choice", {"value": _show(value)})]


def _check_multiple(question: Question, value: Any) -> list[ValidationMessage]:
    if not isinstance(value, (list, tuple)):
        return [ValidationMessage("not_a_list")]
    messages = []
    seen: list[str] = []
    for item in value:
        if not (isinstance(item, str) and item in question.codes):
            messages.append(ValidationMessage("unknown_choice", {"value": _show(item)}))
        elif item in seen:
            messages.append(ValidationMessage("duplicate_choice", {"value": _show(item)}))
        else:
            seen.append(item)
    exclusive = [code for code in seen if question.choice(code).exclusive]
    if exclusive and len(seen) > 1:
        messages.extend(ValidationMessage("exclusive_choice", {"choice": c}) for c in exclusive)
    elif not exclusive:
        if question.min_choices is not None and len(seen) < question.min_choices:
            messages.append(ValidationMessage("too_few_choices", {"min": question.min_choices}))
        if question.max_choices is not None and len(seen) > question.max_choices:
            messages.append(ValidationMessage("too_many_choices", {"max": question.max_choices}))
    return messages


def _check_number(question: Question, value: Any) -> list[ValidationMessage]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [ValidationMessage("not_a_number")]
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return [ValidationMessage("not_a_number")]
    if question.min is not None and value < question.min:
        return [ValidationMessage("below_min", {"min": question.min})]
    if question.max is not None and value > question.max:
        return [ValidationMessage("above_max", {"max": question.max})]
    return []


def _check_text(question: Question, value: Any) -> list[ValidationMessage]:
    if not isinstance(value, str):
        return [ValidationMessage("not_text")]
    if question.max_length is not None and len(value) > question.max_length:
        return [
            ValidationMessage("too_long", {"max_length": question.max_length, "length": len(value)})
        ]
    return []


_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "number": _check_number,
    "text": _check_text,
    "long_text": _check_text,
}
