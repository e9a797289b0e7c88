"""Shares of residents answering "yes", with intervals, overall or by group.

:func:`estimate` is the workhorse of the analysis: a share (``p``) with its
base (``n``), standard error, confidence interval and degrees of freedom, for
the whole sample or per group, from a simple random sample or from a survey
design exactly as R's ``survey`` package computes it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis._checks import check_alpha, check_by, check_frame, check_min_n
from analysis._groups import group_rows
from analysis._items import indicator
from analysis.design import build_design, domain_stats
from analysis.intervals import PROPORTION_METHODS, proportion_ci
from analysis.means import design_effect

__all__ = ["estimate", "DESIGN_METHODS"]

#: ``method`` values for a survey design (R's ``svyciprop``).
DESIGN_METHODS = ("logit", "beta", "mean")

_COLUMNS = ["n", "p", "se", "ci_low", "ci_high", "df", "suppressed"]


def has_design(weights, strata, cluster, fpc) -> bool:
    """True when any design argument is given.

    Examples
    --------
    >>> has_design(None, None, None, None), has_design("w", None, None, None)
    (False, True)
    """
    return any(arg is not None for arg in (weights, strata, cluster, fpc))


def design_interval(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, n: np.ndarray, alpha: float, method: str
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence bounds of design-based proportions as R's ``svyciprop``.

    Parameters
    ----------
    p, se, df, n : numpy.ndarray
        Estimates, standard errors, design degrees of freedom and row counts.
    alpha : float
        1 - confidence level.
    method : {"logit", "beta", "mean"}
        ``logit``: a t interval on the logit scale, back-transformed (for ``p`` of
        0 or 1 the interval is the point); ``beta``: Korn and Graubard's
        Clopper-Pearson interval with the effective sample size
        ``p(1-p)/se**2 * (t(n-1)/t(df))**2`` (undefined, NaN, when ``p`` is 0 or 1,
        as in R; the point ``p`` when ``se`` is 0 and ``0 < p < 1``, the limit, where
        R returns 0.5); ``mean``: ``p +/- t(df) * se``. Without degrees of freedom
        (``df`` 0: a domain within a single PSU per stratum) there is no interval
        (NaN), as in R.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds.

    Examples
    --------
    >>> import numpy as np
    >>> low, high = design_interval(np.array([0.5]), np.array([0.05]), np.array([99]),
    ...                             np.array([100]), 0.05, "mean")
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.4008, 0.5992)
    """
    p = np.asarray(p, dtype=float)
    se = np.asarray(se, dtype=float)
    df = np.asarray(df, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = stats.t.ppf(1.0 - alpha / 2.0, np.where(df > 0, df, np.nan))
        if method == "mean":
            return p - t * se, p + t * se
        if method == "logit":
            inner = (p > 0) & (p < 1)
            eta = np.log(p / (1.0 - p))
            half = t * se / (p * (1.0 - p))
            low = np.where(inner, stats.logistic.cdf(eta - half), p)
            high = np.where(inner, stats.logistic.cdf(eta + half), p)
            no_df = ~(df > 0)
            return np.where(no_df, np.nan, low), np.where(no_df, np.nan, high)
        n_eff = p * (1.0 - p) / se**2
        ratio = stats.t.ppf(alpha / 2.0, np.asarray(n, dtype=float) - 1.0) / stats.t.ppf(
            alpha / 2.0, np.where(df > 0, df, np.nan)
        )
        n_eff = n_eff * ratio**2
        low = stats.beta.ppf(alpha / 2.0, n_eff * p, n_eff * (1.0 - p) + 1.0)
        high = stats.beta.ppf(1.0 - alpha / 2.0, n_eff * p + 1.0, n_eff * (1.0 - p))
        # no variance with 0 < p < 1 (e.g. constant within strata): the limit is the point
        # itself (R's qbeta with infinite shapes returns 0.5, whatever p is)
        point = (se == 0) & (p > 0) & (p < 1) & (df > 0)
        return np.where(point, p, low), np.where(point, p, high)


def check_method(method: object, design: bool) -> str:
    """Default and validate ``method`` for a design or a simple random sample.

    Examples
    --------
    >>> check_method(None, design=True), check_method(None, design=False)
    ('logit', 'wilson')
    """
    allowed = DESIGN_METHODS if design else PROPORTION_METHODS
    if method is None:
        return allowed[0]
    if method not in allowed:
        kind = "a survey design" if design else "a simple random sample (no design arguments)"
        raise ValueError(
            f"unknown method {method!r} for {kind}; choose one of {', '.join(allowed)}"
        )
    return method


def estimate_table(
    data: pd.DataFrame,
    item: str,
    positive: object,
    *,
    by=None,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    method=None,
    alpha=0.05,
    min_n=None,
    lonely_psu="fail",
    deff=False,
    mask: np.ndarray | None = None,
) -> pd.DataFrame:
    """:func:`estimate` plus a ``count`` column (rows answering positively).

    Parameters are those of :func:`estimate`; ``mask`` (bool per row) restricts
    the domain further, the rows outside it staying in the design.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> data = pd.DataFrame({"q": ["1", "2", "1", "1"]})
    >>> estimate_table(data, "q", "1", mask=np.array([True, True, True, False]))[["n", "count"]]
       n  count
    0  3      2
    """
    check_frame(data)
    by_columns = check_by(data, by)
    alpha = check_alpha(alpha)
    min_n = check_min_n(min_n)
    design_given = has_design(weights, strata, cluster, fpc)
    method = check_method(method, design_given)
    if not isinstance(deff, bool):
        raise ValueError(f"deff must be True or False, got {deff!r}")
    y, answered = indicator(data, item, positive, exclude)
    if mask is not None:
        answered = answered & mask
    groups = group_rows(data, by_columns, answered)
    if groups.count == 0:
        where = f" in any group of {by_columns}" if by_columns else ""
        raise ValueError(
            f"empty domain: no row answers {item!r}{where} after removing missing and "
            "excluded answers"
        )
    inside = groups.codes >= 0
    in_group = groups.codes[inside]
    count = np.bincount(in_group, weights=y[inside], minlength=groups.count)
    if design_given:
        design = build_design(
            data, weights=weights, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
        )
        result = domain_stats(design, y, groups.codes, groups.count)
        n, p, df = result.n, result.p, result.df
        se = np.sqrt(result.variance)
        low, high = design_interval(p, se, df, n, alpha, method)
        effect = design_effect(y, design.weights, groups.codes, groups.count, p, result.variance)
    else:
        n = np.bincount(in_group, minlength=groups.count)
        p = count / n
        se = np.sqrt(p * (1.0 - p) / n)
        low, high = proportion_ci(count, n, alpha=alpha, method=method)
        df = n - 1
        effect = np.ones(groups.count)
    table = groups.keys.copy()
    table["n"] = n.astype(np.int64)
    table["p"] = p
    table["se"] = se
    table["ci_low"] = np.asarray(low, dtype=float)
    table["ci_high"] = np.asarray(high, dtype=float)
    table["df"] = np.asarray(df).astype(np.int64)
    if deff:
        table["deff"] = effect
    suppressed = n < min_n if min_n is not None else np.zeros(len(n), dtype=bool)
    table["suppressed"] = suppressed
    hidden = ["p", "se", "ci_low", "ci_high"] + (["deff"] if deff else [])
    table.loc[suppressed, hidden] = np.nan
    table["count"] = np.rint(count).astype(np.int64)
    return table


def estimate(
    data,
    item,
    positive,
    *,
    by=None,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    method=None,
    alpha=0.05,
    min_n=None,
    lonely_psu="fail",
    deff=False,
):
    """Share of respondents giving a positive answer, with its interval.

    Without design arguments the responses are a simple random sample: ``p`` is
    the share, ``se = sqrt(p (1 - p) / n)`` and the interval is
    :func:`analysis.intervals.proportion_ci` (Wilson by default). With any of
    ``weights``, ``strata``, ``cluster`` or ``fpc`` the estimate, its standard
    error and interval are those of R's ``survey`` package for
    ``svydesign(ids = ~cluster (or ~1), strata, weights, fpc)``, ``svymean`` and
    ``svyciprop``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response (as from :func:`analysis.load_responses`).
    item : str
        Column of the question: codes (ideally an ordered categorical), or a
        boolean column for one option of a multiple-choice question.
    positive : object or list
        The code(s) counted as "yes", e.g. ``["1", "2"]`` for *meget tilfreds* and
        *tilfreds*; ``True`` for a boolean column.
    by : str or list of str, optional
        Grouping columns (e.g. ``"area"``); one result row per group present in
        the domain, sorted by the groups' values.
    weights : str, optional
        Column of sampling weights (positive).
    strata : str, optional
        Column of strata.
    cluster : str, optional
        Column of primary sampling units (one-stage cluster sample).
    fpc : str, optional
        Column of the stratum's population size (finite population correction).
    exclude : object or list, optional
        Codes treated as missing, e.g. ``"9"`` ("Ved ikke"): the base ``n`` shrinks.
    method : str, optional
        Interval method. Simple random sample: any method of
        :func:`~analysis.intervals.proportion_ci` (default ``"wilson"``). Design:
        ``"logit"`` (default), ``"beta"`` or ``"mean"`` as in R's ``svyciprop``.
    alpha : float, default 0.05
        1 - confidence level.
    min_n : int, optional
        Groups with fewer respondents get ``p``, ``se`` and the interval as NaN and
        ``suppressed = True``.
    lonely_psu : {"fail", "adjust"}, default "fail"
        A stratum with a single PSU raises a ``ValueError`` naming it, unless
        ``"adjust"`` (R's ``options(survey.lonely.psu = "adjust")``).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``n`` (respondents in the base), ``p``, ``se``,
        ``ci_low``, ``ci_high``, ``df`` (degrees of freedom: ``n - 1``, or R's
        ``degf`` of the domain), ``deff`` when asked, and ``suppressed``.

    Raises
    ------
    ValueError
        Unknown column (with close matches), positive codes not among the item's
        categories, bad weights, unknown method, a lonely PSU, an empty domain.

    Notes
    -----
    Rows dropped by ``exclude`` or with no answer, and each ``by`` group, are
    domains of the full design, as R's ``subset(design, ...)`` and ``svyby``:
    the linearised variable is zero outside the domain and every PSU enters the
    variance; ``df`` is the number of PSUs minus the number of strata with rows
    in the domain. See :mod:`analysis.design` for the formula.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({
    ...     "area": ["north"] * 4 + ["south"] * 4,
    ...     "tilfreds": ["1", "2", "4", "9", "1", "1", "2", "5"],
    ... })
    >>> table = estimate(answers, "tilfreds", ["1", "2"], by="area", exclude="9")
    >>> table[["area", "n", "p"]].round(3)
        area  n      p
    0  north  3  0.667
    1  south  4  0.750
    >>> answers["w"] = [1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    >>> weighted = estimate(answers, "tilfreds", ["1", "2"], weights="w", exclude="9")
    >>> weighted[["n", "p", "df"]].round(3)
       n      p  df
    0  7  0.625   6
    """
    table = estimate_table(
        data,
        item,
        positive,
        by=by,
        weights=weights,
        strata=strata,
        cluster=cluster,
        fpc=fpc,
        exclude=exclude,
        method=method,
        alpha=alpha,
        min_n=min_n,
        lonely_psu=lonely_psu,
        deff=deff,
    )
    return table.drop(columns="count")
