"""The ``report:`` section of a questionnaire: which results the annual report shows.

A questionnaire may declare its annual report::

    report:
      headline: tilfreds_omraade
      sections:
        - id: omraadet
          title: {da: "Området", en: "The area"}
          questions:
            - question: tilfreds_omraade
              charts: [shares, distribution]
              compare: true
              wording:
                positive: {da: "er tilfredse eller meget tilfredse", en: "are satisfied"}
            - question: omdoemme_grunde
              charts: [choices]
              base: {da: "dem, der mener ...", en: "those who think ..."}

Without one, :func:`default_spec` makes a report of every single-choice
question with a declared positive side, page by page. The texts of the
section are in the report languages (``da``, ``en``); a missing one falls back
to the questionnaire's default language.

:func:`check_report` is called by the questionnaire checker; :func:`build_report_spec`
by the builder once the file passed the check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import FrozenMap, Questionnaire, freeze

__all__ = [
    "CHART_KINDS",
    "WORDING_KEYS",
    "ReportItem",
    "ReportSection",
    "ReportSpec",
    "build_report_spec",
    "check_report",
    "default_spec",
]

#: Chart kinds a report question can ask for, and the question types each takes.
CHART_KINDS: Mapping[str, frozenset[str]] = {
    "shares": frozenset({"single"}),
    "distribution": frozenset({"single"}),
    "choices": frozenset({"multiple"}),
}
#: Phrases a report question may declare (each a text per report language).
WORDING_KEYS = ("positive", "neutral", "negative", "missing", "subject")
REPORT_KEYS = ("sections",)
REPORT_OPTIONAL = ("headline",)
SECTION_KEYS = ("id", "title", "questions")
ITEM_KEYS = ("question",)
ITEM_OPTIONAL = ("charts", "compare", "base", "wording")


@dataclass(frozen=True)
class ReportItem:
    """One question of the report: its charts, whether it is compared, its wording."""

    question: str
    charts: tuple[str, ...] = ("shares",)
    compare: bool = False
    base: Mapping[str, str] | None = None
    wording: Mapping[str, Mapping[str, str]] = FrozenMap({})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "question": self.question,
            "charts": list(self.charts),
            "compare": self.compare,
            "base": None if self.base is None else dict(self.base),
            "wording": {key: dict(value) for key, value in self.wording.items()},
        }


@dataclass(frozen=True)
class ReportSection:
    """A section of the report: a title and its questions in order."""

    id: str
    title: Mapping[str, str]
    items: tuple[ReportItem, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"id": self.id, "title": dict(self.title),
                "questions": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class ReportSpec:
    """The declared report: a headline question and sections."""

    headline: str | None
    sections: tuple[ReportSection, ...]
    declared: bool = True

    def items(self) -> tuple[ReportItem, ...]:
        """Every report question, in order."""
        return tuple(item for section in self.sections for item in section.items)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"headline": self.headline,
                "sections": [section.to_dict() for section in self.sections]}


Problem = Callable[[tuple, str], None]


def _report_text(value: Any, path: tuple, problem: Problem, languages: list[str]) -> None:
    if not isinstance(value, Mapping) or not value:
        problem(path, "expected a text: a mapping of language code to string such as "
                      "{da: ..., en: ...}")
        return
    for lang, string in value.items():
        if languages and lang not in languages:
            problem(path + (str(lang),), f"language {lang!r} is not declared in languages")
        elif not isinstance(string, str) or not string.strip():
            problem(path + (str(lang),), "expected a non-empty string")


def check_report(value: Any, problem: Problem, *, questions: Mapping[str, Any],
                 languages: list[str]) -> None:
    """Check a ``report:`` section, calling ``problem(path, message)`` for each problem.

    ``questions`` maps each question id of the file to an object with
    ``type`` and ``codes`` (None when unknown); ``languages`` are the declared
    language codes.
    """
    base: tuple = ("report",)
    if not isinstance(value, Mapping):
        problem(base, "expected a mapping with keys headline and sections")
        return
    for key in value:
        if key not in REPORT_KEYS + REPORT_OPTIONAL:
            problem(base + (str(key),), f"unknown key {key!r} in report (allowed: headline, "
                                        "sections)")
    if "sections" not in value:
        problem(base + ("sections",), "required key is missing from report")
    headline = value.get("headline")
    if headline is not None and headline not in questions:
        problem(base + ("headline",), f"unknown question {headline!r}")
    sections = value.get("sections", [])
    if not isinstance(sections, list) or not sections:
        problem(base + ("sections",), "expected a non-empty list of sections")
        return
    seen: set[str] = set()
    reported: set[str] = set()
    for s_index, section in enumerate(sections):
        path = base + ("sections", s_index)
        if not isinstance(section, Mapping):
            problem(path, "expected a section (a mapping with keys id, title, questions)")
            continue
        for key in SECTION_KEYS:
            if key not in section:
                problem(path + (key,), "required key is missing from a section")
        for key in section:
            if key not in SECTION_KEYS:
                problem(path + (str(key),), f"unknown key {key!r} in a section (allowed: "
                                            f"{', '.join(SECTION_KEYS)})")
        sid = section.get("id")
        if "id" in section:
            if not isinstance(sid, str) or not sid:
                problem(path + ("id",), "expected a section id (a string)")
            elif sid in seen:
                problem(path + ("id",), f"section id {sid!r} is used twice")
            else:
                seen.add(sid)
        if "title" in section:
            _report_text(section["title"], path + ("title",), problem, languages)
        items = section.get("questions", [])
        if not isinstance(items, list) or not items:
            problem(path + ("questions",), "expected a non-empty list of report questions")
            continue
        for i_index, item in enumerate(items):
            _check_item(item, path + ("questions", i_index), problem, questions, languages,
                        reported)
    if headline is not None and headline in questions and headline not in reported:
        problem(base + ("headline",), f"the headline question {headline!r} is in no section")


def _check_item(item: Any, path: tuple, problem: Problem, questions: Mapping[str, Any],
                languages: list[str], reported: set[str]) -> None:
    if not isinstance(item, Mapping):
        problem(path, "expected a report question (a mapping with key question)")
        return
    for key in item:
        if key not in ITEM_KEYS + ITEM_OPTIONAL:
            problem(path + (str(key),), f"unknown key {key!r} in a report question (allowed: "
                                        f"{', '.join(ITEM_KEYS + ITEM_OPTIONAL)})")
    qid = item.get("question")
    info = questions.get(qid) if isinstance(qid, str) else None
    if info is None:
        problem(path + ("question",), f"unknown question {qid!r}")
    else:
        if qid in reported:
            problem(path + ("question",), f"question {qid!r} is reported twice")
        reported.add(qid)
    charts = item.get("charts", ["shares"] if info is None or info.type != "multiple"
                      else ["choices"])
    if not isinstance(charts, list) or not charts:
        problem(path + ("charts",), "expected a non-empty list of chart kinds")
        charts = []
    for c_index, kind in enumerate(charts):
        if kind not in CHART_KINDS:
            problem(path + ("charts", c_index), f"unknown chart kind {kind!r} (kinds: "
                                                f"{', '.join(CHART_KINDS)})")
        elif info is not None and info.type not in CHART_KINDS[kind]:
            problem(path + ("charts", c_index), f"a {kind} chart needs a "
                                                f"{' or '.join(sorted(CHART_KINDS[kind]))} "
                                                f"question; {qid!r} is {info.type}")
    if "compare" in item and not isinstance(item["compare"], bool):
        problem(path + ("compare",), "expected true or false")
    if item.get("compare") and info is not None and info.type != "single":
        problem(path + ("compare",), f"only single-choice questions are compared; {qid!r} is "
                                     f"{info.type}")
    needs_positive = "shares" in charts or item.get("compare")
    if info is not None and info.type == "single" and needs_positive and not info.positive:
        problem(path + ("question",), f"{qid!r} has no positive side: declare positive: "
                                      "[codes] on the question or its choice list")
    if "base" in item:
        _report_text(item["base"], path + ("base",), problem, languages)
    wording = item.get("wording")
    if wording is not None:
        if not isinstance(wording, Mapping):
            problem(path + ("wording",), f"expected a mapping with keys {', '.join(WORDING_KEYS)}")
        else:
            for key, text in wording.items():
                if key not in WORDING_KEYS:
                    problem(path + ("wording", str(key)), f"unknown key {key!r} in wording "
                                                          f"(allowed: {', '.join(WORDING_KEYS)})")
                else:
                    _report_text(text, path + ("wording", key), problem, languages)


def build_report_spec(data: Mapping[str, Any] | None,
                      types: Mapping[str, str]) -> ReportSpec | None:
    """The report section of checked data, or None when the file declares none.

    ``types`` maps each question id to its type (for the default chart kind).
    """
    if not data:
        return None
    sections = []
    for section in data["sections"]:
        items = tuple(
            ReportItem(
                question=item["question"],
                charts=tuple(item.get("charts") or (
                    ["choices"] if types[item["question"]] == "multiple" else ["shares"])),
                compare=bool(item.get("compare", False)),
                base=freeze(item["base"]) if "base" in item else None,
                wording=freeze(item.get("wording") or {}),
            )
            for item in section["questions"]
        )
        sections.append(ReportSection(section["id"], freeze(section["title"]), items))
    return ReportSpec(headline=data.get("headline"), sections=tuple(sections))


def default_spec(questionnaire: Questionnaire) -> ReportSpec:
    """The report of a questionnaire without a ``report:`` section.

    One section per page holding a single-choice question with a declared
    positive side: a share chart and a comparison of each such question; the
    first of them is the headline.
    """
    sections = []
    for page in questionnaire.pages:
        items = tuple(
            ReportItem(question=q.id, charts=("shares",), compare=True)
            for q in page.questions
            if q.type == "single" and q.positive
        )
        if items:
            sections.append(ReportSection(page.id, page.title, items))
    headline = sections[0].items[0].question if sections else None
    return ReportSpec(headline=headline, sections=tuple(sections), declared=False)
