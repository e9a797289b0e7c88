"""Build the annual report: charts, tables, ``report.html``, ``report.pdf``, ``manifest.json``.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import jinja2  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .. import charts, tables  # noqa: E402
from ..demo import is_synthetic  # noqa: E402
from ..formatting import (  # noqa: E402
    NBSP,
    format_ci,
    format_int,
    format_n,
    format_pct,
    format_pp,
)
from .texts import text  # noqa: E402

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


class _Caveat(str):
    """A summary line that warns (rendered as a caveat box)."""

    is_caveat = True


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
    files: list[Path] = field(default_factory=list)
    embedded: str = ""


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


def _question_text(questionnaire, item: str, lang: str) -> str:
    texts = questionnaire.question(item).text
    return texts.get(lang) or texts[questionnaire.default_language]


def _scale_sides(question) -> dict[str, list[str]]:
    """Positive, neutral, negative and missing codes of a scale question."""
    substantive = [c.code for c in question.choices if not c.missing]
    missing = [c.code for c in question.choices if c.missing]
    half = len(substantive) // 2
    neutral = [substantive[half]] if len(substantive) % 2 else []
    return {
        "positive": substantive[:half],
        "neutral": neutral,
        "negative": substantive[len(substantive) - half :],
        "missing": missing,
    }


def _area_list(labels: Sequence[str], lang: str) -> str:
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + f" {text(lang, 'and')} " + labels[-1]


def _has(questionnaire, item: str, data: pd.DataFrame, multiple: bool = False) -> bool:
    if not questionnaire.has_question(item):
        return False
    if multiple:
        return any(column.startswith(f"{item}__") for column in data.columns)
    return item in data.columns and data[item].notna().any()


def _total_row(table: pd.DataFrame) -> pd.Series:
    return table.iloc[-1]


def build_report(
    data_current: pd.DataFrame,
    questionnaire,
    *,
    previous: pd.DataFrame | None = None,
    previous_questionnaire=None,
    out_dir: str | Path,
    lang: str = "da",
    min_n: int = 10,
    progress: Progress | None = None,
    source: str | None = None,
    weights: str | None = None,
    weighting_note: str | None = None,
) -> dict[str, Any]:
    """Write the annual report of one wave, optionally compared with an earlier wave.

    Parameters
    ----------
    data_current : DataFrame
        Responses of the wave reported on, as :func:`analysis.load_responses` gives them.
    questionnaire : Questionnaire
        The wave's questionnaire (wording, labels, areas).
    previous : DataFrame, optional
        Responses of the earlier wave; adds the comparisons on the common areas.
    previous_questionnaire : Questionnaire, optional
        The earlier wave's questionnaire (required with ``previous``).
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
        Column of ``data_current`` with weights (``--weights population``); the
        shares by area and in total are weighted.
    weighting_note : str, optional
        Sentences on the weighting appended to the methods section.

    Returns
    -------
    dict
        The manifest, also written as ``manifest.json``: input hashes,
        questionnaire ids and versions, parameters, package versions, time and
        every file written with its SHA-256 and size.

    Raises
    ------
    ValueError
        No responses, an unknown language, ``min_n`` below 5, or ``previous``
        without ``previous_questionnaire``.
    """
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

    out = Path(out_dir)
    (out / "figurer").mkdir(parents=True, exist_ok=True)
    (out / "tabeller").mkdir(parents=True, exist_ok=True)
    frames = [data_current] + ([previous] if previous is not None else [])
    synthetic = any(bool(is_synthetic(frame["id"]).any()) for frame in frames)
    wave = questionnaire.wave
    first = previous_questionnaire.wave if previous_questionnaire is not None else None
    plan = _plan(data_current, questionnaire, previous)
    plans = _disclosure_plans(data_current, questionnaire, previous, plan, min_n)
    total_steps = len(plan) + 3
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total_steps, label)

    ctx = _Context(
        data=data_current,
        questionnaire=questionnaire,
        previous=previous,
        previous_questionnaire=previous_questionnaire,
        first=first,
        second=wave,
        lang=lang,
        min_n=min_n,
        synthetic=synthetic,
        plans=plans,
        weights=weights,
    )
    summary = ctx.summary
    figures: list[_Figure] = []
    for name, maker in plan:
        figure = maker(name, ctx)
        figure.files = _save_figure(figure, out / "figurer" / name)
        figure.embedded = _embedded_svg(figure.figure)
        figure.files += tables.write_table(figure.table, out / "tabeller" / name)
        plt.close(figure.figure)
        figures.append(figure)
        step(name)

    area_labels = [
        area.label
        for area in questionnaire.areas
        if area.id in set(data_current["area"].dropna().astype(str))
    ]
    summary.insert(
        0,
        text(
            lang,
            "respondents",
            n=format_int(len(data_current), lang=lang),
            areas=_area_list(area_labels, lang),
        ),
    )
    now = datetime.now(UTC)
    input_hashes = {str(wave): data_sha256(data_current)}
    if previous is not None:
        input_hashes[str(first)] = data_sha256(previous)
    combined = hashlib.sha256("".join(sorted(input_hashes.values())).encode()).hexdigest()
    html = _render_html(
        figures=figures,
        summary=summary,
        questionnaire=questionnaire,
        area_labels=area_labels,
        lang=lang,
        min_n=min_n,
        synthetic=synthetic,
        now=now,
        sha=combined,
        weighting_note=weighting_note,
    )
    html_path = out / "report.html"
    html_path.write_text(html, encoding="utf-8")
    step("report.html")
    pdf_path = out / "report.pdf"
    _write_pdf(html, pdf_path)
    step("report.pdf")

    written = [f for figure in figures for f in figure.files] + [html_path, pdf_path]
    manifest = {
        "created_at": now.isoformat(timespec="seconds"),
        "synthetic": synthetic,
        "source": source,
        "input_sha256": input_hashes,
        "input_rows": {str(wave): len(data_current)}
        | ({str(first): len(previous)} if previous is not None else {}),
        "questionnaires": [
            {"id": q.id, "version": q.version, "wave": q.wave, "sha256": q.source_sha256}
            for q in [questionnaire, previous_questionnaire]
            if q is not None
        ],
        "parameters": {
            "wave": wave,
            "compare": first,
            "lang": lang,
            "min_n": min_n,
            "k": tables.K_DEFAULT,
            "alpha": 0.05,
            "interval": "wilson",
            "difference_interval": "newcombe",
            "weights": weights,
        },
        "packages": _package_versions(),
        "figures": [
            {"name": f.name, "title": f.title, "question": f.question, "base": f.base}
            for f in figures
        ],
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


# --- disclosure control, planned once for every table ------------------------------------------

#: What each figure publishes of its item: None the full distribution, else a share's codes.
_VIEWS = {
    "fig1_tilfredshed_omraade": ("tilfreds_omraade", "positive"),
    "fig2_fordeling_tilfredshed": ("tilfreds_omraade", None),
    "fig3_tilfredshed_2_runder": ("tilfreds_omraade", "positive"),
    "fig4_daarligt_omdoemme": ("daarligt_omdoemme", "yes"),
    "fig5_omdoemme_2_runder": ("daarligt_omdoemme", "yes"),
    "fig7_tryghed_efter_moerke": ("tryg_efter_moerke", None),
}
#: Figures that compare the waves (the only ones made from the earlier wave).
_COMPARISONS = {"fig3_tilfredshed_2_runder", "fig5_omdoemme_2_runder"}


def _positive_codes(questionnaire, item: str, kind: str) -> list[str]:
    if kind == "yes":
        return [questionnaire.question(item).choices[0].code]
    return _scale_sides(questionnaire.question(item))["positive"]


def _disclosure_plans(data, questionnaire, previous, plan, min_n) -> dict[str, Any]:
    """One disclosure plan per wave covering every table, chart and sentence of the report.

    The current wave publishes totals over all its areas and, with a
    comparison, over the areas common to both waves; the earlier wave only
    its common areas and their total.
    """
    names = {name for name, _maker in plan}
    views: dict[str, list] = {}
    previous_views: dict[str, list] = {}
    for name in names & set(_VIEWS):
        item, kind = _VIEWS[name]
        view = None if kind is None else _positive_codes(questionnaire, item, kind)
        views.setdefault(item, [])
        if view not in views[item]:
            views[item].append(view)
        if name in _COMPARISONS:
            previous_views.setdefault(item, [view])
    if "fig7_tryghed_efter_moerke" in names:  # its title and sentence give the share of "tryg"
        views["tryg_efter_moerke"].append(
            _positive_codes(questionnaire, "tryg_efter_moerke", "positive")
        )
    common = None
    if previous is not None:
        common = sorted(
            set(data["area"].dropna().astype(str)) & set(previous["area"].dropna().astype(str))
        )
    plans = {
        "current": tables.disclosure_plan(
            data, views, common=common, k=tables.K_DEFAULT, min_n=min_n
        )
    }
    if previous_views:
        in_common = previous[previous["area"].astype("string").isin(common).fillna(False)]
        plans["previous"] = tables.disclosure_plan(
            in_common, previous_views, common=common, k=tables.K_DEFAULT, min_n=min_n
        )
    return plans


# --- the figures ------------------------------------------------------------------------------


def _plan(data, questionnaire, previous) -> list[tuple[str, Callable[[str, Any], _Figure]]]:
    plan: list[tuple[str, Callable[[str, Any], _Figure]]] = []
    if _has(questionnaire, "tilfreds_omraade", data):
        plan.append(("fig1_tilfredshed_omraade", _fig_satisfaction))
        plan.append(("fig2_fordeling_tilfredshed", _fig_distribution))
        if previous is not None and "tilfreds_omraade" in previous.columns:
            plan.append(("fig3_tilfredshed_2_runder", _fig_change))
    if _has(questionnaire, "daarligt_omdoemme", data):
        plan.append(("fig4_daarligt_omdoemme", _fig_reputation))
        if previous is not None and "daarligt_omdoemme" in previous.columns:
            plan.append(("fig5_omdoemme_2_runder", _fig_reputation_change))
        if _has(questionnaire, "omdoemme_grunde", data, multiple=True):
            plan.append(("fig6_omdoemme_grunde", _fig_reasons))
    if _has(questionnaire, "tryg_efter_moerke", data):
        plan.append(("fig7_tryghed_efter_moerke", _fig_safety))
    if not plan:
        raise ValueError(
            f"{questionnaire.id} has none of the report's questions (tilfreds_omraade, "
            "daarligt_omdoemme, tryg_efter_moerke)"
        )
    return plan


def _n_text(n, lang) -> str:
    """``n = 590``, or ``n = ×`` (the tables' suppression mark) where the base is hidden."""
    if pd.isna(n):
        return f"n{NBSP}={NBSP}{tables.MARK}"
    return format_n(n, lang=lang)


def _base_text(n, lang) -> str:
    return f"{text(lang, 'base')}: {_n_text(n, lang)}"


@dataclass
class _Context:  # what every figure is made from, and the summary it adds to
    data: pd.DataFrame
    questionnaire: Any
    previous: pd.DataFrame | None
    previous_questionnaire: Any
    first: int | None
    second: int
    lang: str
    min_n: int
    synthetic: bool
    plans: dict[str, Any]
    summary: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    weights: str | None = None

    def shares(self, item: str, positive: Sequence[str]) -> pd.DataFrame:
        """Shares by area of the current wave, as the wave's disclosure plan allows."""
        return tables.shares_by_area(
            self.data,
            self.questionnaire,
            item,
            positive,
            lang=self.lang,
            min_n=self.min_n,
            plan=self.plans["current"],
            weights=self.weights,
        )

    def distribution(self, item: str) -> pd.DataFrame:
        """Answer distribution by area of the current wave, as the plan allows."""
        return tables.answer_distribution(
            self.data,
            self.questionnaire,
            item,
            lang=self.lang,
            min_n=self.min_n,
            plan=self.plans["current"],
        )

    def pct(self, value) -> str:
        return format_pct(value, lang=self.lang)

    def ci(self, row) -> str:
        return format_ci(row["ci_low"], row["ci_high"], lang=self.lang)


def _sum_of(shares: pd.Series, codes: Sequence[str]) -> float | None:
    """The sum of some codes' shares, or None when any of them is hidden."""
    values = [shares.get(c) for c in codes]
    return None if any(pd.isna(v) for v in values) else float(sum(values))


def _fig_satisfaction(name: str, ctx: _Context) -> _Figure:
    item = "tilfreds_omraade"
    sides = _scale_sides(ctx.questionnaire.question(item))
    table = ctx.shares(item, sides["positive"])
    total = _total_row(table)
    dist = ctx.distribution(item)
    totals = dist[dist["area"].isna()].set_index("code")["share"]
    ctx.summary.append(
        text(
            ctx.lang,
            "satisfied_sentence",
            p=ctx.pct(total["p"]),
            ci=ctx.ci(total),
            n=format_n(total["n"], lang=ctx.lang),
            neutral=ctx.pct(_sum_of(totals, sides["neutral"])),
            negative=ctx.pct(_sum_of(totals, sides["negative"])),
            missing=ctx.pct(_sum_of(totals, sides["missing"])),
        )
    )
    title = text(ctx.lang, "title_satisfied", p=ctx.pct(total["p"]))
    positive = text(ctx.lang, "positive_satisfied")
    return _shares_figure(name, ctx, item, table, title, positive)


def _shares_figure(name, ctx: _Context, item, table, title, positive, colour=None) -> _Figure:
    """A bar per area (and the total) of the share answering ``positive``."""
    fig, ax = charts.new_figure(len(table))
    extra = {} if colour is None else {"colour": colour}
    charts.plot_shares(table, lang=ctx.lang, min_n=ctx.min_n, total_last=True, ax=ax, **extra)
    note = text(ctx.lang, "note_share", positive=positive, min_n=ctx.min_n)
    return _finish(name, ctx, fig, table, "shares", title, item, _total_row(table)["n"], note)


def _finish(name, ctx: _Context, fig, table, kind, title, item, n, note, caveat=None) -> _Figure:
    question = _question_text(ctx.questionnaire, item, ctx.lang)
    base = n if isinstance(n, str) else _base_text(n, ctx.lang)
    charts.finish_figure(
        fig,
        title=title,
        question=question,
        note=f"{base}. {note}",
        synthetic=ctx.synthetic,
        lang=ctx.lang,
    )
    waves = (ctx.first, ctx.second) if kind == "comparison" else ("1", "2")
    return _Figure(
        name=name,
        title=title,
        question=question,
        base=base,
        note=note,
        figure=fig,
        table=table,
        display=tables.display_table(
            table, kind=kind, lang=ctx.lang, first=waves[0], second=waves[1]
        ),
        caveat=caveat,
    )


def _distribution_figure(name, ctx: _Context, item, title=None) -> _Figure:
    question = ctx.questionnaire.question(item)
    sides = _scale_sides(question)
    table = ctx.distribution(item)
    totals = table[table["area"].isna()].set_index("code")["share"]
    if title is None:
        title = text(
            ctx.lang,
            "title_distribution",
            negative=ctx.pct(_sum_of(totals, sides["negative"])),
            neutral=ctx.pct(_sum_of(totals, sides["neutral"])),
        )
    fig, ax = charts.new_figure(table["label"].nunique(), top=0.6)
    charts.plot_distribution(
        table,
        codes=list(question.codes),
        code_labels={c: tables.choice_label(question, c, lang=ctx.lang) for c in question.codes},
        lang=ctx.lang,
        min_n=ctx.min_n,
        total_last=True,
        ax=ax,
        **sides,
    )
    n_total = table[table["area"].isna()]["n"].iloc[0]
    note = text(ctx.lang, "note_distribution", k=tables.K_DEFAULT, min_n=ctx.min_n)
    return _finish(name, ctx, fig, table, "distribution", title, item, n_total, note)


def _fig_distribution(name: str, ctx: _Context) -> _Figure:
    return _distribution_figure(name, ctx, "tilfreds_omraade")


def _comparison_caveat(ctx: _Context, table: pd.DataFrame) -> str | None:
    """The caveat naming the areas missing from either wave, when any are."""
    labels = tables.area_labels(ctx.questionnaire)
    if ctx.previous_questionnaire is not None:
        labels = tables.area_labels(ctx.previous_questionnaire) | labels
    common = [labels.get(a, a) for a in table.attrs["common"]]
    dropped = set(table.attrs["dropped"])
    areas_first = set(ctx.previous["area"].dropna().astype(str))
    areas_second = set(ctx.data["area"].dropna().astype(str))
    parts = [
        text(
            ctx.lang,
            key,
            first=ctx.first,
            second=ctx.second,
            dropped=_area_list([labels.get(a, a) for a in sorted(dropped & areas)], ctx.lang),
        )
        for key, areas in (
            ("caveat_only_second", areas_second - areas_first),
            ("caveat_only_first", areas_first - areas_second),
        )
        if dropped & areas
    ]
    if not parts:
        return None
    areas = _area_list(common, ctx.lang)
    return " ".join(
        [*parts, text(ctx.lang, "caveat", first=ctx.first, second=ctx.second, areas=areas)]
    )


def _change_figure(name, ctx: _Context, item, positive, title_keys):
    """The two waves on the common areas, with the difference; returns (figure, total row)."""
    table = tables.wave_comparison(
        ctx.previous,
        ctx.data,
        ctx.questionnaire,
        item,
        positive,
        lang=ctx.lang,
        min_n=ctx.min_n,
        plans=(ctx.plans["previous"], ctx.plans["current"]),
    )
    caveat = _comparison_caveat(ctx, table)
    old_questionnaire = ctx.previous_questionnaire
    if old_questionnaire is not None and old_questionnaire.has_question(item):
        old, new = old_questionnaire.question(item), ctx.questionnaire.question(item)
        if old.text.get("da") != new.text.get("da") or old.codes != new.codes:
            changed = text(ctx.lang, "wording_changed", first=ctx.first, second=ctx.second)
            caveat = f"{caveat} {changed}" if caveat else changed
    total = _total_row(table)
    up, down, none, hidden = title_keys
    if pd.isna(total["diff"]):
        key = hidden
    elif total["ci_low"] <= 0 <= total["ci_high"]:
        key = none
    else:
        key = up if total["diff"] > 0 else down
    title = text(
        ctx.lang,
        key,
        pp=format_pp(abs(total["diff"]), lang=ctx.lang),
        first=ctx.first,
        second=ctx.second,
        p1=ctx.pct(total["p_1"]),
        p2=ctx.pct(total["p_2"]),
        signed=format_pp(total["diff"], lang=ctx.lang, signed=True),
    )
    if caveat and caveat not in ctx.caveats:
        ctx.caveats.append(caveat)
    fig, ax = charts.new_figure(len(table), row_height=0.85, bottom=0.6)
    charts.plot_comparison(
        table,
        first=str(ctx.first),
        second=str(ctx.second),
        lang=ctx.lang,
        min_n=ctx.min_n,
        total_last=True,
        ax=ax,
    )
    note = text(ctx.lang, "note_comparison", first=ctx.first, second=ctx.second)
    base = (
        f"{text(ctx.lang, 'base')}: {ctx.first} {_n_text(total['n_1'], ctx.lang)}, "
        f"{ctx.second} {_n_text(total['n_2'], ctx.lang)}"
    )
    figure = _finish(name, ctx, fig, table, "comparison", title, item, base, note, caveat=caveat)
    return figure, total


def _fig_change(name: str, ctx: _Context) -> _Figure:
    item = "tilfreds_omraade"
    figure, total = _change_figure(
        name,
        ctx,
        item,
        _positive_codes(ctx.questionnaire, item, "positive"),
        ("title_change_up", "title_change_down", "title_change_none", "title_change_hidden"),
    )
    common = [tables.area_labels(ctx.questionnaire).get(a, a) for a in figure.table.attrs["common"]]
    sentence = "change_hidden_sentence" if pd.isna(total["diff"]) else "change_sentence"
    ctx.summary.append(
        text(
            ctx.lang,
            sentence,
            areas=_area_list(common, ctx.lang),
            first=ctx.first,
            second=ctx.second,
            p1=ctx.pct(total["p_1"]),
            n1=format_n(total["n_1"], lang=ctx.lang),
            p2=ctx.pct(total["p_2"]),
            n2=format_n(total["n_2"], lang=ctx.lang),
            pp=format_pp(total["diff"], lang=ctx.lang, signed=True),
            ci=ctx.ci(total),
        )
    )
    _add_caveat(ctx.summary, figure.caveat)
    return figure


def _add_caveat(summary: list[str], caveat: str | None) -> None:
    """Put the comparison caveat right after the first comparison in the summary."""
    if caveat and caveat not in summary:
        summary.append(_Caveat(caveat))


def _fig_reputation(name: str, ctx: _Context) -> _Figure:
    item = "daarligt_omdoemme"
    table = ctx.shares(item, _positive_codes(ctx.questionnaire, item, "yes"))
    total = _total_row(table)
    title = text(ctx.lang, "title_reputation", p=ctx.pct(total["p"]))
    ctx.summary.append(
        text(
            ctx.lang,
            "reputation_sentence",
            p=ctx.pct(total["p"]),
            n=format_n(total["n"], lang=ctx.lang),
        )
    )
    positive = text(ctx.lang, "positive_yes")
    return _shares_figure(name, ctx, item, table, title, positive, charts.SCALE_COLOURS[4])


def _fig_reputation_change(name: str, ctx: _Context) -> _Figure:
    item = "daarligt_omdoemme"
    figure, total = _change_figure(
        name,
        ctx,
        item,
        _positive_codes(ctx.questionnaire, item, "yes"),
        (
            "title_reputation_more",
            "title_reputation_fewer",
            "title_reputation_same",
            "title_reputation_hidden",
        ),
    )
    if not pd.isna(total["diff"]):
        sentence = (
            "reputation_change_sentence" if total["diff"] < 0 else "reputation_change_sentence_up"
        )
        ctx.summary.append(
            text(
                ctx.lang,
                sentence,
                p1=ctx.pct(total["p_1"]),
                p2=ctx.pct(total["p_2"]),
                first=ctx.first,
                second=ctx.second,
                pp=format_pp(total["diff"], lang=ctx.lang, signed=True),
                ci=ctx.ci(total),
            )
        )
    _add_caveat(ctx.summary, figure.caveat)
    return figure


def _fig_reasons(name: str, ctx: _Context) -> _Figure:
    item = "omdoemme_grunde"
    table = tables.choice_shares(ctx.data, ctx.questionnaire, item, lang=ctx.lang, min_n=ctx.min_n)
    shown = table[~table["suppressed"]]
    top = shown["label"].tolist()
    title = text(ctx.lang, "title_reasons", top=top[0] if top else "–")
    reasons = [
        f"{label.lower()} ({ctx.pct(p)})"
        for label, p in zip(shown["label"][:3], shown["p"][:3], strict=True)
    ]
    ctx.summary.append(text(ctx.lang, "reasons_sentence", reasons=_area_list(reasons, ctx.lang)))
    fig, ax = charts.new_figure(len(table), row_height=0.4)
    charts.plot_shares(table, lang=ctx.lang, min_n=ctx.min_n, show_n=False, ax=ax)
    note = text(ctx.lang, "note_reasons")
    n = int(table["n"].max()) if len(table) else 0
    return _finish(name, ctx, fig, table, "shares", title, item, n, note)


def _fig_safety(name: str, ctx: _Context) -> _Figure:
    item = "tryg_efter_moerke"
    total = _total_row(ctx.shares(item, _positive_codes(ctx.questionnaire, item, "positive")))
    ctx.summary.append(
        text(
            ctx.lang,
            "safety_sentence",
            p=ctx.pct(total["p"]),
            n=format_n(total["n"], lang=ctx.lang),
        )
    )
    title = text(ctx.lang, "title_safety", p=ctx.pct(total["p"]))
    return _distribution_figure(name, ctx, item, title=title)


# --- writing ------------------------------------------------------------------------------------


def _save_figure(figure: _Figure, stem: Path) -> list[Path]:
    paths = []
    for suffix in FIGURE_FORMATS:
        path = stem.with_suffix(f".{suffix}")
        figure.figure.savefig(
            path, dpi=300 if suffix == "png" else None, metadata={"Title": figure.title}
        )
        paths.append(path)
    return paths


def _embedded_svg(fig) -> str:
    """The chart without its title and caption (the report prints them), as a data URI."""
    charts.strip_captions(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _render_html(
    *, figures, summary, questionnaire, area_labels, lang, min_n, synthetic, now, sha,
    weighting_note=None,
) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("analysis.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    template = environment.get_template("report.html")
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
    return template.render(
        lang=lang,
        title=title,
        subtitle=text(lang, "report_subtitle", areas=_area_list(area_labels, lang)),
        synthetic=synthetic,
        synthetic_banner=text(lang, "synthetic"),
        synthetic_long=text(lang, "synthetic_long"),
        t=texts,
        summary=summary,
        figures=rendered_figures,
        suppressed_note=text(lang, "suppressed_note", min_n=min_n, k=tables.K_DEFAULT),
        method_text=" ".join(
            part
            for part in (text(lang, "method_text", k=tables.K_DEFAULT, min_n=min_n), weighting_note)
            if part
        ),
        small_base_warning=text(lang, "small_base_warning"),
        generated=text(
            lang, "generated", time=now.strftime("%Y-%m-%d %H:%M UTC"), version=version, sha=sha
        ),
    )


def _write_pdf(html: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(path))
