"""Draw the computed figures: one renderer per figure kind, charts split to fit A4 pages.

:func:`split` cuts a computed table into parts that each fit a printed A4
page (a total row stays with the last part); :data:`RENDERERS` holds one
function per kind that draws one part on a new figure and returns it.
A new kind of chart is one compute function (:mod:`.compute`) and one
renderer here.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import charts
from .compute import Computed

__all__ = ["MAX_ROWS", "RENDERERS", "split"]

#: Most rows (groups) one chart part shows, so that it fits an A4 page with its title.
MAX_ROWS = {"shares": 16, "distribution": 14, "comparison": 8, "choices": 16, "trend": 40}


def _groups(computed: Computed) -> list:
    """The row keys of a table: labels for a long distribution, positions otherwise."""
    if computed.display_kind == "distribution":
        return list(dict.fromkeys(computed.table["label"]))
    return list(range(len(computed.table)))


def split(computed: Computed) -> list[pd.DataFrame]:
    """The table in parts of at most :data:`MAX_ROWS` rows; a total row stays last.

    Parameters
    ----------
    computed : Computed

    Returns
    -------
    list of DataFrame
        One table per chart part (one part when the table is small).
    """
    table = computed.table
    limit = MAX_ROWS[computed.spec.kind]
    groups = _groups(computed)
    has_total = computed.spec.kind not in ("choices", "trend")
    body, total = (groups[:-1], groups[-1:]) if has_total else (groups, [])
    if len(groups) <= limit:
        return [table]
    size = limit - 1 if has_total else limit
    chunks = [body[i:i + size] for i in range(0, len(body), size)]
    if has_total:
        chunks[-1] = chunks[-1] + total
    parts = []
    for chunk in chunks:
        if computed.display_kind == "distribution":
            part = table[table["label"].isin(chunk)]
        else:
            part = table.iloc[chunk]
        part = part.copy()
        part.attrs = dict(table.attrs)
        parts.append(part)
    return parts


def _is_total(part: pd.DataFrame, computed: Computed) -> bool:
    if computed.spec.kind == "choices":
        return False
    column = "area"
    return bool(part[column].isna().any()) if column in part.columns else False


def render_shares(computed: Computed, part: pd.DataFrame, ctx) -> Figure:
    """Bars of the share on the positive side per area, with intervals."""
    fig, ax = charts.new_figure(len(part), row_height=0.4 if computed.spec.kind == "choices"
                                else 0.45)
    charts.plot_shares(part, lang=ctx.lang, min_n=ctx.min_n,
                       total_last=_is_total(part, computed), ax=ax,
                       show_n=computed.options.get("show_n", True))
    return fig


def render_distribution(computed: Computed, part: pd.DataFrame, ctx) -> Figure:
    """Diverging stacked bars of the full answer scale."""
    fig, ax = charts.new_figure(part["label"].nunique(), top=0.6)
    charts.plot_distribution(part, lang=ctx.lang, min_n=ctx.min_n,
                             total_last=_is_total(part, computed), ax=ax, **computed.options)
    return fig


def render_comparison(computed: Computed, part: pd.DataFrame, ctx) -> Figure:
    """The difference between two waves per common area, with its interval."""
    fig, ax = charts.new_figure(len(part), row_height=0.85, bottom=0.6)
    charts.plot_comparison(part, lang=ctx.lang, min_n=ctx.min_n,
                           total_last=_is_total(part, computed), ax=ax, **computed.options)
    return fig


def render_trend(computed: Computed, part: pd.DataFrame, ctx) -> Figure:
    """The share in every wave as a line with intervals."""
    fig, ax = charts.new_figure(6, row_height=0.5, left=0.9)
    charts.plot_trend(part, lang=ctx.lang, min_n=ctx.min_n, ax=ax)
    return fig


#: One renderer per figure kind.
RENDERERS = {
    "shares": render_shares,
    "choices": render_shares,
    "distribution": render_distribution,
    "comparison": render_comparison,
    "trend": render_trend,
}
