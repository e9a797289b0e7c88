"""The questionnaire file format: checking data read from a file, and building the model.

:func:`check_data` walks the plain data read from YAML (or converted from an
XLSForm) and reports *every* problem it finds as a ``(path, message)``
finding; it never raises on bad data. :func:`build` turns data that passed the
check into the immutable model of ``model.py``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from babel import Locale, UnknownLocaleError

from .conditions import FORMS
from .model import (
    CHOICE_TYPES,
    DEFAULT_MAX_LENGTH,
    QUESTION_TYPES,
    Area,
    Choice,
    Consent,
    Language,
    Page,
    Question,
    Questionnaire,
    freeze,
)
from .problems import format_path
from .report_spec import build_report_spec, check_report

Segment = str | int
#: A place in the data: keys and list indices, e.g. ("pages", 2, "questions", 0, "show_if").
Location = tuple[Segment, ...]

QUESTIONNAIRE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
AREA_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
CHOICE_CODE = re.compile(r"[A-Za-z0-9_-]+\Z")
LIST_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")

DIRECTIONS = ("ltr", "rtl")
TRANSLATION_STATUSES = ("final", "draft")

TOP_KEYS = ("id", "version", "wave", "title", "default_language", "languages", "areas",
            "consent", "pages")
LANGUAGE_KEYS = ("code", "name", "direction", "translation_status")
AREA_KEYS = ("id", "label")
CONSENT_KEYS = ("version", "title", "text", "agree")
CHOICE_KEYS = ("code", "label")
CHOICE_OPTIONAL = ("missing", "exclusive")
PAGE_KEYS = ("id", "title", "questions")
QUESTION_KEYS = ("id", "type", "text")
QUESTION_OPTIONAL = ("required", "required_reason", "help", "choices", "show_if", "min", "max",
                     "min_choices", "max_choices", "max_length", "audio", "positive",
                     "negative")
#: Keys of a choice list written as a mapping (to declare its positive side).
CHOICE_LIST_KEYS = ("choices",)
CHOICE_LIST_OPTIONAL = ("positive", "negative")
SIDES = ("positive", "negative")
#: Keys that only some question types take.
TYPE_KEYS: Mapping[str, frozenset[str]] = {
    "choices": frozenset({"single", "multiple"}),
    "min": frozenset({"number"}),
    "max": frozenset({"number"}),
    "min_choices": frozenset({"multiple"}),
    "max_choices": frozenset({"multiple"}),
    "max_length": frozenset({"text", "long_text"}),
    "positive": frozenset({"single"}),
    "negative": frozenset({"single"}),
}
CONDITION_KEYS = frozenset().union(*FORMS)


@dataclass(frozen=True)
class Finding:
    """A problem at a place in the data, before it is tied to a file."""

    path: Location
    message: str


def describe(value: Any) -> str:
    """Name a value's kind for a message, e.g. ``the number 1`` or ``a list``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def babel_direction(code: str) -> str | None:
    """Babel's text direction for a language code, or None when Babel does not know it."""
    try:
        return Locale.parse(code.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def check_data(data: Any, *, base_dir: Path | None = None) -> list[Finding]:
    """Check questionnaire data read from a file; return every problem found.

    Parameters
    ----------
    data
        The document as plain Python data (mappings, lists, scalars).
    base_dir
        The folder of the file, to find ``audio`` files; None skips that check.

    Returns
    -------
    list[Finding]
        Every problem, in the order checked; empty when the data can be built.
    """
    checker = _Checker(base_dir)
    checker.run(data)
    return checker.findings


@dataclass
class _QuestionInfo:
    """What a condition needs to know about a question found in the pre-pass."""

    position: int
    path: Location
    type: Any
    codes: tuple[str, ...] | None
    positive: tuple[str, ...] = ()


@dataclass
class _Checker:
    """One walk over the data, collecting findings; tolerant of any shape."""

    base_dir: Path | None
    findings: list[Finding] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    choice_lists: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    choice_entries: dict[str, Any] = field(default_factory=dict)
    list_sides: dict[str, dict[str, Any]] = field(default_factory=dict)
    questions: dict[str, _QuestionInfo] = field(default_factory=dict)

    # -- helpers -----------------------------------------------------------------------

    def problem(self, path: Location, message: str) -> None:
        self.findings.append(Finding(path, message))

    def mapping(
        self, value: Any, path: Location, required: Iterable[str], optional: Iterable[str] = (),
        *, what: str,
    ) -> Mapping[Any, Any] | None:
        """Check a mapping's keys; return it, or None when it is not a mapping."""
        required, optional = tuple(required), tuple(optional)
        if not isinstance(value, Mapping):
            self.problem(path, f"expected {what} (a mapping with keys {', '.join(required)}), "
                               f"got {describe(value)}")
            return None
        for key in required:
            if key not in value:
                self.problem(path + (key,), f"required key is missing from {what}")
        allowed = required + optional
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(path + (str(key),), f"unknown key {key!r} in {what} (allowed: "
                                                 f"{', '.join(allowed)}){hint}")
        return value

    def string(self, value: Any, path: Location, *, pattern: re.Pattern[str] | None = None,
               rule: str = "", kind: str = "id") -> bool:
        if not isinstance(value, str):
            hint = f'; write it in quotes: "{value}"' if isinstance(value, (int, float)) else ""
            self.problem(path, f"expected a string, got {describe(value)}{hint}")
            return False
        if not value.strip():
            self.problem(path, "must not be empty")
            return False
        if pattern is not None and not pattern.match(value):
            self.problem(path, f"{value!r} is not a valid {kind}: {rule}")
            return False
        return True

    def integer(self, value: Any, path: Location) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"expected a whole number, got {describe(value)}")
            return False
        return True

    def boolean(self, value: Any, path: Location) -> bool:
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false, got {describe(value)}")
            return False
        return True

    def one_of(self, value: Any, path: Location, allowed: Iterable[str]) -> bool:
        allowed = tuple(allowed)
        if value not in allowed or not isinstance(value, str):
            self.problem(path, f"expected one of {', '.join(allowed)}, got {describe(value)}")
            return False
        return True

    def list_of(self, value: Any, path: Location, *, what: str) -> list[Any]:
        """Check a non-empty list; return it (or an empty list when it is not one)."""
        if not isinstance(value, list):
            self.problem(path, f"expected a list of {what}, got {describe(value)}")
            return []
        if not value:
            self.problem(path, f"expected at least one of {what}, got an empty list")
        return value

    def text(self, value: Any, path: Location) -> None:
        """A text: a string for every declared language, and no other language."""
        if not isinstance(value, Mapping):
            self.problem(path, "expected a text: a mapping of language code to string "
                               f"such as {{da: ..., en: ...}}, got {describe(value)}")
            return
        for lang, string in value.items():
            if self.languages and lang not in self.languages:
                self.problem(path + (str(lang),),
                             f"language {lang!r} is not declared in languages")
            elif not isinstance(string, str):
                self.problem(path + (str(lang),), f"expected a string, got {describe(string)}")
            elif not string.strip():
                self.problem(path + (str(lang),), "the text is empty")
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.problem(path, f"no text in {', '.join(missing)}: every declared language "
                               "needs one (there is no fallback)")

    # -- the document ------------------------------------------------------------------

    def run(self, data: Any) -> None:
        top = self.mapping(data, (), TOP_KEYS, ("choice_lists", "report"),
                           what="a questionnaire")
        if top is None:
            return
        if "id" in top:
            self.string(top["id"], ("id",), pattern=QUESTIONNAIRE_ID,
                        rule="lower-case letters and digits joined by '-'")
        if "version" in top:
            self.string(top["version"], ("version",))
        if "wave" in top and self.integer(top["wave"], ("wave",)):
            if not 1900 <= top["wave"] <= 2200:
                self.problem(("wave",), f"expected the survey year, got {top['wave']}")
        self.check_languages(top.get("languages"))
        if "default_language" in top:
            default = top["default_language"]
            if self.string(default, ("default_language",)) and default not in self.languages:
                self.problem(("default_language",),
                             f"{default!r} is not one of the declared languages "
                             f"({', '.join(self.languages) or 'none'})")
        if "title" in top:
            self.text(top["title"], ("title",))
        if "areas" in top:
            self.check_areas(top["areas"])
        if "consent" in top:
            self.check_consent(top["consent"])
        if "choice_lists" in top:
            self.check_choice_lists(top["choice_lists"])
        if "pages" in top:
            self.check_pages(top["pages"])
        if "report" in top:
            check_report(top["report"], self.problem, questions=self.questions,
                         languages=self.languages)

    def check_languages(self, value: Any) -> None:
        if value is None:
            return
        for index, entry in enumerate(self.list_of(value, ("languages",), what="languages")):
            path: Location = ("languages", index)
            language = self.mapping(entry, path, LANGUAGE_KEYS, what="a language")
            if language is None:
                continue
            code = language.get("code")
            direction = None
            if isinstance(code, str) and code:
                # declared even when malformed, so that its texts are not reported as well
                if code in self.languages:
                    self.problem(path + ("code",), f"language {code!r} is declared twice")
                else:
                    self.languages.append(code)
            if "code" in language and self.string(code, path + ("code",), pattern=LANGUAGE_CODE,
                                                  kind="language code",
                                                  rule="lower-case, such as da or pt-BR"):
                direction = babel_direction(code)
                if direction is None:
                    self.problem(path + ("code",),
                                 f"{code!r} is not a language code Babel knows (e.g. da, ar)")
            if "name" in language:
                self.string(language["name"], path + ("name",))
            if "direction" in language and self.one_of(
                language["direction"], path + ("direction",), DIRECTIONS
            ):
                if direction is not None and language["direction"] != direction:
                    self.problem(path + ("direction",),
                                 f"{code!r} is written {direction}, but the file says "
                                 f"{language['direction']}")
            if "translation_status" in language:
                self.one_of(language["translation_status"], path + ("translation_status",),
                            TRANSLATION_STATUSES)

    def check_areas(self, value: Any) -> None:
        seen: set[str] = set()
        for index, entry in enumerate(self.list_of(value, ("areas",), what="areas")):
            path: Location = ("areas", index)
            area = self.mapping(entry, path, AREA_KEYS, what="an area")
            if area is None:
                continue
            if "id" in area and self.string(area["id"], path + ("id",), pattern=AREA_ID,
                                            rule="lower-case letters and digits joined by "
                                                 "'-' or '_'"):
                if area["id"] in seen:
                    self.problem(path + ("id",), f"area id {area['id']!r} is used twice")
                seen.add(area["id"])
            if "label" in area:
                self.string(area["label"], path + ("label",))

    def check_consent(self, value: Any) -> None:
        consent = self.mapping(value, ("consent",), CONSENT_KEYS, what="consent")
        if consent is None:
            return
        if "version" in consent:
            self.string(consent["version"], ("consent", "version"))
        for key in ("title", "text", "agree"):
            if key in consent:
                self.text(consent[key], ("consent", key))

    def check_choice_lists(self, value: Any) -> None:
        if not isinstance(value, Mapping):
            self.problem(("choice_lists",),
                         f"expected a mapping of list name to choices, got {describe(value)}")
            return
        for name, choices in value.items():
            path: Location = ("choice_lists", str(name))
            if not isinstance(name, str) or not LIST_NAME.match(name):
                self.problem(path, f"{name!r} is not a valid choice list name: a letter "
                                   "followed by letters, digits, '_' or '-'")
                continue
            if isinstance(choices, Mapping):
                entry = self.mapping(choices, path, CHOICE_LIST_KEYS, CHOICE_LIST_OPTIONAL,
                                     what="a choice list")
                codes = self.check_choices(entry.get("choices"), path + ("choices",))
                self.choice_lists[name] = codes
                self.choice_entries[name] = entry.get("choices")
                self.list_sides[name] = {
                    side: self.check_side(entry[side], path + (side,), codes)
                    for side in SIDES if side in entry
                }
            else:
                self.choice_lists[name] = self.check_choices(choices, path)
                self.choice_entries[name] = choices

    def check_side(self, value: Any, path: Location,
                   codes: tuple[str, ...] | None) -> tuple[str, ...]:
        """Check a declared side of a scale (``positive: ["1", "2"]``); return its codes."""
        if not isinstance(value, list) or not value:
            self.problem(path, f"expected a non-empty list of codes, got {describe(value)}")
            return ()
        found = []
        for index, code in enumerate(value):
            if not isinstance(code, str):
                self.problem(path + (index,), f"expected a code in quotes, got {describe(code)}")
            elif codes is not None and code not in codes:
                self.problem(path + (index,), f"{code!r} is not one of the codes "
                                              f"({', '.join(codes)})")
            else:
                found.append(code)
        return tuple(found)

    def check_choices(self, value: Any, path: Location) -> tuple[str, ...] | None:
        """Check a list of choices; return their valid codes (None when not a list)."""
        if not isinstance(value, list):
            self.problem(path, f"expected a list of choices, got {describe(value)}")
            return None
        if not value:
            self.problem(path, "expected at least one choice, got an empty list")
        codes: dict[str, int] = {}
        for index, entry in enumerate(value):
            choice = self.mapping(entry, path + (index,), CHOICE_KEYS, CHOICE_OPTIONAL,
                                  what="a choice")
            if choice is None:
                continue
            code = choice.get("code")
            if "code" in choice and self.string(code, path + (index, "code"),
                                                pattern=CHOICE_CODE, kind="code",
                                                rule="letters, digits, '_' or '-'"):
                if code in codes:
                    self.problem(path + (index, "code"),
                                 f"choice code {code!r} clashes with choice [{codes[code]}] "
                                 "of the same list")
                else:
                    codes[code] = index
            if "label" in choice:
                self.text(choice["label"], path + (index, "label"))
            for key in CHOICE_OPTIONAL:
                if key in choice:
                    self.boolean(choice[key], path + (index, key))
        return tuple(codes)

    # -- pages and questions -----------------------------------------------------------

    def check_pages(self, value: Any) -> None:
        pages = self.list_of(value, ("pages",), what="pages")
        self.collect_questions(pages)
        page_ids: dict[str, int] = {}
        question_ids: set[str] = set()
        position = 0
        for index, entry in enumerate(pages):
            path: Location = ("pages", index)
            page = self.mapping(entry, path, PAGE_KEYS, what="a page")
            if page is None:
                continue
            if "id" in page and self.string(page["id"], path + ("id",), pattern=QUESTION_ID,
                                            rule="lower-case letters, digits and '_', "
                                                 "starting with a letter"):
                if page["id"] in page_ids:
                    self.problem(path + ("id",), f"page id {page['id']!r} is already used by "
                                                 f"pages[{page_ids[page['id']]}]")
                else:
                    page_ids[page["id"]] = index
            if "title" in page:
                self.text(page["title"], path + ("title",))
            if "questions" not in page:
                continue
            questions = self.list_of(page["questions"], path + ("questions",), what="questions")
            for q_index, question in enumerate(questions):
                self.check_question(question, path + ("questions", q_index), position,
                                    question_ids)
                position += 1

    def collect_questions(self, pages: list[Any]) -> None:
        """Pre-pass: where each question id first appears, its type and its codes."""
        position = 0
        for index, page in enumerate(pages):
            questions = page.get("questions") if isinstance(page, Mapping) else None
            if not isinstance(questions, list):
                continue
            for q_index, question in enumerate(questions):
                if isinstance(question, Mapping):
                    qid = question.get("id")
                    if isinstance(qid, str) and qid not in self.questions:
                        choices = question.get("choices")
                        positive = question.get("positive")
                        if positive is None and isinstance(choices, str):
                            positive = self.list_sides.get(choices, {}).get("positive")
                        self.questions[qid] = _QuestionInfo(
                            position, ("pages", index, "questions", q_index),
                            question.get("type"), self.codes_of(choices),
                            tuple(positive) if isinstance(positive, list | tuple) else ())
                position += 1

    def codes_of(self, choices: Any) -> tuple[str, ...] | None:
        """The codes of a question's choices (a list name or an inline list), if knowable."""
        if isinstance(choices, str):
            return self.choice_lists.get(choices)
        if isinstance(choices, list):
            return tuple(c["code"] for c in choices
                         if isinstance(c, Mapping) and isinstance(c.get("code"), str))
        return None

    def check_question(self, value: Any, path: Location, position: int, seen: set[str]) -> None:
        question = self.mapping(value, path, QUESTION_KEYS, QUESTION_OPTIONAL, what="a question")
        if question is None:
            return
        qid = question.get("id")
        if "id" in question and self.string(qid, path + ("id",), pattern=QUESTION_ID,
                                            rule="lower-case letters, digits and '_', "
                                                 "starting with a letter"):
            if qid in seen:
                first = self.questions[qid].path
                self.problem(path + ("id",), f"question id {qid!r} is already used by "
                                             f"{format_path(first)}")
            seen.add(qid)
        qtype = question.get("type")
        known_type = "type" in question and self.one_of(qtype, path + ("type",), QUESTION_TYPES)
        if "text" in question:
            self.text(question["text"], path + ("text",))
        if "help" in question:
            self.text(question["help"], path + ("help",))
        if "required" in question:
            self.boolean(question["required"], path + ("required",))
        if "required_reason" in question:
            self.string(question["required_reason"], path + ("required_reason",))
        if known_type:
            for key, types in TYPE_KEYS.items():
                if key in question and qtype not in types:
                    self.problem(path + (key,), f"a {qtype} question takes no {key} "
                                                f"(only {' and '.join(sorted(types))} do)")
            if qtype in CHOICE_TYPES and "choices" not in question:
                self.problem(path + ("choices",), f"a {qtype} question needs choices")
        codes = self.check_question_choices(question, path)
        self.check_required(question, path)
        for side in SIDES:
            if side in question:
                self.check_side(question[side], path + (side,), codes)
        self.check_limits(question, path, len(codes) if codes is not None else None)
        if "audio" in question:
            self.check_audio(question["audio"], path + ("audio",))
        if "show_if" in question:
            self.check_condition(question["show_if"], path + ("show_if",), position)

    def check_required(self, question: Mapping[Any, Any], path: Location) -> None:
        """``required: true`` only with a way out (a ``missing: true`` choice) or a stated reason.

        Residents are told that every question may be skipped; a question
        that must be answered has to offer "Ønsker ikke at svare" (or "Ved
        ikke"), or say in ``required_reason`` why it may not be skipped.
        """
        if question.get("required") is not True or "required_reason" in question:
            return
        choices = question.get("choices")
        if isinstance(choices, str):
            choices = self.choice_entries.get(choices)
        if isinstance(choices, list) and any(
            isinstance(choice, Mapping) and choice.get("missing") is True for choice in choices
        ):
            return
        self.problem(path + ("required",),
                     "a required question needs a way out: a choice with missing: true "
                     "(\"Ønsker ikke at svare\") or a required_reason saying why it may "
                     "not be skipped")

    def check_question_choices(self, question: Mapping[Any, Any],
                               path: Location) -> tuple[str, ...] | None:
        if "choices" not in question:
            return None
        choices = question["choices"]
        if isinstance(choices, str):
            if choices not in self.choice_lists:
                known = ", ".join(self.choice_lists) or "none"
                self.problem(path + ("choices",),
                             f"unknown choice list {choices!r} (choice lists: {known})")
                return None
            return self.choice_lists[choices]
        if isinstance(choices, list):
            return self.check_choices(choices, path + ("choices",))
        self.problem(path + ("choices",), "expected the name of a choice list or a list of "
                                          f"choices, got {describe(choices)}")
        return None

    def check_limits(self, question: Mapping[Any, Any], path: Location,
                     n_choices: int | None) -> None:
        values = {}
        for key in ("min", "max", "min_choices", "max_choices", "max_length"):
            if key in question and self.integer(question[key], path + (key,)):
                values[key] = question[key]
        for key in ("min_choices", "max_choices", "max_length"):
            if key in values and values[key] < 1:
                self.problem(path + (key,), f"must be at least 1, got {values[key]}")
        for key in ("min_choices", "max_choices"):
            if key in values and n_choices is not None and values[key] > n_choices:
                self.problem(path + (key,), f"{values[key]} is more than the {n_choices} "
                                            "choices")
        for low, high in (("min", "max"), ("min_choices", "max_choices")):
            if low in values and high in values and values[low] > values[high]:
                self.problem(path + (low,), f"{low} ({values[low]}) is greater than {high} "
                                            f"({values[high]})")

    def check_audio(self, value: Any, path: Location) -> None:
        if not isinstance(value, Mapping):
            self.problem(path, "expected a mapping of language code to audio file, got "
                               f"{describe(value)}")
            return
        for lang, file in value.items():
            where = path + (str(lang),)
            if lang not in self.languages:
                self.problem(where, f"language {lang!r} is not declared in languages")
            elif self.string(file, where):
                relative = PurePosixPath(file)
                if relative.is_absolute() or ".." in relative.parts:
                    self.problem(where, f"{file!r} must be a path inside the questionnaire's "
                                        "folder")
                elif self.base_dir is not None and not (self.base_dir / relative).is_file():
                    self.problem(where, f"audio file {file!r} not found next to the "
                                        "questionnaire")

    # -- conditions --------------------------------------------------------------------

    def check_condition(self, value: Any, path: Location, position: int, depth: int = 0) -> None:
        forms = "{question, in}, {question, answered}, {all}, {any} or {not}"
        if depth > 20:
            self.problem(path, "conditions are nested too deeply")
            return
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a condition ({forms}), got {describe(value)}")
            return
        keys = frozenset(value)
        unknown = sorted(str(key) for key in keys - CONDITION_KEYS)
        if unknown:
            self.problem(path, f"unknown condition operator {', '.join(map(repr, unknown))}; "
                               f"a condition is {forms}")
            return
        if keys not in FORMS:
            self.problem(path, f"a condition is {forms}; got the keys "
                               f"{', '.join(sorted(map(str, keys))) or 'none'}")
            return
        if keys == {"not"}:
            self.check_condition(value["not"], path + ("not",), position, depth + 1)
            return
        for key in ("all", "any"):
            if keys == {key}:
                parts = self.list_of(value[key], path + (key,), what="conditions")
                for index, part in enumerate(parts):
                    self.check_condition(part, path + (key, index), position, depth + 1)
                return
        target = self.check_condition_question(value["question"], path + ("question",), position)
        if "answered" in value:
            self.boolean(value["answered"], path + ("answered",))
            return
        codes = value["in"]
        if not isinstance(codes, list) or not codes:
            self.problem(path + ("in",), f"expected a list of choice codes, got {describe(codes)}")
            return
        if target is not None and target.type in QUESTION_TYPES and target.type not in CHOICE_TYPES:
            self.problem(path + ("in",), f"'in' needs a single or multiple question, but "
                                         f"{value['question']!r} is a {target.type} question")
            return
        for index, code in enumerate(codes):
            if not isinstance(code, str):
                self.problem(path + ("in", index), f"choice codes are strings, got "
                                                   f"{describe(code)}")
            elif target is not None and target.codes is not None and code not in target.codes:
                self.problem(path + ("in", index),
                             f"{code!r} is not a choice of question {value['question']!r} "
                             f"(codes: {', '.join(target.codes)})")

    def check_condition_question(self, qid: Any, path: Location,
                                 position: int) -> _QuestionInfo | None:
        if not isinstance(qid, str):
            self.problem(path, f"expected a question id, got {describe(qid)}")
            return None
        target = self.questions.get(qid)
        if target is None:
            self.problem(path, f"unknown question {qid!r}")
            return None
        if target.position >= position:
            self.problem(path, f"question {qid!r} ({format_path(target.path)}) does not come "
                               "before this question; a condition may only name earlier "
                               "questions")
            return None
        return target


def build(data: Mapping[str, Any], *, source_sha256: str,
          path: Path | None = None) -> Questionnaire:
    """Build the model from data that :func:`check_data` found no problem in."""
    default = data["default_language"]
    languages = [Language(entry["code"], entry["name"], entry["direction"],
                          entry["translation_status"]) for entry in data["languages"]]
    languages.sort(key=lambda language: language.code != default)
    choice_lists, list_sides = {}, {}
    for name, entries in (data.get("choice_lists") or {}).items():
        if isinstance(entries, Mapping):
            list_sides[name] = {side: tuple(entries[side]) for side in SIDES if side in entries}
            entries = entries["choices"]
        choice_lists[name] = tuple(_choice(entry) for entry in entries)
    pages = tuple(
        Page(id=page["id"], title=freeze(page["title"]),
             questions=tuple(_question(entry, choice_lists, list_sides)
                             for entry in page["questions"]))
        for page in data["pages"]
    )
    types = {q.id: q.type for page in pages for q in page.questions}
    consent = data["consent"]
    return Questionnaire(
        id=data["id"],
        version=data["version"],
        wave=data["wave"],
        title=freeze(data["title"]),
        default_language=default,
        language_info=tuple(languages),
        areas=tuple(Area(entry["id"], entry["label"]) for entry in data["areas"]),
        consent=Consent(consent["version"], freeze(consent["title"]), freeze(consent["text"]),
                        freeze(consent["agree"])),
        pages=pages,
        source_sha256=source_sha256,
        path=path,
        report=build_report_spec(data.get("report"), types),
    )


def _choice(entry: Mapping[str, Any]) -> Choice:
    return Choice(code=entry["code"], label=freeze(entry["label"]),
                  missing=entry.get("missing", False), exclusive=entry.get("exclusive", False))


def _question(entry: Mapping[str, Any], choice_lists: Mapping[str, tuple[Choice, ...]],
              list_sides: Mapping[str, Mapping[str, tuple[str, ...]]]) -> Question:
    choices = entry.get("choices")
    sides: Mapping[str, tuple[str, ...]] = {}
    if isinstance(choices, str):
        resolved, list_name = choice_lists[choices], choices
        sides = list_sides.get(choices, {})
    else:
        resolved, list_name = tuple(_choice(c) for c in choices or ()), None
    qtype = entry["type"]
    return Question(
        id=entry["id"],
        type=qtype,
        text=freeze(entry["text"]),
        required=entry.get("required", False),
        help=freeze(entry["help"]) if "help" in entry else None,
        choices=resolved,
        choice_list=list_name,
        show_if=freeze(entry["show_if"]) if "show_if" in entry else None,
        min=entry.get("min"),
        max=entry.get("max"),
        min_choices=entry.get("min_choices"),
        max_choices=entry.get("max_choices"),
        max_length=entry.get("max_length", DEFAULT_MAX_LENGTH.get(qtype)),
        audio=freeze(entry["audio"]) if "audio" in entry else None,
        positive=tuple(entry.get("positive") or sides.get("positive", ())),
        negative=tuple(entry.get("negative") or sides.get("negative", ())),
    )
