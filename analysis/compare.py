"""Wave-to-wave change of a share, like for like, with its interval and test."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from analysis._checks import check_alpha, check_by, check_column, check_frame
from analysis.estimate import estimate_table, has_design
from analysis.intervals import DIFF_METHODS, diff_ci

__all__ = ["compare_waves", "ADJUST_METHODS"]

#: ``adjust`` values: statsmodels' ``multipletests`` methods offered here.
ADJUST_METHODS = ("holm", "bonferroni", "hommel", "fdr_bh", "fdr_by")


def _common_mask(first: pd.DataFrame, second: pd.DataFrame, column: str):
    check_column(first, column, "common (first wave)")
    check_column(second, column, "common (second wave)")
    one = set(first[column].dropna().unique().tolist())
    two = set(second[column].dropna().unique().tolist())
    keep = one & two
    dropped = sorted(one ^ two, key=str)
    return (
        first[column].isin(keep).to_numpy(),
        second[column].isin(keep).to_numpy(),
        dropped,
    )


def _pooled_z_pvalue(count1, n1, count2, n2) -> np.ndarray:
    """Two-sided p-value of the pooled two-proportion z-test (1 when the pooled share is 0 or 1)."""
    pooled = (count1 + count2) / (n1 + n2)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    diff = count2 / n2 - count1 / n1
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / se
        p_value = 2.0 * stats.norm.sf(np.abs(z))
    return np.where(se > 0, p_value, 1.0)


def compare_waves(
    first,
    second,
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
    common=None,
    adjust=None,
    lonely_psu="fail",
):
    """Change in the share answering positively from one wave to the next.

    Parameters
    ----------
    first, second : pandas.DataFrame
        The earlier and the later wave, one row per response, each with the
        columns named below.
    item, positive, by, weights, strata, cluster, fpc, exclude
        As for :func:`analysis.estimate`, applied to each wave (each wave is its
        own sample with its own design).
    method : str, optional
        Without a design: any :func:`~analysis.intervals.diff_ci` method (default
        ``"newcombe"``, Newcombe's hybrid score interval). With a design the
        interval is the t interval described in Notes; ``None`` or ``"wald"``.
    alpha : float, default 0.05
        1 - confidence level.
    common : str, optional
        A column (normally ``"area"``): compare only on values present in both
        waves. The values left out are listed, sorted, in
        ``result.attrs["dropped"]``. Rows outside the common values are domains
        of each wave's design, not deleted.
    adjust : str, optional
        Adjust the p-values across the ``by`` groups for multiple testing with
        statsmodels' ``multipletests`` (``"holm"``, ...); adds ``p_value_adj``.
    lonely_psu : {"fail", "adjust"}, default "fail"
        As for :func:`analysis.estimate`, for each wave's design.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``n_1``, ``p_1``, ``n_2``, ``p_2``, ``diff``
        (= ``p_2 - p_1``), ``ci_low``, ``ci_high``, ``p_value`` (and
        ``p_value_adj``). A group present in one wave only has NaN in the other's
        columns and in the comparison. ``attrs["dropped"]`` lists the values left
        out by ``common`` (empty without it).

    Raises
    ------
    ValueError
        As :func:`analysis.estimate`; an unknown ``method`` or ``adjust``.

    Notes
    -----
    Without design arguments the waves are independent simple random samples:
    the interval is Newcombe's (``diff_ci`` of wave 2 minus wave 1) and the
    p-value that of the pooled two-proportion z-test. With a design, each wave's
    ``p``, ``se`` and ``df`` are those of :func:`analysis.estimate`, the standard
    error of the difference is ``sqrt(se_1**2 + se_2**2)`` and the interval and
    p-value use Student's t with ``df_1 + df_2`` degrees of freedom.

    Examples
    --------
    >>> import pandas as pd
    >>> w2012 = pd.DataFrame({"area": ["a"] * 10 + ["b"] * 10,
    ...                       "tilfreds": ["1"] * 14 + ["4"] * 6})
    >>> w2016 = pd.DataFrame({"area": ["a"] * 10 + ["b"] * 10 + ["c"] * 5,
    ...                       "tilfreds": ["1"] * 18 + ["4"] * 7})
    >>> result = compare_waves(w2012, w2016, "tilfreds", "1", common="area")
    >>> result[["n_1", "p_1", "n_2", "p_2", "diff"]]
       n_1  p_1  n_2  p_2  diff
    0   20  0.7   20  0.9   0.2
    >>> result.attrs["dropped"]
    ['c']
    """
    check_frame(first, "first")
    check_frame(second, "second")
    by_columns = check_by(first, by)
    check_by(second, by)
    alpha = check_alpha(alpha)
    design_given = has_design(weights, strata, cluster, fpc)
    if design_given:
        if method not in (None, "wald"):
            raise ValueError(
                f"unknown method {method!r} for comparing waves with a survey design; "
                "the interval is a t interval: use method=None or 'wald'"
            )
    elif method is None:
        method = "newcombe"
    elif method not in DIFF_METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(DIFF_METHODS)}")
    if adjust is not None and adjust not in ADJUST_METHODS:
        raise ValueError(f"unknown adjust {adjust!r}; choose one of {', '.join(ADJUST_METHODS)}")

    masks = (None, None)
    dropped: list = []
    if common is not None:
        *masks, dropped = _common_mask(first, second, common)
    options = dict(
        by=by_columns,
        weights=weights,
        strata=strata,
        cluster=cluster,
        fpc=fpc,
        exclude=exclude,
        method="mean" if design_given else None,
        alpha=alpha,
        lonely_psu=lonely_psu,
    )
    one = estimate_table(first, item, positive, mask=masks[0], **options)
    two = estimate_table(second, item, positive, mask=masks[1], **options)
    if by_columns:
        for column in by_columns:  # align categorical dtypes so the merge keeps every group
            if one[column].dtype != two[column].dtype:
                one[column] = one[column].astype(object)
                two[column] = two[column].astype(object)
        merged = one.merge(two, on=by_columns, how="outer", suffixes=("_1", "_2"), sort=True)
    else:
        merged = one.add_suffix("_1").join(two.add_suffix("_2"))

    n1 = merged["n_1"].to_numpy(dtype=float, na_value=np.nan)
    n2 = merged["n_2"].to_numpy(dtype=float, na_value=np.nan)
    p1 = merged["p_1"].to_numpy(dtype=float, na_value=np.nan)
    p2 = merged["p_2"].to_numpy(dtype=float, na_value=np.nan)
    diff = p2 - p1
    both = np.isfinite(n1) & np.isfinite(n2)
    low = np.full(len(merged), np.nan)
    high = np.full(len(merged), np.nan)
    p_value = np.full(len(merged), np.nan)
    if both.any():
        if design_given:
            se = np.sqrt(
                merged["se_1"].to_numpy(dtype=float) ** 2
                + merged["se_2"].to_numpy(dtype=float) ** 2
            )[both]
            df = (merged["df_1"].to_numpy(dtype=float) + merged["df_2"].to_numpy(dtype=float))[both]
            with np.errstate(divide="ignore", invalid="ignore"):
                t = stats.t.ppf(1.0 - alpha / 2.0, np.where(df > 0, df, np.nan))
                low[both] = diff[both] - t * se
                high[both] = diff[both] + t * se
                statistic = diff[both] / se
                tail = 2.0 * stats.t.sf(np.abs(statistic), np.where(df > 0, df, np.nan))
            p_value[both] = np.where(se > 0, tail, np.where(diff[both] == 0, 1.0, 0.0))
        else:
            c1 = merged["count_1"].to_numpy(dtype=float, na_value=np.nan)[both]
            c2 = merged["count_2"].to_numpy(dtype=float, na_value=np.nan)[both]
            bounds = diff_ci(c2, n2[both], c1, n1[both], alpha=alpha, method=method)
            low[both], high[both] = bounds
            p_value[both] = _pooled_z_pvalue(c1, n1[both], c2, n2[both])

    result = merged[by_columns].copy() if by_columns else pd.DataFrame(index=merged.index)
    result["n_1"] = merged["n_1"].astype("Int64")
    result["p_1"] = p1
    result["n_2"] = merged["n_2"].astype("Int64")
    result["p_2"] = p2
    result["diff"] = diff
    result["ci_low"] = low
    result["ci_high"] = high
    result["p_value"] = p_value
    if adjust is not None:
        adjusted = np.full(len(result), np.nan)
        finite = np.isfinite(p_value)
        if finite.any():
            adjusted[finite] = multipletests(p_value[finite], alpha=alpha, method=adjust)[1]
        result["p_value_adj"] = adjusted
    result = result.reset_index(drop=True)
    result.attrs["dropped"] = dropped
    return result
