"""Disclosure control across every output of ``build_report``.

A small area (7 respondents, or one answer given by 3 people) is hidden in one
table; these tests read back every file the report writes (CSV, XLSX, HTML)
and check, with linear algebra independent of the report's own plan, that no
combination of the published numbers (totals minus shown areas, share times
base, one total minus another, one wave's share plus the difference) gives a
hidden count away.
"""

import re

import numpy as np
import pandas as pd
import pytest

import questionnaires
from analysis import disclosure, load_responses
from analysis.formatting import format_pct
from analysis.report import build_report

pytestmark = pytest.mark.slow

K = 5
MIN_N = 10

#: The report's files, the item each is made from, its kind and, for shares, the "yes" codes.
FILES = {
    "fig1_tilfreds_omraade_andele": ("tilfreds_omraade", "shares", ["1", "2"]),
    "fig2_tilfreds_omraade_fordeling": ("tilfreds_omraade", "distribution", None),
    "fig3_tilfreds_omraade_udvikling": ("tilfreds_omraade", "comparison", ["1", "2"]),
    "fig4_daarligt_omdoemme_andele": ("daarligt_omdoemme", "shares", ["ja"]),
    "fig5_daarligt_omdoemme_udvikling": ("daarligt_omdoemme", "comparison", ["ja"]),
    "fig7_tryg_efter_moerke_fordeling": ("tryg_efter_moerke", "distribution", None),
}


@pytest.fixture(scope="module")
def waves(demo_db):
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    return load_responses(demo_db, q2016), q2016, load_responses(demo_db, q2012), q2012


def _yes_code(questionnaire):
    return questionnaire.question("daarligt_omdoemme").choices[0].code


def _small_area(data, keep):
    """Vangdalen cut down to its first ``keep`` respondents."""
    vangdalen = data.index[data["area"] == "vangdalen"][:keep]
    return data[(data["area"] != "vangdalen") | data.index.isin(vangdalen)]


def _cell_of_three(data, item="tilfreds_omraade", code="4"):
    """Vangdalen (all of it) with exactly 3 respondents answering ``code``."""
    rows = data.index[(data["area"] == "vangdalen") & (data[item] == code)]
    return data.drop(rows[3:])


def _fine_counts(data, item):
    codes = [str(c) for c in data[item].cat.categories]
    answered = data[data[item].notna()]
    counts = pd.crosstab(answered["area"].astype(str), answered[item].astype(str))
    return counts.reindex(columns=codes, fill_value=0)


class _System:
    """Published counts of one item as linear equations in its area x code cells."""

    def __init__(self, counts):
        self.counts = counts
        self.areas = list(counts.index)
        self.codes = list(counts.columns)
        self.rows = []
        self.values = []

    def vector(self, areas, codes):
        vector = np.zeros(self.counts.shape)
        rows = [self.areas.index(a) for a in areas]
        columns = [self.codes.index(c) for c in codes]
        vector[np.ix_(rows, columns)] = 1.0
        return vector.ravel()

    def add(self, areas, codes, value):
        vector = self.vector(areas, codes)
        self.rows.append(vector)
        self.values.append(value)
        truth = vector @ self.counts.to_numpy().ravel()
        # The files must tell the truth, else the check below means nothing.
        assert abs(truth - value) < 0.5, (areas, codes, value, truth)

    def determined(self, vector):
        matrix = np.array(self.rows)
        truth = self.counts.to_numpy().ravel()
        zero = (matrix @ truth == 0) & (matrix >= 0).all(axis=1)
        known = np.flatnonzero(matrix[zero].any(axis=0))
        matrix = np.vstack([matrix, np.eye(truth.size)[known]])
        null = np.linalg.svd(matrix)[2][np.linalg.matrix_rank(matrix) :]
        return bool(np.abs(null @ vector).max() < 1e-7) if len(null) else True


def _number(value):
    return None if pd.isna(value) else float(value)


def _read_equations(out, data, previous, questionnaire):
    """Every count the CSV files publish, per item and wave."""
    systems = {}
    for name, (item, kind, positive) in FILES.items():
        if positive == ["ja"]:
            positive = [_yes_code(questionnaire)]
        table = pd.read_csv(out / "tabeller" / f"{name}.csv", dtype={"area": str, "code": str})
        waves = {"2016": data} if kind != "comparison" else {"2012": previous, "2016": data}
        for wave, frame in waves.items():
            key = (item, wave)
            if key not in systems:
                systems[key] = _System(_fine_counts(frame, item))
            system = systems[key]
            codes = system.codes
            if kind == "distribution":
                for (area, n), rows in table.groupby(["area", "n"], dropna=False, sort=False):
                    areas = system.areas if pd.isna(area) else [area]
                    if not pd.isna(n):
                        system.add(areas, codes, n)
                    for code, count, share in zip(
                        rows["code"], rows["count"], rows["share"], strict=True
                    ):
                        # a merged column ("4+5") publishes the sum of its codes
                        if not pd.isna(count):
                            system.add(areas, code.split("+"), count)
                        if not pd.isna(share) and not pd.isna(n):
                            system.add(areas, code.split("+"), round(share * n))
                continue
            suffix = "" if kind == "shares" else ("_1" if wave == "2012" else "_2")
            common = [a for a in table["area"].dropna()]
            for area, n, p, diff, other in zip(
                table["area"],
                table[f"n{suffix}"],
                table[f"p{suffix}"],
                table["diff"] if kind == "comparison" else [np.nan] * len(table),
                table["p_1" if suffix == "_2" else "p_2"] if kind == "comparison" else table["p"],
                strict=True,
            ):
                if pd.isna(area):
                    areas = common if kind == "comparison" else system.areas
                else:
                    areas = [area]
                if _number(n) is not None:
                    system.add(areas, codes, n)
                    # a share shown, or recoverable from the other wave and the difference
                    share = _number(p)
                    if share is None and _number(diff) is not None and _number(other) is not None:
                        share = other + diff if suffix == "_2" else other - diff
                    if share is not None:
                        system.add(areas, positive, round(share * n))
    return systems


def _sensitive(counts, positive_sets):
    """Hidden-worthy counts: cells of an area under MIN_N, and cells of 1 to K - 1."""
    out = []
    for area, row in counts.iterrows():
        n = row.sum()
        views = [[c] for c in counts.columns] + [list(p) for p in positive_sets]
        for codes in views:
            value = row[codes].sum()
            if value > 0 and (n < MIN_N or value < K):
                out.append((area, tuple(codes), value))
    return out


def _check_nothing_recoverable(out, data, previous, questionnaire):
    systems = _read_equations(out, data, previous, questionnaire)
    checked = 0
    for (item, _wave), system in systems.items():
        positives = {tuple(p) for _n, (i, k, p) in FILES.items() if i == item and p}
        positives = [[_yes_code(questionnaire)] if p == ("ja",) else list(p) for p in positives]
        for area, codes, value in _sensitive(system.counts, positives):
            checked += 1
            assert not system.determined(system.vector([area], codes)), (
                f"{item}: {area} {codes} = {value} can be worked out from the report's tables"
            )
    return checked


@pytest.mark.parametrize(
    "shrink",
    [lambda d: _small_area(d, 7), _cell_of_three],
    ids=["area-of-7", "cell-of-3"],
)
def test_no_hidden_count_is_recoverable_from_any_output(waves, tmp_path, shrink):
    data2016, q2016, data2012, q2012 = waves
    data = shrink(data2016)
    build_report(data, q2016, previous=data2012, previous_questionnaire=q2012, out_dir=tmp_path)
    checked = _check_nothing_recoverable(tmp_path, data, data2012, q2016)
    assert checked > 0  # the case does hold something to hide
    # The XLSX files publish exactly what the CSV files do.
    for csv in (tmp_path / "tabeller").glob("*.csv"):
        from_csv = pd.read_csv(csv)
        from_xlsx = pd.read_excel(csv.with_suffix(".xlsx"))
        assert from_csv.isna().equals(from_xlsx.isna()), csv.name
    # The HTML prints no share or count of a hidden row.
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(tmp_path / "tabeller" / "fig1_tilfreds_omraade_andele.csv")
    vangdalen = table[table["area"] == "vangdalen"].iloc[0]
    counts = _fine_counts(data, "tilfreds_omraade").loc["vangdalen"]
    if counts[["1", "2"]].sum() >= K and counts.drop(["1", "2"]).sum() >= K and (
        counts.sum() >= MIN_N
    ):
        # a rare answer alone does not hide the headline share: both sides hold at least k
        assert not vangdalen["suppressed"]
        return
    assert vangdalen["suppressed"]
    true_share = counts[["1", "2"]].sum() / counts.sum()
    row = re.search(r"<tr>\s*<td>Vangdalen</td>(.*?)</tr>", html, re.S).group(1)
    assert format_pct(true_share) not in row and "×" in row


def test_demo_report_hides_nothing(waves, tmp_path):
    data2016, q2016, data2012, q2012 = waves
    build_report(data2016, q2016, previous=data2012, previous_questionnaire=q2012, out_dir=tmp_path)
    for csv in (tmp_path / "tabeller").glob("*.csv"):
        assert not pd.read_csv(csv)["suppressed"].any(), csv.name
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "88,1\u00a0% er tilfredse" in html and "5,1\u00a0%" in html and "82,0\u00a0%" in html


def test_small_area_hides_the_common_total_it_could_be_read_from(waves, tmp_path):
    # Vangdalen is only in 2016: the 2016 total minus the common-areas total would be Vangdalen.
    data2016, q2016, data2012, q2012 = waves
    data = _small_area(data2016, 7)
    build_report(data, q2016, previous=data2012, previous_questionnaire=q2012, out_dir=tmp_path)
    change = pd.read_csv(tmp_path / "tabeller" / "fig3_tilfreds_omraade_udvikling.csv")
    total = change[change["area"].isna()].iloc[0]
    shares = pd.read_csv(tmp_path / "tabeller" / "fig1_tilfreds_omraade_andele.csv")
    assert not shares[shares["area"].isna()]["suppressed"].iloc[0]
    assert pd.isna(total["n_2"]) and pd.isna(total["p_2"]) and total["suppressed"]
    # The earlier wave is not touched by a small area of the later one.
    assert not pd.isna(total["p_1"]) and round(total["p_1"], 3) == 0.820


def test_plan_hides_the_same_rows_in_every_view():
    counts = pd.DataFrame(
        {"1": [40, 30, 3], "2": [30, 25, 2], "3": [10, 12, 2]},
        index=["a", "b", "c"],
    )
    views = {"q": [None, {"yes": ["1", "2"], "no": ["3"]}]}
    plan = disclosure.plan_suppression({"q": counts}, views=views)
    assert plan.groups["q"] == {"b", "c"}
    assert plan.reason("q", "c") == "n < 10" and plan.reason("q", "b") == "sekundær"
    assert not plan.totals["q"] and not plan.bases


def test_plan_hides_a_total_when_one_area_lies_outside_the_other_total():
    counts = pd.DataFrame({"yes": [80, 60, 6], "no": [20, 15, 2]}, index=["a", "b", "c"])
    plan = disclosure.plan_suppression(
        {"q": counts}, totals={"all": ["a", "b", "c"], "common": ["a", "b"]}
    )
    assert plan.hides("q", "c") and plan.hides_total("q", "common")
    assert not plan.hides_total("q", "all")
    assert len(plan.groups["q"]) == 2  # c and a partner, so that all - shown is two areas


def test_plan_rejects_bad_input():
    counts = pd.DataFrame({"yes": [8, 6]}, index=["a", "b"])
    with pytest.raises(ValueError, match="nested"):
        disclosure.plan_suppression({"q": counts}, totals={"x": ["a"], "y": ["b"]})
    with pytest.raises(ValueError, match="unknown categories"):
        disclosure.plan_suppression({"q": counts}, views={"q": [{"yes": ["maybe"]}]})
    with pytest.raises(ValueError, match="without counts"):
        disclosure.plan_suppression({"q": counts}, views={"other": [None]})
