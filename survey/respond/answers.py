"""Turning submitted form fields into answers, and one page's submission into a decision.

Answers have the questionnaire's shapes: a code for ``single``, a list of
codes for ``multiple``, an int for ``number``, a string for the text types;
``None`` means "no answer". A value that cannot be read (``"abc"`` for a
number) is passed on as it is so that ``Questionnaire.validate`` names the
problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from questionnaires.conditions import is_answered


def _first(raw: list[str]) -> str:
    return raw[0] if raw else ""


def _read_single(raw: list[str]) -> str | None:
    return _first(raw).strip() or None


def _read_multiple(raw: list[str]) -> list[str] | None:
    codes = [item for item in raw if item.strip()]
    return codes or None


def _read_number(raw: list[str]) -> int | str | None:
    value = _first(raw).strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def _read_text(raw: list[str]) -> str | None:
    return _first(raw).strip() or None


#: How each question type's raw form values become an answer.
READERS: Mapping[str, Callable[[list[str]], Any]] = {
    "single": _read_single,
    "multiple": _read_multiple,
    "number": _read_number,
    "text": _read_text,
    "long_text": _read_text,
}


def keep_exclusive(question: Any, value: Any) -> Any:
    """A multiple-choice answer with an exclusive choice ("Ved ikke") ticked beside others.

    The exclusive choice wins whatever the order of ticking, as the script
    does in the browser: the other codes are dropped. Two exclusive choices
    together are left as they are, for validation to name.
    """
    if question.type != "multiple" or not isinstance(value, list):
        return value
    flagged = {choice.code for choice in question.choices if choice.exclusive}
    exclusive = [code for code in value if code in flagged]
    return exclusive if len(exclusive) == 1 else value


def read_answers(questions: Iterable[Any], formdata: Any, name_of: Callable[[str], str]) -> dict:
    """Read the answer to each question from ``formdata`` (a werkzeug ``MultiDict``).

    An exclusive choice ticked beside others wins (see :func:`keep_exclusive`),
    so the form behaves the same with and without JavaScript.
    """
    return {
        q.id: keep_exclusive(q, READERS[q.type](formdata.getlist(name_of(q.id))))
        for q in questions
    }


def unanswered_on_page(
    page_answers: Mapping[str, Any], outcome: Any, questionnaire: Any
) -> list[str]:
    """The questions of a page, asked now, that the resident left without an answer."""
    visible = {q.id for q in questionnaire.visible_questions(outcome.answers)}
    return [
        qid
        for qid in page_answers
        if qid in visible and not is_answered(outcome.answers.get(qid))
    ]


def condition_questions(condition: Any) -> set[str]:
    """The question ids a ``show_if`` condition refers to."""
    if condition is None:
        return set()
    if "question" in condition:
        return {condition["question"]}
    if "not" in condition:
        return condition_questions(condition["not"])
    parts = condition.get("all") or condition.get("any") or ()
    return set().union(*(condition_questions(part) for part in parts)) if parts else set()


def rendered_questions(questionnaire: Any, page: Any, answers: Mapping[str, Any]) -> list[tuple]:
    """The questions of ``page`` to put in the HTML, each with whether it is shown now.

    A question hidden by an earlier page's answer is left out. A question
    whose condition refers to a question on the same page is rendered (hidden
    when its condition does not hold) so that the script can show it at once.
    """
    visible = {q.id for q in questionnaire.visible_questions(answers)}
    on_page = {q.id for q in page.questions}
    rows = []
    for question in page.questions:
        shown = question.id in visible
        if shown or condition_questions(question.show_if) & on_page:
            rows.append((question, shown))
    return rows


def visible_pages(questionnaire: Any, answers: Mapping[str, Any]) -> list[int]:
    """The 1-based numbers of the pages that ask at least one question given ``answers``."""
    visible = {q.id for q in questionnaire.visible_questions(answers)}
    return [
        number
        for number, page in enumerate(questionnaire.pages, start=1)
        if any(q.id in visible for q in page.questions)
    ]


@dataclass(frozen=True)
class PageOutcome:
    """What one page's submission means.

    ``changes`` are the answers to save (``None`` clears one); ``errors``
    hold this page's validation messages; ``newly_shown`` are questions of
    this page revealed by the new answers that the resident has not seen yet.
    """

    answers: dict[str, Any]
    changes: dict[str, Any]
    errors: dict[str, list[Any]] = field(default_factory=dict)
    newly_shown: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        """Whether the page may be left forwards: no errors and nothing new to answer."""
        return not self.errors and not self.newly_shown


def apply_page(
    questionnaire: Any,
    page: Any,
    saved: Mapping[str, Any],
    page_answers: Mapping[str, Any],
    shown_before: Iterable[str],
) -> PageOutcome:
    """Merge one page's answers into the saved ones and check the page.

    Answers to questions that the new answers hide (on any page) are
    cleared; the page's questions are validated with
    ``Questionnaire.validate``. Only answers without an error are in
    ``changes``, so a page with a mistake still keeps its good answers.
    """
    merged = {key: value for key, value in saved.items() if is_answered(value)}
    merged.update(page_answers)
    visible = {q.id for q in questionnaire.visible_questions(merged)}
    cleared = {key: None for key in merged if key not in visible}
    merged = {key: value for key, value in merged.items() if key in visible and is_answered(value)}
    page_ids = [q.id for q in page.questions]
    problems = questionnaire.validate(merged)
    shown = set(shown_before)
    newly = frozenset(
        qid
        for qid in page_ids
        if qid in visible and qid not in shown and not is_answered(merged.get(qid))
    )
    errors = {qid: problems[qid] for qid in page_ids if qid in problems and qid not in newly}
    changes = {qid: merged.get(qid) for qid in page_ids if qid not in errors}
    changes.update(cleared)
    return PageOutcome(answers=merged, changes=changes, errors=errors, newly_shown=newly)


def page_errors(questionnaire: Any, page: Any, answers: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Validation messages for the visible questions of ``page`` given all ``answers``."""
    problems = questionnaire.validate(dict(answers))
    return {q.id: problems[q.id] for q in page.questions if q.id in problems}
