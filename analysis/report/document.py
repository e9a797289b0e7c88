"""The words and documents of the report: methods section, HTML, PDF and Word.

:func:`document` gathers everything the three versions print;
:func:`render_html`, :func:`write_pdf` and :func:`write_word` write them.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from .. import tables
from ..formatting import format_int, format_pct
from .compute import Context, area_list
from .texts import text
from .word import write_docx

__all__ = ["MANY_AREAS", "areas_text", "document", "method_paragraphs", "render_html",
           "write_pdf", "write_word"]

#: Above this many areas, the title and summary give their number, not their names.
MANY_AREAS = 6


def _date(value, lang: str) -> str:
    return value.strftime("%d.%m.%Y" if lang == "da" else "%d %b %Y")


def method_paragraphs(ctx: Context, weights, population, not_comparable) -> list[str]:
    """Weighting, base, fieldwork period, responses per area and response rates.

    ``population`` maps area ids to their number of residents (or None).
    """
    lang, data = ctx.lang, ctx.data
    paragraphs = [
        text(lang, "method_weighted", weights=weights) if weights
        else text(lang, "method_unweighted"),
        text(lang, "method_base"),
    ]
    submitted = pd.to_datetime(data["submitted_at"], utc=True, errors="coerce").dropna()
    if len(submitted):
        paragraphs.append(text(lang, "method_fieldwork", wave=ctx.second,
                               start=_date(submitted.min(), lang),
                               end=_date(submitted.max(), lang)))
    counts = data["area"].dropna().astype(str).value_counts()
    labels = tables.area_labels(ctx.questionnaire)
    entries = []
    for area in [a.id for a in ctx.questionnaire.areas if a.id in counts.index]:
        n = int(counts[area])
        shown = format_int(n, lang=lang) if n >= tables.K_DEFAULT else f"< {tables.K_DEFAULT}"
        if population and population.get(area):
            rate = format_pct(n / population[area], lang=lang)
            entries.append(text(lang, "method_rate", area=labels.get(area, area), n=shown,
                                population=format_int(population[area], lang=lang),
                                rate=rate))
        else:
            entries.append(f"{labels.get(area, area)} {shown}")
    paragraphs.append(text(lang, "method_per_area", wave=ctx.second,
                           areas=area_list(entries, lang)))
    if not_comparable:
        paragraphs.extend(not_comparable)
    return paragraphs


# --- writing ------------------------------------------------------------------------------------


def document(
    *, figures, summary, questionnaire, area_labels, lang, min_n, synthetic, now, sha, method
) -> dict[str, Any]:
    """Everything the HTML, PDF and Word versions print, in the report language."""
    try:
        version = metadata.version("beboer")
    except metadata.PackageNotFoundError:
        version = "?"
    texts = {key: text(lang, key) for key in ("summary", "figure", "question", "method")}
    rendered_figures = []
    for figure in figures:
        rendered_figures.append(
            {
                "name": figure.name,
                "title": figure.title,
                "question": figure.question,
                "base": figure.base,
                "note": figure.note,
                "caveat": figure.caveat,
                "data_uri": figure.embedded,
                "png": figure.png,
                "table": {
                    "columns": list(figure.display.columns),
                    "rows": figure.display.astype(str).values.tolist(),
                },
                "has_suppressed": bool(figure.table.get("suppressed", pd.Series(dtype=bool)).any()),
                "has_small_base": any(
                    tables.SMALL_BASE_MARK in str(cell)
                    for cell in figure.display.to_numpy().ravel()
                ),
            }
        )
    title = text(lang, "report_title", wave=questionnaire.wave)
    return dict(
        lang=lang,
        title=title,
        subtitle=text(lang, "report_subtitle", areas=areas_text(area_labels, lang)),
        synthetic=synthetic,
        synthetic_banner=text(lang, "synthetic"),
        synthetic_long=text(lang, "synthetic_long"),
        t=texts,
        summary=summary,
        figures=rendered_figures,
        suppressed_note=text(lang, "suppressed_note", min_n=min_n, k=tables.K_DEFAULT),
        method_text=text(lang, "method_text", k=tables.K_DEFAULT, min_n=min_n),
        method=method,
        small_base_warning=text(lang, "small_base_warning"),
        generated=text(
            lang, "generated", time=now.strftime("%Y-%m-%d %H:%M UTC"), version=version, sha=sha
        ),
    )


def areas_text(labels: Sequence[str], lang: str) -> str:
    """The areas by name, or their number when there are many."""
    if len(labels) > MANY_AREAS:
        return text(lang, "areas_many", n=len(labels))
    return area_list(labels, lang)


def render_html(document: dict[str, Any]) -> str:
    """The report as self-contained HTML."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("analysis.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    return environment.get_template("report.html").render(**document)


def write_word(document: dict[str, Any], path: Path) -> None:
    """The report as ``report.docx``."""
    write_docx(
        path,
        title=document["title"],
        subtitle=document["subtitle"],
        synthetic_text=document["synthetic_long"] if document["synthetic"] else None,
        summary_heading=document["t"]["summary"],
        summary=document["summary"],
        figures=[
            dict(figure, columns=figure["table"]["columns"], rows=figure["table"]["rows"])
            for figure in document["figures"]
        ],
        figure_word=document["t"]["figure"],
        question_word=document["t"]["question"],
        method_heading=document["t"]["method"],
        method=[document["method_text"], *document["method"]],
        notes={"suppressed": document["suppressed_note"],
               "small_base": document["small_base_warning"]},
        generated=document["generated"],
    )


def write_pdf(html: str, path: Path) -> None:
    """The HTML report printed to PDF (A4) with WeasyPrint."""
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(path))
