"""estimate_mean, crosstab, logit: behaviour and bad input (numbers: test_r_researcher)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import crosstab, distribution, estimate, estimate_mean, logit


@pytest.fixture
def answers():
    rng = np.random.default_rng(14)
    n = 400
    area = rng.choice(["nord", "syd", "vest"], n)
    years = rng.integers(0, 30, n).astype(float)
    happy = np.where(rng.random(n) < 0.4 + 0.015 * years, "1", "2")
    happy[rng.random(n) < 0.05] = "9"
    return pd.DataFrame(
        {
            "area": area,
            "aar": pd.array(np.where(rng.random(n) < 0.1, np.nan, years), dtype="Float64"),
            "tilfreds": pd.Categorical(happy, categories=["1", "2", "9"]),
            "w": rng.uniform(1, 3, n),
            "pop": np.select([area == "nord", area == "syd"], [1000, 900], 1200),
        }
    )


def test_srs_mean_is_the_t_interval(answers):
    table = estimate_mean(answers, "aar")
    values = answers["aar"].dropna().to_numpy(dtype=float)
    low, high = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
    assert table.loc[0, "n"] == len(values)
    assert table.loc[0, "mean"] == pytest.approx(values.mean())
    assert (table.loc[0, "ci_low"], table.loc[0, "ci_high"]) == pytest.approx((low, high))
    assert list(table.columns) == ["n", "mean", "se", "ci_low", "ci_high", "df", "suppressed"]


def test_mean_by_group_with_design_deff_and_min_n(answers):
    table = estimate_mean(answers, "aar", by="area", strata="area", fpc="pop", deff=True,
                          min_n=500)
    assert list(table["area"]) == ["nord", "syd", "vest"]
    assert table["suppressed"].all() and table["mean"].isna().all() and table["deff"].isna().all()
    shown = estimate_mean(answers, "aar", weights="w", deff=True)
    assert shown.loc[0, "deff"] > 1  # unequal weights cost precision


def test_estimate_deff_column_only_when_asked(answers):
    plain = estimate(answers, "tilfreds", "1", exclude="9", weights="w")
    assert "deff" not in plain.columns
    with_deff = estimate(answers, "tilfreds", "1", exclude="9", weights="w", deff=True)
    assert with_deff.loc[0, "deff"] > 0
    assert estimate(answers, "tilfreds", "1", deff=True).loc[0, "deff"] == 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d: estimate_mean(d, "tilfreds"), "must be a numeric column"),
        (lambda d: estimate_mean(d, "aaar"), "did you mean 'aar'"),
        (lambda d: estimate_mean(d, "aar", deff="yes"), "deff must be True or False"),
        (lambda d: estimate_mean(d.assign(aar=np.nan), "aar"), "empty domain"),
        (lambda d: crosstab(d, "area", "area"), "same column"),
        (lambda d: crosstab(d, "area", "tilfreds", statistic="G"), "unknown statistic"),
        (lambda d: crosstab(d.assign(one="x"), "area", "one"), "at least two different"),
        (lambda d: logit(d, "tilfreds", [], positive="1"), "at least one predictor"),
        (lambda d: logit(d, "tilfreds", ["tilfreds"], positive="1"), "both the outcome"),
        (lambda d: logit(d, "tilfreds", ["aar"], positive="7"), "not categories"),
        (lambda d: logit(d.assign(x2=d["w"] * 2), "tilfreds", ["w", "x2"], positive="1"),
         "collinear"),
        (lambda d: logit(d.assign(one="x"), "tilfreds", ["one"], positive="1"), "single value"),
    ],
)
def test_bad_input_is_a_clear_value_error(answers, call, message):
    with pytest.raises(ValueError, match=message):
        call(answers)


def test_logit_separation_is_reported(answers):
    data = answers.assign(sep=np.where(answers["tilfreds"] == "1", 10.0, 0.0))
    with pytest.raises(ValueError, match="separates the outcome"):
        logit(data, "tilfreds", ["sep"], positive="1", exclude="9")


def test_crosstab_table_and_test(answers):
    result = crosstab(answers, "area", "tilfreds", exclude="9", strata="area", fpc="pop")
    table = result.table
    assert list(table.columns) == ["area", "tilfreds", "n", "count", "total", "p", "se",
                                   "ci_low", "ci_high"]
    assert table.groupby("area")["p"].sum().to_numpy() == pytest.approx(1.0)
    assert (table["ci_low"] <= table["p"]).all() and (table["p"] <= table["ci_high"]).all()
    test = result.test
    assert test.method == "F" and 0 <= test.p_value <= 1 and test.ndf > 0 and test.ddf > 0
    chisq = crosstab(answers, "area", "tilfreds", exclude="9", statistic="Chisq").test
    assert chisq.df == 2 and chisq.ndf is None


def test_logit_terms_named_as_patsy(answers):
    fit = logit(answers, "tilfreds", ["aar", "area"], positive="1", exclude="9", weights="w")
    assert list(fit["term"]) == ["Intercept", "aar", "area[T.syd]", "area[T.vest]"]
    assert fit.loc[1, "estimate"] > 0
    assert (fit["ci_low"] < fit["estimate"]).all()
    assert fit.attrs["n"] == int((answers["aar"].notna() & (answers["tilfreds"] != "9")).sum())


def test_distribution_with_strata_and_clusters(answers):
    table = distribution(answers, "tilfreds", by="area", strata="area", fpc="pop", exclude="9")
    assert list(table["code"].unique()) == ["1", "2"]
    assert table.groupby("area")["p"].sum().to_numpy() == pytest.approx(1.0)
    assert table[["ci_low", "ci_high"]].notna().all().all()
    beta = distribution(answers, "tilfreds", weights="w", method="beta")
    assert beta["ci_low"].notna().all()
    with pytest.raises(ValueError, match="unknown method"):
        distribution(answers, "tilfreds", weights="w", method="wilson")


def test_logit_point_estimates_are_statsmodels_glm(answers):
    import statsmodels.api as sm

    from analysis.regression import model_matrix

    fit = logit(answers, "tilfreds", ["aar", "area"], positive="1", exclude="9", weights="w")
    used = (answers["aar"].notna() & (answers["tilfreds"] != "9")).to_numpy()
    x, _ = model_matrix(answers, ["aar", "area"], used)
    y = (answers["tilfreds"][used] == "1").to_numpy(dtype=float)
    glm = sm.GLM(y, x, family=sm.families.Binomial(), freq_weights=answers["w"][used]).fit(
        tol=1e-12
    )
    assert fit["estimate"].to_numpy() == pytest.approx(glm.params, abs=1e-8)
