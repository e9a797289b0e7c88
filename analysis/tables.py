"""Report tables: shares by area, answer distributions, wave comparisons, choice shares.

Each function calls the analysis API (:func:`analysis.estimate`,
:func:`analysis.compare_waves`, :func:`analysis.distribution`), adds a
``label`` column with the text of each row (area labels from the
questionnaire, a total row) and applies disclosure control through
:mod:`analysis.disclosure`, so that a suppressed cell cannot be recovered from
the other rows or the total. :func:`write_table` writes a table as CSV and XLSX
with the base, share, interval and suppression mark of every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import compare_waves, disclosure, distribution, estimate
from questionnaires.model import Question, Questionnaire

from .formatting import format_ci, format_int, format_pct, format_pp

__all__ = [
    "K_DEFAULT",
    "SMALL_BASE",
    "protect_counts",
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


def protect_counts(counts: pd.DataFrame, *, k: int = K_DEFAULT, min_n: int = 10) -> pd.DataFrame:
    """Which cells of a count table, its row bases and its total row must be hidden.

    Primary suppression: every count with ``0 < count < k`` (as
    :func:`analysis.disclosure.suppress_counts`) and every cell of a group
    whose base is under ``min_n``. Secondary suppression is then done by the
    disclosure module on the table with its totals, so that no hidden cell can
    be worked out from the group bases or the total row.

    Parameters
    ----------
    counts : DataFrame
        Rows are groups, columns answer categories; non-negative counts, no totals.
    k : int
        Smallest count shown.
    min_n : int
        Smallest group base shown.

    Returns
    -------
    DataFrame of bool
        Same rows plus ``"__total__"`` and same columns plus ``"__n__"`` (the
        group base); True where a value must be hidden.
    """
    full = counts.astype("int64").copy()
    full["__n__"] = full.sum(axis=1)
    full.loc["__total__"] = full.sum(axis=0)
    _shown, mask, _reasons = disclosure.suppress_counts(full, k=k, totals=True)
    values = full.to_numpy()
    small = values[:, -1] < min_n
    if not small.any():
        return mask
    # Groups too small for any share: all their cells are primary too, and the
    # disclosure module's secondary suppression protects them against the totals.
    primary = (values > 0) & (values < k)
    primary[small, :-1] |= values[small, :-1] > 0
    hidden = disclosure._secondary(values, primary)
    return pd.DataFrame(hidden, index=full.index, columns=full.columns)


def _reason(hidden: bool, base: float, cells: Sequence[float], *, min_n: int, k: int) -> object:
    """Why a value is hidden: ``"n < 10"``, ``"celle < 5"``, ``"sekundær"`` (or NA when shown)."""
    if not hidden:
        return pd.NA
    if base < min_n:
        return f"n < {min_n}"
    if any(0 < cell < k for cell in cells):
        return f"celle < {k}"
    return disclosure.REASON_SECONDARY


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

    Returns
    -------
    DataFrame
        Columns ``label``, the ``by`` column, ``n``, ``count``, ``p``,
        ``ci_low``, ``ci_high``, ``suppressed``; the last row is the total
        (``by`` NA). A suppressed row has no count, share or interval; a base
        under ``k`` is hidden too.
    """
    groups = estimate(data, item, positive, by=by, exclude=exclude)
    total = estimate(data, item, positive, exclude=exclude)
    total.insert(0, by, pd.NA)
    table = pd.concat([groups, total], ignore_index=True)
    labels = area_labels(questionnaire) if by == "area" else {}
    table = _with_labels(table, by, labels)
    table.loc[table[by].isna(), "label"] = _TOTAL[lang]
    table["count"] = np.rint(table["p"] * table["n"]).astype("int64")
    counts = pd.DataFrame(
        {
            "yes": table["count"].iloc[:-1].to_numpy(),
            "no": (table["n"] - table["count"]).iloc[:-1].to_numpy(),
        },
        index=[str(v) for v in table[by].iloc[:-1]],
    )
    hidden = protect_counts(counts, k=k, min_n=min_n)
    table["suppressed"] = hidden[["yes", "no"]].any(axis=1).to_numpy()
    table["reason"] = pd.array(
        [
            _reason(h, n, (c, n - c), min_n=min_n, k=k)
            for h, n, c in zip(table["suppressed"], table["n"], table["count"], strict=True)
        ],
        dtype="string",
    )
    table["n"] = table["n"].astype("Int64").mask(hidden["__n__"].to_numpy())
    table["count"] = table["count"].astype("Int64").mask(table["suppressed"])
    for column in ("p", "ci_low", "ci_high"):
        table[column] = table[column].mask(table["suppressed"])
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

    Returns
    -------
    DataFrame
        ``label``, ``area``, ``n_1``, ``p_1``, ``n_2``, ``p_2``, ``diff``,
        ``ci_low``, ``ci_high``, ``p_value``, ``suppressed``; the last row
        compares the common areas together. ``attrs["dropped"]`` lists the
        areas present in only one wave, ``attrs["common"]`` the common ones.
    """
    per_area = compare_waves(first, second, item, positive, by="area", common="area")
    per_area = per_area[per_area["n_1"].notna() & per_area["n_2"].notna()]
    dropped = [str(area) for area in per_area.attrs.get("dropped", [])]
    common = [str(area) for area in per_area["area"]]
    total = compare_waves(first, second, item, positive, common="area")
    total.insert(0, "area", pd.NA)
    table = pd.concat([per_area, total], ignore_index=True)
    table = _with_labels(table, "area", area_labels(questionnaire))
    table.loc[table["area"].isna(), "label"] = _TOTAL_COMMON[lang]
    suppressed = np.zeros(len(table), dtype=bool)
    reasons = pd.Series(pd.NA, index=table.index, dtype="string")
    for wave in ("1", "2"):
        n = table[f"n_{wave}"].astype("int64")
        count = np.rint(table[f"p_{wave}"] * n).astype("int64")
        counts = pd.DataFrame(
            {"yes": count.iloc[:-1].to_numpy(), "no": (n - count).iloc[:-1].to_numpy()},
            index=common,
        )
        hidden = protect_counts(counts, k=k, min_n=min_n)
        rows = hidden[["yes", "no"]].any(axis=1).to_numpy()
        suppressed |= rows
        wave_reasons = pd.Series(
            [
                _reason(h, b, (c, b - c), min_n=min_n, k=k)
                for h, b, c in zip(rows, n, count, strict=True)
            ],
            index=table.index,
            dtype="string",
        )
        reasons = reasons.fillna(wave_reasons)
        table[f"n_{wave}"] = table[f"n_{wave}"].astype("Int64").mask(hidden["__n__"].to_numpy())
    table["suppressed"] = suppressed
    table["reason"] = reasons
    columns = ["p_1", "p_2", "diff", "ci_low", "ci_high", "p_value"]
    for column in columns:
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

    Returns
    -------
    DataFrame
        Long table: ``label``, ``area``, ``code``, ``code_label``, ``count``,
        ``n`` (the group's base), ``share``, ``suppressed``; the total rows
        (``area`` NA) come last.
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
    hidden = protect_counts(counts, k=k, min_n=min_n)
    labels = area_labels(questionnaire)
    rows = []
    full = counts.copy()
    full.loc["__total__"] = counts.sum(axis=0)
    for area, row in full.iterrows():
        base = int(row.sum())
        base_hidden = bool(hidden.loc[area, "__n__"])
        for code in codes:
            is_hidden = bool(hidden.loc[area, code]) or base < min_n
            rows.append(
                {
                    "label": _TOTAL[lang] if area == "__total__" else labels.get(area, area),
                    "area": pd.NA if area == "__total__" else area,
                    "code": code,
                    "code_label": choice_label(question, code, lang=lang),
                    "count": pd.NA if is_hidden else int(row[code]),
                    "n": pd.NA if base_hidden else base,
                    "share": np.nan if is_hidden else row[code] / base,
                    "suppressed": is_hidden,
                    "reason": _reason(is_hidden, base, [row[code]], min_n=min_n, k=k),
                }
            )
    table = pd.DataFrame(rows)
    table["count"] = table["count"].astype("Int64")
    table["n"] = table["n"].astype("Int64")
    table["reason"] = table["reason"].astype("string")
    return table


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
    table["count"] = table["count"].astype("Int64").mask(table["suppressed"])
    for column in ("p", "ci_low", "ci_high"):
        table[column] = table[column].mask(table["suppressed"])
    table["n"] = table["n"].astype("Int64").mask(table["n"] < k)
    order = table["p"].fillna(-1).to_numpy().argsort(kind="stable")[::-1]
    table = table.iloc[order].reset_index(drop=True)
    return table[["label", "code", "n", "count", "p", "ci_low", "ci_high", "suppressed", "reason"]]


#: Bases under this are shown, but marked as uncertain.
SMALL_BASE = 50
SMALL_BASE_MARK = "†"


def _base_text(n: object, lang: str) -> str:
    text = format_int(n, lang=lang)
    if not pd.isna(n) and n < SMALL_BASE:
        text += f"\u00a0{SMALL_BASE_MARK}"
    return text


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
    mark = "×"
    da = lang == "da"
    if kind == "shares":
        return pd.DataFrame(
            {
                ("Gruppe" if da else "Group"): table["label"],
                ("Antal svar (n)" if da else "Responses (n)"): [
                    _base_text(n, lang) for n in table["n"]
                ],
                ("Andel" if da else "Share"): [
                    mark if s else format_pct(p, lang=lang)
                    for p, s in zip(table["p"], table["suppressed"], strict=True)
                ],
                ("95 %-KI" if da else "95% CI"): [
                    mark if s else format_ci(lo, hi, lang=lang, label=False)
                    for lo, hi, s in zip(
                        table["ci_low"], table["ci_high"], table["suppressed"], strict=True
                    )
                ],
            }
        )
    if kind == "comparison":
        return pd.DataFrame(
            {
                ("Gruppe" if da else "Group"): table["label"],
                f"n {first}": [_base_text(n, lang) for n in table["n_1"]],
                (f"Andel {first}" if da else f"Share {first}"): [
                    mark if s else format_pct(p, lang=lang)
                    for p, s in zip(table["p_1"], table["suppressed"], strict=True)
                ],
                f"n {second}": [_base_text(n, lang) for n in table["n_2"]],
                (f"Andel {second}" if da else f"Share {second}"): [
                    mark if s else format_pct(p, lang=lang)
                    for p, s in zip(table["p_2"], table["suppressed"], strict=True)
                ],
                ("Forskel" if da else "Difference"): [
                    mark if s else format_pp(d, lang=lang, signed=True)
                    for d, s in zip(table["diff"], table["suppressed"], strict=True)
                ],
                ("95 %-KI" if da else "95% CI"): [
                    mark if s else format_ci(lo, hi, lang=lang, label=False)
                    for lo, hi, s in zip(
                        table["ci_low"], table["ci_high"], table["suppressed"], strict=True
                    )
                ],
            }
        )
    if kind == "distribution":
        cells = table.assign(
            text=[
                mark if s else format_pct(p, lang=lang)
                for p, s in zip(table["share"], table["suppressed"], strict=True)
            ]
        )
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
        out["mark"] = np.where(out["suppressed"].astype(bool), "×", "")
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
