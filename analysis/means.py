"""Means of numeric items (years lived, number of children) with intervals and design effects.

:func:`estimate_mean` is to a number what :func:`analysis.estimate` is to a
share: the mean with its base ``n``, standard error, t interval and degrees of
freedom, overall or per group, from a simple random sample or a survey design
as R's ``svymean``/``svyby`` compute it. :func:`design_effect` gives R's
``deff`` for both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis._checks import check_alpha, check_by, check_column, check_frame, check_min_n
from analysis._groups import group_rows
from analysis._items import answered_mask
from analysis.design import build_design, domain_stats

__all__ = ["estimate_mean", "design_effect"]


def design_effect(
    y: np.ndarray,
    weights: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    mean: np.ndarray,
    variance: np.ndarray,
) -> np.ndarray:
    """Design effects of domain means as R's ``svymean(..., deff = TRUE)``.

    The design variance divided by that of a simple random sample of the same
    size drawn without replacement from the estimated population:
    ``v_srs = s2 * (N - n) / (N n)``, with ``N`` the domain's sum of weights,
    ``n`` its rows and ``s2 = n / (n - 1) * sum w (y - mean)**2 / N`` (R's
    ``svyvar``). With weights summing to no more than ``n`` (no weights at all)
    ``v_srs`` is 0 and the design effect infinite, as in R; with ``N < n`` it is
    undefined (NaN; R warns that the weights look wrongly scaled).

    Parameters
    ----------
    y, weights : numpy.ndarray
        The variable and the sampling weights per row.
    codes : numpy.ndarray of int
        Domain code per row, ``-1`` outside every domain.
    n_groups : int
        Number of domains.
    mean, variance : numpy.ndarray
        The domains' design-based means and variances.

    Returns
    -------
    numpy.ndarray
        One design effect per domain.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([1.0, 2.0, 3.0, 4.0]); w = np.full(4, 10.0)
    >>> float(design_effect(y, w, np.zeros(4, int), 1, np.array([2.5]), np.array([0.375]))[0])
    1.0
    """
    inside = codes >= 0
    g = codes[inside]
    w = np.asarray(weights, dtype=float)[inside]
    yy = np.asarray(y, dtype=float)[inside]
    n = np.bincount(g, minlength=n_groups).astype(float)
    total = np.bincount(g, weights=w, minlength=n_groups)
    squares = np.bincount(g, weights=w * (yy - mean[g]) ** 2, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = squares / total * n / (n - 1.0)
        v_srs = s2 * (total - n) / (total * n)
        v_srs = np.where(total < n * (1.0 - 1e-12), np.nan, np.maximum(v_srs, 0.0))
        return np.asarray(variance, dtype=float) / v_srs


def _numeric(data: pd.DataFrame, item: str) -> np.ndarray:
    values = data[item]
    if isinstance(values.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    ):
        raise ValueError(
            f"item {item!r} must be a numeric column for a mean, got dtype {values.dtype}; "
            "use estimate() for the share of a code"
        )
    array = values.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(array)
    if infinite.any():
        raise ValueError(f"item {item!r} has {int(infinite.sum())} infinite values")
    return array


def estimate_mean(
    data,
    item,
    *,
    by=None,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    alpha=0.05,
    lonely_psu="fail",
    deff=False,
    min_n=None,
):
    """Mean of a numeric item with its interval, overall or by group.

    Without design arguments the answers are a simple random sample: the mean,
    ``se = s / sqrt(n)`` and a t interval on ``n - 1`` degrees of freedom. With
    any of ``weights``, ``strata``, ``cluster`` or ``fpc`` the mean and its
    standard error are R's ``svymean`` (``svyby`` for groups) by Taylor
    linearisation and the interval is ``mean +/- t(df) se`` on the design's
    degrees of freedom (``confint(..., df = degf(design))``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response (as from :func:`analysis.load_responses`).
    item : str
        A numeric column (e.g. ``"antal_boern"``); missing values are not answers.
    by : str or list of str, optional
        Grouping columns; one row per group present, sorted by the groups' values.
    weights, strata, cluster, fpc : str, optional
        Design columns, as for :func:`analysis.estimate`.
    exclude : number or list, optional
        Values treated as missing (e.g. ``99`` for "don't know" in a number).
    alpha : float, default 0.05
        1 - confidence level.
    lonely_psu : {"fail", "adjust"}, default "fail"
        A stratum with a single PSU is an error unless ``"adjust"``.
    deff : bool, default False
        Add ``deff``, the design effect against simple random sampling without
        replacement (see :func:`design_effect`); the effective sample size is
        ``n / deff``. Without design arguments ``deff`` is 1.
    min_n : int, optional
        Groups with fewer respondents get the mean, se and interval as NaN and
        ``suppressed = True``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``n``, ``mean``, ``se``, ``ci_low``, ``ci_high``, ``df``
        (``n - 1``, or R's ``degf`` of the domain), ``deff`` when asked, and
        ``suppressed``.

    Raises
    ------
    ValueError
        Unknown column, a non-numeric item, bad design columns, a lonely PSU,
        an empty domain.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"area": ["n", "n", "n", "s", "s", "s"],
    ...                         "boern": pd.array([0, 2, 1, 3, None, 1], dtype="Int64")})
    >>> estimate_mean(answers, "boern", by="area")[["area", "n", "mean", "df"]]
      area  n  mean  df
    0    n  3   1.0   2
    1    s  2   2.0   1
    """
    check_frame(data)
    check_column(data, item, "item")
    by_columns = check_by(data, by)
    alpha = check_alpha(alpha)
    min_n = check_min_n(min_n)
    if not isinstance(deff, bool):
        raise ValueError(f"deff must be True or False, got {deff!r}")
    y = _numeric(data, item)
    answered = answered_mask(data, item, exclude) & ~np.isnan(y)
    groups = group_rows(data, by_columns, answered)
    if groups.count == 0:
        where = f" in any group of {by_columns}" if by_columns else ""
        raise ValueError(
            f"empty domain: no row answers {item!r}{where} after removing missing and "
            "excluded answers"
        )
    y = np.where(answered, y, 0.0)
    design_given = any(arg is not None for arg in (weights, strata, cluster, fpc))
    if design_given:
        design = build_design(
            data, weights=weights, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
        )
        result = domain_stats(design, y, groups.codes, groups.count)
        n, mean, df, variance = result.n, result.p, result.df, result.variance
        effect = design_effect(y, design.weights, groups.codes, groups.count, mean, variance)
    else:
        g = groups.codes[groups.codes >= 0]
        yy = y[groups.codes >= 0]
        n = np.bincount(g, minlength=groups.count)
        mean = np.bincount(g, weights=yy, minlength=groups.count) / n
        squares = np.bincount(g, weights=(yy - mean[g]) ** 2, minlength=groups.count)
        with np.errstate(divide="ignore", invalid="ignore"):
            variance = squares / (n - 1.0) / n
        df = n - 1
        effect = np.ones(groups.count)
    se = np.sqrt(variance)
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(1.0 - alpha / 2.0, np.where(df > 0, df, np.nan))
    table = groups.keys.copy()
    table["n"] = np.asarray(n).astype(np.int64)
    table["mean"] = mean
    table["se"] = se
    table["ci_low"] = mean - t * se
    table["ci_high"] = mean + t * se
    table["df"] = np.asarray(df).astype(np.int64)
    if deff:
        table["deff"] = effect
    suppressed = table["n"].to_numpy() < min_n if min_n is not None else np.zeros(len(table), bool)
    table["suppressed"] = suppressed
    hidden = ["mean", "se", "ci_low", "ci_high"] + (["deff"] if deff else [])
    table.loc[suppressed, hidden] = np.nan
    return table
