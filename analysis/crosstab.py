"""Two-way tables with row shares and a design-based test of independence (R's ``svychisq``).

:func:`crosstab` answers "does satisfaction differ by age group?": the
weighted table of two single-choice items, each row's shares with intervals,
and the Rao-Scott test of independence exactly as R's ``survey::svychisq``
computes it (the second-order F by default, the first-order corrected
chi-square on request).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis._checks import as_list, check_alpha, check_choice, check_column, check_frame
from analysis._items import answered_mask
from analysis.design import build_design, check_lonely, covariance_of_totals, domain_stats
from analysis.estimate import design_interval
from analysis.intervals import proportion_ci

__all__ = ["crosstab", "CrosstabResult", "IndependenceTest", "STATISTICS"]

#: ``statistic`` values (R's ``svychisq(..., statistic = ...)``).
STATISTICS = ("F", "Chisq")


@dataclass(frozen=True)
class IndependenceTest:
    """The Rao-Scott test of independence of a two-way table.

    Attributes
    ----------
    method : str
        ``"F"`` (second-order Rao-Scott F) or ``"Chisq"`` (first-order correction).
    statistic : float
        ``F = X2 / trace(Delta)``, or the corrected chi-square
        ``X2 / mean(diag(Delta))``.
    p_value : float
        Upper tail of ``F(ndf, ddf)`` or of ``chi2(df)``.
    ndf, ddf : float or None
        Numerator and denominator degrees of freedom of the F (``d0`` and
        ``d0 * nu``); ``None`` for ``"Chisq"``.
    df : int or None
        ``(rows - 1) (columns - 1)`` for ``"Chisq"``; ``None`` for ``"F"``.
    pearson : float
        Pearson's X2 of the weighted table scaled to the sample size (what R
        prints as ``X-squared`` for ``"Chisq"``).
    design_df : int
        ``nu``, the design's degrees of freedom (PSUs minus strata).
    """

    method: str
    statistic: float
    p_value: float
    ndf: float | None
    ddf: float | None
    df: int | None
    pearson: float
    design_df: int


@dataclass(frozen=True)
class CrosstabResult:
    """What :func:`crosstab` returns: ``table`` (a DataFrame) and ``test``."""

    table: pd.DataFrame
    test: IndependenceTest


def _has_code(values: pd.Series, code: object) -> bool:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return code in values.cat.categories
    return bool(values.isin([code]).any())


def _answered(data: pd.DataFrame, item: str, exclude: object) -> np.ndarray:
    """Rows answering ``item``, without the ``exclude`` codes that are codes of it."""
    codes = [code for code in as_list(exclude) if _has_code(data[item], code)]
    return answered_mask(data, item, codes or None)


def _levels(values: pd.Series, mask: np.ndarray, name: str) -> tuple[np.ndarray, list]:
    """Codes per row (-1 outside ``mask``) over the levels present in the masked rows."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw = values.cat.codes.to_numpy(dtype=np.int64)
        categories = list(values.cat.categories)
    else:
        raw, uniques = pd.factorize(values, sort=True)
        categories = list(uniques)
    present = np.bincount(raw[mask], minlength=len(categories)) > 0
    if present.sum() < 2:
        raise ValueError(
            f"{name} needs at least two different answers among the rows answering both "
            f"items; found {int(present.sum())}"
        )
    lookup = np.full(len(categories) + 1, -1, dtype=np.int64)
    lookup[np.flatnonzero(present)] = np.arange(int(present.sum()))
    codes = np.where(mask, lookup[raw], -1)
    return codes, [categories[i] for i in np.flatnonzero(present)]


def _cell_covariance(design, cell, n_cells, mask, mean, total):
    """Covariance of the cell shares (R's ``svymean(mm, design, na.rm = TRUE)``)."""
    check_lonely(design, mask)
    rows = np.flatnonzero(mask)
    w = design.weights[rows] / total
    c = cell[rows]
    if design.psu is None:
        # every row is a PSU: t_i = w_i (e_c - mean); build the sums in closed form
        h = design.stratum[rows]
        n_strata = design.n_strata
        scale = design.stratum_scale[h]
        u = np.bincount(c, weights=scale * w * w, minlength=n_cells)
        cov = np.diag(u) - np.outer(mean, u) - np.outer(u, mean) + np.outer(mean, mean) * u.sum()
        v = np.bincount(h * n_cells + c, weights=w, minlength=n_strata * n_cells).reshape(
            n_strata, n_cells
        )
        sums = v - np.outer(v.sum(axis=1), mean)
        npsu = design.stratum_npsu.astype(float)
        keep = npsu > 1
        factor = np.where(keep, design.stratum_scale / np.maximum(npsu, 1.0), 0.0)
        return cov - (sums * factor[:, None]).T @ sums
    codes, units = pd.factorize(design.psu[rows])
    n_units = len(units)
    a = np.bincount(codes * n_cells + c, weights=w, minlength=n_units * n_cells).reshape(
        n_units, n_cells
    )
    b = np.bincount(codes, weights=w, minlength=n_units)
    totals = a - np.outer(b, mean)
    return covariance_of_totals(design, totals, design.psu_stratum[np.asarray(units)])


def _test(table, mean, cov, n_rows, n_cols, n_total, nu, statistic) -> IndependenceTest:
    """Rao-Scott test from the cell shares, their covariance and the weighted table."""
    scaled = table * n_total / table.sum()
    expected = np.outer(scaled.sum(axis=1), scaled.sum(axis=0)) / n_total
    pearson = float(((scaled - expected) ** 2 / expected).sum())
    # cells in R's order: the row level varies fastest
    r = np.tile(np.arange(n_rows), n_cols)
    c = np.repeat(np.arange(n_cols), n_rows)
    main = [np.ones(n_rows * n_cols)]
    main += [(r == i).astype(float) for i in range(1, n_rows)]
    main += [(c == j).astype(float) for j in range(1, n_cols)]
    x1 = np.column_stack(main)
    inter = np.column_stack(
        [((r == i) & (c == j)).astype(float) for j in range(1, n_cols) for i in range(1, n_rows)]
    )
    coef, *_ = np.linalg.lstsq(x1, inter, rcond=None)
    cmat = inter - x1 @ coef
    inv_mean = np.where(mean == 0, 0.0, 1.0 / np.where(mean == 0, 1.0, mean))
    weighted = cmat * inv_mean[:, None]
    denom = cmat.T @ weighted / n_total
    numer = weighted.T @ cov @ weighted
    delta = np.linalg.solve(denom, numer)
    trace = float(np.trace(delta))
    d0 = trace**2 / float(np.trace(delta @ delta))
    if statistic == "F":
        value = pearson / trace
        return IndependenceTest(
            "F", value, float(stats.f.sf(value, d0, d0 * nu)), d0, d0 * nu, None, pearson, nu
        )
    df = delta.shape[1]
    value = pearson / (trace / df)
    return IndependenceTest(
        "Chisq", value, float(stats.chi2.sf(value, df)), None, None, df, pearson, nu
    )


def crosstab(
    data,
    row,
    col,
    *,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    statistic="F",
    alpha=0.05,
    lonely_psu="fail",
):
    """Two-way table of two items with row shares, intervals and R's ``svychisq`` test.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response.
    row, col : str
        The two items (single-choice codes, or any column of categories). Only
        rows answering both enter; the levels are those present among them (a
        categorical keeps its category order).
    weights, strata, cluster, fpc : str, optional
        Design columns, as for :func:`analysis.estimate`. Without them the
        responses are a simple random sample (R's ``svydesign(ids = ~1)``).
    exclude : object or list, optional
        Codes treated as missing (e.g. ``"9"``, "Ved ikke") in whichever of the
        two items has them; a code of neither item is an error.
    statistic : {"F", "Chisq"}, default "F"
        ``"F"``: Rao and Scott's second-order corrected F (``statistic``, ``ndf``,
        ``ddf``, ``p_value``); ``"Chisq"``: the first-order corrected chi-square
        ``X2 / mean(eigenvalues)`` on ``(r - 1)(c - 1)`` degrees of freedom.
    alpha : float, default 0.05
        1 - confidence level of the row shares' intervals.
    lonely_psu : {"fail", "adjust"}, default "fail"
        As for :func:`analysis.estimate`.

    Returns
    -------
    CrosstabResult
        ``result.table``: one row per cell with the ``row`` and ``col`` values,
        ``n`` (respondents in the row), ``count`` (respondents in the cell),
        ``total`` (weighted count), ``p`` (share of the row), ``se``, ``ci_low``,
        ``ci_high`` (logit interval as ``svyciprop`` with a design, Wilson
        without). ``result.test``: an :class:`IndependenceTest`.

    Notes
    -----
    As R: the cell shares' covariance ``V`` comes from the design (rows missing
    either item are a domain of the full design), ``Delta = (C' D^-1 C / N)^-1
    C' D^-1 V D^-1 C`` with ``C`` the interaction contrasts orthogonal to the
    main effects, ``D = diag(shares)`` and ``N`` every row of the data (R's
    ``nrow(model.matrix)``); Pearson's X2 is that of the weighted table scaled
    to ``N``; ``F = X2 / trace(Delta)`` on ``d0 = trace(Delta)^2 /
    trace(Delta^2)`` and ``d0 * nu`` degrees of freedom, ``nu`` = PSUs - strata.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"age": ["young"] * 6 + ["old"] * 6,
    ...                         "happy": list("yyynnn") + list("yyyyyn")})
    >>> result = crosstab(answers, "age", "happy")
    >>> result.table[["age", "happy", "n", "count"]].head(2)
       age happy  n  count
    0  old     n  6      1
    1  old     y  6      5
    >>> round(result.test.p_value, 3)
    0.266
    """
    check_frame(data)
    check_column(data, row, "row")
    check_column(data, col, "col")
    if row == col:
        raise ValueError(f"row and col are the same column {row!r}")
    check_choice(statistic, STATISTICS, "statistic")
    alpha = check_alpha(alpha)
    both = _answered(data, row, exclude) & _answered(data, col, exclude)
    unused = [
        code for code in as_list(exclude)
        if not (_has_code(data[row], code) or _has_code(data[col], code))
    ]
    if unused:
        raise ValueError(f"exclude codes {unused} are codes of neither {row!r} nor {col!r}")
    if not both.any():
        raise ValueError(f"no row answers both {row!r} and {col!r}")
    row_codes, row_levels = _levels(data[row], both, f"row {row!r}")
    col_codes, col_levels = _levels(data[col], both, f"col {col!r}")
    n_rows, n_cols = len(row_levels), len(col_levels)
    n_cells = n_rows * n_cols
    design = build_design(
        data, weights=weights, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
    )
    cell = np.where(both, row_codes + n_rows * col_codes, -1)
    w = design.weights
    total = float(w[both].sum())
    weighted = np.bincount(cell[both], weights=w[both], minlength=n_cells)
    mean = weighted / total
    cov = _cell_covariance(design, cell, n_cells, both, mean, total)
    if design.psu is None:
        nu = len(data) - design.n_strata
    else:
        nu = len(design.psu_stratum) - design.n_strata
    test = _test(
        weighted.reshape(n_cols, n_rows).T, mean, cov, n_rows, n_cols, len(data), nu, statistic
    )

    # row shares: each row level is a domain; each column level a 0/1 variable
    counts = np.bincount(cell[both], minlength=n_cells).reshape(n_cols, n_rows).T
    base = counts.sum(axis=1)
    design_given = any(arg is not None for arg in (weights, strata, cluster, fpc))
    share = np.empty((n_rows, n_cols))
    se = np.empty((n_rows, n_cols))
    low = np.empty((n_rows, n_cols))
    high = np.empty((n_rows, n_cols))
    for j in range(n_cols):
        if design_given:
            result = domain_stats(design, (col_codes == j).astype(float), row_codes, n_rows)
            share[:, j] = result.p
            se[:, j] = np.sqrt(result.variance)
            low[:, j], high[:, j] = design_interval(
                result.p, se[:, j], result.df, result.n, alpha, "logit"
            )
        else:
            share[:, j] = counts[:, j] / base
            se[:, j] = np.sqrt(share[:, j] * (1.0 - share[:, j]) / base)
            low[:, j], high[:, j] = proportion_ci(counts[:, j], base, alpha=alpha)
    table = pd.DataFrame(
        {
            row: np.repeat(np.asarray(row_levels, dtype=object), n_cols),
            col: np.tile(np.asarray(col_levels, dtype=object), n_rows),
            "n": np.repeat(base, n_cols).astype(np.int64),
            "count": counts.ravel().astype(np.int64),
            "total": weighted.reshape(n_cols, n_rows).T.ravel(),
            "p": share.ravel(),
            "se": se.ravel(),
            "ci_low": low.ravel(),
            "ci_high": high.ravel(),
        }
    )
    return CrosstabResult(table=table, test=test)
