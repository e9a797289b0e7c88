"""Weights from population counts against R's survey package (postStratify and rake).

tests/reference/r_population_weights.R drew the sample (written to
r_population_sample.csv) and computed, with R's survey package, the weights, the
weighted mean of `satisfied`, its SE with the final weights as plain weights, Kish's
design effect and the effective n (r_population_results.json, with R's and survey's
versions). The population counts are survey/frame/examples/population-2016.csv,
the file the README imports. These tests never run R.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import estimate
from analysis.population import (
    effective_n,
    kish_deff,
    population_margins,
    population_weights,
    weights_summary,
)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "reference"
R = json.loads((REFERENCE / "r_population_results.json").read_text(encoding="utf-8"))
POPULATION = ROOT / "survey" / "frame" / "examples" / "population-2016.csv"


@pytest.fixture
def sample() -> pd.DataFrame:
    return pd.read_csv(
        REFERENCE / "r_population_sample.csv", dtype={"alder": str, "koen": str, "area": str}
    )


@pytest.fixture
def cells() -> pd.DataFrame:
    return pd.read_csv(POPULATION, dtype={"alder": str, "koen": str})


def test_margins_are_the_r_population_totals(cells) -> None:
    margins = population_margins(cells)
    for column, totals in R["population"].items():
        assert margins[column] == {k: float(v) for k, v in totals.items()}


@pytest.mark.parametrize("method", ["poststratify", "rake"])
def test_weights_mean_se_deff_and_effective_n_match_r(sample, cells, method) -> None:
    counts = cells[["area", "count"]] if method == "poststratify" else cells
    weights = population_weights(sample, counts)
    expected = R[method]
    assert weights.attrs["method"] == method and weights.attrs["excluded"] == 0
    np.testing.assert_allclose(weights.to_numpy(), expected["weights"], rtol=1e-8)
    assert kish_deff(weights) == pytest.approx(expected["kish_deff"], rel=1e-9)
    assert effective_n(weights) == pytest.approx(expected["effective_n"], rel=1e-9)
    result = estimate(sample.assign(w=weights), "satisfied", [1], weights="w")
    assert result["p"].iloc[0] == pytest.approx(expected["mean"], rel=1e-9)
    assert result["se"].iloc[0] == pytest.approx(expected["se_weights"], rel=1e-6)
    # the SE with the weights as given does not take credit for calibration
    assert result["se"].iloc[0] >= expected["se_calibrated"]
    summary = weights_summary(weights)
    assert summary.loc[0, "n"] == len(sample)
    assert summary.loc[0, "total"] == pytest.approx(sum(R["population"]["area"].values()))


def test_rows_without_a_class_get_no_weight_and_are_counted(sample, cells) -> None:
    data = sample.copy()
    data.loc[:4, "koen"] = "8"  # prefer not to say: the population has no such class
    data.loc[5, "alder"] = pd.NA
    weights = population_weights(data, cells)
    assert weights.attrs["excluded"] == 6 and weights[:6].isna().all()
    raked = weights.dropna()
    by_sex = raked.groupby(data.loc[raked.index, "koen"]).sum()
    assert by_sex.to_dict() == pytest.approx({"1": 1943.0, "2": 2019.0})


def test_areas_without_respondents_are_left_out(sample, cells) -> None:
    data = sample[sample["area"] != "vangdalen"]
    weights = population_weights(data, cells[["area", "count"]])
    assert weights.attrs["areas_without_responses"] == ["vangdalen"]
    assert weights.sum() == pytest.approx(1481 + 1131)


def test_bad_input_is_named(sample, cells) -> None:
    with pytest.raises(ValueError, match="alder = '1' has a population count but no respondent"):
        population_weights(sample[sample["alder"] != "1"], cells)
    with pytest.raises(ValueError, match="respondents but no population count"):
        population_weights(sample, cells[cells["area"] != "vangdalen"][["area", "count"]])
    with pytest.raises(ValueError, match="count"):
        population_weights(sample, cells.drop(columns="count"))
    with pytest.raises(ValueError, match="positive"):
        kish_deff([1.0, -1.0])
