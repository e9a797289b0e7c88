"""One-stage survey designs and Taylor-linearised variances of domain means.

This reproduces what R's ``survey`` package computes for
``svydesign(ids = ~cluster or ~1, strata = ~strata, weights = ~weights, fpc = ~fpc)``
followed by ``svymean`` on ``subset(design, ...)`` or within ``svyby``:

- the estimate of a domain mean is the ratio ``sum(w * y) / sum(w)`` over the
  rows of the domain;
- its variance is that of the linearised variable
  ``z = w * (y - p) / sum(w)`` inside the domain and ``0`` outside, summed per
  PSU and compared between the PSUs of each stratum, *every* PSU of the full
  design included (R's ``onestrat``):
  ``var = sum_h f_h * n_h / (n_h - 1) * sum_j (t_hj - mean_h(t))**2`` with
  ``f_h = (N_h - n_h) / N_h`` when a population size ``N_h`` is given, else 1;
- the degrees of freedom are R's ``degf`` on the domain: PSUs with rows in the
  domain minus strata with rows in the domain.

A stratum with a single PSU has no within-stratum variance. R stops with an
error (``survey.lonely.psu = "fail"``, the default) or, with ``"adjust"``,
centres that PSU at the grand mean, which is zero for a linearised mean, so it
contributes ``f_h * t**2``.

Everything is vectorised with :func:`numpy.bincount` over integer codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis._checks import check_choice, check_column, check_weights, plain
from analysis._groups import sorted_codes

__all__ = [
    "Design",
    "DomainStats",
    "build_design",
    "domain_stats",
    "domain_df",
    "total_covariance",
    "LONELY_PSU",
]

#: Accepted values of ``lonely_psu`` (R's ``options(survey.lonely.psu = ...)``).
LONELY_PSU = ("fail", "adjust")


@dataclass(frozen=True)
class Design:
    """A one-stage stratified cluster design over the rows of a frame.

    Attributes
    ----------
    weights : numpy.ndarray
        Sampling weight per row.
    stratum : numpy.ndarray
        Stratum code per row (``0 .. n_strata - 1``).
    psu : numpy.ndarray or None
        PSU code per row (``0 .. n_psu - 1``); ``None`` when every row is its own PSU.
    psu_stratum : numpy.ndarray or None
        Stratum code of each PSU (``None`` when every row is its own PSU).
    stratum_npsu : numpy.ndarray
        Number of PSUs per stratum in the full design.
    stratum_scale : numpy.ndarray
        ``f_h * n_h / (n_h - 1)`` per stratum (``f_h`` for a stratum with one PSU).
    stratum_labels : pandas.Index
        The strata's values, for messages.
    strata_column : str or None
        Name of the strata column, for messages.
    lonely_psu : str
        ``"fail"`` or ``"adjust"``.
    """

    weights: np.ndarray
    stratum: np.ndarray
    psu: np.ndarray | None
    psu_stratum: np.ndarray | None
    stratum_npsu: np.ndarray
    stratum_scale: np.ndarray
    stratum_labels: pd.Index
    strata_column: str | None
    lonely_psu: str

    @property
    def n_strata(self) -> int:
        """Number of strata."""
        return len(self.stratum_npsu)


@dataclass(frozen=True)
class DomainStats:
    """Per-domain results of :func:`domain_stats` (arrays indexed by domain code)."""

    n: np.ndarray
    weight: np.ndarray
    p: np.ndarray
    variance: np.ndarray
    df: np.ndarray


def _codes(values: pd.Series, column: str, role: str) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = sorted_codes(values)
    missing = int((codes < 0).sum())
    if missing:
        raise ValueError(
            f"{role} column {column!r} has {missing} missing value{'s' if missing != 1 else ''}; "
            "every row of the design needs one"
        )
    return codes, uniques


def build_design(
    data: pd.DataFrame,
    *,
    weights: str | None = None,
    strata: str | None = None,
    cluster: str | None = None,
    fpc: str | None = None,
    lonely_psu: str = "fail",
) -> Design:
    """Describe the sampling design of ``data`` from its design columns.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response.
    weights : str, optional
        Column of sampling weights. Without it, weights are ``N_h / n_h`` when
        ``fpc`` is given (as R's ``svydesign``) and 1 otherwise.
    strata : str, optional
        Column of strata.
    cluster : str, optional
        Column of primary sampling units (one-stage clusters); each row is its own
        PSU when omitted. Clusters must be nested in strata.
    fpc : str, optional
        Column holding the population size (number of PSUs in the population) of
        the row's stratum, constant within a stratum.
    lonely_psu : {"fail", "adjust"}
        What to do with a stratum holding a single PSU (see :func:`domain_stats`).

    Returns
    -------
    Design

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"s": ["a", "a", "b", "b"], "w": [1.0, 2.0, 1.0, 1.0]})
    >>> design = build_design(frame, weights="w", strata="s")
    >>> design.stratum_npsu.tolist()
    [2, 2]
    """
    check_choice(lonely_psu, LONELY_PSU, "lonely_psu")
    n_rows = len(data)
    if strata is not None:
        check_column(data, strata, "strata")
        stratum, labels = _codes(data[strata], strata, "strata")
    else:
        stratum, labels = np.zeros(n_rows, dtype=np.int64), pd.Index(["(all)"])
    n_strata = len(labels)

    if cluster is not None:
        check_column(data, cluster, "cluster")
        cluster_codes, cluster_labels = _codes(data[cluster], cluster, "cluster")
        pair = cluster_codes * n_strata + stratum
        pair_codes, pair_values = pd.factorize(pair, sort=True)
        psu = pair_codes.astype(np.int64)
        psu_cluster = pair_values // n_strata
        psu_stratum = (pair_values % n_strata).astype(np.int64)
        if len(np.unique(psu_cluster)) != len(psu_cluster):
            shared = np.bincount(psu_cluster) > 1
            example = plain(cluster_labels[np.flatnonzero(shared)[0]])
            raise ValueError(
                f"clusters are not nested in strata: cluster {example!r} of column "
                f"{cluster!r} appears in more than one stratum of {strata!r}"
            )
        stratum_npsu = np.bincount(psu_stratum, minlength=n_strata)
    else:
        psu = None
        psu_stratum = None
        stratum_npsu = np.bincount(stratum, minlength=n_strata)

    if fpc is not None:
        check_column(data, fpc, "fpc")
        population = check_weights(data[fpc], fpc, "fpc")
        low = np.full(n_strata, np.inf)
        high = np.full(n_strata, -np.inf)
        np.minimum.at(low, stratum, population)
        np.maximum.at(high, stratum, population)
        varying = np.flatnonzero(low != high)
        if len(varying):
            raise ValueError(
                f"fpc column {fpc!r} must be constant within a stratum; it varies in "
                f"stratum {plain(labels[varying[0]])!r}"
            )
        too_small = np.flatnonzero(low < stratum_npsu)
        if len(too_small):
            h = too_small[0]
            raise ValueError(
                f"fpc column {fpc!r} gives a population of {low[h]:g} in stratum "
                f"{plain(labels[h])!r}, fewer than the {stratum_npsu[h]} PSUs sampled there"
            )
        fraction = (low - stratum_npsu) / low
    else:
        low = None
        fraction = np.ones(n_strata)

    if weights is not None:
        check_column(data, weights, "weights")
        row_weights = check_weights(data[weights], weights)
    elif low is not None:
        row_weights = (low / stratum_npsu)[stratum]
    else:
        row_weights = np.ones(n_rows)

    npsu = stratum_npsu.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(npsu > 1, fraction * npsu / (npsu - 1), fraction)
    return Design(
        weights=row_weights,
        stratum=stratum,
        psu=psu,
        psu_stratum=psu_stratum,
        stratum_npsu=stratum_npsu,
        stratum_scale=scale,
        stratum_labels=labels,
        strata_column=strata,
        lonely_psu=lonely_psu,
    )


def _key_sums(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum ``values`` per distinct key; return (distinct keys, sums)."""
    if size <= 4 * len(keys) + 1024:
        sums = np.bincount(keys, weights=values, minlength=size)
        present = np.bincount(keys, minlength=size) > 0
        distinct = np.flatnonzero(present)
        return distinct, sums[distinct]
    codes, distinct = pd.factorize(keys)
    return np.asarray(distinct), np.bincount(codes, weights=values, minlength=len(distinct))


def domain_stats(design: Design, y: np.ndarray, domain: np.ndarray, n_domains: int) -> DomainStats:
    """Domain means of ``y`` with their Taylor-linearised variances and degrees of freedom.

    Parameters
    ----------
    design : Design
        The full sample's design.
    y : numpy.ndarray
        The variable (0/1 for a proportion); values outside every domain are ignored.
    domain : numpy.ndarray of int
        Domain code per row in ``0 .. n_domains - 1``, ``-1`` for rows in no domain.
        Rows outside a domain still count as PSUs of the design (R's ``subset``).
    n_domains : int
        Number of domains.

    Returns
    -------
    DomainStats
        ``n`` (rows), ``weight`` (sum of weights), ``p`` (weighted mean), ``variance``
        and ``df`` per domain.

    Raises
    ------
    ValueError
        When a stratum with a single PSU holds rows of a domain and
        ``design.lonely_psu == "fail"``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> design = build_design(pd.DataFrame({"w": [1.0, 1.0, 2.0, 2.0]}), weights="w")
    >>> stats = domain_stats(design, np.array([1.0, 0.0, 1.0, 1.0]), np.zeros(4, int), 1)
    >>> round(float(stats.p[0]), 4), int(stats.df[0])
    (0.8333, 3)
    """
    inside = domain >= 0
    g = domain[inside]
    w = design.weights[inside]
    yy = np.asarray(y, dtype=float)[inside]
    h = design.stratum[inside]
    n_strata = design.n_strata

    lonely = design.stratum_npsu == 1
    if design.lonely_psu == "fail" and lonely.any():
        touched = np.bincount(h, minlength=n_strata) > 0
        hit = np.flatnonzero(lonely & touched & (design.stratum_scale >= 1e-7))
        if len(hit):
            where = f" of {design.strata_column!r}" if design.strata_column else ""
            raise ValueError(
                f"stratum {plain(design.stratum_labels[hit[0]])!r}{where} has only one PSU, so its "
                "variance cannot be estimated; pass lonely_psu='adjust' to centre it at the "
                "grand mean (R's options(survey.lonely.psu = 'adjust'))"
            )

    n = np.bincount(g, minlength=n_domains)
    total_w = np.bincount(g, weights=w, minlength=n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.bincount(g, weights=w * yy, minlength=n_domains) / total_w
    z = w * (yy - p[g]) / total_w[g]

    # PSU totals of z within each domain: (psu, domain) keys
    if design.psu is None:
        t = z
        t_domain = g
        t_stratum = h
    else:
        size = (int(design.psu_stratum.shape[0])) * n_domains
        keys, t = _key_sums(design.psu[inside] * n_domains + g, z, size)
        t_domain = keys % n_domains
        t_stratum = design.psu_stratum[keys // n_domains]

    # centre within stratum x domain over all n_h PSUs (zeros for PSUs outside the domain)
    hg = t_stratum * n_domains + t_domain
    cells = n_strata * n_domains
    s1 = np.bincount(hg, weights=t, minlength=cells)
    present = np.bincount(hg, minlength=cells)
    npsu = np.repeat(design.stratum_npsu.astype(float), n_domains)
    centre = np.where(np.repeat(lonely, n_domains), 0.0, s1 / np.maximum(npsu, 1.0))
    squares = np.bincount(hg, weights=(t - centre[hg]) ** 2, minlength=cells)
    squares += (npsu - present) * centre**2
    per_cell = squares * np.repeat(design.stratum_scale, n_domains)
    variance = per_cell.reshape(n_strata, n_domains).sum(axis=0)

    psus_in_domain = np.bincount(t_domain, minlength=n_domains)
    strata_in_domain = (present.reshape(n_strata, n_domains) > 0).sum(axis=0)
    df = psus_in_domain - strata_in_domain
    return DomainStats(n=n, weight=total_w, p=p, variance=variance, df=df)


def domain_df(design: Design, mask: np.ndarray) -> int:
    """R's ``degf`` of the domain ``mask``: PSUs with rows in it minus strata with rows in it.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> design = build_design(pd.DataFrame({"s": ["a", "a", "b", "b"]}), strata="s")
    >>> domain_df(design, np.array([True, True, True, False]))
    1
    """
    mask = np.asarray(mask, dtype=bool)
    if design.psu is None:
        units = int(mask.sum())
    else:
        units = int((np.bincount(design.psu[mask], minlength=len(design.psu_stratum)) > 0).sum())
    strata = int((np.bincount(design.stratum[mask], minlength=design.n_strata) > 0).sum())
    return units - strata


def check_lonely(design: Design, mask: np.ndarray) -> None:
    """Raise the lonely-PSU error when a stratum with one PSU holds rows of ``mask``."""
    lonely = design.stratum_npsu == 1
    if design.lonely_psu != "fail" or not lonely.any():
        return
    touched = np.bincount(design.stratum[mask], minlength=design.n_strata) > 0
    hit = np.flatnonzero(lonely & touched & (design.stratum_scale >= 1e-7))
    if len(hit):
        where = f" of {design.strata_column!r}" if design.strata_column else ""
        raise ValueError(
            f"stratum {plain(design.stratum_labels[hit[0]])!r}{where} has only one PSU, so its "
            "variance cannot be estimated; pass lonely_psu='adjust' to centre it at the "
            "grand mean (R's options(survey.lonely.psu = 'adjust'))"
        )


def unit_totals(design: Design, scores: np.ndarray, rows: np.ndarray):
    """PSU totals of ``scores`` (one row per index in ``rows``) and each PSU's stratum code.

    Rows are their own PSUs when the design has no clusters.
    """
    if design.psu is None:
        return scores, design.stratum[rows]
    k = scores.shape[1]
    codes, units = pd.factorize(design.psu[rows])
    totals = np.column_stack(
        [np.bincount(codes, weights=scores[:, j], minlength=len(units)) for j in range(k)]
    ).reshape(len(units), k)
    return totals, design.psu_stratum[np.asarray(units)]


def covariance_of_totals(design: Design, totals: np.ndarray, stratum: np.ndarray) -> np.ndarray:
    """``sum_h f_h n_h/(n_h - 1) sum_j (t_hj - tbar_h)(t_hj - tbar_h)'`` over every PSU.

    ``totals`` holds the PSUs that have rows (``stratum`` their strata); the
    other PSUs of each stratum are zeros, and a lonely PSU is centred at zero.
    """
    k = totals.shape[1]
    n_strata = design.n_strata
    sums = np.column_stack(
        [np.bincount(stratum, weights=totals[:, j], minlength=n_strata) for j in range(k)]
    ).reshape(n_strata, k)
    present = np.bincount(stratum, minlength=n_strata)
    npsu = design.stratum_npsu.astype(float)
    centre = sums / np.maximum(npsu, 1.0)[:, None]
    centre[npsu == 1] = 0.0
    deviation = totals - centre[stratum]
    scale = design.stratum_scale
    scaled = deviation * np.sqrt(scale)[stratum][:, None]
    cov = scaled.T @ scaled
    absent = scale * (npsu - present)  # PSUs of the stratum without rows in the mask
    cov += (centre * absent[:, None]).T @ centre
    return cov


def total_covariance(design: Design, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Covariance matrix of the totals of ``scores`` (rows x k) over the rows of ``mask``.

    This is R's ``svyrecvar`` for a one-stage design: the scores are summed per
    PSU (rows outside ``mask`` count as zero, every PSU of the design stays),
    centred within each stratum over all its ``n_h`` PSUs and
    ``sum_h f_h n_h / (n_h - 1) sum_j (t_hj - tbar_h)(t_hj - tbar_h)'``. A lonely
    PSU (``lonely_psu="adjust"``) is centred at zero, the grand mean of a
    linearised statistic. Pass linearised scores (influence functions).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> design = build_design(pd.DataFrame({"w": [1.0, 1.0, 1.0, 1.0]}), weights="w")
    >>> z = np.array([[-1.5], [-0.5], [0.5], [1.5]]) / 4
    >>> round(float(total_covariance(design, z, np.ones(4, bool))[0, 0]), 10)
    0.4166666667
    """
    mask = np.asarray(mask, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:
        scores = scores[:, None]
    check_lonely(design, mask)
    rows = np.flatnonzero(mask)
    totals, stratum = unit_totals(design, scores[rows], rows)
    return covariance_of_totals(design, totals, stratum)
