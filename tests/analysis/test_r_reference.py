"""estimate, rake and poststratify against R's survey package.

The numbers in tests/reference/r_survey_results.json come from
tests/reference/r_survey_reference.R (R's survey package on its own `api` data sets,
written to tests/reference/r_survey_api*.csv); the file records R's and survey's
versions and the date. These tests read the files and never run R.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import estimate, poststratify, rake

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
RESULTS = json.loads((REFERENCE / "r_survey_results.json").read_text(encoding="utf-8"))
TOLERANCE = 1e-6


def _api(file: str) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE / file, dtype={"stype": str, "lstrat": str})
    return frame


def _number(value) -> float:
    return float("nan") if value in ("NaN", None) else float(value)


def _close(actual: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    return abs(actual - expected) <= TOLERANCE


def test_reference_file_records_versions():
    assert RESULTS["r_version"].startswith("R version")
    assert RESULTS["survey_version"]
    assert RESULTS["date"]
    assert len(RESULTS["cases"]) >= 50


@pytest.mark.parametrize("case", RESULTS["cases"], ids=[c["name"] for c in RESULTS["cases"]])
def test_estimate_matches_svyciprop(case):
    data = _api(case["file"])
    item = case["item"]
    exclude = None
    if case["subset"] is not None:
        # subset(design, enroll > k) as an `exclude` domain: the other rows get code "9"
        data[item] = data[item].where(data["enroll"] > case["subset"]["enroll_above"], "9")
        exclude = ["9"]
    design = case["design"]
    table = estimate(
        data,
        item,
        case["positive"],
        by=case["by"],
        weights=design.get("weights"),
        strata=design.get("strata"),
        cluster=design.get("cluster"),
        fpc=design.get("fpc"),
        exclude=exclude,
        method=case["method"],
        lonely_psu=case["lonely_psu"],
    )
    expected = case["results"]
    assert len(table) == len(expected)
    by = [case["by"]] if isinstance(case["by"], str) else (case["by"] or [])
    for row, ref in zip(table.to_dict("records"), expected, strict=True):
        for column in by:
            assert str(row[column]) == ref[column]
        assert row["n"] == ref["n"]
        assert row["df"] == ref["df"]
        for column in ("p", "se"):
            assert _close(row[column], _number(ref[column])), (column, row, ref)
        assert _close(row["se"], _number(ref["svymean_se"]))
        bounds = ("ci_low", "ci_high")
        if case["method"] == "logit" and ref["df"] == 1:
            # R's "logit" fits svyglm, which has no residual degrees of freedom in a
            # domain with df = 1 and returns (0, NaN); "xlogit" is the same interval by
            # the delta method, and is what estimate computes.
            assert _number(ref["ci_low"]) == 0 and math.isnan(_number(ref["ci_high"]))
            bounds = ("xlogit_ci_low", "xlogit_ci_high") if 0 < row["p"] < 1 else ()
        for column, reference in zip(("ci_low", "ci_high"), bounds, strict=False):
            assert _close(row[column], _number(ref[reference])), (column, row, ref)
        if by:  # svyby gave the same numbers as svyciprop on the subset
            assert _close(row["p"], _number(ref["svyby_p"]))
            assert _close(row["se"], _number(ref["svyby_se"]))


def test_lonely_psu_fails_as_in_r():
    spec = RESULTS["lonely_fail"]
    assert "only one PSU" in spec["error"]
    data = _api(spec["file"])
    with pytest.raises(ValueError, match=r"stratum 'A' of 'lstrat' has only one PSU"):
        estimate(data, "sch.wide", "Yes", cluster="dnum", strata="lstrat", weights="pw")


def test_rake_matches_r():
    spec = RESULTS["rake"]
    data = _api(spec["file"])
    weights = rake(data, spec["margins"], weights=spec["start_weights"], max_iter=100, tol=1e-12)
    assert data["snum"].tolist() == spec["snum"]
    np.testing.assert_allclose(weights.to_numpy(), spec["weights"], rtol=0, atol=TOLERANCE)


def test_poststratify_matches_r():
    spec = RESULTS["poststratify"]
    data = _api(spec["file"])
    weights = poststratify(data, spec["column"], spec["totals"], weights=spec["start_weights"])
    np.testing.assert_allclose(weights.to_numpy(), spec["weights"], rtol=0, atol=TOLERANCE)
