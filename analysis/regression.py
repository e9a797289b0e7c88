"""Logistic regression of a yes/no item with design-based standard errors (R's ``svyglm``).

:func:`logit` fits the weighted logistic regression by Newton-Raphson (the
same maximum R's ``glm`` and statsmodels' ``GLM`` find; a million rows in well
under a second) and takes its variance from the survey sandwich of R's
``svyglm(..., family = quasibinomial())``: the scores ``x_i w_i (y_i - mu_i)``
times the inverse information, totalled per PSU and compared within strata
(:func:`analysis.design.total_covariance`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis._checks import as_list, check_alpha, check_column, check_frame
from analysis._items import indicator
from analysis.design import (
    build_design,
    check_lonely,
    covariance_of_totals,
    domain_df,
    unit_totals,
)

__all__ = ["logit", "model_matrix"]


def _is_numeric(values: pd.Series) -> bool:
    return (
        not isinstance(values.dtype, pd.CategoricalDtype)
        and pd.api.types.is_numeric_dtype(values.dtype)
        and not pd.api.types.is_bool_dtype(values.dtype)
    )


def model_matrix(
    data: pd.DataFrame, predictors: list[str], rows: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Design matrix of ``predictors`` over ``rows`` with patsy's names.

    A numeric column enters as itself; any other column (categorical, text,
    boolean) by treatment contrasts against its first level among ``rows``
    (category order for a categorical, sorted values otherwise), named
    ``column[T.level]``. The first column is ``Intercept``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "g": ["b", "a", "b"]})
    >>> matrix, names = model_matrix(frame, ["x", "g"], np.ones(3, bool))
    >>> names, matrix[:, 2].tolist()
    (['Intercept', 'x', 'g[T.b]'], [1.0, 0.0, 1.0])
    """
    n = int(rows.sum())
    columns = [np.ones(n)]
    names = ["Intercept"]
    for name in predictors:
        values = data[name][rows]
        if _is_numeric(values):
            columns.append(values.to_numpy(dtype=float))
            names.append(name)
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy(dtype=np.int64)
            levels = list(values.cat.categories)
        else:
            codes, uniques = pd.factorize(values, sort=True)
            levels = list(uniques)
        present = np.flatnonzero(np.bincount(codes, minlength=len(levels)) > 0)
        if len(present) < 2:
            raise ValueError(
                f"predictor {name!r} takes a single value ({levels[present[0]]!r}) among the "
                "rows used; it cannot explain anything"
            )
        for level in present[1:]:
            columns.append((codes == level).astype(float))
            names.append(f"{name}[T.{levels[level]}]")
    return np.column_stack(columns), names


def _log_likelihood(y: np.ndarray, eta: np.ndarray, w: np.ndarray) -> float:
    """Weighted Bernoulli log-likelihood at linear predictor ``eta``."""
    return float(-(w @ np.logaddexp(0.0, np.where(y > 0.5, -eta, eta))))


def _patterns(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(pattern code per row, first row of each pattern) of the distinct ``(x, y)`` rows.

    ``None`` when there are too many patterns to be worth it (more than a quarter
    of the rows). Survey predictors are codes and small counts, so a million
    responses usually hold a few hundred patterns.
    """
    n = len(y)
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for column in [*x[:, 1:].T, y]:
        codes, uniques = pd.factorize(column)
        radix *= len(uniques)
        if radix > 2**62 or len(uniques) > n // 4:
            return None
        key = key * len(uniques) + codes
    codes, keys = pd.factorize(key)
    if len(keys) > n // 4:
        return None
    first = np.empty(len(keys), dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)
    return codes, first


def _fit(
    y: np.ndarray, x: np.ndarray, w: np.ndarray, names: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted logistic regression coefficients by Newton-Raphson (R's ``glm`` IRLS).

    Iterates to the maximum of the weighted likelihood (steps below 1e-10),
    halving a step that would lower it. Perfect separation shows as a linear
    predictor running off to infinity and is an error. Returns the coefficients
    and the information matrix ``X' diag(w mu (1 - mu)) X`` at them.
    """
    mean_weight = w.mean()
    w = w / mean_weight
    collapsed = _patterns(x, y)
    if collapsed is not None:  # the likelihood is a sum: identical rows add their weights
        codes, first = collapsed
        w = np.bincount(codes, weights=w, minlength=len(first))
        x, y = x[first], y[first]
    cross = (x * w[:, None]).T @ x
    scale = 1.0 / np.sqrt(np.diag(cross))
    if np.linalg.matrix_rank(cross * np.outer(scale, scale), tol=1e-10) < x.shape[1]:
        raise ValueError(f"the predictors are collinear among the rows used: {names}")
    mu = (w * y + 0.5) / (w + 1.0)  # R's mustart for the binomial family
    eta = np.log(mu / (1.0 - mu))
    beta, *_ = np.linalg.lstsq(x, eta, rcond=None)
    eta = x @ beta
    current = _log_likelihood(y, eta, w)
    for _ in range(100):
        mu = 1.0 / (1.0 + np.exp(-eta))
        gradient = x.T @ (w * (y - mu))
        information = (x * (w * mu * (1.0 - mu))[:, None]).T @ x
        try:
            step = np.linalg.solve(information, gradient)
        except np.linalg.LinAlgError:
            raise ValueError("the logistic regression cannot be fitted: the information "
                             "matrix is singular (collinear predictors)") from None
        for _halving in range(30):
            candidate = x @ (beta + step)
            value = _log_likelihood(y, candidate, w)
            if value >= current - 1e-12 * abs(current):
                break
            step = step / 2.0
        beta = beta + step
        eta = candidate
        current = value
        if np.abs(eta).max() > 36.0:
            raise ValueError(
                "the logistic regression cannot be fitted: a predictor separates the "
                "outcome perfectly (fitted probabilities of 0 or 1)"
            )
        if np.abs(step).max() < 1e-10 * (1.0 + np.abs(beta).max()):
            mu = 1.0 / (1.0 + np.exp(-eta))
            information = (x * (w * mu * (1.0 - mu))[:, None]).T @ x
            return beta, information * mean_weight
    raise ValueError("the logistic regression did not converge in 100 iterations")


def logit(
    data,
    outcome,
    predictors,
    *,
    positive,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    alpha=0.05,
    lonely_psu="fail",
):
    """Logistic regression of a yes/no item, as R's ``svyglm(family = quasibinomial())``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response.
    outcome : str
        The item modelled; ``positive`` codes are 1, every other answer 0.
    predictors : str or list of str
        Numeric columns (entering as they are) and categorical ones (treatment
        contrasts, the first level the reference).
    positive : object or list
        The outcome's code(s) counted as "yes" (``True`` for a boolean column).
    weights, strata, cluster, fpc : str, optional
        Design columns as for :func:`analysis.estimate`. Without them each
        response is its own PSU with weight 1 (R's ``svydesign(ids = ~1)``).
    exclude : object or list, optional
        Outcome codes treated as missing (e.g. ``"9"``, "Ved ikke").
    alpha : float, default 0.05
        1 - confidence level.
    lonely_psu : {"fail", "adjust"}, default "fail"
        As for :func:`analysis.estimate`.

    Returns
    -------
    pandas.DataFrame
        One row per ``term`` (``Intercept``, ``x``, ``g[T.level]``) with
        ``estimate`` (log odds ratio), ``se``, ``t``, ``df`` (R's residual degrees
        of freedom: design ``degf`` of the rows used + 1 - number of terms),
        ``p_value`` (two-sided t on ``df``), ``ci_low``, ``ci_high`` (t interval,
        as R's ``confint``). ``result.attrs["n"]`` is the number of rows used.

    Notes
    -----
    Rows missing the outcome or a predictor are dropped from the fit but stay
    in the design (R's ``na.action``: zero scores, every PSU counted).

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"tilfreds": list("1212122211") * 3,
    ...                         "aar": [1, 4, 9, 12, 3, 2, 10, 15, 8, 5] * 3})
    >>> fit = logit(answers, "tilfreds", ["aar"], positive="1")
    >>> fit[["term", "df"]]
            term  df
    0  Intercept  28
    1        aar  28
    """
    check_frame(data)
    alpha = check_alpha(alpha)
    terms = as_list(predictors)
    if not terms:
        raise ValueError("logit needs at least one predictor")
    for name in terms:
        check_column(data, name, "predictor")
        if name == outcome:
            raise ValueError(f"{name!r} is both the outcome and a predictor")
    if len(set(terms)) != len(terms):
        raise ValueError(f"predictors name a column twice: {terms}")
    y, used = indicator(data, outcome, positive, exclude)
    for name in terms:
        used = used & data[name].notna().to_numpy()
    if not used.any():
        raise ValueError(f"no row has {outcome!r} and every predictor answered")
    design = build_design(
        data, weights=weights, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
    )
    x, names = model_matrix(data, terms, used)
    yy = y[used]
    if yy.min() == yy.max():
        raise ValueError(f"every row used has the same value of {outcome!r}; nothing to model")
    w = design.weights[used]
    beta, information = _fit(yy, x, w, names)
    mu = 1.0 / (1.0 + np.exp(-(x @ beta)))
    scores = x @ np.linalg.inv(information)
    scores *= (w * (yy - mu))[:, None]
    check_lonely(design, used)
    rows = np.flatnonzero(used)
    covariance = covariance_of_totals(design, *unit_totals(design, scores, rows))
    se = np.sqrt(np.diag(covariance))
    df = domain_df(design, used) + 1 - x.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
        if df > 0:
            p_value = 2.0 * stats.t.sf(np.abs(t), df)
            half = stats.t.ppf(1.0 - alpha / 2.0, df) * se
        else:
            p_value = np.full(len(beta), np.nan)
            half = np.full(len(beta), np.nan)
    table = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "se": se,
            "t": t,
            "df": np.full(len(beta), df, dtype=np.int64),
            "p_value": p_value,
            "ci_low": beta - half,
            "ci_high": beta + half,
        }
    )
    table.attrs["n"] = int(used.sum())
    return table
