"""The codebook of a questionnaire's export: every variable a researcher finds in the file.

For each column of the export (:mod:`survey.export`): its name, type and SPSS
measurement level, the question text in every language, the codes with their
labels and counts, the missing codes, the condition under which the question
is asked, in words, and how many responses answered it. Written as HTML or,
through WeasyPrint, as PDF. Counts of 1 to 4 are shown as "< 5".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from flask import current_app

from . import statfiles

__all__ = ["describe_condition", "entries", "render_html", "write_codebook", "SMALL"]

#: Counts below this (and above zero) are shown as "< SMALL".
SMALL = 5

WORDS = {
    "da": {
        "asked_if": "Stilles kun hvis",
        "always": "Stilles altid",
        "is": "er",
        "includes": "omfatter",
        "or": "eller",
        "and": "og",
        "not": "ikke",
        "answered": "er besvaret",
        "unanswered": "ikke er besvaret",
    },
    "en": {
        "asked_if": "Asked only if",
        "always": "Always asked",
        "is": "is",
        "includes": "includes",
        "or": "or",
        "and": "and",
        "not": "not",
        "answered": "is answered",
        "unanswered": "is not answered",
    },
}
TYPES = {
    "da": {"single": "ét svar", "multiple": "flere svar (0/1 pr. mulighed)", "number": "tal",
           "short_text": "tekst", "long_text": "tekst", "text": "tekst", "meta": "baggrund"},
    "en": {"single": "single choice", "multiple": "multiple choice (0/1 per option)",
           "number": "number", "short_text": "text", "long_text": "text", "text": "text",
           "meta": "background"},
}


def _words(lang: str) -> Mapping[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _text(text: Mapping[str, str] | None, lang: str, default: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text.get(default) or ""


def _clause(condition: Mapping[str, Any], questionnaire: Any, lang: str) -> str:
    words = _words(lang)
    default = questionnaire.default_language
    if "all" in condition or "any" in condition:
        joiner = words["and"] if "all" in condition else words["or"]
        inner = condition.get("all", condition.get("any"))
        parts = [_clause(c, questionnaire, lang) for c in inner]
        return "(" + f" {joiner} ".join(parts) + ")" if len(parts) > 1 else parts[0]
    if "not" in condition:
        return f"{words['not']} ({_clause(condition['not'], questionnaire, lang)})"
    question = questionnaire.question(condition["question"])
    name = f"{question.id} («{_text(question.text, lang, default)}»)"
    if "answered" in condition:
        return f"{name} {words['answered'] if condition['answered'] else words['unanswered']}"
    labels = []
    for code in condition["in"]:
        try:
            label = _text(question.choice(code).label, lang, default)
        except KeyError:
            label = code
        labels.append(f"{code} «{label}»")
    verb = words["includes"] if question.type == "multiple" else words["is"]
    return f"{name} {verb} " + f" {words['or']} ".join(labels)


def describe_condition(condition: Mapping[str, Any] | None, questionnaire: Any, lang: str) -> str:
    """A ``show_if`` condition in words, in Danish or English (other languages: English).

    Examples
    --------
    >>> import questionnaires
    >>> q = questionnaires.load("beboerundersoegelse-2016")
    >>> describe_condition(q.question("flytte_grund").show_if, q, "en")[:40]
    'Asked only if flytteoenske («Would you l'
    >>> describe_condition(q.question("flytte_grund").show_if, q, "da")[-9:]
    'er 1 «Ja»'
    """
    words = _words(lang)
    if condition is None:
        return words["always"]
    return f"{words['asked_if']} {_clause(condition, questionnaire, lang)}"


def _count(value: int) -> str:
    return f"< {SMALL}" if 0 < value < SMALL else str(value)


def entries(questionnaire: Any, frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """One dict per export variable with what the codebook shows about it."""
    default = questionnaire.default_language
    types = TYPES.get(lang, TYPES["en"])
    out = []
    for question in questionnaire.questions():
        texts = [
            {"lang": code, "dir": questionnaire.direction(code), "text": question.text.get(code)}
            for code in questionnaire.languages
        ]
        missing = statfiles.missing_codes(question)
        base = {
            "question": question.id,
            "type": types.get(question.type, question.type),
            "texts": texts,
            "condition": describe_condition(question.show_if, questionnaire, lang),
            "missing": missing,
        }
        if question.type == "multiple":
            columns = [f"{question.id}__{code}" for code in question.codes]
            answered = int(frame[columns].notna().any(axis=1).sum()) if len(frame) else 0
            codes = [
                {
                    "code": choice.code,
                    "variable": column,
                    "label": _text(choice.label, lang, default),
                    "missing": choice.code in missing,
                    "count": _count(int((frame[column] == 1).sum())),
                }
                for choice, column in zip(question.choices, columns, strict=True)
            ]
            out.append({**base, "variables": columns, "measure": "nominal",
                        "answered": _count(answered), "codes": codes})
            continue
        values = frame[question.id]
        codes = [
            {
                "code": choice.code,
                "variable": question.id,
                "label": _text(choice.label, lang, default),
                "missing": choice.code in missing,
                "count": _count(int((values == choice.code).sum())),
            }
            for choice in question.choices
        ]
        out.append({**base, "variables": [question.id], "measure": statfiles.measure(question),
                    "answered": _count(int(values.notna().sum())), "codes": codes})
    return out


def render_html(questionnaire: Any, frame: pd.DataFrame, lang: str) -> str:
    """The codebook as a standalone HTML page (needs an app context for the template)."""
    lang = statfiles.label_language(questionnaire, lang)
    # the app's template loader, without the request-bound context processors
    return current_app.jinja_env.get_template("codebook.html").render(
        questionnaire=questionnaire,
        title=_text(questionnaire.title, lang, questionnaire.default_language),
        lang=lang,
        english=lang != "da",
        responses=len(frame),
        variables=entries(questionnaire, frame, lang),
        meta=statfiles.META_LABELS.get(lang, statfiles.META_LABELS["en"]),
        areas=[(area.id, area.label) for area in questionnaire.areas],
    )


def write_codebook(questionnaire: Any, frame: pd.DataFrame, path: str | Path, lang: str) -> None:
    """Write the codebook to ``path``: HTML for ``.html``, PDF for ``.pdf``.

    Raises
    ------
    ValueError
        For another suffix or a language the questionnaire lacks.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".pdf"):
        raise ValueError(f"the codebook is written as .html or .pdf, not {path.name!r}")
    html = render_html(questionnaire, frame, lang)
    if suffix == ".html":
        path.write_text(html, encoding="utf-8")
        return
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(path))
