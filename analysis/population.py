"""Weights from population counts: post-stratify to areas, or rake to area, age and sex margins.

The counts come from ``beboer frame population`` (the ``population_counts``
table, read by :func:`load_population`) or any frame with the columns
``area``, ``count`` and optionally question ids whose values are answer
codes (e.g. ``alder``, ``koen``), one row per cell.

- :func:`population_weights` post-stratifies on ``area`` with
  :func:`analysis.poststratify` when the counts have no other column, and
  rakes to the area margin and one margin per extra column with
  :func:`analysis.rake` otherwise (R ``postStratify`` / ``rake``).
- :func:`kish_deff` and :func:`effective_n` describe what the weights cost:
  Kish's design effect ``n Σw² / (Σw)²`` and the effective sample size
  ``(Σw)² / Σw²``; :func:`weights_summary` gives both in one row.

Areas with population counts but no respondents are left out of the margins
(the estimates then describe the areas that answered, and
``weights.attrs["areas_without_responses"]`` names them). Respondents without
a class in a raking margin (no answer, or an answer such as "prefer not to
say" that the population counts lack) get no weight (NaN) and are counted in
``weights.attrs["excluded"]``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import sqlalchemy as sa

from analysis._checks import check_column, check_frame
from analysis.weighting import poststratify, rake

__all__ = [
    "population_margins",
    "population_weights",
    "kish_deff",
    "effective_n",
    "weights_summary",
    "load_population",
]


def _check_counts(counts: pd.DataFrame, area: str) -> list[str]:
    check_frame(counts, "counts")
    for column in (area, "count"):
        if column not in counts.columns:
            raise ValueError(f"the population counts need a column {column!r}")
    values = pd.to_numeric(counts["count"], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise ValueError("every population count must be a number >= 0")
    return [column for column in counts.columns if column not in (area, "count")]


def population_margins(counts, *, area="area"):
    """Population totals per class of ``area`` and of every other column of ``counts``.

    Parameters
    ----------
    counts : pandas.DataFrame
        Columns ``area``, ``count`` and optionally more (one row per cell).
    area : str, default "area"
        Name of the area column.

    Returns
    -------
    dict
        ``{column: {value: total}}`` with values as strings, classes with a
        total of 0 left out; the area margin first.

    Examples
    --------
    >>> import pandas as pd
    >>> cells = pd.DataFrame({"area": ["a", "a", "b"], "koen": ["1", "2", "1"],
    ...                       "count": [10, 12, 8]})
    >>> population_margins(cells)
    {'area': {'a': 22.0, 'b': 8.0}, 'koen': {'1': 18.0, '2': 12.0}}
    """
    extra = _check_counts(counts, area)
    margins = {}
    for column in [area, *extra]:
        totals = (
            counts.assign(count=pd.to_numeric(counts["count"]))
            .groupby(counts[column].astype(str), sort=True)["count"]
            .sum()
        )
        margins[column] = {str(k): float(v) for k, v in totals.items() if v > 0}
    return margins


def population_weights(data, counts, *, area="area", max_iter=100, tol=1e-8):
    """Weights that make the respondents add up to the population counts.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response, with the ``area`` column and, for raking, a
        column per extra column of ``counts`` holding answer codes.
    counts : pandas.DataFrame
        Population counts as for :func:`population_margins`.
    area : str, default "area"
        Name of the area column in both frames.
    max_iter, tol
        Passed to :func:`analysis.rake`.

    Returns
    -------
    pandas.Series
        ``"weight"`` per row of ``data`` (NaN for excluded rows), with
        ``attrs``: ``method`` (``"poststratify"`` or ``"rake"``), ``margins``
        (the columns weighted to), ``excluded`` (rows without weight) and
        ``areas_without_responses``.

    Raises
    ------
    ValueError
        A column missing from ``data``, a class with population but no
        respondent (merge categories first), an area of ``data`` without
        population counts, or bad counts.

    Notes
    -----
    Post-stratification gives ``N_a / n_a`` to each respondent of area ``a``
    (R ``postStratify(design, ~area, totals)``); raking cycles over the
    margins until each is met (R ``rake(design, list(~area, ~alder, ~koen),
    ...)``). Both are checked against R in ``tests/reference``.
    """
    check_frame(data)
    extra = _check_counts(counts, area)
    check_column(data, area, "area")
    for column in extra:
        check_column(data, column, "margin")
    present = set(data[area].dropna().astype(str))
    counted = counts[counts[area].astype(str).isin(present)]
    without = sorted(set(counts[area].astype(str)) - present)
    margins = population_margins(counted, area=area)
    keys = pd.DataFrame({c: data[c].astype("string") for c in [area, *extra]}, index=data.index)
    usable = pd.Series(True, index=data.index)
    for column, totals in margins.items():
        usable &= keys[column].isin(list(totals)).fillna(False).astype(bool)
    rows = keys[usable]
    if rows.empty:
        raise ValueError("no respondent has a class in every population margin")
    if extra:
        for column, totals in margins.items():
            missing = sorted(set(totals) - set(rows[column].dropna()))
            if missing:
                raise ValueError(
                    f"{column} = {missing[0]!r} has a population count but no respondent; "
                    "merge it with a neighbouring class in the population file"
                )
        weights = rake(rows, margins, max_iter=max_iter, tol=tol)
        method = "rake"
    else:
        unknown = sorted(set(data[area].dropna().astype(str)) - set(margins[area]))
        if unknown:
            raise ValueError(f"area {unknown[0]!r} has respondents but no population count")
        weights = poststratify(rows, area, margins[area])
        method = "poststratify"
    result = pd.Series(np.nan, index=data.index, name="weight")
    result[usable] = weights.to_numpy()
    result.attrs.update(
        method=method,
        margins=list(margins),
        excluded=int((~usable).sum()),
        areas_without_responses=without,
    )
    return result


def _positive_weights(weights) -> np.ndarray:
    values = np.asarray(pd.Series(weights).dropna(), dtype=float)
    if values.size == 0 or (values <= 0).any() or not np.isfinite(values).all():
        raise ValueError("weights must be positive finite numbers (NaN rows are ignored)")
    return values


def kish_deff(weights):
    """Kish's design effect of unequal weights, ``n Σw² / (Σw)²`` (1 for equal weights).

    Examples
    --------
    >>> kish_deff([1.0, 1.0, 4.0])
    1.5
    """
    values = _positive_weights(weights)
    return float(values.size * np.sum(values**2) / np.sum(values) ** 2)


def effective_n(weights):
    """The effective sample size of weighted data, ``(Σw)² / Σw²`` (= n / Kish deff).

    Examples
    --------
    >>> effective_n([1.0, 1.0, 4.0])
    2.0
    """
    values = _positive_weights(weights)
    return float(np.sum(values) ** 2 / np.sum(values**2))


def weights_summary(weights):
    """One row: ``n`` (weighted rows), ``deff`` (Kish), ``n_eff``, ``min``, ``max``, ``total``."""
    values = _positive_weights(weights)
    return pd.DataFrame(
        {
            "n": [values.size],
            "deff": [kish_deff(values)],
            "n_eff": [effective_n(values)],
            "min": [values.min()],
            "max": [values.max()],
            "total": [values.sum()],
        }
    )


def load_population(source, questionnaire_id):
    """The population counts stored by ``beboer frame population`` for one questionnaire.

    Parameters
    ----------
    source : str or sqlalchemy.Engine
        The app's database URL or engine.
    questionnaire_id : str
        The questionnaire the counts were imported for.

    Returns
    -------
    pandas.DataFrame
        ``area``, ``count`` and one column per variable of the cells (codes as
        strings); empty when none were imported. Only aggregate counts are
        read: nothing of the sampling frame.
    """
    engine = sa.create_engine(source) if isinstance(source, str) else source
    table = sa.table(
        "population_counts",
        sa.column("questionnaire_id"),
        sa.column("area"),
        sa.column("cell", sa.JSON),
        sa.column("count"),
    )
    query = sa.select(table.c.area, table.c.cell, table.c["count"]).where(
        table.c.questionnaire_id == questionnaire_id
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    except sa.exc.OperationalError as error:
        raise ValueError(f"the database has no population counts table: {error.orig}") from None
    finally:
        if isinstance(source, str):
            engine.dispose()
    records = []
    for area_id, cell, count in rows:
        cell = cell if isinstance(cell, dict) else json.loads(cell or "{}")
        records.append({"area": area_id, **{k: str(v) for k, v in cell.items()}, "count": count})
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame({"area": pd.Series(dtype=str), "count": pd.Series(dtype=int)})
    columns = ["area", *[c for c in frame.columns if c not in ("area", "count")], "count"]
    return frame[columns]
