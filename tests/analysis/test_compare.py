"""analysis.compare_waves: like-for-like wave comparisons with and without a design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from analysis import compare_waves, diff_ci, estimate

CODES = ["1", "2", "3", "9"]


def _wave(rng: np.random.Generator, n: int, areas: list[str], share: float) -> pd.DataFrame:
    codes = rng.choice(CODES, n, p=[share, 0.8 - share, 0.1, 0.1])
    stratum = rng.choice(["a", "b"], n)
    return pd.DataFrame(
        {
            "area": rng.choice(areas, n),
            "stratum": stratum,
            "psu": pd.Series(stratum) + rng.integers(0, 8, n).astype(str),
            "w": rng.uniform(0.5, 2.0, n),
            "tilfreds": pd.Categorical(codes, categories=CODES, ordered=True),
        }
    )


@pytest.fixture
def waves() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(2016)
    first = _wave(rng, 400, ["glarbjergvej", "jennumparken"], 0.5)
    second = _wave(rng, 500, ["glarbjergvej", "jennumparken", "vangdalen"], 0.6)
    return first, second


def test_no_design_newcombe_and_pooled_z(waves):
    first, second = waves
    result = compare_waves(first, second, "tilfreds", "1", exclude="9")
    assert list(result.columns) == [
        "n_1",
        "p_1",
        "n_2",
        "p_2",
        "diff",
        "ci_low",
        "ci_high",
        "p_value",
    ]
    row = result.iloc[0]
    answered = [w[w["tilfreds"] != "9"] for w in waves]
    c1, c2 = ((w["tilfreds"] == "1").sum() for w in answered)
    n1, n2 = (len(w) for w in answered)
    assert (row["n_1"], row["n_2"]) == (n1, n2)
    assert row["diff"] == pytest.approx(c2 / n2 - c1 / n1)
    # wave 2 minus wave 1, Newcombe's hybrid score interval (statsmodels as a second opinion)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(diff_ci(c2, n2, c1, n1))
    low, high = confint_proportions_2indep(c2, n2, c1, n1, method="newcombe")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    _, p_value = proportions_ztest([c2, c1], [n2, n1])
    assert row["p_value"] == pytest.approx(p_value)
    assert result.attrs["dropped"] == []


def test_common_areas(waves):
    first, second = waves
    result = compare_waves(first, second, "tilfreds", ["1", "2"], by="area", common="area")
    assert result["area"].tolist() == ["glarbjergvej", "jennumparken"]
    assert result.attrs["dropped"] == ["vangdalen"]
    overall = compare_waves(first, second, "tilfreds", ["1", "2"], common="area")
    trimmed = second[second["area"] != "vangdalen"]
    expected = compare_waves(first, trimmed, "tilfreds", ["1", "2"])
    pd.testing.assert_frame_equal(overall, expected)


def test_group_in_one_wave_only_is_kept_with_gaps(waves):
    first, second = waves
    result = compare_waves(first, second, "tilfreds", "1", by="area")
    last = result.iloc[-1]
    assert last["area"] == "vangdalen"
    assert pd.isna(last["n_1"]) and last["n_2"] > 0
    assert np.isnan(last["diff"]) and np.isnan(last["p_value"])


def test_design_uses_both_waves_se_and_df(waves):
    first, second = waves
    design = dict(weights="w", strata="stratum", cluster="psu")
    result = compare_waves(
        first, second, "tilfreds", ["1", "2"], by="area", exclude="9", common="area", **design
    )
    one = estimate(first, "tilfreds", ["1", "2"], by="area", exclude="9", **design)
    keep = second.assign(tilfreds=second["tilfreds"].where(second["area"] != "vangdalen"))
    two = estimate(keep, "tilfreds", ["1", "2"], by="area", exclude="9", **design)
    for i, row in result.iterrows():
        se = np.hypot(one.loc[i, "se"], two.loc[i, "se"])
        df = one.loc[i, "df"] + two.loc[i, "df"]
        diff = two.loc[i, "p"] - one.loc[i, "p"]
        half = stats.t.ppf(0.975, df) * se
        assert row["diff"] == pytest.approx(diff)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((diff - half, diff + half))
        assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(diff / se), df))


def test_lonely_psu_is_passed_on():
    data = pd.DataFrame({"s": ["a", "a", "b"], "q": ["1", "2", "1"]})
    with pytest.raises(ValueError, match="stratum 'b' of 's' has only one PSU"):
        compare_waves(data, data, "q", "1", strata="s")
    row = compare_waves(data, data, "q", "1", strata="s", lonely_psu="adjust").iloc[0]
    assert row["diff"] == 0 and row["ci_low"] < 0 < row["ci_high"]


def test_holm_adjustment(waves):
    first, second = waves
    result = compare_waves(first, second, "tilfreds", "1", by="area", common="area", adjust="holm")
    expected = multipletests(result["p_value"], method="holm")[1]
    np.testing.assert_allclose(result["p_value_adj"], expected)
    assert (result["p_value_adj"] >= result["p_value"]).all()


def test_identical_waves_give_no_change():
    data = pd.DataFrame({"q": ["1", "2", "1", "1"]})
    row = compare_waves(data, data, "q", "1").iloc[0]
    assert row["diff"] == 0 and row["p_value"] == pytest.approx(1.0)
    assert row["ci_low"] < 0 < row["ci_high"]


def test_errors(waves):
    first, second = waves
    with pytest.raises(ValueError, match="unknown method 'logit'"):
        compare_waves(first, second, "tilfreds", "1", method="logit")
    with pytest.raises(ValueError, match="t interval"):
        compare_waves(first, second, "tilfreds", "1", weights="w", method="newcombe")
    with pytest.raises(ValueError, match="unknown adjust 'sidak-ish'"):
        compare_waves(first, second, "tilfreds", "1", adjust="sidak-ish")
    with pytest.raises(ValueError, match=r"unknown column 'omraade' given as common"):
        compare_waves(first, second, "tilfreds", "1", common="omraade")
    with pytest.raises(TypeError, match="second must be a pandas DataFrame"):
        compare_waves(first, None, "tilfreds", "1")
