"""The methods-section sentences about weighting to population counts, in Danish and English.

Kept apart from the report builder so that the report only has to append
:func:`weighting_note` to its methods text and pass the weight column on.
"""

from __future__ import annotations

import pandas as pd

from analysis.formatting import format_int, format_number, format_pct
from analysis.population import effective_n, kish_deff

__all__ = ["weighting_note", "population_by_area"]

_TEXTS = {
    "da": {
        "poststratify": (
            "Andelene er vægtet til befolkningstallet i hvert område (poststratificering)."
        ),
        "rake": "Andelene er vægtet til befolkningstallene efter {margins} (raking).",
        "area": "område",
        "and": "og",
        "deff": (
            "Vægtenes designeffekt (Kish) er {deff}, så de {n} vægtede svar giver samme "
            "præcision som {n_eff} uvægtede svar (effektivt n)."
        ),
        "excluded": (
            "{n} svar uden svar på {margins} kan ikke vægtes og indgår ikke i rapporten."
        ),
        "interval": (
            "Intervallerne for de vægtede andele er beregnet med Taylor-linearisering på "
            "logit-skalaen (som R's survey::svyciprop), ikke som Wilson-intervaller."
        ),
        "unweighted": "Fordelingerne er uvægtede; andele, sammenligninger og udviklingen over "
        "runderne er vægtede.",
        "coverage": "Svar i forhold til befolkningen: {areas}.",
        "of": "{n} af {total} ({p})",
        "without": "{areas} har befolkningstal men ingen svar og indgår ikke i vægtningen.",
    },
    "en": {
        "poststratify": (
            "Shares are weighted to the population of each area (post-stratification)."
        ),
        "rake": "Shares are weighted to the population counts by {margins} (raking).",
        "area": "area",
        "and": "and",
        "deff": (
            "The weights' design effect (Kish) is {deff}: the {n} weighted responses are as "
            "precise as {n_eff} unweighted ones (effective n)."
        ),
        "excluded": (
            "{n} responses without an answer to {margins} cannot be weighted and are left out "
            "of the report."
        ),
        "interval": (
            "Intervals for the weighted shares use Taylor linearisation on the logit scale "
            "(as R's survey::svyciprop), not Wilson intervals."
        ),
        "unweighted": "Distributions are unweighted; shares, comparisons and the trend over "
        "waves are weighted.",
        "coverage": "Responses against the population: {areas}.",
        "of": "{n} of {total} ({p})",
        "without": "{areas} have population counts but no responses and are not weighted.",
    },
}


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_TEXTS[lang]['and']} {items[-1]}"


def population_by_area(counts: pd.DataFrame) -> dict[str, int]:
    """Total population per area from population counts (``area``, ``count``, cells)."""
    totals = counts.groupby(counts["area"].astype(str))["count"].sum()
    return {str(area): int(total) for area, total in totals.items()}


def weighting_note(weights, data, counts, *, labels=None, lang="da", coverage=True):
    """The methods sentences for ``weights`` from :func:`analysis.population.population_weights`.

    Parameters
    ----------
    weights : pandas.Series
        The weights, with their ``attrs`` (method, margins, excluded).
    data : pandas.DataFrame
        The responses weighted (all rows, excluded ones too); its ``area`` column.
    counts : pandas.DataFrame
        The population counts weighted to.
    labels : mapping, optional
        Area id → label for the sentences.
    lang : {"da", "en"}
    coverage : bool
        Whether to add the responses against the population per area (the
        report's own methods section gives them when it has the counts).

    Returns
    -------
    str
        Method, Kish design effect and effective n, excluded responses,
        responses against the population per area.
    """
    words = _TEXTS[lang]
    labels = dict(labels or {})
    attrs = weights.attrs
    margins = [words["area"] if m == "area" else m for m in attrs.get("margins", ["area"])]
    weighted = weights.dropna()
    parts = [
        words[attrs.get("method", "poststratify")].format(margins=_join(margins, lang)),
        words["deff"].format(
            deff=format_number(kish_deff(weighted), lang=lang, digits=2),
            n=format_int(len(weighted), lang=lang),
            n_eff=format_int(round(effective_n(weighted)), lang=lang),
        ),
    ]
    parts.append(words["interval"])
    if attrs.get("excluded"):
        others = [m for m in margins if m != words["area"]]
        parts.append(
            words["excluded"].format(
                n=format_int(attrs["excluded"], lang=lang), margins=_join(others, lang)
            )
        )
    if attrs.get("areas_without_responses"):
        names = [labels.get(a, a) for a in attrs["areas_without_responses"]]
        parts.append(words["without"].format(areas=_join(names, lang)))
    population = population_by_area(counts)
    answered = data.loc[weights.notna(), "area"].astype(str).value_counts()
    per_area = [
        f"{labels.get(area, area)} "
        + words["of"].format(
            n=format_int(int(answered.get(area, 0)), lang=lang),
            total=format_int(total, lang=lang),
            p=format_pct(answered.get(area, 0) / total, lang=lang) if total else "–",
        )
        for area, total in population.items()
        if area in answered.index
    ]
    if coverage and per_area:
        parts.append(words["coverage"].format(areas="; ".join(per_area)))
    parts.append(words["unweighted"])
    return " ".join(parts)
