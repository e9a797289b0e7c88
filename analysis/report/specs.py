"""Which figures a report has: a list of figure specifications made from the questionnaire.

:func:`plan_figures` turns the questionnaire's ``report:`` section (or, without
one, :func:`questionnaires.report_spec.default_spec`) into
:class:`FigureSpec` objects, one per chart, in report order, and collects the
sentences that say why a question is left out (nobody was asked it) or not
compared (its wording or codes changed). :func:`disclosure_views` lists what
the figures publish of each question, for the disclosure plan of each wave.
No question id is written here: everything comes from the questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from questionnaires.report_spec import ReportItem, ReportSpec, default_spec

from .texts import text

__all__ = ["FigureSpec", "Plan", "SUFFIX", "disclosure_views", "label_text", "plan_figures"]

#: File-name suffix of each figure kind.
SUFFIX = {
    "shares": "andele",
    "distribution": "fordeling",
    "comparison": "udvikling",
    "choices": "svar",
    "trend": "tendens",
}


@dataclass(frozen=True)
class FigureSpec:
    """One chart of the report: its file name, kind and report question."""

    name: str
    kind: str
    item: ReportItem
    question: Any


@dataclass
class Plan:
    """The figures of a report and the sentences about questions left out."""

    figures: list[FigureSpec]
    omitted: list[str]
    not_comparable: list[str]


def label_text(texts, lang: str, default: str) -> str:
    """A text in ``lang``, else the questionnaire's default language, else any."""
    return texts.get(lang) or texts.get(default) or next(iter(texts.values()))


def report_spec(questionnaire) -> ReportSpec:
    """The declared report of a questionnaire, or the one made from its questions."""
    return questionnaire.report if questionnaire.report is not None else default_spec(questionnaire)


def _answered(data: pd.DataFrame, question) -> bool:
    if question.type == "multiple":
        columns = [f"{question.id}__{code}" for code in question.codes]
        return any(c in data.columns and data[c].notna().any() for c in columns)
    return question.id in data.columns and bool(data[question.id].notna().any())


def _comparable(question, earlier) -> bool:
    if earlier is None or not earlier.has_question(question.id):
        return False
    old = earlier.question(question.id)
    return old.codes == question.codes and dict(old.text) == dict(question.text)


def plan_figures(questionnaire, data, *, previous=None, previous_questionnaire=None,
                 earlier=(), lang="da") -> Plan:
    """The figures of a report, in order, and why any question is left out.

    Parameters
    ----------
    questionnaire : Questionnaire
        The wave's questionnaire; its ``report:`` section decides the figures.
    data : DataFrame
        The wave's responses.
    previous, previous_questionnaire : DataFrame, Questionnaire, optional
        The earlier wave compared with.
    earlier : sequence of (DataFrame, Questionnaire)
        Waves before ``previous``: a compared question that all of them asked
        in the same words also gets a trend over every wave.
    lang : {"da", "en"}
        Language of the sentences.

    Returns
    -------
    Plan
    """
    spec = report_spec(questionnaire)
    items = list(spec.items())
    if spec.headline is not None:
        items.sort(key=lambda item: item.question != spec.headline)
    figures: list[FigureSpec] = []
    omitted: list[str] = []
    not_comparable: list[str] = []
    first = previous_questionnaire.wave if previous_questionnaire is not None else None
    for item in items:
        question = questionnaire.question(item.question)
        wording = label_text(question.text, lang, questionnaire.default_language)
        if not _answered(data, question):
            omitted.append(text(lang, "followup_empty", question=wording, wave=questionnaire.wave))
            continue
        kinds = list(item.charts)
        if item.compare and previous is not None:
            if _comparable(question, previous_questionnaire) and _answered(previous, question):
                kinds.append("comparison")
                if earlier and all(_comparable(question, q) and _answered(d, question)
                                   for d, q in earlier):
                    kinds.append("trend")
            elif previous_questionnaire.has_question(question.id):
                not_comparable.append(
                    text(lang, "not_comparable", question=wording, first=first,
                         second=questionnaire.wave)
                )
            else:
                not_comparable.append(text(lang, "not_in_earlier", question=wording, first=first))
        for kind in kinds:
            name = f"fig{len(figures) + 1}_{question.id}_{SUFFIX[kind]}"
            figures.append(FigureSpec(name, kind, item, question))
    return Plan(figures, omitted, not_comparable)


def disclosure_views(figures: list[FigureSpec]) -> tuple[dict, dict]:
    """What the figures publish of each question, for the current and the earlier wave.

    Returns
    -------
    (dict, dict)
        ``{question id: [view, ...]}`` for :func:`analysis.tables.disclosure_plan`:
        ``None`` for a full distribution, a list of codes for a share.
    """
    current: dict[str, list] = {}
    previous: dict[str, list] = {}

    def add(views, key, view):
        views.setdefault(key, [])
        if view not in views[key]:
            views[key].append(view)

    for figure in figures:
        question = figure.question
        positive = list(question.positive)
        if figure.kind == "distribution":
            add(current, question.id, None)
            if positive:
                add(current, question.id, positive)
        elif figure.kind in ("shares", "comparison", "trend"):
            add(current, question.id, positive)
        if figure.kind in ("comparison", "trend"):
            add(previous, question.id, positive)
    return current, previous
