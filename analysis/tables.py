"""Report tables: shares by area, answer distributions, wave comparisons, choice shares.

Each function calls the analysis API (:func:`analysis.estimate`,
:func:`analysis.compare_waves`, :func:`analysis.distribution`), adds a
``label`` column with the text of each row (area labels from the
questionnaire, a total row) and applies disclosure control through
:mod:`analysis.disclosure`. A report makes one plan per wave with
:func:`disclosure_plan` and passes it to every table, so that the same areas,
bases and totals are hidden everywhere and a suppressed cell can be recovered
neither from the other rows and the total nor from any other table.
:func:`write_table` writes a table as CSV and XLSX with the base, share,
interval and suppression mark of every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import compare_waves, disclosure, distribution, estimate
from questionnaires.model import Question, Questionnaire

from .formatting import format_ci, format_int, format_pct, format_pp
from .intervals import proportion_ci

__all__ = [
    "K_DEFAULT",
    "SMALL_BASE",
    "code_counts",
    "disclosure_plan",
    "share_view",
    "area_labels",
    "choice_label",
    "answer_distribution",
    "choice_shares",
    "display_table",
    "shares_by_area",
    "wave_comparison",
    "write_table",
]

#: Smallest cell shown (Danmarks Statistik's floor is 3; the project's default is 5).
K_DEFAULT = 5

_TOTAL = {"da": "I alt", "en": "Total"}
_TOTAL_COMMON = {"da": "I alt (fælles områder)", "en": "Total (common areas)"}


def _lang_text(texts: Mapping[str, str], lang: str, fallback: str) -> str:
    return texts.get(lang) or texts.get(fallback) or next(iter(texts.values()))


def area_labels(questionnaire: Questionnaire) -> dict[str, str]:
    """Map each area id of a questionnaire to its label."""
    return {area.id: area.label for area in questionnaire.areas}


def choice_label(question: Question, code: str, *, lang: str, fallback: str = "da") -> str:
    """The label of one answer code in the report language."""
    return _lang_text(question.choice(code).label, lang, fallback)


def _with_labels(table: pd.DataFrame, by: str, labels: Mapping[str, str]) -> pd.DataFrame:
    table = table.copy()
    table.insert(0, "label", [labels.get(str(value), str(value)) for value in table[by]])
    return table


def code_counts(data: pd.DataFrame, item: str, *, by: str = "area") -> pd.DataFrame:
    """Respondents giving each answer code of a single-choice item per group.

    Parameters
    ----------
    data : DataFrame
        Responses, ``item`` an ordered categorical column of codes.
    item : str
        A single-choice question.
    by : str
        Grouping column.

    Returns
    -------
    DataFrame
        Index the groups (as text), one column per code in questionnaire
        order: the counts behind :func:`answer_distribution`.
    """
    _require_columns(data, [item, by])
    column = data[item]
    codes = [str(c) for c in column.cat.categories] if hasattr(column, "cat") else None
    answered = column.notna() & data[by].notna()
    counts = pd.crosstab(
        data.loc[answered, by].astype(str).to_numpy(),
        column[answered].astype(str).to_numpy(),
    )
    if codes is not None:
        counts = counts.reindex(columns=codes, fill_value=0)
    counts.index.name = None
    counts.columns.name = None
    return counts.astype("int64")


def _require_columns(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"unknown column(s) {', '.join(map(repr, missing))} in the responses")


def share_view(
    counts: pd.DataFrame, positive: Sequence[str] | bool, *, exclude: Sequence[str] | None = None
) -> dict[str, list[str]]:
    """The "yes"/"no" split behind a share, as a view of :func:`code_counts`.

    Parameters
    ----------
    counts : DataFrame
        Counts per group and code from :func:`code_counts`.
    positive : sequence of str or True
        Codes counted as "yes" (``True``: the value True of a boolean column).
    exclude : sequence of str, optional
        Codes left out of the base.

    Returns
    -------
    dict
        ``{"yes": codes, "no": codes}`` for
        :func:`analysis.disclosure.plan_suppression`.
    """
    yes = {"True"} if positive is True else {str(c) for c in positive}
    left_out = {str(c) for c in exclude or ()}
    codes = [c for c in counts.columns if c not in left_out]
    return {"yes": [c for c in codes if c in yes], "no": [c for c in codes if c not in yes]}


def sparse_merges(
    data: pd.DataFrame,
    item: str,
    sides: Sequence[Sequence[str]],
    *,
    by: str = "area",
    k: int = K_DEFAULT,
) -> list[list[str]]:
    """The sides of a scale to merge in its distribution, because one of their cells is small.

    Parameters
    ----------
    data : DataFrame
        Responses.
    item : str
        A single-choice question.
    sides : sequence of sequences of str
        Code groups that may be merged (e.g. ``[["1", "2"], ["4", "5"]]``, the
        positive and the negative side).
    by : str
        Grouping column.
    k : int
        Smallest cell shown.

    Returns
    -------
    list of list of str
        The groups with a cell ``0 < count < k`` in some group of ``by``;
        merging them before anything is hidden keeps more groups visible.
    """
    counts = code_counts(data, item, by=by)
    merges = []
    for codes in sides:
        codes = [str(c) for c in codes if str(c) in counts.columns]
        if len(codes) < 2:
            continue
        cells = counts[codes].to_numpy()
        if ((cells > 0) & (cells < k)).any():
            merges.append(codes)
    return merges


def choose_merges(
    data: pd.DataFrame,
    item: str,
    item_views: Sequence[Sequence[str] | bool | None],
    sides: Sequence[Sequence[str]],
    *,
    by: str = "area",
    common: Sequence[str] | None = None,
    k: int = K_DEFAULT,
    min_n: int = 10,
) -> list[list[str]]:
    """The merges of sparse sides that leave the fewest cells of an item hidden.

    Every combination of the sparse sides (:func:`sparse_merges`) is planned
    with the item's views; the one hiding the fewest published cells wins
    (the fewest merges on a tie), so merging is used only where it helps.

    Returns
    -------
    list of list of str
        The code groups to merge (pass as ``merge`` to :func:`disclosure_plan`
        and :func:`answer_distribution`).
    """
    candidates = sparse_merges(data, item, sides, by=by, k=k)
    best, best_cost = [], None
    for mask in range(1 << len(candidates)):
        chosen = [c for i, c in enumerate(candidates) if mask >> i & 1]
        plan = disclosure_plan(data, {item: item_views}, by=by, common=common, k=k,
                               min_n=min_n, merge={item: chosen})
        counts = code_counts(data, item, by=by)
        cost = 0
        for view in item_views:
            published = (
                distribution_view(list(counts.columns), chosen)
                if view is None
                else share_view(counts, view)
            )
            width = len(counts.columns) if published is None else len(published)
            hidden = plan.view_groups.get((item, disclosure.view_key(published)), frozenset())
            cost += width * len(hidden) + width * len(plan.totals.get(item, ()))
        if best_cost is None or cost < best_cost:
            best, best_cost = chosen, cost
    return best


def distribution_view(codes: Sequence[str], merges: Sequence[Sequence[str]] | None):
    """The published columns of a distribution: None (every code) or merged codes.

    A merged column is named by its codes joined with ``+`` (``"4+5"``).
    """
    if not merges:
        return None
    view: dict[str, list[str]] = {}
    for code in codes:
        group = next((list(m) for m in merges if code in m), [code])
        view.setdefault("+".join(group), group)
    return view


def disclosure_plan(
    data: pd.DataFrame,
    views: Mapping[str, Sequence[Sequence[str] | bool | None]],
    *,
    by: str = "area",
    common: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    k: int = K_DEFAULT,
    min_n: int = 10,
    merge: Mapping[str, Sequence[Sequence[str]]] | None = None,
    trend: Sequence[str] | None = None,
) -> disclosure.DisclosurePlan:
    """One disclosure plan for every table a report makes from one wave's responses.

    Parameters
    ----------
    data : DataFrame
        Responses of one wave.
    views : mapping of item to sequence
        What is published of each item: ``None`` for its full answer
        distribution (:func:`answer_distribution`), a sequence of codes (or
        ``True``) for a share of "yes" (:func:`shares_by_area`,
        :func:`wave_comparison`).
    by : str
        Grouping column.
    common : sequence of str, optional
        Groups over which a second total is published (the areas common to
        two waves). The totals are then ``"all"`` and ``"common"``.
    exclude : sequence of str, optional
        Codes left out of the base of the shares.
    k, min_n : int
        Smallest count and smallest base shown.
    merge : mapping of item to code groups, optional
        Codes published together in an item's distribution
        (:func:`sparse_merges`); pass the same to :func:`answer_distribution`.
    trend : sequence of str, optional
        Groups over which a third total is published (the areas every wave of
        a trend shares), named ``"trend"``; it must lie inside ``common``.

    Returns
    -------
    analysis.disclosure.DisclosurePlan
        Pass it as ``plan=`` to every table made from ``data``. Each view is
        protected on its own: a group hidden in a distribution keeps its
        share when that gives nothing away.
    """
    counts = {item: code_counts(data, item, by=by) for item in views}
    merge = merge or {}
    item_views = {
        item: [
            distribution_view(list(counts[item].columns), merge.get(item))
            if view is None
            else share_view(counts[item], view, exclude=exclude)
            for view in item_view_list
        ]
        for item, item_view_list in views.items()
    }
    groups = {str(g) for table in counts.values() for g in table[table.sum(axis=1) > 0].index}
    totals = {"all": groups}
    if common is not None:
        totals["common"] = {str(g) for g in common} & groups
    if trend is not None:
        totals["trend"] = {str(g) for g in trend} & groups
    return disclosure.plan_suppression(counts, views=item_views, totals=totals, k=k, min_n=min_n)


def _hidden_rows(plan, item: str, groups: Sequence[object], total: str, view=None):
    """Per row (the groups, then the total): counts hidden, base hidden, reason."""
    keys = [str(g) for g in groups]
    rows = np.array(
        [plan.hides(item, g, view) for g in keys] + [plan.hides_total(item, total)], dtype=bool
    )
    bases = np.array([plan.hides_base(g) for g in keys] + [plan.hides_total(item, total)])
    reasons = pd.array(
        [
            plan.reason(item, key, view) if hidden else pd.NA
            for key, hidden in zip([*keys, total], rows, strict=True)
        ],
        dtype="string",
    )
    return rows, bases, reasons


def _hide_shares(table: pd.DataFrame, rows) -> None:
    """Blank the count, share and interval of the hidden ``rows`` (in place)."""
    table["count"] = table["count"].astype("Int64").mask(rows)
    for column in ("p", "ci_low", "ci_high"):
        table[column] = table[column].mask(rows)


def shares_by_area(
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    item: str,
    positive: Sequence[str] | bool,
    *,
    by: str = "area",
    lang: str = "da",
    exclude: Sequence[str] | None = None,
    min_n: int = 10,
    k: int = K_DEFAULT,
    plan: disclosure.DisclosurePlan | None = None,
    total: str = "all",
    weights: str | None = None,
) -> pd.DataFrame:
    """Share answering ``positive`` per area and in total, disclosure-checked.

    Parameters
    ----------
    data : DataFrame
        Responses as :func:`analysis.load_responses` gives them.
    questionnaire : Questionnaire
        Gives the area labels.
    item : str
        Column of the question (or ``"question__code"`` for one choice of a
        multiple-choice question, with ``positive=True``).
    positive : sequence of str or True
        Codes counted as "yes".
    by : str
        Grouping column (default the area).
    lang : {"da", "en"}
        Language of the total row's label.
    exclude : sequence of str, optional
        Codes left out of the base.
    min_n : int
        Smallest base for which a share is shown.
    k : int
        Smallest cell (count of "yes" or of "no") shown.
    plan : analysis.disclosure.DisclosurePlan, optional
        The plan of every table made from ``data`` (:func:`disclosure_plan`);
        without one the table is protected on its own with ``k`` and ``min_n``.
    total : str
        Name of the plan's total the last row shows.
    weights : str, optional
        Column of weights, passed to :func:`analysis.estimate`; disclosure
        control counts respondents, not weights.

    Returns
    -------
    DataFrame
        Columns ``label``, the ``by`` column, ``n``, ``count``, ``p``,
        ``ci_low``, ``ci_high``, ``suppressed``; the last row is the total
        (``by`` NA). A suppressed row has no count, share or interval; a base
        under ``k`` is hidden too.
    """
    groups = estimate(data, item, positive, by=by, exclude=exclude, weights=weights)
    total_row = estimate(data, item, positive, exclude=exclude, weights=weights)
    total_row.insert(0, by, pd.NA)
    table = pd.concat([groups, total_row], ignore_index=True)
    labels = area_labels(questionnaire) if by == "area" else {}
    table = _with_labels(table, by, labels)
    table.loc[table[by].isna(), "label"] = _TOTAL[lang]
    table["count"] = np.rint(table["p"] * table["n"]).astype("int64")
    if plan is None:
        plan = disclosure_plan(data, {item: [positive]}, by=by, exclude=exclude, k=k, min_n=min_n)
    view = share_view(code_counts(data, item, by=by), positive, exclude=exclude)
    rows, bases, reasons = _hidden_rows(plan, item, table[by].iloc[:-1], total, view)
    table["suppressed"] = rows
    table["reason"] = reasons
    table["n"] = table["n"].astype("Int64").mask(bases)
    _hide_shares(table, rows)
    return table[["label", by, "n", "count", "p", "ci_low", "ci_high", "suppressed", "reason"]]


def wave_comparison(
    first: pd.DataFrame,
    second: pd.DataFrame,
    questionnaire: Questionnaire,
    item: str,
    positive: Sequence[str] | bool,
    *,
    lang: str = "da",
    min_n: int = 10,
    k: int = K_DEFAULT,
    plans: tuple[disclosure.DisclosurePlan, disclosure.DisclosurePlan] | None = None,
    weights: str | None = None,
) -> pd.DataFrame:
    """Change from the first to the second wave per common area and over the common areas.

    Parameters
    ----------
    first, second : DataFrame
        Responses of the two waves.
    questionnaire : Questionnaire
        Gives the area labels (the second wave's questionnaire).
    item : str
        Question id present in both waves.
    positive : sequence of str or True
        Codes counted as "yes".
    lang : {"da", "en"}
        Language of the total row's label.
    min_n : int
        Smallest base (in either wave) for which a row is shown.
    k : int
        Smallest count shown.
    plans : pair of analysis.disclosure.DisclosurePlan, optional
        The plans of the first and the second wave (:func:`disclosure_plan`
        with ``common=``); without them each wave's side is protected on its
        own (the common areas and their total).
    weights : str, optional
        Column of weights in both waves, passed to :func:`analysis.compare_waves`.

    Returns
    -------
    DataFrame
        ``label``, ``area``, ``n_1``, ``p_1``, ``n_2``, ``p_2``, ``diff``,
        ``ci_low``, ``ci_high``, ``p_value``, ``suppressed``, ``reason``; the
        last row compares the common areas together. A wave's share (and
        base) is hidden as that wave's plan says; the difference whenever
        either share is hidden. ``attrs["dropped"]`` lists the
        areas present in only one wave, ``attrs["common"]`` the common ones.
    """
    per_area = compare_waves(first, second, item, positive, by="area", common="area",
                             weights=weights)
    per_area = per_area[per_area["n_1"].notna() & per_area["n_2"].notna()]
    dropped = [str(area) for area in per_area.attrs.get("dropped", [])]
    common = [str(area) for area in per_area["area"]]
    total = compare_waves(first, second, item, positive, common="area", weights=weights)
    total.insert(0, "area", pd.NA)
    table = pd.concat([per_area, total], ignore_index=True)
    table = _with_labels(table, "area", area_labels(questionnaire))
    table.loc[table["area"].isna(), "label"] = _TOTAL_COMMON[lang]
    if plans is None:
        plans = tuple(
            disclosure_plan(
                wave[wave["area"].astype("string").isin(common).fillna(False)],
                {item: [positive]},
                common=common,
                k=k,
                min_n=min_n,
            )
            for wave in (first, second)
        )
    suppressed = np.zeros(len(table), dtype=bool)
    reasons = pd.Series(pd.NA, index=table.index, dtype="string")
    for wave, plan, frame in zip(("1", "2"), plans, (first, second), strict=True):
        view = share_view(code_counts(frame, item), positive)
        rows, bases, wave_reasons = _hidden_rows(plan, item, common, "common", view)
        suppressed |= rows
        reasons = reasons.fillna(pd.Series(wave_reasons, index=table.index))
        table[f"n_{wave}"] = table[f"n_{wave}"].astype("Int64").mask(bases)
        table[f"p_{wave}"] = table[f"p_{wave}"].mask(rows)
    table["suppressed"] = suppressed
    table["reason"] = reasons
    for column in ("diff", "ci_low", "ci_high", "p_value"):
        table[column] = table[column].mask(table["suppressed"])
    table.attrs["dropped"] = dropped
    table.attrs["common"] = common
    return table[
        [
            "label",
            "area",
            "n_1",
            "p_1",
            "n_2",
            "p_2",
            "diff",
            "ci_low",
            "ci_high",
            "p_value",
            "suppressed",
            "reason",
        ]
    ]


def answer_distribution(
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    item: str,
    *,
    lang: str = "da",
    min_n: int = 10,
    k: int = K_DEFAULT,
    plan: disclosure.DisclosurePlan | None = None,
    total: str = "all",
    merge: Sequence[Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Share of every answer code per area and in total, disclosure-checked.

    Parameters
    ----------
    data : DataFrame
        Responses.
    questionnaire : Questionnaire
        Gives area and code labels.
    item : str
        A single-choice question.
    lang : {"da", "en"}
        Report language.
    min_n : int
        Smallest group shown.
    k : int
        Smallest cell shown; hidden cells get secondary suppression.
    plan : analysis.disclosure.DisclosurePlan, optional
        The plan of every table made from ``data`` (:func:`disclosure_plan`);
        without one the table is protected on its own with ``k`` and ``min_n``.
    total : str
        Name of the plan's total the last rows show.
    merge : sequence of code groups, optional
        Codes shown together (:func:`sparse_merges`), as given to the plan;
        a merged row's ``code`` is its codes joined by ``+``.

    Returns
    -------
    DataFrame
        Long table: ``label``, ``area``, ``code``, ``code_label``, ``count``,
        ``n`` (the group's base), ``share``, ``ci_low``, ``ci_high`` (95 % Wilson
        interval of the share), ``suppressed``, ``reason``; the
        total rows (``area`` NA) come last. A group is hidden as a whole
        (every code) in the distribution; the plan checks that no other
        table made from the same data (a share of some of the codes, say)
        gives a hidden cell away.
    """
    question = questionnaire.question(item)
    codes = list(question.codes)
    groups = distribution(
        data, item, questionnaire, by="area", lang=_label_lang(questionnaire, lang)
    )
    counts = groups.pivot_table(
        index="area", columns="code", values="count", aggfunc="sum", observed=True
    )
    counts.index = [str(i) for i in counts.index]
    counts.columns = [str(c) for c in counts.columns]
    counts = counts.reindex(columns=codes).fillna(0).astype("int64")
    counts = counts[counts.sum(axis=1) > 0]
    view = distribution_view(codes, merge)
    if plan is None:
        plan = disclosure.plan_suppression({item: counts}, views={item: [view]}, k=k, min_n=min_n)
    rows, bases, reasons = _hidden_rows(plan, item, counts.index, total, view)
    code_labels = {c: choice_label(question, c, lang=lang) for c in codes}
    if view is not None:
        counts = pd.DataFrame(
            {column: counts[members].sum(axis=1) for column, members in view.items()},
            index=counts.index,
        )
        code_labels = {
            column: " / ".join(code_labels[m] for m in members)
            for column, members in view.items()
        }
        codes = list(view)
    labels = area_labels(questionnaire)
    full = counts.copy()
    full.loc["__total__"] = counts.sum(axis=0)
    records = []
    for (area, row), hidden, base_hidden, reason in zip(
        full.iterrows(), rows, bases, reasons, strict=True
    ):
        base = int(row.sum())
        for code in codes:
            records.append(
                {
                    "label": _TOTAL[lang] if area == "__total__" else labels.get(area, area),
                    "area": pd.NA if area == "__total__" else area,
                    "code": code,
                    "code_label": code_labels[code],
                    "count": pd.NA if hidden else int(row[code]),
                    "n": pd.NA if base_hidden else base,
                    "share": np.nan if hidden else row[code] / base,
                    "ci_low": np.nan if hidden else proportion_ci(int(row[code]), base)[0],
                    "ci_high": np.nan if hidden else proportion_ci(int(row[code]), base)[1],
                    "suppressed": bool(hidden),
                    "reason": reason,
                }
            )
    table = pd.DataFrame(records)
    table["count"] = table["count"].astype("Int64")
    table["n"] = table["n"].astype("Int64")
    table["reason"] = table["reason"].astype("string")
    return table


def _reason(hidden: bool, base: float, cells: Sequence[float], *, min_n: int, k: int) -> object:
    """Why a value is hidden: ``"n < 10"``, ``"celle < 5"`` (or NA when shown)."""
    if not hidden:
        return pd.NA
    if base < min_n:
        return f"n < {min_n}"
    if any(0 < cell < k for cell in cells):
        return f"celle < {k}"
    return disclosure.REASON_SECONDARY


def _label_lang(questionnaire: Questionnaire, lang: str) -> str:
    return lang if lang in questionnaire.languages else questionnaire.default_language


def choice_shares(
    data: pd.DataFrame,
    questionnaire: Questionnaire,
    item: str,
    *,
    lang: str = "da",
    min_n: int = 10,
    k: int = K_DEFAULT,
) -> pd.DataFrame:
    """Share choosing each option of a multiple-choice question, most chosen first.

    Parameters
    ----------
    data : DataFrame
        Responses, with one boolean column ``"{item}__{code}"`` per choice.
    questionnaire : Questionnaire
        Gives the choice labels.
    item : str
        A multiple-choice question.
    lang : {"da", "en"}
        Report language.
    min_n : int
        Smallest base shown.
    k : int
        Smallest count shown (of choosing or of not choosing an option).

    Returns
    -------
    DataFrame
        ``label``, ``code``, ``n``, ``count``, ``p``, ``ci_low``, ``ci_high``,
        ``suppressed``; the base is everyone who answered the question. The
        options are not exclusive, so no option's count follows from the others.
    """
    question = questionnaire.question(item)
    table = distribution(data, item, questionnaire, lang=_label_lang(questionnaire, lang))
    table = table.rename(columns={"label": "choice_label"})
    table.insert(0, "label", [choice_label(question, c, lang=lang) for c in table["code"]])
    count = table["count"].astype("float")
    n = table["n"].astype("float")
    small = (n < min_n) | ((count > 0) & (count < k)) | ((n - count > 0) & (n - count < k))
    table["suppressed"] = small.to_numpy() | table["suppressed"].astype(bool).to_numpy()
    table["reason"] = pd.array(
        [
            _reason(h, b, (c, b - c), min_n=min_n, k=k)
            for h, b, c in zip(table["suppressed"], n, count, strict=True)
        ],
        dtype="string",
    )
    _hide_shares(table, table["suppressed"].to_numpy(dtype=bool))
    table["n"] = table["n"].astype("Int64").mask(table["n"] < k)
    order = table["p"].fillna(-1).to_numpy().argsort(kind="stable")[::-1]
    table = table.iloc[order].reset_index(drop=True)
    return table[["label", "code", "n", "count", "p", "ci_low", "ci_high", "suppressed", "reason"]]


#: Bases under this are shown, but marked as uncertain.
SMALL_BASE = 50
SMALL_BASE_MARK = "†"


def _base_text(n: object, lang: str) -> str:
    if pd.isna(n):
        return MARK  # a hidden base (the disclosure plan's)
    text = format_int(n, lang=lang)
    if not pd.isna(n) and n < SMALL_BASE:
        text += f"\u00a0{SMALL_BASE_MARK}"
    return text


#: What a hidden value shows in a report table.
MARK = "×"


def _marked(table: pd.DataFrame, column: str, text, *more: str) -> list[str]:
    """``text(value, ...)`` of each row's ``column`` (and ``more`` columns), × where hidden."""
    columns = [table[c] for c in (column, *more)]
    return [
        MARK if hidden and pd.isna(values[0]) else text(*values)
        for hidden, *values in zip(table["suppressed"], *columns, strict=True)
    ]


def display_table(
    table: pd.DataFrame,
    *,
    kind: str,
    lang: str = "da",
    first: object = "1",
    second: object = "2",
) -> pd.DataFrame:
    """A report table with formatted numbers and the suppression mark, for HTML and XLSX.

    Parameters
    ----------
    table : DataFrame
        A table from :func:`shares_by_area`, :func:`choice_shares`,
        :func:`wave_comparison` or :func:`answer_distribution`.
    kind : {"shares", "comparison", "distribution"}
        Which of them it is.
    lang : {"da", "en"}
        Report language.
    first, second : object
        Names of the two waves in a comparison's column headers.

    Returns
    -------
    DataFrame
        Text columns, suppressed cells shown as ``×``, bases under
        :data:`SMALL_BASE` marked with ``†``.
    """
    da = lang == "da"

    def pct(column):
        return _marked(table, column, lambda p: format_pct(p, lang=lang))

    def interval():
        return _marked(
            table, "ci_low", lambda lo, hi: format_ci(lo, hi, lang=lang, label=False), "ci_high"
        )

    if kind == "shares":
        return pd.DataFrame(
            {
                ("Gruppe" if da else "Group"): table["label"],
                ("Antal svar (n)" if da else "Responses (n)"): [
                    _base_text(n, lang) for n in table["n"]
                ],
                ("Andel" if da else "Share"): pct("p"),
                ("95 %-KI" if da else "95% CI"): interval(),
            }
        )
    if kind == "comparison":
        certain = {}
        if "significant" in table.columns:
            words = {True: "ja" if da else "yes", False: "nej" if da else "no"}
            certain = {
                ("Sikker ændring" if da else "Certain change"): [
                    MARK if pd.isna(value) else words[bool(value)]
                    for value in table["significant"]
                ]
            }
        return pd.DataFrame(
            {
                ("Gruppe" if da else "Group"): table["label"],
                f"n {first}": [_base_text(n, lang) for n in table["n_1"]],
                (f"Andel {first}" if da else f"Share {first}"): pct("p_1"),
                f"n {second}": [_base_text(n, lang) for n in table["n_2"]],
                (f"Andel {second}" if da else f"Share {second}"): pct("p_2"),
                ("Forskel" if da else "Difference"): _marked(
                    table, "diff", lambda d: format_pp(d, lang=lang, signed=True)
                ),
                ("95 %-KI" if da else "95% CI"): interval(),
                **certain,
            }
        )
    if kind == "distribution":
        texts = pct("share")
        if "ci_low" in table.columns:
            bounds = interval()
            texts = [
                t if t == MARK or b == MARK else f"{t}\n({b})"
                for t, b in zip(texts, bounds, strict=True)
            ]
        cells = table.assign(text=texts)
        wide = cells.pivot_table(
            index="label", columns="code_label", values="text", aggfunc="first", sort=False
        )
        wide = wide.reindex(columns=list(dict.fromkeys(table["code_label"])))
        bases = table.groupby("label", sort=False)["n"].first()
        wide.insert(
            0,
            "Antal svar (n)" if da else "Responses (n)",
            [_base_text(bases[g], lang) for g in wide.index],
        )
        wide.index.name = "Gruppe" if da else "Group"
        return wide.reset_index()
    raise ValueError(f"unknown table kind {kind!r}; choose shares, comparison or distribution")


def write_table(table: pd.DataFrame, stem: Path, *, sheet: str = "Tabel") -> list[Path]:
    """Write a report table as ``stem.csv`` (UTF-8) and ``stem.xlsx``.

    Numbers are written unformatted (shares as proportions 0–1) with the
    ``suppressed`` column and a ``mark`` column (``×`` for a suppressed row or
    cell), so that nothing hidden can be read from the files.

    Parameters
    ----------
    table : DataFrame
        A table from this module.
    stem : Path
        Path without suffix.
    sheet : str
        Name of the XLSX worksheet.

    Returns
    -------
    list of Path
        The two files written.
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    if "suppressed" in out.columns:
        out["mark"] = np.where(out["suppressed"].astype(bool), MARK, "")
    csv_path = stem.with_suffix(".csv")
    out.to_csv(csv_path, index=False, encoding="utf-8")
    xlsx_path = stem.with_suffix(".xlsx")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        out.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        for cells in worksheet.iter_cols(min_row=1, max_row=1):
            name = str(cells[0].value)
            if name in {"p", "ci_low", "ci_high", "share", "p_1", "p_2", "diff"}:
                for cell in worksheet[cells[0].column_letter][1:]:
                    cell.number_format = "0.0%"
            worksheet.column_dimensions[cells[0].column_letter].width = max(10, len(name) + 2)
    return [csv_path, xlsx_path]
