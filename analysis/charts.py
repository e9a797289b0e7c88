"""Charts for the annual report, drawn from tables the analysis API computed.

Every function here only draws: it takes a tidy table made by
:func:`analysis.estimate`, :func:`analysis.compare_waves` or
:func:`analysis.distribution` (the builder in :mod:`analysis.report` adds a
``label`` column with the text of each row), keyword-only options and
``ax=None``, and returns the Axes. Figure-level text (a title stating the
finding, the question wording, the base and the synthetic-data stamp) is added
by :func:`finish_figure`.

Presentation rules: a ColorBrewer PuOr palette (colour-blind safe, distinct in
lightness so it survives greyscale printing), Danish or English tick labels
through :mod:`analysis.formatting`, no grid lines or frames beyond what is
read, and suppressed cells drawn as a hatched grey marker with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from textwrap import fill

import matplotlib.colors
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .formatting import (
    format_int,
    format_n,
    format_pct,
    format_pp,
    percent_formatter,
    pp_formatter,
)

__all__ = [
    "PALETTE",
    "SCALE_COLOURS",
    "TEXT",
    "finish_figure",
    "new_figure",
    "plot_comparison",
    "plot_distribution",
    "plot_shares",
    "plot_trend",
    "strip_captions",
]

#: ColorBrewer PuOr (5 classes), positive end first; neutral is light grey.
SCALE_COLOURS: tuple[str, ...] = ("#3f007d", "#807dba", "#e8e8e8", "#fdb863", "#7f3b08")

PALETTE: Mapping[str, str] = {
    "main": "#5e3c99",
    "second": "#b2abd2",
    "missing": "#8c8c8c",
    "suppressed": "#d9d9d9",
    "ink": "#222222",
    "muted": "#555555",
    "rule": "#bbbbbb",
}

#: Hatching of non-substantive answers ("Ved ikke"), so they differ from every
#: scale colour in greyscale too.
MISSING_HATCH = "////"

#: Fixed chart texts per report language.
TEXT: Mapping[str, Mapping[str, str]] = {
    "da": {
        "suppressed": "For få svar (n < {k})",
        "hidden": "Skjult af hensyn til diskretion",
        "partly_hidden": "Delvist skjult af hensyn til diskretion – se tabellen",
        "total": "I alt",
        "difference": "Forskel i procentpoint",
        "share": "Andel",
        "synthetic": "Syntetiske demodata – ikke rigtige svar",
        "question": "Spørgsmål",
        "base": "Base",
        "ci_note": "Linjerne viser 95 %-konfidensintervaller.",
    },
    "en": {
        "suppressed": "Too few answers (n < {k})",
        "hidden": "Hidden for confidentiality",
        "partly_hidden": "Partly hidden for confidentiality – see the table",
        "total": "Total",
        "difference": "Difference in percentage points",
        "share": "Share",
        "synthetic": "Synthetic demo data – not real answers",
        "question": "Question",
        "base": "Base",
        "ci_note": "Lines show 95% confidence intervals.",
    },
}

_FONT = {"family": ["DejaVu Sans", "Noto Sans"], "size": 9}


def _text(lang: str, key: str) -> str:
    try:
        return TEXT[lang][key]
    except KeyError:
        raise ValueError(f"unknown chart language {lang!r}; choose one of {sorted(TEXT)}") from None


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{what} needs a pandas DataFrame, got {type(table).__name__}")
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(f"{what}: the table lacks the columns {missing}")


def _suppressed(table: pd.DataFrame) -> np.ndarray:
    if "suppressed" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return table["suppressed"].fillna(False).astype(bool).to_numpy()


def _clean_axes(ax: Axes, *, keep: str = "bottom") -> None:
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(side == keep)
    ax.spines[keep].set_color(PALETTE["rule"])
    ax.tick_params(colors=PALETTE["ink"], length=0, labelsize=9)
    ax.tick_params(axis="x" if keep == "bottom" else "y", length=3, color=PALETTE["rule"])


def new_figure(
    rows: int = 3,
    *,
    width: float = 7.0,
    row_height: float = 0.45,
    top: float = 0.15,
    bottom: float = 0.45,
    left: float = 1.9,
) -> tuple[Figure, Axes]:
    """A figure sized for ``rows`` bars with room for the title and caption.

    Parameters
    ----------
    rows : int
        Number of bars (rows) the chart will show.
    width : float
        Width in inches (A4 text width is about 6.7 in).
    row_height : float
        Height of one row in inches.
    top, bottom, left : float
        Margins in inches: above the axes (a legend), below them (tick labels),
        at the left (row labels). :func:`finish_figure` adds room for the title
        and caption.

    Returns
    -------
    (Figure, Axes)
    """
    height = top + bottom + row_height * max(int(rows), 1)
    # A Figure of its own (not pyplot's): no backend and no global figure list are involved,
    # so a report of many charts holds none of them after writing.
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    fig.subplots_adjust(
        left=left / width, right=1 - 0.25 / width, top=1 - top / height, bottom=bottom / height
    )
    return fig, ax


def plot_shares(
    table: pd.DataFrame,
    *,
    label: str = "label",
    lang: str = "da",
    min_n: int = 10,
    colour: str | None = None,
    xlabel: str | None = None,
    show_n: bool = True,
    total_last: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of shares with 95 % interval lines and the base of each bar.

    Parameters
    ----------
    table : DataFrame
        Rows to draw, top to bottom, with columns ``label``, ``n``, ``p``,
        ``ci_low``, ``ci_high`` and optionally ``suppressed`` (as
        :func:`analysis.estimate` returns, plus a label column).
    label : str
        Column holding the text of each row.
    lang : {"da", "en"}
        Language of tick labels and fixed texts.
    min_n : int
        Threshold named in the suppression marker.
    colour : str, optional
        Bar colour; default the palette's main colour.
    xlabel : str, optional
        Axis label under the bars.
    show_n : bool
        Print each row's base under its label (leave out when all rows share
        one base, which the caption gives).
    total_last : bool
        The last row is a total: set it apart with a rule and a bold label.
    ax : Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    Axes
    """
    _require(table, [label, "n", "p", "ci_low", "ci_high"], "plot_shares")
    if ax is None:
        ax = plt.gca()
    hidden = _suppressed(table)
    y = np.arange(len(table))[::-1]
    p = table["p"].astype(float).to_numpy()
    low = table["ci_low"].astype(float).to_numpy()
    high = table["ci_high"].astype(float).to_numpy()
    shown = ~hidden & ~np.isnan(p)
    ax.barh(y[shown], p[shown], height=0.62, color=colour or PALETTE["main"], zorder=2)
    ax.errorbar(
        p[shown],
        y[shown],
        xerr=[p[shown] - low[shown], high[shown] - p[shown]],
        fmt="none",
        ecolor=PALETTE["ink"],
        elinewidth=1.0,
        capsize=3,
        zorder=3,
    )
    for yi, pi, hi in zip(y[shown], p[shown], high[shown], strict=True):
        ax.text(
            min(hi, 1.0) + 0.012,
            yi,
            format_pct(pi, lang=lang),
            va="center",
            ha="left",
            fontsize=9,
            color=PALETTE["ink"],
            fontweight="bold",
        )
    reasons = [r for r, h in zip(_reasons(table), hidden, strict=True) if h]
    _draw_suppressed(ax, y[hidden], lang=lang, min_n=min_n, width=1.0, reasons=reasons)
    labels = [
        _row_label(text, n if show_n else None, lang)
        for text, n in zip(table[label], table["n"], strict=True)
    ]
    _set_rows(ax, y, labels, total_last=total_last)
    ax.set_xlim(0, 1.12)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(percent_formatter(lang=lang))
    if xlabel:
        ax.set_xlabel(xlabel, color=PALETTE["muted"])
    _clean_axes(ax)
    return ax


def _set_rows(ax: Axes, y, labels, *, total_last: bool, top: float = 0.4) -> None:
    """Label one row per group, bottom to top, the last one set apart when it is a total."""
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(labels) - top)
    if total_last:
        _mark_total(ax, len(labels))


def _mark_total(ax: Axes, rows: int) -> None:
    """Set the last row (a total) apart: a rule above it and a bold label."""
    if rows < 2:
        return
    ax.axhline(0.5, color=PALETTE["rule"], linewidth=0.8, xmin=-0.3, clip_on=False)
    ax.get_yticklabels()[-1].set_fontweight("bold")


def _row_label(text: object, n: object, lang: str) -> str:
    wrapped = fill(str(text), 26)
    if n is None or pd.isna(n):
        return wrapped
    return f"{wrapped}\n{format_n(n, lang=lang)}"


def _reasons(table: pd.DataFrame) -> list[object]:
    if "reason" in table.columns:
        return list(table["reason"])
    return [None] * len(table)


def _suppression_text(reason: object, *, lang: str, min_n: int) -> str:
    """Why a row is hidden: too small a base, or hidden to protect other cells."""
    if reason is None or pd.isna(reason) or str(reason).startswith("n <"):
        return _text(lang, "suppressed").format(k=min_n)
    return _text(lang, "hidden")


def _draw_suppressed(
    ax: Axes,
    ys: np.ndarray,
    *,
    lang: str,
    min_n: int,
    width: float,
    reasons: list[object] | None = None,
    texts: list[str] | None = None,
) -> None:
    reasons = reasons if reasons is not None else [None] * len(ys)
    for index, yi in enumerate(ys):
        label = (
            texts[index]
            if texts is not None
            else _suppression_text(reasons[index], lang=lang, min_n=min_n)
        )
        ax.barh(
            yi,
            width,
            height=0.62,
            color=PALETTE["suppressed"],
            hatch="///",
            edgecolor="#ffffff",
            linewidth=0,
            zorder=1,
        )
        ax.text(
            0.02 * width,
            yi,
            "× " + label,
            va="center",
            ha="left",
            fontsize=8.5,
            color=PALETTE["ink"],
            zorder=4,
        )


def plot_distribution(
    table: pd.DataFrame,
    *,
    codes: Sequence[str],
    code_labels: Mapping[str, str],
    positive: Sequence[str],
    negative: Sequence[str],
    neutral: Sequence[str] = (),
    missing: Sequence[str] = (),
    label: str = "label",
    lang: str = "da",
    min_n: int = 10,
    total_last: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Diverging stacked bars of a full answer scale, "Ved ikke" set apart.

    Positive answers stack to the right of zero, negative answers to the left,
    a neutral answer is split evenly across zero, and non-substantive answers
    ("Ved ikke") form a separate grey bar at the right edge, so that every
    category of the table is visible and the bars still line up at zero.

    Parameters
    ----------
    table : DataFrame
        One row per group and answer code with columns ``label``, ``code``,
        ``share`` (of all answers in the group, "Ved ikke" included), ``n``
        (the group's base) and optionally ``suppressed``. A group whose rows
        are all suppressed is drawn as a suppression marker.
    codes : sequence of str
        Answer codes in scale order (most positive first).
    code_labels : mapping
        Legend text of each code.
    positive, negative, neutral, missing : sequence of str
        Which codes fall on which side.
    label : str
        Column with the group text.
    lang : {"da", "en"}
        Language of ticks and fixed texts.
    min_n : int
        Threshold named in the suppression marker.
    total_last : bool
        The last group is a total: set it apart with a rule and a bold label.
    ax : Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    Axes
    """
    _require(table, [label, "code", "share", "n"], "plot_distribution")
    sides = set(positive) | set(negative) | set(neutral) | set(missing)
    if set(codes) != sides:
        raise ValueError(
            f"plot_distribution: codes {sorted(codes)} and the sides {sorted(sides)} differ"
        )
    if ax is None:
        ax = plt.gca()
    groups = list(dict.fromkeys(table[label]))
    colours = _scale_colours(codes, positive, negative, neutral, missing)
    wide = table.pivot_table(
        index=label, columns="code", values="share", aggfunc="first", sort=False
    )
    wide = wide.reindex(index=groups, columns=list(codes)).astype(float)
    hidden_cells = (
        table.assign(_h=_suppressed(table))
        .pivot_table(index=label, columns="code", values="_h", aggfunc="any", sort=False)
        .reindex(index=groups, columns=list(codes))
        .fillna(False)
        .astype(bool)
    )
    # A group is drawn as one marker when nothing of it may be shown, or when a
    # hidden cell lies inside the scale (its unknown width would shift the bar).
    hidden_rows = hidden_cells.all(axis=1)
    outward = [list(neutral), list(negative), list(reversed(positive))]

    def _inner_hidden(group: str) -> bool:
        cells = hidden_cells.loc[group]
        if any(cells[c] for c in neutral):
            return True
        for side in outward[1:]:
            flags = [bool(cells[c]) for c in side]
            first = flags.index(True) if True in flags else len(flags)
            if not all(flags[first:]):
                return True
        return False

    partly = pd.Series({g: (not hidden_rows[g]) and _inner_hidden(g) for g in groups}, dtype=bool)
    bases = table.groupby(label, sort=False)["n"].first().reindex(groups)
    group_reasons = (
        table.dropna(subset=["reason"]).groupby(label, sort=False)["reason"].first().to_dict()
        if "reason" in table.columns
        else {}
    )
    # Left to right: most negative, ..., neutral, ..., most positive.
    ordered = list(reversed(negative)) + list(neutral) + list(reversed(positive))
    y = np.arange(len(groups))[::-1]
    missing_x = 1.08  # left edge of the "Ved ikke" bar
    for yi, group in zip(y, groups, strict=True):
        if hidden_rows[group] or partly[group]:
            text = (
                _text(lang, "partly_hidden")
                if partly[group]
                else _suppression_text(group_reasons.get(group), lang=lang, min_n=min_n)
            )
            _draw_suppressed(ax, np.array([yi]), lang=lang, min_n=min_n, width=1.0, texts=[text])
            continue
        row = wide.loc[group].fillna(0.0)
        half_neutral = sum(row[c] for c in neutral) / 2
        left = -half_neutral - sum(row[c] for c in negative)
        for code in ordered:
            width = row[code]
            if hidden_cells.loc[group, code]:
                _cell_marker(ax, left, yi)
                continue
            ax.barh(
                yi,
                width,
                left=left,
                height=0.62,
                color=colours[code],
                zorder=2,
                edgecolor="#ffffff",
                linewidth=0.6,
            )
            _segment_label(ax, left, width, yi, colours[code], lang)
            left += width
        start = missing_x
        missing_hidden = False
        for code in missing:
            width = row[code]
            if hidden_cells.loc[group, code]:
                missing_hidden = True
                continue
            ax.barh(
                yi,
                width,
                left=start,
                height=0.62,
                color=colours[code],
                zorder=2,
                edgecolor="#ffffff",
                linewidth=0.6,
                hatch=MISSING_HATCH,
            )
            start += width
        if missing and missing_hidden:
            _cell_marker(ax, start, yi)
        elif missing:
            ax.text(
                start + 0.012,
                yi,
                format_pct(start - missing_x, lang=lang, digits=0),
                ha="left",
                va="center",
                fontsize=7.5,
                color=PALETTE["ink"],
            )
    ax.axvline(0, color=PALETTE["ink"], linewidth=0.8, zorder=1.5)
    labels = [_row_label(group, bases[group], lang) for group in groups]
    _set_rows(ax, y, labels, total_last=total_last)
    max_missing = (
        max(
            (
                wide.loc[g, list(missing)].fillna(0).sum()
                for g in groups
                if not (hidden_rows[g] or partly[g])
            ),
            default=0.0,
        )
        if missing
        else 0.0
    )
    neg_extent = max(
        (
            wide.loc[g, list(negative)].fillna(0).sum()
            + wide.loc[g, list(neutral)].fillna(0).sum() / 2
            for g in groups
            if not (hidden_rows[g] or partly[g])
        ),
        default=0.0,
    )
    left_limit = -max(0.25, np.ceil(neg_extent * 10) / 10 + 0.02)
    right_limit = (missing_x + max_missing + 0.12) if missing else 1.02
    if missing:
        ax.text(
            missing_x,
            len(groups) - 0.45,
            " / ".join(code_labels.get(c, c) for c in missing),
            ha="left",
            va="bottom",
            fontsize=7.5,
            color=PALETTE["muted"],
        )
    ax.set_xlim(left_limit, right_limit)
    ticks = [t for t in np.arange(-1.0, 1.01, 0.25) if left_limit <= t <= 1.0]
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda x, _: format_pct(abs(x), lang=lang, digits=0))
    )
    handles = [
        Patch(
            facecolor=colours[c],
            edgecolor="#ffffff" if c in missing else PALETTE["rule"],
            linewidth=0.5,
            hatch=MISSING_HATCH if c in missing else None,
            label=code_labels.get(c, c),
        )
        for c in codes
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=3,
        frameon=False,
        fontsize=8,
        handlelength=1.2,
        columnspacing=1.2,
        borderaxespad=0.3,
    )
    _clean_axes(ax)
    return ax


def _cell_marker(ax: Axes, x: float, y: float) -> None:
    """Mark a suppressed cell of a stacked bar where its segment would start."""
    ax.text(
        x,
        y,
        "×",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        color=PALETTE["ink"],
        zorder=5,
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "#ffffff", "edgecolor": "none"},
    )


def _scale_colours(codes, positive, negative, neutral, missing) -> dict[str, str]:
    colours: dict[str, str] = {}
    positive_shades = (
        SCALE_COLOURS[:2] if len(positive) <= 2 else _ramp(SCALE_COLOURS[0], len(positive))
    )
    for code, colour in zip(positive, positive_shades, strict=False):
        colours[code] = colour
    negative_shades = (
        SCALE_COLOURS[3:] if len(negative) <= 2 else _ramp(SCALE_COLOURS[4], len(negative))
    )
    for code, colour in zip(negative, negative_shades, strict=False):
        colours[code] = colour
    for code in neutral:
        colours[code] = SCALE_COLOURS[2]
    for code in missing:
        colours[code] = PALETTE["missing"]
    return colours


def _ramp(colour: str, count: int) -> list[str]:
    base = np.array(matplotlib.colors.to_rgb(colour))
    return [
        matplotlib.colors.to_hex(base + (1 - base) * (i / max(count, 1)) * 0.7)
        for i in range(count)
    ]


def _segment_label(ax: Axes, left: float, width: float, y: float, colour: str, lang: str) -> None:
    if width < 0.07:
        return
    lightness = np.dot(matplotlib.colors.to_rgb(colour), [0.299, 0.587, 0.114])
    ax.text(
        left + width / 2,
        y,
        format_pct(width, lang=lang, digits=0),
        ha="center",
        va="center",
        fontsize=7.5,
        color="#ffffff" if lightness < 0.5 else PALETTE["ink"],
        zorder=4,
    )


def plot_comparison(
    table: pd.DataFrame,
    *,
    label: str = "label",
    first: str = "2012",
    second: str = "2016",
    lang: str = "da",
    min_n: int = 10,
    total_last: bool = False,
    ax: Axes | None = None,
) -> Axes:
    """Differences between two waves with their 95 % intervals, one row per group.

    Each row shows the difference ``p_2 - p_1`` in percentage points as a dot
    with its interval; the row label gives the two shares with their bases.

    Parameters
    ----------
    table : DataFrame
        As :func:`analysis.compare_waves` returns (``n_1``, ``p_1``, ``n_2``,
        ``p_2``, ``diff``, ``ci_low``, ``ci_high``) plus a ``label`` column;
        a truthy ``suppressed`` column hides a row.
    label : str
        Column with the group text.
    first, second : str
        Names of the two waves.
    lang : {"da", "en"}
        Language of ticks and fixed texts.
    min_n : int
        Threshold named in the suppression marker.
    total_last : bool
        The last row is a total: set it apart with a rule and a bold label.
    ax : Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    Axes
    """
    _require(
        table, [label, "n_1", "p_1", "n_2", "p_2", "diff", "ci_low", "ci_high"], "plot_comparison"
    )
    if ax is None:
        ax = plt.gca()
    hidden = _suppressed(table)
    y = np.arange(len(table))[::-1]
    diff = table["diff"].astype(float).to_numpy()
    low = table["ci_low"].astype(float).to_numpy()
    high = table["ci_high"].astype(float).to_numpy()
    shown = ~hidden & ~np.isnan(diff)
    extent = max(0.1, np.nanmax(np.abs(np.r_[low[shown], high[shown], 0.0])) * 1.15)
    extent = np.ceil(extent * 20) / 20
    ax.axvline(0, color=PALETTE["rule"], linewidth=1.0, zorder=1)
    ax.errorbar(
        diff[shown],
        y[shown],
        xerr=[diff[shown] - low[shown], high[shown] - diff[shown]],
        fmt="o",
        color=PALETTE["main"],
        ecolor=PALETTE["main"],
        elinewidth=2.2,
        capsize=0,
        markersize=7,
        markeredgecolor="#ffffff",
        zorder=3,
    )
    for yi, d in zip(y[shown], diff[shown], strict=True):
        ax.text(
            d,
            yi + 0.3,
            format_pp(d, lang=lang, signed=True).split(" ")[0],
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=PALETTE["ink"],
            fontweight="bold",
        )
    reasons = _reasons(table)
    for yi, reason in zip(
        y[hidden], [r for r, h in zip(reasons, hidden, strict=True) if h], strict=True
    ):
        ax.text(
            0,
            yi,
            "× " + _suppression_text(reason, lang=lang, min_n=min_n),
            ha="center",
            va="center",
            fontsize=8.5,
            color=PALETTE["ink"],
            bbox={
                "facecolor": PALETTE["suppressed"],
                "edgecolor": "#ffffff",  # white hatch lines, as on the other charts
                "linewidth": 0,
                "hatch": "///",
            },
        )
    labels = []
    for text, n1, p1, n2, p2, h in zip(
        table[label], table["n_1"], table["p_1"], table["n_2"], table["p_2"], hidden, strict=True
    ):
        if h:
            labels.append(str(text))
            continue
        labels.append(
            f"{text}\n{first}: {format_pct(p1, lang=lang)} ({format_n(n1, lang=lang)})"
            f"\n{second}: {format_pct(p2, lang=lang)} ({format_n(n2, lang=lang)})"
        )
    _set_rows(ax, y, labels, total_last=total_last, top=0.2)
    ax.set_xlim(-extent, extent)
    ax.xaxis.set_major_formatter(pp_formatter(lang=lang))
    ax.set_xlabel(_text(lang, "difference") + f" ({second} − {first})", color=PALETTE["muted"])
    _clean_axes(ax)
    return ax


def plot_trend(
    table: pd.DataFrame,
    *,
    x: str = "label",
    lang: str = "da",
    min_n: int = 10,
    colour: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A share over several waves: points joined by a line, with 95 % interval bars.

    Parameters
    ----------
    table : DataFrame
        One row per wave, oldest first, with ``x`` (the wave's name), ``n``,
        ``p``, ``ci_low``, ``ci_high`` and optionally ``suppressed``.
    x : str
        Column with the wave names.
    lang : {"da", "en"}
        Language of tick labels and fixed texts.
    min_n : int
        Threshold named where a wave's share is hidden.
    colour : str, optional
        Line colour; default the palette's main colour.
    ax : Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    Axes
    """
    _require(table, [x, "n", "p", "ci_low", "ci_high"], "plot_trend")
    if ax is None:
        ax = plt.gca()
    hidden = _suppressed(table)
    positions = np.arange(len(table))
    p = table["p"].astype(float).to_numpy()
    low = table["ci_low"].astype(float).to_numpy()
    high = table["ci_high"].astype(float).to_numpy()
    shown = ~hidden & ~np.isnan(p)
    colour = colour or PALETTE["main"]
    ax.plot(positions[shown], p[shown], color=colour, linewidth=1.6, zorder=2)
    ax.errorbar(positions[shown], p[shown],
                yerr=[p[shown] - low[shown], high[shown] - p[shown]], fmt="o", color=colour,
                ecolor=PALETTE["ink"], elinewidth=1.0, capsize=4, markersize=6, zorder=3)
    for xi, pi, hi in zip(positions[shown], p[shown], high[shown], strict=True):
        ax.text(xi, min(hi, 1.0) + 0.03, format_pct(pi, lang=lang), ha="center", va="bottom",
                fontsize=9, fontweight="bold", color=PALETTE["ink"])
    for xi, reason in zip(positions[hidden],
                          [r for r, h in zip(_reasons(table), hidden, strict=True) if h],
                          strict=True):
        ax.text(xi, 0.5, "× " + fill(_suppression_text(reason, lang=lang, min_n=min_n), 18),
                ha="center", va="center", fontsize=8, color=PALETTE["ink"])
    labels = [f"{w}\n{format_n(n, lang=lang)}" if not pd.isna(n) else str(w)
              for w, n in zip(table[x], table["n"], strict=True)]
    ax.set_xticks(positions, labels)
    ax.set_xlim(-0.5, len(table) - 0.5)
    ax.set_ylim(0, 1.12)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.yaxis.set_major_formatter(percent_formatter(lang=lang))
    _clean_axes(ax, keep="left")
    return ax


def finish_figure(
    fig: Figure,
    *,
    title: str,
    question: str | None = None,
    note: str | None = None,
    synthetic: bool = False,
    lang: str = "da",
) -> Figure:
    """Add the title (the finding), question wording, method note and demo stamp.

    The figure grows to make room, so the chart keeps its size.

    Parameters
    ----------
    fig : Figure
        The figure holding the chart (made by :func:`new_figure`).
    title : str
        The finding, e.g. ``"88,1 % er tilfredse med at bo i området"``.
    question : str, optional
        The question's wording, printed under the chart.
    note : str, optional
        One line on base and method, printed under the question.
    synthetic : bool
        Stamp the figure as made from synthetic demo data.
    lang : {"da", "en"}
        Language of the fixed texts.

    Returns
    -------
    Figure
    """
    _text(lang, "total")
    width, height = fig.get_size_inches()
    params = fig.subplotpars
    axes_top = (1 - params.top) * height  # inches above the axes (legend room)
    axes_bottom = params.bottom * height
    axes_height = height - axes_top - axes_bottom
    title_text = fill(title, 64)
    title_lines = title_text.count("\n") + 1
    header = 0.15 + 0.26 * title_lines + (0.24 if synthetic else 0.0)
    caption_lines = []
    if question:
        caption_lines.append(fill(f"{_text(lang, 'question')}: {question}", 118))
    if note:
        caption_lines.append(fill(note, 118))
    caption = "\n".join(caption_lines)
    footer = 0.12 + 0.15 * (caption.count("\n") + 1) if caption else 0.0
    new_height = header + axes_top + axes_height + axes_bottom + footer
    fig.set_size_inches(width, new_height)
    fig.subplots_adjust(
        top=1 - (header + axes_top) / new_height,
        bottom=(footer + axes_bottom) / new_height,
    )
    inch = 1 / new_height
    artists = [
        fig.text(
            0.25 / width,
            1 - 0.12 * inch,
            title_text,
            ha="left",
            va="top",
            fontsize=12,
            fontweight="bold",
            color=PALETTE["ink"],
            linespacing=1.15,
        )
    ]
    if synthetic:
        fig.text(
            0.25 / width,
            1 - (0.14 + 0.26 * title_lines) * inch,
            "▲ " + _text(lang, "synthetic").upper(),
            ha="left",
            va="top",
            fontsize=7.5,
            color="#b2182b",
            fontweight="bold",
        )
    if caption:
        artists.append(
            fig.text(
                0.25 / width,
                0.08 * inch,
                caption,
                ha="left",
                va="bottom",
                fontsize=7.5,
                color=PALETTE["muted"],
                linespacing=1.3,
            )
        )
    fig._beboer_captions = artists  # noqa: SLF001 - removed by strip_captions
    return fig


def strip_captions(fig: Figure) -> Figure:
    """Remove the title and caption :func:`finish_figure` added; the demo stamp stays.

    Used where the surrounding document prints the title and caption as text
    (the HTML and PDF report); save with ``bbox_inches="tight"`` afterwards.

    Parameters
    ----------
    fig : Figure

    Returns
    -------
    Figure
    """
    for artist in getattr(fig, "_beboer_captions", []):
        artist.remove()
    fig._beboer_captions = []  # noqa: SLF001
    return fig


def count_label(n: int, *, lang: str = "da") -> str:
    """Base text for a caption, e.g. ``"Base: n = 875"``."""
    return f"{_text(lang, 'base')}: {format_n(n, lang=lang)}" if not pd.isna(n) else format_int(n)
