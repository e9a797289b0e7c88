"""analysis.intervals against Newcombe's published tables (tests/reference/newcombe1998_*).

Every value in the reference files is a published one (sources in the files'
header comments and tests/reference/README.md). Our limits are compared at the
printed precision: rounded to 4 decimals they must equal the printed value.
Cells Newcombe printed beyond [-1, 1] (Wald-type overshoot) carry no number in
the reproductions; there our bound must be the truncated limit, 1 or -1.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.intervals import diff_ci, proportion_ci

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


def _load(name: str) -> pd.DataFrame:
    table = pd.read_csv(REFERENCE / name, comment="#", dtype={"method": "string"})
    return table[table["method"].notna()].reset_index(drop=True)


TABLE1 = _load("newcombe1998_table1.csv")
TABLE2 = _load("newcombe1998_table2.csv")


def _id1(row) -> str:
    return f"{row.method}-{row.count}/{row.nobs}"


def _id2(row) -> str:
    return f"{row.method}-{row.count1}/{row.nobs1}-{row.count2}/{row.nobs2}"


def _check(ours: float, published: float, bound: str) -> None:
    if np.isnan(published):
        # printed beyond [-1, 1]; our limits are truncated
        assert ours == (-1.0 if bound == "lower" else 1.0)
    else:
        assert round(ours, 4) == pytest.approx(published, abs=1e-12), (ours, published)


def test_reference_files_cover_every_method():
    assert set(TABLE1["method"]) == {"wilson", "wilson-cc", "clopper-pearson"}
    assert set(TABLE2["method"]) == {
        "wald",
        "wald-cc",
        "miettinen-nurminen",
        "newcombe",
        "newcombe-cc",
    }
    assert len(TABLE2) == 5 * 8


def test_table1_covers_every_example_for_each_tested_method():
    """Each implemented method of Table I has all four published examples."""
    examples = {(81, 263), (15, 148), (0, 20), (1, 29)}
    for method, rows in TABLE1.groupby("method"):
        assert set(zip(rows["count"], rows["nobs"], strict=True)) == examples, method
        assert len(rows) == len(examples), method


@pytest.mark.parametrize("row", list(TABLE1.itertuples()), ids=_id1)
def test_newcombe_1998a_table1(row):
    low, high = proportion_ci(row.count, row.nobs, method=row.method)
    _check(low, row.lower, "lower")
    _check(high, row.upper, "upper")


@pytest.mark.parametrize("row", list(TABLE2.itertuples()), ids=_id2)
def test_newcombe_1998b_table2(row):
    low, high = diff_ci(row.count1, row.nobs1, row.count2, row.nobs2, method=row.method)
    _check(low, row.lower, "lower")
    _check(high, row.upper, "upper")


@pytest.mark.parametrize("method", sorted(set(TABLE2["method"])))
def test_table2_vectorised(method):
    """The whole column of Table II in one call gives the same limits."""
    rows = TABLE2[TABLE2["method"] == method]
    low, high = diff_ci(rows["count1"], rows["nobs1"], rows["count2"], rows["nobs2"], method=method)
    assert low.index.equals(rows.index)
    for (_, row), lo, hi in zip(rows.iterrows(), low, high, strict=True):
        _check(lo, row["lower"], "lower")
        _check(hi, row["upper"], "upper")


@pytest.mark.parametrize("method", sorted(set(TABLE1["method"])))
def test_table1_vectorised(method):
    rows = TABLE1[TABLE1["method"] == method]
    low, high = proportion_ci(rows["count"].to_numpy(), rows["nobs"].to_numpy(), method=method)
    for (_, row), lo, hi in zip(rows.iterrows(), low, high, strict=True):
        _check(lo, row["lower"], "lower")
        _check(hi, row["upper"], "upper")
