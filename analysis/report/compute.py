"""Compute each figure of the report: its table, title, sentences and notes, nothing drawn.

One function per figure kind (:data:`COMPUTE`), each taking a
:class:`~analysis.report.specs.FigureSpec` and the :class:`Context` of the
report and returning a :class:`Computed` figure. The words come from the
questionnaire (the report question's ``wording``) or, without them, from the
choice labels. A change whose interval covers 0 is always written as no
statistically certain change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from .. import tables
from ..disclosure import REASON_SECONDARY
from ..formatting import NBSP, format_ci, format_n, format_pct, format_pp
from .specs import FigureSpec, label_text
from .texts import text

__all__ = ["COMPUTE", "Computed", "Context", "area_list", "phrase"]


class Caveat(str):
    """A summary line that warns (rendered as a caveat box)."""

    is_caveat = True


@dataclass
class Context:
    """What every figure is computed from, and the summary it adds to."""

    data: pd.DataFrame
    questionnaire: Any
    previous: pd.DataFrame | None
    previous_questionnaire: Any
    lang: str
    min_n: int
    plans: dict[str, Any]
    merges: dict[str, list] = field(default_factory=dict)
    earlier: list = field(default_factory=list)
    shared: list = field(default_factory=list)
    weights: str | None = None
    summary: list[str] = field(default_factory=list)

    @property
    def first(self):
        return None if self.previous_questionnaire is None else self.previous_questionnaire.wave

    @property
    def second(self):
        return self.questionnaire.wave

    def pct(self, value) -> str:
        return format_pct(value, lang=self.lang)

    def ci(self, row) -> str:
        return format_ci(row["ci_low"], row["ci_high"], lang=self.lang)

    def n(self, value) -> str:
        if pd.isna(value):
            return f"n{NBSP}={NBSP}{tables.MARK}"
        return format_n(value, lang=self.lang)

    def wording(self, question) -> str:
        return label_text(question.text, self.lang, self.questionnaire.default_language)


@dataclass
class Computed:
    """A figure computed and worded, ready to draw: the table and every text."""

    spec: FigureSpec
    table: pd.DataFrame
    title: str
    base: str
    note: str
    display_kind: str
    caveat: str | None = None
    options: dict = field(default_factory=dict)


def area_list(labels: Sequence[str], lang: str) -> str:
    """``a, b og c`` (or ``and`` in English)."""
    labels = [str(label) for label in labels]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + f" {text(lang, 'and')} " + labels[-1]


def _quoted(labels: Sequence[str], lang: str) -> str:
    marks = ("»", "«") if lang == "da" else ("“", "”")
    joined = [f"{marks[0]}{label}{marks[1]}" for label in labels]
    if len(joined) <= 1:
        return "".join(joined)
    word = "eller" if lang == "da" else "or"
    return ", ".join(joined[:-1]) + f" {word} " + joined[-1]


def phrase(ctx: Context, spec: FigureSpec, side: str) -> str:
    """The words for one side of a question (``positive``, ``neutral``, ...).

    From the report question's ``wording`` when declared, else
    ``svarer »Meget tilfreds« eller »Tilfreds«`` from the choice labels.
    """
    declared = spec.item.wording.get(side)
    if declared:
        return label_text(declared, ctx.lang, ctx.questionnaire.default_language)
    codes = spec.question.sides()[side]
    labels = [
        tables.choice_label(spec.question, code, lang=ctx.lang,
                            fallback=ctx.questionnaire.default_language)
        for code in codes
    ]
    verb = "svarer" if ctx.lang == "da" else "answer"
    return f"{verb} {_quoted(labels, ctx.lang)}"


def _sum_of(shares: pd.Series, codes: Sequence[str]) -> float | None:
    """The sum of some codes' shares, or None when any of them is hidden."""
    values = [shares.get(c) for c in codes]
    return None if any(pd.isna(v) for v in values) else float(sum(values))


def _hidden_title(ctx: Context, row, positive: str) -> str:
    reason = row.get("reason")
    key = "title_share_protected" if reason == REASON_SECONDARY else "title_share_hidden"
    return text(ctx.lang, key, positive=positive)


def _hidden_sentence(ctx: Context, row, positive: str) -> str:
    """Why a share is not shown: too few answers, a rare answer, or to protect another."""
    reason = row.get("reason")
    reason = "" if reason is None or pd.isna(reason) else str(reason)
    if reason == REASON_SECONDARY:
        key = "share_hidden_secondary"
    elif reason.startswith("celle"):
        key = "share_hidden_cell"
    else:
        key = "share_hidden_small"
    return text(ctx.lang, key, positive=positive, min_n=ctx.min_n, k=tables.K_DEFAULT)


def _shares_table(ctx: Context, spec: FigureSpec) -> pd.DataFrame:
    return tables.shares_by_area(
        ctx.data, ctx.questionnaire, spec.question.id, list(spec.question.positive),
        lang=ctx.lang, min_n=ctx.min_n, plan=ctx.plans["current"], weights=ctx.weights,
    )


def _distribution_table(ctx: Context, spec: FigureSpec) -> pd.DataFrame:
    return tables.answer_distribution(
        ctx.data, ctx.questionnaire, spec.question.id, lang=ctx.lang, min_n=ctx.min_n,
        plan=ctx.plans["current"], merge=ctx.merges.get(spec.question.id),
    )


def _sides(ctx: Context, spec: FigureSpec) -> dict[str, list[str]]:
    """The sides of the question's scale in the published (possibly merged) codes."""
    merges = ctx.merges.get(spec.question.id) or []
    view = tables.distribution_view(list(spec.question.codes), merges) or {
        c: [c] for c in spec.question.codes
    }
    name = {member: column for column, members in view.items() for member in members}
    return {
        side: list(dict.fromkeys(name[c] for c in codes))
        for side, codes in spec.question.sides().items()
    }


def _sides_parts(ctx: Context, spec: FigureSpec, totals: pd.Series, sides: Sequence[str]):
    """``["5,1 % er hverken ...", ...]`` for the given sides; hidden ones left out."""
    parts, hidden = [], False
    for side in sides:
        codes = _sides(ctx, spec)[side]
        if not codes:
            continue
        value = _sum_of(totals, codes)
        if value is None:
            hidden = True
            continue
        parts.append(f"{ctx.pct(value)} {phrase(ctx, spec, side)}")
    return parts, hidden


def compute_shares(spec: FigureSpec, ctx: Context) -> Computed:
    """A bar per area (and the total) of the share on the positive side."""
    table = _shares_table(ctx, spec)
    total = table.iloc[-1]
    positive = phrase(ctx, spec, "positive")
    if pd.isna(total["p"]):
        ctx.summary.append(_hidden_sentence(ctx, total, positive))
        title = _hidden_title(ctx, total, positive)
    else:
        ctx.summary.append(text(ctx.lang, "share_sentence", p=ctx.pct(total["p"]),
                                positive=positive, ci=ctx.ci(total), n=ctx.n(total["n"])))
        title = text(ctx.lang, "title_share", p=ctx.pct(total["p"]), positive=positive)
    if "distribution" in spec.item.charts:
        dist = _distribution_table(ctx, spec)
        totals = dist[dist["area"].isna()].set_index("code")["share"]
        parts, hidden = _sides_parts(ctx, spec, totals, ("neutral", "negative", "missing"))
        if parts:
            sentence = text(ctx.lang, "sides_sentence", parts=area_list(parts, ctx.lang))
            ctx.summary.append(sentence + (text(ctx.lang, "sides_partly_hidden") if hidden else ""))
    note = text(ctx.lang, "note_share_generic", positive=positive, min_n=ctx.min_n)
    base = f"{text(ctx.lang, 'base')}: {ctx.n(total['n'])}"
    return Computed(spec, table, title, base, note, "shares")


def compute_distribution(spec: FigureSpec, ctx: Context) -> Computed:
    """Every answer code per area and in total, as diverging stacked bars."""
    table = _distribution_table(ctx, spec)
    totals = table[table["area"].isna()].set_index("code")["share"]
    question = spec.question
    n_total = table[table["area"].isna()]["n"].iloc[0]
    sides = _sides(ctx, spec)
    if "shares" not in spec.item.charts and question.positive:
        share = _sum_of(totals, sides["positive"])
        positive = phrase(ctx, spec, "positive")
        if share is None:
            total_row = table[table["area"].isna()].iloc[0]
            ctx.summary.append(_hidden_sentence(ctx, total_row, positive))
            title = _hidden_title(ctx, total_row, positive)
        else:
            ctx.summary.append(text(ctx.lang, "share_sentence", p=ctx.pct(share),
                                    positive=positive, ci=_total_ci(ctx, spec),
                                    n=ctx.n(n_total)))
            title = text(ctx.lang, "title_share", p=ctx.pct(share), positive=positive)
    else:
        parts, _hidden = _sides_parts(ctx, spec, totals, ("negative", "neutral"))
        title = (
            text(ctx.lang, "title_sides", parts=", ".join(parts)) if parts
            else text(ctx.lang, "title_distribution_plain", question=ctx.wording(question))
        )
    codes = list(dict.fromkeys(table["code"]))
    if not sides["positive"]:  # an undeclared scale: every code in its own colour, no sides
        sides = {"positive": [], "neutral": [c for c in codes if c not in sides["missing"]],
                 "negative": [], "missing": sides["missing"]}
    code_labels = dict(zip(table["code"], table["code_label"], strict=True))
    note = text(ctx.lang, "note_distribution", k=tables.K_DEFAULT, min_n=ctx.min_n)
    base = f"{text(ctx.lang, 'base')}: {ctx.n(n_total)}"
    options = {"codes": codes, "code_labels": code_labels, **sides}
    return Computed(spec, table, title, base, note, "distribution", options=options)


def _total_ci(ctx: Context, spec: FigureSpec) -> str:
    table = _shares_table(ctx, spec)
    return ctx.ci(table.iloc[-1])


def _significance(table: pd.DataFrame) -> pd.Series:
    """Whether each row's change is statistically certain, Holm-adjusted over the areas."""
    certain = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    areas = table.index[:-1]
    p_values = table.loc[areas, "p_value"]
    tested = p_values.notna()
    if tested.sum() > 1:
        reject = multipletests(p_values[tested].astype(float), method="holm")[0]
        certain.loc[p_values[tested].index] = reject
    return certain.where(table["diff"].notna())


def _comparison_caveat(ctx: Context, table: pd.DataFrame) -> str | None:
    labels = tables.area_labels(ctx.previous_questionnaire) | tables.area_labels(ctx.questionnaire)
    common = [labels.get(a, a) for a in table.attrs["common"]]
    dropped = set(table.attrs["dropped"])
    areas_first = set(ctx.previous["area"].dropna().astype(str))
    areas_second = set(ctx.data["area"].dropna().astype(str))
    parts = [
        text(ctx.lang, key, first=ctx.first, second=ctx.second,
             dropped=area_list([labels.get(a, a) for a in sorted(dropped & areas)], ctx.lang))
        for key, areas in (("caveat_only_second", areas_second - areas_first),
                           ("caveat_only_first", areas_first - areas_second))
        if dropped & areas
    ]
    if not parts:
        return None
    areas = area_list(common, ctx.lang)
    return " ".join([*parts, text(ctx.lang, "caveat", first=ctx.first, second=ctx.second,
                                  areas=areas)])


def compute_comparison(spec: FigureSpec, ctx: Context) -> Computed:
    """The two waves on their common areas, with the difference and its interval."""
    question = spec.question
    table = tables.wave_comparison(
        ctx.previous, ctx.data, ctx.questionnaire, question.id, list(question.positive),
        lang=ctx.lang, min_n=ctx.min_n, plans=(ctx.plans["previous"], ctx.plans["current"]),
        weights=ctx.weights,
    )
    table["significant"] = _significance(table).astype("boolean")
    total = table.iloc[-1]
    positive = phrase(ctx, spec, "positive")
    common = [tables.area_labels(ctx.questionnaire).get(a, a) for a in table.attrs["common"]]
    values = dict(positive=positive, first=ctx.first, second=ctx.second,
                  p1=ctx.pct(total["p_1"]), p2=ctx.pct(total["p_2"]),
                  n1=ctx.n(total["n_1"]), n2=ctx.n(total["n_2"]),
                  areas=area_list(common, ctx.lang))
    if pd.isna(total["diff"]):
        title = text(ctx.lang, "title_change_hidden_generic", **values)
        ctx.summary.append(text(ctx.lang, "change_hidden_generic", **values))
    else:
        certain = bool(total["ci_low"] > 0 or total["ci_high"] < 0)
        direction = "up" if total["diff"] > 0 else "down"
        key = {"up": "title_more", "down": "title_fewer"}[direction] if certain else "title_same"
        signed = format_pp(total["diff"], lang=ctx.lang, signed=True)
        title = text(ctx.lang, key, signed=signed, **values)
        verdict = text(ctx.lang, f"verdict_{direction}" if certain else "verdict_none",
                       pp_abs=format_pp(abs(total["diff"]), lang=ctx.lang))
        ctx.summary.append(text(ctx.lang, "change_sentence_generic", verdict=verdict, pp=signed,
                                ci=ctx.ci(total), **values))
    caveat = _comparison_caveat(ctx, table)
    if caveat and caveat not in ctx.summary:
        ctx.summary.append(Caveat(caveat))
    note = text(ctx.lang, "note_comparison", first=ctx.first, second=ctx.second)
    note += " " + text(ctx.lang, "holm_note")
    base = (f"{text(ctx.lang, 'base')}: {ctx.first} {ctx.n(total['n_1'])}, "
            f"{ctx.second} {ctx.n(total['n_2'])}")
    options = {"first": str(ctx.first), "second": str(ctx.second)}
    return Computed(spec, table, title, base, note, "comparison", caveat=caveat, options=options)


def compute_choices(spec: FigureSpec, ctx: Context) -> Computed:
    """The share choosing each option of a multiple-choice question, most chosen first."""
    question = spec.question
    table = tables.choice_shares(ctx.data, ctx.questionnaire, question.id, lang=ctx.lang,
                                 min_n=ctx.min_n)
    shown = table[~table["suppressed"]]
    wording = ctx.wording(question)
    base_words = (None if spec.item.base is None else
                  label_text(spec.item.base, ctx.lang, ctx.questionnaire.default_language))
    if len(shown) == 0:
        title = text(ctx.lang, "title_choices_hidden", question=wording)
        ctx.summary.append(text(ctx.lang, "choices_hidden", question=wording, min_n=ctx.min_n))
    else:
        top = shown["label"].iloc[0]
        title = (text(ctx.lang, "title_choices_base", top=top, base=base_words) if base_words
                 else text(ctx.lang, "title_choices", top=top))
        named = [f"{label.lower()} ({ctx.pct(p)})"
                 for label, p in zip(shown["label"][:3], shown["p"][:3], strict=True)]
        key = "choices_sentence_base" if base_words else "choices_sentence"
        ctx.summary.append(text(ctx.lang, key, base=base_words, question=wording,
                                reasons=area_list(named, ctx.lang)))
    n = table["n"].max() if len(table) else np.nan
    base = f"{text(ctx.lang, 'base')}: {ctx.n(n)}"
    if base_words:
        base += f" ({base_words})"
    return Computed(spec, table, title, base, text(ctx.lang, "note_choices"), "shares",
                    options={"show_n": False})


def compute_trend(spec: FigureSpec, ctx: Context) -> Computed:
    """The share on the positive side in every wave, over the areas all waves share."""
    from ..estimate import estimate

    question = spec.question
    waves = [(q.wave, d, plan, "all") for d, q, plan in ctx.earlier]
    waves += [(ctx.first, ctx.previous, ctx.plans["previous"], "trend"),
              (ctx.second, ctx.data, ctx.plans["current"], "trend")]
    rows = []
    for wave, data, plan, total in waves:
        subset = data[data["area"].astype("string").isin(ctx.shared).fillna(False)]
        row = estimate(subset, question.id, list(question.positive),
                       weights=ctx.weights).iloc[0]
        hidden = plan.hides_total(question.id, total)
        rows.append({
            "label": str(wave), "wave": wave, "area": pd.NA,
            "n": pd.NA if hidden else int(row["n"]),
            "p": np.nan if hidden else row["p"],
            "ci_low": np.nan if hidden else row["ci_low"],
            "ci_high": np.nan if hidden else row["ci_high"],
            "suppressed": bool(hidden),
            "reason": plan.reason(question.id, total) if hidden else pd.NA,
        })
    table = pd.DataFrame(rows)
    table["n"] = table["n"].astype("Int64")
    table["reason"] = table["reason"].astype("string")
    positive = phrase(ctx, spec, "positive")
    labels = tables.area_labels(ctx.questionnaire)
    years = area_list([str(w) for w in table["wave"]], ctx.lang)
    values = area_list(
        [text(ctx.lang, "in_wave", wave=w,
              p=text(ctx.lang, "trend_hidden") if pd.isna(p) else ctx.pct(p))
         for w, p in zip(table["wave"], table["p"], strict=True)], ctx.lang)
    ctx.summary.append(text(ctx.lang, "trend_sentence", positive=positive, values=values,
                            areas=area_list([labels.get(a, a) for a in ctx.shared], ctx.lang)))
    title = text(ctx.lang, "trend_title", positive=positive, waves=years)
    base = f"{text(ctx.lang, 'base')}: " + ", ".join(
        f"{w} {ctx.n(n)}" for w, n in zip(table["wave"], table["n"], strict=True))
    return Computed(spec, table, title, base, text(ctx.lang, "trend_note"), "shares")


#: One compute function per figure kind.
COMPUTE = {
    "shares": compute_shares,
    "distribution": compute_distribution,
    "comparison": compute_comparison,
    "choices": compute_choices,
    "trend": compute_trend,
}
