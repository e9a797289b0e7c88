"""analysis.rake and analysis.poststratify (R's agreement is in test_r_reference.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import estimate, poststratify, rake
from analysis.weighting import RakingError


@pytest.fixture
def sample() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    n = 200
    return pd.DataFrame(
        {
            "area": rng.choice(["nord", "syd", "vest"], n, p=[0.5, 0.3, 0.2]),
            "sex": rng.choice(["k", "m"], n),
            "age": rng.choice(["18-34", "35-64", "65+"], n),
            "w": rng.uniform(0.5, 2.0, n),
            "q": rng.choice(["1", "2"], n),
        }
    )


MARGINS = {
    "area": {"nord": 1000, "syd": 1500, "vest": 500},
    "sex": {"k": 1550, "m": 1450},
    "age": {"18-34": 900, "35-64": 1400, "65+": 700},
}


def test_poststratify_hits_the_totals(sample):
    weights = poststratify(sample, "area", MARGINS["area"], weights="w")
    assert weights.name == "weight" and weights.index.equals(sample.index)
    totals = weights.groupby(sample["area"]).sum()
    assert totals.to_dict() == pytest.approx(MARGINS["area"])
    # within a class the design weights keep their ratios
    nord = sample["area"] == "nord"
    ratio = weights[nord] / sample.loc[nord, "w"]
    assert np.ptp(ratio) < 1e-12 * ratio.mean()


def test_rake_matches_every_margin(sample):
    weights = rake(sample, MARGINS, weights="w")
    for column, totals in MARGINS.items():
        assert weights.groupby(sample[column]).sum().to_dict() == pytest.approx(totals, rel=1e-8)
    # a raked weight column feeds estimate directly
    row = estimate(sample.assign(rw=weights), "q", "1", weights="rw").iloc[0]
    yes = sample["q"] == "1"
    assert row["p"] == pytest.approx(weights[yes].sum() / weights.sum())


def test_rake_with_one_margin_is_poststratification(sample):
    raked = rake(sample, {"area": MARGINS["area"]})
    post = poststratify(sample, "area", MARGINS["area"])
    np.testing.assert_allclose(raked, post)


def test_integer_codes_match_string_totals():
    data = pd.DataFrame({"wave": [2012, 2012, 2016]})
    weights = poststratify(data, "wave", {"2012": 10, "2016": 5})
    assert weights.tolist() == [5.0, 5.0, 5.0]


def test_value_without_total_is_named(sample):
    with pytest.raises(ValueError, match=r"value 'vest' of 'area' occurs in the data but has no"):
        rake(sample, {"area": {"nord": 1000, "syd": 2000}})


def test_total_without_rows_is_named(sample):
    totals = dict(MARGINS["area"], oest=10)
    with pytest.raises(ValueError, match=r"value 'oest' of 'area' has a population total but no"):
        poststratify(sample, "area", totals)


def test_bad_weights_are_counted(sample):
    sample.loc[[0, 5, 9], "w"] = [0.0, -1.0, np.nan]
    with pytest.raises(ValueError, match=r"'w': 3 rows without a positive finite weight"):
        rake(sample, MARGINS, weights="w")
    with pytest.raises(ValueError, match=r"'w': 3 rows"):
        poststratify(sample, "area", MARGINS["area"], weights="w")


def test_inconsistent_margins_do_not_converge():
    # everyone in "a" is "k": "a" needs 50 but "k" only 10
    data = pd.DataFrame({"area": ["a", "a", "b", "b"], "sex": ["k", "k", "k", "m"]})
    margins = {"area": {"a": 50, "b": 50}, "sex": {"k": 10, "m": 90}}
    with pytest.raises(RakingError, match=r"did not converge in 25 iterations"):
        rake(data, margins, max_iter=25)


def test_other_errors(sample):
    with pytest.raises(ValueError, match="disagree on the population size"):
        rake(sample, {"area": MARGINS["area"], "sex": {"k": 1, "m": 1}})
    with pytest.raises(ValueError, match=r"unknown column 'omraade'"):
        rake(sample, {"omraade": {"nord": 1}})
    with pytest.raises(ValueError, match="must be a positive number"):
        poststratify(sample, "area", {"nord": 1000, "syd": 0, "vest": 5})
    with pytest.raises(ValueError, match="non-empty mapping"):
        rake(sample, {})
    with pytest.raises(ValueError, match="max_iter"):
        rake(sample, MARGINS, max_iter=0)
    missing = sample.assign(area=sample["area"].where(sample.index > 2))
    with pytest.raises(ValueError, match="3 missing values"):
        poststratify(missing, "area", MARGINS["area"])
