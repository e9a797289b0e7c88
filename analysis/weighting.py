"""Weights that make the sample match known population totals.

- :func:`poststratify` scales the weights within each class of one variable so
  that they sum to the class's population total (R's ``postStratify``).
- :func:`rake` does the same for several variables at once by iterative
  proportional fitting, cycling over the margins until every margin matches
  (R's ``rake``).

Both return a new weight per row as a :class:`pandas.Series` aligned with the
data; pass it to :func:`analysis.estimate` as ``weights``.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis._checks import check_column, check_frame, check_weights, plain

__all__ = ["rake", "poststratify", "RakingError"]


class RakingError(RuntimeError):
    """Raking did not converge within ``max_iter`` iterations."""


def _start_weights(data: pd.DataFrame, weights: str | None) -> np.ndarray:
    if weights is None:
        return np.ones(len(data))
    check_column(data, weights, "weights")
    return check_weights(data[weights], weights).copy()


def _margin(data: pd.DataFrame, column: str, totals: object) -> tuple[np.ndarray, np.ndarray]:
    """Class code per row and the population total per class, all checked."""
    check_column(data, column, "margin")
    if not isinstance(totals, Mapping) or not totals:
        raise ValueError(
            f"the population totals for {column!r} must be a non-empty mapping "
            f"{{value: total}}, got {totals!r}"
        )
    values = data[column]
    missing = int(values.isna().sum())
    if missing:
        raise ValueError(
            f"margin column {column!r} has {missing} missing value{'s' if missing != 1 else ''}; "
            "every row needs a class to be weighted"
        )
    keys = list(totals)
    index = pd.Index(keys)
    if index.has_duplicates:
        raise ValueError(f"the population totals for {column!r} name a value twice")
    # match values to keys; compare as strings when the types differ (CSV codes vs ints)
    codes = index.get_indexer(values)
    if (codes < 0).any():
        as_text = pd.Index([str(k) for k in keys])
        if not as_text.has_duplicates:
            text_codes = as_text.get_indexer(values.astype(str))
            if (text_codes >= 0).all():
                codes = text_codes
    unknown = pd.unique(values[codes < 0])
    if len(unknown):
        raise ValueError(
            f"value {plain(unknown[0])!r} of {column!r} occurs in the data but has no population "
            f"total (totals given for {', '.join(repr(k) for k in keys)})"
        )
    present = np.bincount(codes, minlength=len(keys)) > 0
    if not present.all():
        absent = [keys[i] for i in np.flatnonzero(~present)]
        raise ValueError(
            f"value {absent[0]!r} of {column!r} has a population total but no row in the data"
        )
    target = []
    for key in keys:
        total = totals[key]
        if (
            isinstance(total, bool)
            or not isinstance(total, numbers.Real)
            or not np.isfinite(total)
            or total <= 0
        ):
            raise ValueError(
                f"population total for {column!r} = {key!r} must be a positive number, "
                f"got {total!r}"
            )
        target.append(float(total))
    return codes.astype(np.int64), np.asarray(target)


def poststratify(data, column, totals, *, weights=None):
    """Post-stratify: scale weights so each class of ``column`` sums to its population total.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response.
    column : str
        The post-stratification variable (e.g. ``"area"`` or an age group).
    totals : mapping
        ``{value: population_total}`` for every value of ``column`` in the data.
    weights : str, optional
        Column of starting (design) weights; 1 for every row when omitted.

    Returns
    -------
    pandas.Series
        New weights named ``"weight"``, indexed like ``data``.

    Raises
    ------
    ValueError
        Unknown column, a value in the data without a total (or a total for a value
        absent from the data), a missing class, or missing, zero or negative weights.

    Notes
    -----
    ``w_i * N_c / sum_{j in c} w_j`` for row ``i`` in class ``c``, as R's
    ``weights(postStratify(design, ~column, totals))``.

    Examples
    --------
    >>> import pandas as pd
    >>> sample = pd.DataFrame({"area": ["a", "a", "b"]})
    >>> poststratify(sample, "area", {"a": 100, "b": 300}).tolist()
    [50.0, 50.0, 300.0]
    """
    check_frame(data)
    start = _start_weights(data, weights)
    codes, target = _margin(data, column, totals)
    sums = np.bincount(codes, weights=start, minlength=len(target))
    return pd.Series(start * (target / sums)[codes], index=data.index, name="weight")


def rake(data, margins, *, weights=None, max_iter=100, tol=1e-8):
    """Rake weights to several population margins (iterative proportional fitting).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response.
    margins : mapping
        ``{column: {value: population_total}}``, one entry per raking variable.
    weights : str, optional
        Column of starting (design) weights; 1 for every row when omitted.
    max_iter : int, default 100
        Maximum number of full cycles over the margins.
    tol : float, default 1e-8
        Convergence: after a cycle, every margin's weighted total is within
        ``tol`` times its population total.

    Returns
    -------
    pandas.Series
        Raked weights named ``"weight"``, indexed like ``data``.

    Raises
    ------
    ValueError
        As :func:`poststratify`, for each margin; margins whose totals disagree
        on the population size.
    RakingError
        When the weights have not converged after ``max_iter`` cycles.

    Notes
    -----
    Each cycle post-stratifies to every margin in turn, as R's
    ``rake(design, sample.margins, population.margins)``; at convergence the
    weights are R's ``weights(rake(...))``.

    Examples
    --------
    >>> import pandas as pd
    >>> sample = pd.DataFrame({"area": ["a", "a", "b", "b"], "sex": ["f", "m", "f", "f"]})
    >>> w = rake(sample, {"area": {"a": 50, "b": 50}, "sex": {"f": 60, "m": 40}})
    >>> w.groupby(sample["area"]).sum().round(6).tolist()
    [50.0, 50.0]
    >>> w.groupby(sample["sex"]).sum().round(6).tolist()
    [60.0, 40.0]
    """
    check_frame(data)
    if not isinstance(margins, Mapping) or not margins:
        raise ValueError("margins must be a non-empty mapping {column: {value: total}}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not tol > 0:
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    current = _start_weights(data, weights)
    fitted = [(column, *_margin(data, column, totals)) for column, totals in margins.items()]
    sizes = {column: target.sum() for column, _, target in fitted}
    low, high = min(sizes.values()), max(sizes.values())
    if high - low > 1e-9 * high:
        raise ValueError(
            "the margins disagree on the population size: "
            + ", ".join(f"{column!r} sums to {size:g}" for column, size in sizes.items())
        )
    error = np.inf
    for _ in range(max_iter):
        for _column, codes, target in fitted:
            sums = np.bincount(codes, weights=current, minlength=len(target))
            current = current * (target / sums)[codes]
        error = max(
            float(
                np.max(
                    np.abs(np.bincount(codes, weights=current, minlength=len(target)) - target)
                    / target
                )
            )
            for _column, codes, target in fitted
        )
        if error < tol:
            return pd.Series(current, index=data.index, name="weight")
    raise RakingError(
        f"raking did not converge in {max_iter} iterations (largest relative margin error "
        f"{error:.3g} > tol {tol:g}); check that the margins are consistent or raise max_iter"
    )
