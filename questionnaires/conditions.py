"""Conditions (``show_if``): structured data evaluated by one small function.

A condition is one of::

    {question: ID, in: [codes]}        # the answer is one of the codes (multiple: any chosen)
    {question: ID, answered: true}     # the question has (true) / has no (false) answer
    {all: [condition, ...]}
    {any: [condition, ...]}
    {not: condition}

There is no expression language and no ``eval``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: The keys each form of condition has, exactly.
FORMS: tuple[frozenset[str], ...] = (
    frozenset({"question", "in"}),
    frozenset({"question", "answered"}),
    frozenset({"all"}),
    frozenset({"any"}),
    frozenset({"not"}),
)


def is_answered(value: Any) -> bool:
    """Whether an answer value counts as given.

    ``None``, a blank string and an empty list (or tuple) are "no answer";
    anything else, including the number 0, is an answer.
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def evaluate(condition: Mapping[str, Any], answers: Mapping[Any, Any]) -> bool:
    """Evaluate a structured ``show_if`` condition against a set of answers.

    Parameters
    ----------
    condition
        A condition in one of the forms listed in this module's docstring, as
        the loader has checked it.
    answers
        Question id to answer value. Values of any type are tolerated: an
        answer that is neither a code nor a list of codes matches no ``in``.

    Returns
    -------
    bool
        True when the condition holds.

    Raises
    ------
    ValueError
        When ``condition`` is not one of the known forms.
    """
    if not isinstance(condition, Mapping):
        raise ValueError(f"a condition must be a mapping, not {condition!r}")
    keys = frozenset(condition)
    if keys == {"all"}:
        return all(evaluate(part, answers) for part in condition["all"])
    if keys == {"any"}:
        return any(evaluate(part, answers) for part in condition["any"])
    if keys == {"not"}:
        return not evaluate(condition["not"], answers)
    if keys == {"question", "answered"}:
        return is_answered(answers.get(condition["question"])) == bool(condition["answered"])
    if keys == {"question", "in"}:
        return _matches(answers.get(condition["question"]), condition["in"])
    raise ValueError(
        f"unknown condition {dict(condition)!r}; expected question+in, question+answered, "
        "all, any or not"
    )


def _matches(value: Any, codes: Sequence[str]) -> bool:
    """True when a single code, or any code of a list, is one of ``codes``."""
    if isinstance(value, str):
        return value in codes
    if isinstance(value, (list, tuple)):
        return any(isinstance(item, str) and item in codes for item in value)
    return False
