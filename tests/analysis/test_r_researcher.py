"""estimate_mean, deff, crosstab, logit and distribution against R's survey package.

The numbers come from tests/reference/r_survey_researcher.R (run once with R; its
versions are in the JSON). Every value must agree to 1e-6.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import crosstab, distribution, estimate, estimate_mean, logit

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
RESULTS = json.loads((REFERENCE / "r_survey_researcher.json").read_text())
TOL = 1e-6
CODE_COLUMNS = ["area", "tilfreds_omraade", "tryg_efter_moerke", "alder", "koen", "boet_aar",
                "oprindelse", "stype", "sch.wide", "awards", "comp.imp", "size", "lstrat"]


def _frame(file: str) -> pd.DataFrame:
    path = REFERENCE / file
    header = path.read_text(encoding="utf-8").splitlines()[0].replace('"', "").split(",")
    types = {c: "string" for c in header if c in CODE_COLUMNS}
    data = pd.read_csv(path, dtype=types, na_values=["NA", ""], keep_default_na=False)
    for column in types:
        data[column] = data[column].astype(object).where(data[column].notna(), None)
    return data


def _design(case: dict) -> dict:
    design = {k: v for k, v in (case["design"] or {}).items() if v is not None}
    return {"lonely_psu": case["lonely_psu"], **design}


def _exclude(case: dict, *columns: str):
    codes = case.get("na_codes") or {}
    found = sorted({c for column in columns for c in _as_list(codes.get(column))})
    return found or None


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _close(ours, theirs, what):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        assert ours is None or np.isnan(ours), what
        return
    assert ours == pytest.approx(theirs, abs=TOL, rel=TOL), what


def test_reference_records_versions():
    assert RESULTS["r_version"].startswith("R version")
    assert RESULTS["survey_version"]


def test_demo_csv_is_the_demo_wave():
    """The demo CSV the R script read is what analysis.demo still generates."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_demo_csv", REFERENCE / "make_demo_csv.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with (REFERENCE / "r_researcher_demo2016.csv").open(encoding="utf-8") as handle:
        stored = list(csv.DictReader(handle))
    fresh = [{k: str(v) for k, v in row.items()} for row in module.rows()]
    assert stored == fresh


@pytest.mark.parametrize("case", RESULTS["means"], ids=lambda c: c["name"])
def test_means_and_deff(case):
    data = _frame(case["file"])
    exclude = _exclude(case, case["item"])
    if case.get("positive") is not None:
        table = estimate(data, case["item"], case["positive"], by=case.get("by"),
                         exclude=exclude, method="mean", deff=True, **_design(case))
        value = "p"
    else:
        table = estimate_mean(data, case["item"], by=case.get("by"), exclude=exclude,
                              deff=True, **_design(case))
        value = "mean"
    assert len(table) == len(case["results"])
    for (_, ours), theirs in zip(table.iterrows(), case["results"], strict=True):
        if case.get("by"):
            assert str(ours[case["by"]]) == theirs[case["by"]]
        assert ours["n"] == theirs["n"]
        assert ours["df"] == theirs["df"]
        for ours_key, their_key in [(value, "mean"), ("se", "se"), ("ci_low", "ci_low"),
                                    ("ci_high", "ci_high"), ("deff", "deff")]:
            _close(ours[ours_key], theirs[their_key], f"{case['name']} {ours_key}")
        if "svyby_mean" in theirs:
            _close(ours[value], theirs["svyby_mean"], "svyby mean")
            _close(ours["deff"], theirs["svyby_deff"], "svyby deff")


@pytest.mark.parametrize("case", RESULTS["chisq"], ids=lambda c: c["name"])
@pytest.mark.parametrize("statistic", ["F", "Chisq"])
def test_crosstab(case, statistic):
    data = _frame(case["file"])
    exclude = _exclude(case, case["row"], case["col"])
    result = crosstab(data, case["row"], case["col"], exclude=exclude, statistic=statistic,
                      **_design(case))
    theirs = case["test"][statistic]
    test = result.test
    if statistic == "F":
        _close(test.statistic, theirs["statistic"], "F")
        _close(test.ndf, theirs["parameter"]["ndf"], "ndf")
        _close(test.ddf, theirs["parameter"]["ddf"], "ddf")
    else:
        # R prints Pearson's X2 and takes the p-value of X2 / mean(eigenvalues)
        _close(test.pearson, theirs["statistic"], "X-squared")
        assert test.df == theirs["parameter"]["df"]
        _close(test.statistic, theirs["corrected_from_p"], "corrected chi-square")
    _close(test.p_value, theirs["p_value"], "p_value")
    table = result.table
    assert len(table) == len(case["cells"])
    if not case["design"]:
        # without a design the row shares are Wilson intervals (as estimate), not svyciprop
        cells = [(str(r[case["row"]]), str(r[case["col"]])) for _, r in table.iterrows()]
        assert cells == [(c["row"], c["col"]) for c in case["cells"]]
        return
    for (_, ours), cell in zip(table.iterrows(), case["cells"], strict=True):
        assert (str(ours[case["row"]]), str(ours[case["col"]])) == (cell["row"], cell["col"])
        for key in ("p", "se", "ci_low", "ci_high"):
            _close(ours[key], cell[key], f"cell {cell['row']}/{cell['col']} {key}")
    _close(table["total"].sum(), case["weighted_total"], "weighted total")


@pytest.mark.parametrize("case", RESULTS["glm"], ids=lambda c: c["name"])
def test_logit(case):
    data = _frame(case["file"])
    exclude = _exclude(case, case["outcome"])
    predictors = case["predictors"]
    predictors = predictors if isinstance(predictors, list) else [predictors]
    # R codes the other items' "ved ikke"/"ønsker ikke" as NA: do the same here
    for column in predictors:
        codes = _as_list((case.get("na_codes") or {}).get(column))
        if codes:
            data.loc[data[column].isin(codes), column] = None
    table = logit(data, case["outcome"], predictors, positive=case["positive"], exclude=exclude,
                  **_design(case))
    assert table.attrs["n"] == case["n"]
    r_terms = [r["term"] for r in case["results"]]
    ours_terms = [t.replace("[T.", "").replace("]", "") for t in table["term"]]
    assert ours_terms == [t.replace("(Intercept)", "Intercept") for t in r_terms]
    for (_, ours), theirs in zip(table.iterrows(), case["results"], strict=True):
        assert ours["df"] == theirs["df"]
        for key in ("estimate", "se", "t", "p_value", "ci_low", "ci_high"):
            _close(ours[key], theirs[key], f"{theirs['term']} {key}")


@pytest.mark.parametrize("case", RESULTS["distribution"], ids=lambda c: c["name"])
def test_distribution(case):
    data = _frame(case["file"])
    exclude = _exclude(case, case["item"])
    table = distribution(data, case["item"], by=case.get("by"), exclude=exclude,
                         **_design(case))
    assert len(table) == len(case["results"])
    for (_, ours), theirs in zip(table.iterrows(), case["results"], strict=True):
        assert str(ours["code"]) == theirs["code"]
        if case.get("by"):
            assert str(ours[case["by"]]) == theirs[case["by"]]
        assert ours["n"] == theirs["n"]
        for key in ("p", "ci_low", "ci_high"):
            _close(ours[key], theirs[key], f"{theirs['code']} {key}")
