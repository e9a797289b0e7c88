"""Response-rate charts as inline SVG drawn on the server (no scripts, no external files).

:func:`area_bars` draws one horizontal bar per area: the whole bar is the
invited households, the darker part those who submitted, the middle tone
those who opened their code but have not submitted; the rate is written at
the end. :func:`cumulative_line` draws the running response rate per day.
Both take a ``percent`` formatter so labels follow the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from .rates import DayRow, RateRow

WIDTH = 640
LABEL_WIDTH = 170
BAR_HEIGHT = 22
GAP = 10
INVITED, STARTED, SUBMITTED = "#dfe6ee", "#8fb3d9", "#1f4e79"


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def area_bars(
    rows: Sequence[RateRow], *, percent: Callable[[float], str], title: str, legend: Sequence[str]
) -> Markup:
    """Bars of invited, opened and submitted households per area, with the rate at the end."""
    rows = [row for row in rows if row.invited]
    plot = WIDTH - LABEL_WIDTH - 70
    top = 34
    height = top + len(rows) * (BAR_HEIGHT + GAP) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rates-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="rates-chart-title">',
        f'<title id="rates-chart-title">{escape(title)}</title>',
    ]
    x = LABEL_WIDTH
    for colour, label in zip((SUBMITTED, STARTED, INVITED), legend, strict=True):
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}" stroke="#5b6b7b" '
            'stroke-width="0.5"/>'
        )
        parts.append(_text(x + 17, 16.5, label, font_size="12"))
        x += 22 + 7.2 * len(label)
    for index, row in enumerate(rows):
        y = top + index * (BAR_HEIGHT + GAP)
        middle = y + BAR_HEIGHT / 2 + 4.5
        started = plot * row.started / row.invited
        submitted = plot * row.submitted / row.invited
        parts.append(_text(LABEL_WIDTH - 8, middle, row.label, text_anchor="end", font_size="13"))
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{plot}" height="{BAR_HEIGHT}" '
            f'fill="{INVITED}" stroke="#5b6b7b" stroke-width="0.5"/>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{started:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{STARTED}"/>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{submitted:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{SUBMITTED}"/>'
        )
        parts.append(
            _text(
                LABEL_WIDTH + plot + 8,
                middle,
                percent(row.rate or 0.0),
                font_size="13",
                font_weight="bold",
            )
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def cumulative_line(
    days: Sequence[DayRow],
    *,
    percent: Callable[[float], str],
    title: str,
    day_label: Callable[[object], str],
    tick_label: Callable[[float], str] | None = None,
) -> Markup:
    """The running response rate per day, as a line over a 0–max % axis."""
    points = [day for day in days if day.rate is not None]
    if not points:
        return Markup("")
    height, left, right, top, bottom = 220, 56, 20, 16, 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = max(day.rate for day in points)
    ceiling = max(0.1, min(1.0, (int(peak * 10) + 1) / 10))
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, rate: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - rate / ceiling)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rates-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="rates-line-title">',
        f'<title id="rates-line-title">{escape(title)}</title>',
    ]
    for tick in range(0, int(round(ceiling * 10)) + 1, 2 if ceiling > 0.5 else 1):
        _x, y = xy(0, tick / 10)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
        )
        label = (tick_label or percent)(tick / 10)
        parts.append(_text(left - 6, y + 4, label, text_anchor="end", font_size="11"))
    coords = [xy(i, day.rate) for i, day in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{SUBMITTED}" stroke-width="2.5"/>')
    for x, y in coords if len(coords) <= 40 else coords[-1:]:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{SUBMITTED}"/>')
    every = max(1, len(points) // 6)
    for i, day in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            x, _y = xy(i, 0)
            parts.append(
                _text(x, height - 12, day_label(day.day), text_anchor="middle", font_size="11")
            )
    parts.append("</svg>")
    return Markup("".join(parts))
