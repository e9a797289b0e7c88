"""Build the annual report: charts, tables, ``report.html``, ``.pdf``, ``.docx``, ``manifest.json``.

:func:`build_report` computes every table through the analysis API
(:mod:`analysis.tables`), draws each chart from its table
(:mod:`analysis.charts`), writes the files into one folder and records them,
with their SHA-256 and size, in ``manifest.json``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .. import charts, tables
from ..demo import is_synthetic
from ..formatting import format_int
from .compute import COMPUTE, Computed, Context
from .document import (
    areas_text,
    document,
    method_paragraphs,
    render_html,
    write_pdf,
    write_word,
)
from .render import RENDERERS, split
from .specs import disclosure_views, plan_figures
from .texts import text

__all__ = ["build_report", "data_sha256", "FIGURE_FORMATS", "TABLE_FORMATS"]

FIGURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "xlsx")
_PACKAGES = (
    "beboer",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "Babel",
    "weasyprint",
    "Jinja2",
    "openpyxl",
    "SQLAlchemy",
)

Progress = Callable[[int, int, str], None]


@dataclass
class _Figure:  # one chart with its table, texts and files
    name: str
    title: str
    question: str
    base: str
    note: str
    figure: Any
    table: pd.DataFrame
    display: pd.DataFrame
    caveat: str | None = None
    kind: str = "shares"
    files: list[Path] = field(default_factory=list)
    embedded: str = ""
    png: bytes = b""


def data_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a response frame, independent of row order.

    Parameters
    ----------
    frame : DataFrame
        Responses with an ``id`` column.

    Returns
    -------
    str
        Hex digest of the frame's CSV form, rows sorted by ``id``.
    """
    ordered = frame.sort_values("id", kind="stable") if "id" in frame.columns else frame
    payload = ordered.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _check_arguments(data_current, questionnaire, previous, previous_questionnaire, lang, min_n):
    if lang not in ("da", "en"):
        raise ValueError(f"unknown report language {lang!r}; choose da or en")
    if not isinstance(min_n, int) or min_n < tables.K_DEFAULT:
        raise ValueError(f"min_n must be an integer of at least {tables.K_DEFAULT}, got {min_n!r}")
    if data_current is None or len(data_current) == 0:
        raise ValueError(f"no responses to report on for {questionnaire.id}")
    if previous is not None and previous_questionnaire is None:
        raise ValueError("previous needs previous_questionnaire")
    if previous is not None and len(previous) == 0:
        raise ValueError(f"no responses in the earlier wave ({previous_questionnaire.id})")
    if previous is not None:
        common = set(data_current["area"].dropna().astype(str)) & set(
            previous["area"].dropna().astype(str)
        )
        if not common:
            raise ValueError(
                f"waves {previous_questionnaire.wave} and {questionnaire.wave} have no areas "
                "in common: nothing to compare"
            )


def build_report(
    data_current: pd.DataFrame,
    questionnaire,
    *,
    previous: pd.DataFrame | None = None,
    previous_questionnaire=None,
    earlier: Sequence[tuple[pd.DataFrame, Any]] = (),
    out_dir: str | Path,
    lang: str = "da",
    min_n: int = 10,
    progress: Progress | None = None,
    source: str | None = None,
    weights: str | None = None,
    population: Mapping[str, int] | None = None,
    weighting_note: str | None = None,
) -> dict[str, Any]:
    """Write the annual report of one wave, optionally compared with an earlier wave.

    The figures are those the questionnaire's ``report:`` section declares
    (or, without one, a share and a comparison of every question with a
    declared positive side). Every table is computed first, under one
    disclosure plan per wave; then each figure is drawn by the renderer of its
    kind and split into parts that fit an A4 page.

    Parameters
    ----------
    data_current : DataFrame
        Responses of the wave reported on, as :func:`analysis.load_responses` gives them.
    questionnaire : Questionnaire
        The wave's questionnaire (wording, labels, areas, the report section).
    previous : DataFrame, optional
        Responses of the earlier wave; adds the comparisons on the common areas.
    previous_questionnaire : Questionnaire, optional
        The earlier wave's questionnaire (required with ``previous``).
    earlier : sequence of (DataFrame, Questionnaire), optional
        Waves before ``previous``, oldest first: adds a trend over every wave
        on the areas they all share, for each compared question.
    out_dir : str or Path
        Folder to write into (created when missing).
    lang : {"da", "en"}
        Report language.
    min_n : int
        Smallest base for which a share is shown (at least 5).
    progress : callable, optional
        Called as ``progress(done, total, step)`` after each step.
    source : str, optional
        Description of where the data came from, recorded in the manifest.
    weights : str, optional
        Name of a weights column in every wave's data: shares, comparisons
        and trends are weighted (:func:`analysis.estimate`), disclosure
        control still counts respondents, and the methods section says so.
    population : mapping of area id to int, optional
        Residents (or households) per area; the methods section then gives
        the response rate of each area.
    weighting_note : str, optional
        Sentences on how the weights were made (``--weights population``),
        added to the methods section.

    Returns
    -------
    dict
        The manifest, also written as ``manifest.json``: input hashes,
        questionnaire ids and versions, parameters, package versions, time and
        every file written with its SHA-256 and size.

    Raises
    ------
    ValueError
        No responses, an unknown language, ``min_n`` below 5, ``previous``
        without ``previous_questionnaire``, or two waves without common areas.
    """
    _check_arguments(data_current, questionnaire, previous, previous_questionnaire, lang, min_n)
    out = Path(out_dir)
    (out / "figurer").mkdir(parents=True, exist_ok=True)
    (out / "tabeller").mkdir(parents=True, exist_ok=True)
    frames = [data_current] + ([previous] if previous is not None else [])
    synthetic = any(bool(is_synthetic(frame["id"]).any()) for frame in frames)
    wave = questionnaire.wave
    first = previous_questionnaire.wave if previous_questionnaire is not None else None
    earlier = [(d, q) for d, q in earlier if d is not None and len(d)]
    if earlier and previous is None:
        raise ValueError("earlier waves need previous and previous_questionnaire")
    plan = plan_figures(questionnaire, data_current, previous=previous,
                        previous_questionnaire=previous_questionnaire, earlier=earlier,
                        lang=lang)
    shared = _shared_areas([data_current] + ([previous] if previous is not None else [])
                           + [d for d, _q in earlier])
    if earlier and not shared:
        plan.figures = [f for f in plan.figures if f.kind != "trend"]
    merges = _merges(data_current, previous, plan.figures, min_n)
    trend = shared if any(f.kind == "trend" for f in plan.figures) else None
    plans = _disclosure_plans(data_current, previous, plan.figures, min_n, merges, trend)
    earlier_plans = [
        (d, q, _earlier_plan(d, shared, plan.figures, min_n)) for d, q in earlier
    ] if trend else []
    ctx = Context(data=data_current, questionnaire=questionnaire, previous=previous,
                  previous_questionnaire=previous_questionnaire, lang=lang, min_n=min_n,
                  plans=plans, merges=merges, earlier=earlier_plans, shared=shared,
                  weights=weights)
    computed = [COMPUTE[spec.kind](spec, ctx) for spec in plan.figures]
    ctx.summary.extend(plan.omitted)
    ctx.summary.extend(plan.not_comparable)
    total_steps = len(computed) + 3
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total_steps, label)

    figures: list[_Figure] = []
    for item in computed:
        for figure in _draw(item, ctx, synthetic):
            figure.files = _save_figure(figure, out / "figurer" / figure.name)
            figure.embedded = _embedded_svg(figure.figure)
            figure.png = _png(figure.figure)
            figure.files += tables.write_table(figure.table, out / "tabeller" / figure.name)
            figures.append(figure)
        step(item.spec.name)

    present = set(data_current["area"].dropna().astype(str))
    area_labels = [area.label for area in questionnaire.areas if area.id in present]
    summary = [text(lang, "respondents", n=format_int(len(data_current), lang=lang),
                    areas=areas_text(area_labels, lang)), *ctx.summary]
    now = datetime.now(UTC)
    input_hashes = {str(wave): data_sha256(data_current)}
    if previous is not None:
        input_hashes[str(first)] = data_sha256(previous)
    for frame, earlier_questionnaire in earlier:
        input_hashes[str(earlier_questionnaire.wave)] = data_sha256(frame)
    combined = hashlib.sha256("".join(sorted(input_hashes.values())).encode()).hexdigest()
    method = method_paragraphs(ctx, weights, population, plan.not_comparable)
    if weighting_note:  # says how the weights were made, instead of naming their column
        method[0] = weighting_note
    contents = document(
        figures=figures,
        summary=summary,
        questionnaire=questionnaire,
        area_labels=area_labels,
        lang=lang,
        min_n=min_n,
        synthetic=synthetic,
        now=now,
        sha=combined,
        method=method,
    )
    html = render_html(contents)
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    step("report.html")
    pdf_path = out / "report.pdf"
    write_pdf(html, pdf_path)
    step("report.pdf")
    docx_path = out / "report.docx"
    write_word(contents, docx_path)

    written = [f for figure in figures for f in figure.files] + [html_path, pdf_path, docx_path]
    manifest = {
        "created_at": now.isoformat(timespec="seconds"),
        "synthetic": synthetic,
        "source": source,
        "input_sha256": input_hashes,
        "input_rows": {str(wave): len(data_current)}
        | ({str(first): len(previous)} if previous is not None else {})
        | {str(q.wave): len(d) for d, q in earlier},
        "questionnaires": [
            {"id": q.id, "version": q.version, "wave": q.wave, "sha256": q.source_sha256}
            for q in [questionnaire, previous_questionnaire, *[q for _d, q in earlier]]
            if q is not None
        ],
        "parameters": {
            "wave": wave,
            "compare": first,
            "trend": [q.wave for _d, q in earlier] + ([first, wave] if earlier else []),
            "lang": lang,
            "min_n": min_n,
            "k": tables.K_DEFAULT,
            "alpha": 0.05,
            "interval": "wilson",
            "difference_interval": "newcombe",
            "multiple_comparisons": "holm",
            "weights": weights,
            "report_section": "declared" if questionnaire.report is not None else "default",
        },
        "packages": _package_versions(),
        "figures": [
            {"name": f.name, "kind": f.kind, "title": f.title, "question": f.question,
             "base": f.base}
            for f in figures
        ],
        "omitted": plan.omitted,
        "not_comparable": plan.not_comparable,
        "files": [
            {
                "path": path.relative_to(out).as_posix(),
                "sha256": _file_sha256(path),
                "bytes": path.stat().st_size,
            }
            for path in written
        ],
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    step("manifest.json")
    return manifest


def _merges(data, previous, figures, min_n) -> dict[str, list]:
    """Sparse sides to merge in each distribution, where merging hides less."""
    views, _previous_views = disclosure_views(figures)
    common = None
    if previous is not None:
        common = sorted(
            set(data["area"].dropna().astype(str)) & set(previous["area"].dropna().astype(str))
        )
    return {
        spec.question.id: tables.choose_merges(
            data, spec.question.id, views[spec.question.id],
            [spec.question.sides()["positive"], spec.question.sides()["negative"]],
            common=common, min_n=min_n,
        )
        for spec in figures
        if spec.kind == "distribution"
    }


def _shared_areas(frames) -> list[str]:
    """The areas every frame has answers from."""
    sets = [set(frame["area"].dropna().astype(str)) for frame in frames]
    return sorted(set.intersection(*sets)) if sets else []


def _earlier_plan(data, shared, figures, min_n):
    """The disclosure plan of a wave before the compared one: its shared areas' totals."""
    _views, previous_views = disclosure_views([f for f in figures if f.kind == "trend"])
    in_shared = data[data["area"].astype("string").isin(shared).fillna(False)]
    return tables.disclosure_plan(in_shared, previous_views, k=tables.K_DEFAULT, min_n=min_n)


def _disclosure_plans(data, previous, figures, min_n, merges, trend=None) -> dict[str, Any]:
    """One disclosure plan per wave covering every table, chart and sentence of the report.

    The current wave publishes totals over all its areas and, with a
    comparison, over the areas common to both waves; the earlier wave only
    its common areas and their total.
    """
    views, previous_views = disclosure_views(figures)
    common = None
    if previous is not None:
        common = sorted(
            set(data["area"].dropna().astype(str)) & set(previous["area"].dropna().astype(str))
        )
    plans = {}
    if views:
        plans["current"] = tables.disclosure_plan(
            data, views, common=common, k=tables.K_DEFAULT, min_n=min_n, merge=merges,
            trend=trend,
        )
    if previous_views:
        in_common = previous[previous["area"].astype("string").isin(common).fillna(False)]
        plans["previous"] = tables.disclosure_plan(
            in_common, previous_views, common=common, k=tables.K_DEFAULT, min_n=min_n,
            trend=trend,
        )
    return plans


def _draw(item: Computed, ctx: Context, synthetic: bool) -> list[_Figure]:
    """Draw one computed figure, in as many parts as fit A4 pages."""
    parts = split(item)
    question = ctx.wording(item.spec.question)
    figures = []
    for index, part in enumerate(parts, start=1):
        name, title = item.spec.name, item.title
        if len(parts) > 1:
            name = f"{name}_del{index}"
            key = "part_first" if index == 1 else "continued"
            title = f"{title} {text(ctx.lang, key, part=index, parts=len(parts))}"
        fig = RENDERERS[item.spec.kind](item, part, ctx)
        charts.finish_figure(fig, title=title, question=question,
                             note=f"{item.base}. {item.note}", synthetic=synthetic,
                             lang=ctx.lang)
        waves = (ctx.first, ctx.second) if item.display_kind == "comparison" else ("1", "2")
        display = tables.display_table(part, kind=item.display_kind, lang=ctx.lang,
                                       first=waves[0], second=waves[1])
        figures.append(_Figure(name=name, title=title, question=question, base=item.base,
                               note=item.note, figure=fig, table=part, display=display,
                               caveat=item.caveat, kind=item.spec.kind))
    return figures


def _save_figure(figure: _Figure, stem: Path) -> list[Path]:
    paths = []
    for suffix in FIGURE_FORMATS:
        path = stem.with_suffix(f".{suffix}")
        figure.figure.savefig(
            path, dpi=300 if suffix == "png" else None, metadata={"Title": figure.title}
        )
        paths.append(path)
    return paths


def _png(fig) -> bytes:
    """The chart without its title and caption as PNG (for the Word report)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, bbox_inches="tight", pad_inches=0.05)
    return buffer.getvalue()


def _embedded_svg(fig) -> str:
    """The chart without its title and caption (the report prints them), as a data URI."""
    charts.strip_captions(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
