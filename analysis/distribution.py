"""The share of every answer option of a question, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

import questionnaires
from analysis._checks import (
    as_list,
    check_alpha,
    check_by,
    check_column,
    check_frame,
    check_min_n,
)
from analysis._groups import group_rows
from analysis.design import build_design, domain_stats
from analysis.estimate import check_method, design_interval, has_design
from analysis.intervals import proportion_ci

__all__ = ["distribution"]


def _question(questionnaire, item: str):
    if questionnaire is None:
        return None
    if isinstance(questionnaire, str):
        questionnaire = questionnaires.load(questionnaire)
    if not questionnaire.has_question(item):
        raise ValueError(f"questionnaire {questionnaire.id!r} has no question {item!r}")
    question = questionnaire.question(item)
    if question.type not in ("single", "multiple"):
        raise ValueError(
            f"question {item!r} is a {question.type} question; distribution needs single or "
            "multiple choice"
        )
    return questionnaire, question


def _labels(found, codes: list, lang: str) -> list[str] | None:
    if found is None:
        return None
    questionnaire, question = found
    if lang not in questionnaire.languages:
        raise ValueError(
            f"questionnaire {questionnaire.id!r} has no language {lang!r}; languages: "
            f"{', '.join(questionnaire.languages)}"
        )
    return [question.choice(code).label[lang] for code in codes]


def _single(data: pd.DataFrame, item: str, found, excluded: list):
    """(codes, indicator matrix rows x codes, base mask) of a single-choice item."""
    values = data[item]
    if found is not None:
        codes = list(found[1].codes)
    elif isinstance(values.dtype, pd.CategoricalDtype):
        codes = list(values.cat.categories)
    else:
        codes = sorted(pd.unique(values.dropna()).tolist(), key=str)
    index = pd.Index(codes)
    position = index.get_indexer(values)
    stray = values.notna().to_numpy() & (position < 0)
    if stray.any():
        raise ValueError(
            f"{int(stray.sum())} answers to {item!r} are not codes of the question "
            f"(e.g. {values[stray].iloc[0]!r}; codes: {', '.join(map(str, codes))})"
        )
    declared = found is not None or isinstance(values.dtype, pd.CategoricalDtype)
    unknown = [c for c in excluded if c not in codes]
    if unknown and declared:  # codes read off the data: an unused code is simply absent
        raise ValueError(f"exclude codes {unknown} are not codes of {item!r}: {codes}")
    keep = [c for c in codes if c not in excluded]
    base = (position >= 0) & ~np.isin(position, index.get_indexer(excluded))
    keep_position = index.get_indexer(keep)
    chosen = position[:, None] == keep_position[None, :]
    return keep, chosen, base


def _multiple(data: pd.DataFrame, item: str, found, excluded: list):
    """(codes, indicator matrix, base mask) of a multiple-choice question's option columns."""
    prefix = f"{item}__"
    if found is not None:
        codes = list(found[1].codes)
        for code in codes:
            check_column(data, prefix + code, f"option {code!r} of {item!r}")
    else:
        codes = [str(c)[len(prefix) :] for c in data.columns if str(c).startswith(prefix)]
    unknown = [c for c in excluded if c not in codes]
    if unknown:
        raise ValueError(f"exclude codes {unknown} are not options of {item!r}: {codes}")
    options = data[[prefix + code for code in codes]]
    answered = options.notna().any(axis=1).to_numpy()
    chosen_all = options.fillna(False).astype(bool).to_numpy()
    excluded_position = [codes.index(c) for c in excluded]
    base = answered & ~chosen_all[:, excluded_position].any(axis=1)
    keep_position = [i for i, c in enumerate(codes) if c not in excluded]
    return [codes[i] for i in keep_position], chosen_all[:, keep_position], base


def distribution(
    data,
    item,
    questionnaire=None,
    *,
    by=None,
    weights=None,
    strata=None,
    cluster=None,
    fpc=None,
    exclude=None,
    alpha=0.05,
    min_n=None,
    lang="da",
    method=None,
    lonely_psu="fail",
):
    """Share of respondents choosing each answer option, with intervals.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per response (as from :func:`analysis.load_responses`).
    item : str
        A single-choice column, or the id of a multiple-choice question whose
        options are the boolean columns ``"{item}__{code}"``.
    questionnaire : Questionnaire or str, optional
        Gives the options' order and a ``label`` column (in ``lang``); without it
        the order is the column's categories (or its sorted values) and the
        option columns' order.
    by : str or list of str, optional
        Grouping columns.
    weights, strata, cluster, fpc : str, optional
        Design columns, as for :func:`analysis.estimate`. With any of them each
        option's share, standard error and interval are R's ``svyciprop`` for
        that code (Taylor linearisation; the groups and the base are domains of
        the full design); otherwise Wilson intervals.
    exclude : object or list, optional
        Codes left out of the base and of the listing (e.g. ``"9"``, "Ved ikke").
        For a multiple-choice question, respondents who chose such an option are
        left out of the base.
    alpha : float, default 0.05
        1 - confidence level.
    min_n : int, optional
        Groups whose base is under ``min_n`` get ``count``, ``p`` and the interval
        as missing and ``suppressed = True``.
    lang : str, default "da"
        Language of the labels.
    method : str, optional
        Interval method: with a design ``"logit"`` (default), ``"beta"`` or
        ``"mean"`` as R's ``svyciprop``; without, any method of
        :func:`~analysis.intervals.proportion_ci` (default ``"wilson"``).
    lonely_psu : {"fail", "adjust"}, default "fail"
        As for :func:`analysis.estimate`.

    Returns
    -------
    pandas.DataFrame
        One row per group and option: the ``by`` columns, ``code``, ``label``
        (with a questionnaire), ``n`` (the group's base: respondents who answered),
        ``count`` (respondents choosing the option), ``p``, ``ci_low``,
        ``ci_high`` and ``suppressed``. For a single-choice item the shares of a
        group sum to 1; for a multiple-choice question each is the share choosing
        that option among those who answered the question.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.DataFrame({"tryg": pd.Categorical(["1", "1", "2", "9", "1"],
    ...                                                categories=["1", "2", "3", "9"])})
    >>> distribution(answers, "tryg", exclude="9")[["code", "n", "count", "p"]]
      code  n  count     p
    0    1  4      3  0.75
    1    2  4      1  0.25
    2    3  4      0  0.00
    >>> reasons = pd.DataFrame({"grund__a": pd.array([True, True, None], dtype="boolean"),
    ...                         "grund__b": pd.array([False, True, None], dtype="boolean")})
    >>> distribution(reasons, "grund")[["code", "n", "count", "p"]]
      code  n  count    p
    0    a  2      2  1.0
    1    b  2      1  0.5
    """
    check_frame(data)
    by_columns = check_by(data, by)
    alpha = check_alpha(alpha)
    min_n = check_min_n(min_n)
    design_given = has_design(weights, strata, cluster, fpc)
    method = check_method(method, design_given)
    excluded = as_list(exclude)
    found = _question(questionnaire, item)
    multiple = (found is not None and found[1].type == "multiple") or (
        found is None
        and item not in data.columns
        and any(str(c).startswith(f"{item}__") for c in data.columns)
    )
    if multiple:
        codes, chosen, base = _multiple(data, item, found, excluded)
    else:
        check_column(data, item, "item")
        codes, chosen, base = _single(data, item, found, excluded)
    labels = _labels(found, codes, lang)
    groups = group_rows(data, by_columns, base)
    if groups.count == 0:
        raise ValueError(f"empty domain: no row answers {item!r} after removing excluded answers")
    n_codes = len(codes)
    inside = groups.codes >= 0
    g = groups.codes[inside]
    n = np.bincount(g, minlength=groups.count)
    # counts per (group, option): rows x options indicator summed per group
    rows, options = np.nonzero(chosen[inside])
    count = np.bincount(g[rows] * n_codes + options, minlength=groups.count * n_codes).reshape(
        groups.count, n_codes
    )
    if not design_given:
        n_rep = np.repeat(n, n_codes).astype(float)
        share = count.ravel() / n_rep
        low, high = proportion_ci(count.ravel(), n_rep, alpha=alpha, method=method)
    else:
        design = build_design(
            data, weights=weights, strata=strata, cluster=cluster, fpc=fpc, lonely_psu=lonely_psu
        )
        share = np.empty((groups.count, n_codes))
        low = np.empty((groups.count, n_codes))
        high = np.empty((groups.count, n_codes))
        for k in range(n_codes):  # one pass per option; groups are vectorised inside
            result = domain_stats(design, chosen[:, k].astype(float), groups.codes, groups.count)
            se = np.sqrt(result.variance)
            share[:, k] = result.p
            low[:, k], high[:, k] = design_interval(
                result.p, se, result.df, result.n, alpha, method
            )
        share, low, high = share.ravel(), low.ravel(), high.ravel()

    table = groups.keys.loc[groups.keys.index.repeat(n_codes)].reset_index(drop=True)
    table["code"] = np.tile(np.asarray(codes, dtype=object), groups.count)
    if labels is not None:
        table["label"] = np.tile(np.asarray(labels, dtype=object), groups.count)
    table["n"] = np.repeat(n, n_codes).astype(np.int64)
    table["count"] = pd.array(np.rint(count.ravel()).astype(np.int64), dtype="Int64")
    table["p"] = share
    table["ci_low"] = np.asarray(low, dtype=float)
    table["ci_high"] = np.asarray(high, dtype=float)
    suppressed = table["n"].to_numpy() < min_n if min_n is not None else np.zeros(len(table), bool)
    table["suppressed"] = suppressed
    table.loc[suppressed, ["p", "ci_low", "ci_high"]] = np.nan
    table.loc[suppressed, "count"] = pd.NA
    return table
