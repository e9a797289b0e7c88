"""The immutable questionnaire model.

Objects here are built by the loader from a checked file (see ``schema.py``);
they do no checking of their own. Every text is a read-only mapping from a
language code to a string.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .conditions import evaluate, is_answered
from .validation import ValidationMessage, validate_answers

Text = Mapping[str, str]

#: Question types and whether they take choices.
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "number", "text", "long_text")
CHOICE_TYPES: frozenset[str] = frozenset({"single", "multiple"})
TEXT_TYPES: frozenset[str] = frozenset({"text", "long_text"})
#: Default ``max_length`` per text type.
DEFAULT_MAX_LENGTH: Mapping[str, int] = MappingProxyType({"text": 200, "long_text": 2000})


class FrozenMap(Mapping[Any, Any]):
    """A read-only, hashable mapping: texts (language -> string) and conditions."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[Any, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        return self._hash

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        return repr(self._data)


def freeze(value: Any) -> Any:
    """Return a read-only, hashable copy of nested YAML data (mappings and tuples)."""
    if isinstance(value, Mapping):
        return FrozenMap({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Return plain, JSON-ready dicts and lists for data made by :func:`freeze`."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


@dataclass(frozen=True)
class Language:
    """A language the questionnaire is offered in."""

    code: str
    name: str
    direction: str
    translation_status: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "name": self.name,
            "direction": self.direction,
            "translation_status": self.translation_status,
        }


@dataclass(frozen=True)
class Area:
    """A housing area where the survey runs; ``id`` is stored with each response."""

    id: str
    label: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True)
class Consent:
    """The information shown before the first question and the consent statement."""

    version: str
    title: Text
    text: Text
    agree: Text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "version": self.version,
            "title": dict(self.title),
            "text": dict(self.text),
            "agree": dict(self.agree),
        }


@dataclass(frozen=True)
class Choice:
    """One answer option: the stored ``code`` and its label per language."""

    code: str
    label: Text
    missing: bool = False
    exclusive: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "label": dict(self.label),
            "missing": self.missing,
            "exclusive": self.exclusive,
        }


@dataclass(frozen=True)
class Question:
    """One question. ``choices`` is empty unless ``type`` is single or multiple."""

    id: str
    type: str
    text: Text
    required: bool = False
    help: Text | None = None
    choices: tuple[Choice, ...] = ()
    choice_list: str | None = None
    show_if: Mapping[str, Any] | None = None
    min: int | None = None
    max: int | None = None
    min_choices: int | None = None
    max_choices: int | None = None
    max_length: int | None = None
    audio: Mapping[str, str] | None = None
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The choice codes, in order."""
        return tuple(choice.code for choice in self.choices)

    def sides(self) -> dict[str, tuple[str, ...]]:
        """The declared sides of a scale: positive, neutral, negative and missing codes.

        ``positive`` and ``negative`` are the codes declared in the file (on the
        question or its choice list); ``missing`` the choices flagged
        ``missing: true``; ``neutral`` every other code. Without a declared
        ``negative`` side, every substantive code that is not positive is
        negative. Nothing is inferred from the order of the choices.
        """
        missing = tuple(c.code for c in self.choices if c.missing)
        negative = self.negative or tuple(
            c for c in self.codes if c not in self.positive and c not in missing
        )
        neutral = tuple(
            c for c in self.codes if c not in self.positive and c not in negative
            and c not in missing
        )
        return {"positive": self.positive, "neutral": neutral, "negative": negative,
                "missing": missing}

    def choice(self, code: str) -> Choice:
        """The choice with this code; ``KeyError`` when there is none."""
        for choice in self.choices:
            if choice.code == code:
                return choice
        raise KeyError(f"question {self.id!r} has no choice {code!r}; codes: {self.codes}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, with choices written out."""
        return {
            "id": self.id,
            "type": self.type,
            "required": self.required,
            "text": dict(self.text),
            "help": None if self.help is None else dict(self.help),
            "choices": [choice.to_dict() for choice in self.choices],
            "choice_list": self.choice_list,
            "show_if": thaw(self.show_if),
            "min": self.min,
            "max": self.max,
            "min_choices": self.min_choices,
            "max_choices": self.max_choices,
            "max_length": self.max_length,
            "audio": None if self.audio is None else dict(self.audio),
            "positive": list(self.positive),
            "negative": list(self.negative),
        }


@dataclass(frozen=True)
class Page:
    """A page of the form, holding questions in order."""

    id: str
    title: Text
    questions: tuple[Question, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "title": dict(self.title),
            "questions": [question.to_dict() for question in self.questions],
        }


@dataclass(frozen=True)
class Questionnaire:
    """A checked questionnaire: languages, areas, consent and pages of questions.

    ``languages`` gives the language codes with the default first;
    :meth:`language` gives the details of one.
    """

    id: str
    version: str
    wave: int
    title: Text
    default_language: str
    language_info: tuple[Language, ...]
    areas: tuple[Area, ...]
    consent: Consent
    pages: tuple[Page, ...]
    source_sha256: str
    path: Path | None = None
    report: Any = None
    _by_id: Mapping[str, tuple[Page, Question]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        index = {q.id: (page, q) for page in self.pages for q in page.questions}
        object.__setattr__(self, "_by_id", MappingProxyType(index))

    def __hash__(self) -> int:
        return hash((self.id, self.version, self.source_sha256))

    @property
    def languages(self) -> tuple[str, ...]:
        """Language codes, the default first, then in the file's order."""
        return tuple(language.code for language in self.language_info)

    def language(self, code: str) -> Language:
        """Details of a declared language; ``KeyError`` when it is not declared."""
        for language in self.language_info:
            if language.code == code:
                return language
        raise KeyError(f"{self.id} has no language {code!r}; languages: {self.languages}")

    def direction(self, lang: str) -> str:
        """``"ltr"`` or ``"rtl"`` for a declared language."""
        return self.language(lang).direction

    def area(self, area_id: str) -> Area:
        """The area with this id; ``KeyError`` when there is none."""
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(
            f"{self.id} has no area {area_id!r}; areas: {tuple(a.id for a in self.areas)}"
        )

    def questions(self) -> tuple[Question, ...]:
        """Every question, in order."""
        return tuple(question for page in self.pages for question in page.questions)

    def question(self, question_id: str) -> Question:
        """The question with this id; ``KeyError`` when there is none."""
        try:
            return self._by_id[question_id][1]
        except KeyError:
            raise KeyError(f"{self.id} has no question {question_id!r}") from None

    def has_question(self, question_id: Any) -> bool:
        """Whether a question with this id exists (any value is accepted)."""
        return isinstance(question_id, str) and question_id in self._by_id

    def page_of(self, question_id: str) -> Page:
        """The page holding a question; ``KeyError`` when there is no such question."""
        try:
            return self._by_id[question_id][0]
        except KeyError:
            raise KeyError(f"{self.id} has no question {question_id!r}") from None

    def visible_questions(self, answers: Mapping[Any, Any]) -> tuple[Question, ...]:
        """The questions asked given ``answers``, in order.

        A question is asked when it has no ``show_if`` or its condition holds.
        Answers to questions that are not asked are ignored while deciding the
        later ones, so a stale answer left behind by a changed earlier answer
        cannot reveal a question.
        """
        effective: dict[str, Any] = {}
        visible = []
        for question in self.questions():
            if question.show_if is None or evaluate(question.show_if, effective):
                visible.append(question)
                value = answers.get(question.id)
                if is_answered(value):
                    effective[question.id] = value
        return tuple(visible)

    def is_visible(self, question: Question | str, answers: Mapping[Any, Any]) -> bool:
        """Whether a question (or question id) is asked given ``answers``."""
        question_id = question if isinstance(question, str) else question.id
        self.question(question_id)
        return any(q.id == question_id for q in self.visible_questions(answers))

    def validate(self, answers: Mapping[Any, Any]) -> dict[str, list[ValidationMessage]]:
        """Check a set of answers: question id to messages, empty when valid.

        See :func:`questionnaires.validation.validate_answers`.
        """
        return validate_answers(self, answers)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of the whole questionnaire (choice lists written out)."""
        return {
            "id": self.id,
            "version": self.version,
            "wave": self.wave,
            "title": dict(self.title),
            "default_language": self.default_language,
            "languages": [language.to_dict() for language in self.language_info],
            "areas": [area.to_dict() for area in self.areas],
            "consent": self.consent.to_dict(),
            "pages": [page.to_dict() for page in self.pages],
            "report": None if self.report is None else self.report.to_dict(),
            "source_sha256": self.source_sha256,
        }
