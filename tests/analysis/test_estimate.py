"""analysis.estimate: simple random samples, designs, domains, suppression and errors.

Design results are checked against R in test_r_reference.py; here against
independent hand calculations and statsmodels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from analysis import estimate

CODES = ["1", "2", "3", "4", "5", "9"]


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    stratum = rng.choice(["a", "b", "c"], n)
    return pd.DataFrame(
        {
            "area": rng.choice(["vangdalen", "glarbjergvej", "jennumparken"], n),
            "stratum": stratum,
            "psu": pd.Series(stratum) + rng.integers(0, 12, n).astype(str),
            "w": rng.uniform(0.5, 2.0, n),
            "tilfreds": pd.Categorical(
                rng.choice(CODES, n, p=[0.3, 0.3, 0.15, 0.1, 0.05, 0.1]),
                categories=CODES,
                ordered=True,
            ),
        }
    )


def test_simple_random_sample_by_hand():
    data = pd.DataFrame({"q": ["1", "1", "2", "3", "1", None, "9", "2"]})
    table = estimate(data, "q", ["1", "2"], exclude="9")
    assert list(table.columns) == ["n", "p", "se", "ci_low", "ci_high", "df", "suppressed"]
    row = table.iloc[0]
    # 6 answers left after dropping the missing one and "9"; 5 of them are 1 or 2
    assert row["n"] == 6 and row["df"] == 5
    assert row["p"] == pytest.approx(5 / 6)
    assert row["se"] == pytest.approx(np.sqrt(5 / 6 * 1 / 6 / 6))
    low, high = proportion_confint(5, 6, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
    assert not row["suppressed"]


def test_by_groups_are_sorted_and_keep_categorical_order(answers):
    answers["area"] = pd.Categorical(
        answers["area"], categories=["vangdalen", "jennumparken", "glarbjergvej"]
    )
    table = estimate(answers, "tilfreds", ["1", "2"], by="area")
    assert table["area"].tolist() == ["vangdalen", "jennumparken", "glarbjergvej"]
    for area, row in table.set_index("area").iterrows():
        part = answers[answers["area"] == area]
        assert row["n"] == len(part)
        assert row["p"] == pytest.approx(part["tilfreds"].isin(["1", "2"]).mean())


def test_two_by_columns_and_other_methods(answers):
    table = estimate(answers, "tilfreds", "1", by=["area", "stratum"], method="clopper-pearson")
    assert len(table) == 9
    first = table.iloc[0]
    part = answers[(answers["area"] == first["area"]) & (answers["stratum"] == first["stratum"])]
    count = int((part["tilfreds"] == "1").sum())
    low, high = proportion_confint(count, len(part), method="beta")
    assert (first["ci_low"], first["ci_high"]) == pytest.approx((low, high))


def test_alpha_changes_the_interval(answers):
    wide = estimate(answers, "tilfreds", ["1", "2"], alpha=0.01).iloc[0]
    narrow = estimate(answers, "tilfreds", ["1", "2"], alpha=0.10).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < wide["ci_high"]


def test_boolean_item_from_multiple_choice():
    data = pd.DataFrame(
        {"ry__fordomme": pd.array([True, False, None, True, True], dtype="boolean")}
    )
    row = estimate(data, "ry__fordomme", True).iloc[0]
    assert row["n"] == 4 and row["p"] == pytest.approx(0.75)


def test_min_n_suppresses_small_groups():
    data = pd.DataFrame({"area": ["a"] * 12 + ["b"] * 3, "q": ["1", "2"] * 6 + ["1"] * 3})
    table = estimate(data, "q", "1", by="area", min_n=10)
    assert table["suppressed"].tolist() == [False, True]
    small = table.iloc[1]
    assert small["n"] == 3
    assert small[["p", "se", "ci_low", "ci_high"]].isna().all()
    assert table.iloc[0]["p"] == pytest.approx(0.5)


def test_constant_weights_design_matches_formula(answers):
    # each row its own PSU, one stratum: var = p (1 - p) / (n - 1)
    answers["one"] = 1.0
    row = estimate(answers, "tilfreds", ["1", "2"], weights="one").iloc[0]
    n = len(answers)
    p = answers["tilfreds"].isin(["1", "2"]).mean()
    assert row["p"] == pytest.approx(p)
    assert row["se"] == pytest.approx(np.sqrt(p * (1 - p) / (n - 1)))
    assert row["df"] == n - 1


def test_by_group_is_a_domain_of_the_full_design(answers):
    """A by group gives the same numbers as masking every other row's answer."""
    design = dict(weights="w", strata="stratum", cluster="psu")
    grouped = estimate(answers, "tilfreds", ["1", "2"], by="area", exclude="9", **design)
    for area in answers["area"].unique():
        masked = answers.copy()
        masked.loc[masked["area"] != area, "tilfreds"] = None
        alone = estimate(masked, "tilfreds", ["1", "2"], exclude="9", **design).iloc[0]
        row = grouped[grouped["area"] == area].iloc[0]
        for column in ("n", "p", "se", "ci_low", "ci_high", "df"):
            assert row[column] == pytest.approx(alone[column], abs=1e-12)


def test_one_row_per_cluster_is_no_cluster(answers):
    # 300 PSUs x 9 groups takes the hashing path for PSU totals; the result must not change
    answers["row"] = np.arange(len(answers))
    options = dict(by=["area", "stratum"], weights="w", strata="stratum", exclude="9")
    clustered = estimate(answers, "tilfreds", ["1", "2"], cluster="row", **options)
    plain = estimate(answers, "tilfreds", ["1", "2"], **options)
    pd.testing.assert_frame_equal(clustered, plain, check_exact=False, rtol=1e-12)


def test_domain_variance_differs_from_a_new_sample(answers):
    """Dropping rows (a new sample) is not the same as a domain of the design."""
    design = dict(weights="w", strata="stratum", cluster="psu")
    domain = estimate(answers, "tilfreds", ["1", "2"], by="area", **design).iloc[0]
    subset = answers[answers["area"] == domain["area"]]
    alone = estimate(subset, "tilfreds", ["1", "2"], **design).iloc[0]
    assert domain["p"] == pytest.approx(alone["p"])
    assert domain["se"] != pytest.approx(alone["se"], rel=1e-9)


def test_lonely_psu_adjust_and_fail():
    data = pd.DataFrame(
        {
            "s": ["a", "a", "a", "b", "b", "c"],
            "psu": [1, 2, 2, 3, 4, 5],
            "q": ["1", "2", "1", "1", "1", "2"],
        }
    )
    with pytest.raises(ValueError, match="stratum 'c' of 's' has only one PSU"):
        estimate(data, "q", "1", strata="s", cluster="psu")
    row = estimate(data, "q", "1", strata="s", cluster="psu", lonely_psu="adjust").iloc[0]
    assert 0 < row["se"] and row["df"] == 5 - 3
    # a domain that does not touch the lonely stratum needs no adjustment (as R)
    data["area"] = ["x", "x", "x", "x", "x", "y"]
    by_area = estimate(data.iloc[:5], "q", "1", strata="s", cluster="psu", by="area")
    assert by_area["n"].tolist() == [5]


def test_fpc_without_weights_derives_weights():
    data = pd.DataFrame({"q": ["1", "2", "1", "1"], "N": [40, 40, 40, 40]})
    with_fpc = estimate(data, "q", "1", fpc="N").iloc[0]
    no_fpc = estimate(data.assign(w=10.0), "q", "1", weights="w").iloc[0]
    assert with_fpc["p"] == pytest.approx(0.75)
    assert with_fpc["se"] == pytest.approx(no_fpc["se"] * np.sqrt((40 - 4) / 40))


def test_design_methods_and_degenerate_shares():
    data = pd.DataFrame({"q": ["1"] * 5, "w": [1.0, 2.0, 1.0, 1.0, 3.0]})
    logit = estimate(data, "q", "1", weights="w").iloc[0]
    assert (logit["p"], logit["ci_low"], logit["ci_high"]) == (1.0, 1.0, 1.0)
    beta = estimate(data, "q", "1", weights="w", method="beta").iloc[0]
    assert np.isnan(beta["ci_low"])  # as R: undefined when p is 0 or 1
    mean = estimate(data, "q", "1", weights="w", method="mean").iloc[0]
    assert mean["ci_low"] == mean["ci_high"] == 1.0


def test_beta_without_variance_is_the_point():
    # y constant within each stratum: no variance. R's svyciprop(method = "beta") gives
    # qbeta(..., Inf, Inf) = 0.5 for both bounds here; the limit of the interval is p.
    data = pd.DataFrame({"q": ["2", "2", "2", "2", "1", "1"], "s": list("aaaabb")})
    row = estimate(data, "q", "1", weights=None, strata="s", method="beta").iloc[0]
    assert row["se"] == 0
    assert row["ci_low"] == row["ci_high"] == pytest.approx(1 / 3)


class TestErrors:
    def test_unknown_column_lists_close_matches(self, answers):
        with pytest.raises(ValueError, match=r"unknown column 'tilfred'.*'tilfreds'"):
            estimate(answers, "tilfred", "1")
        with pytest.raises(ValueError, match=r"unknown column 'areas' given as by.*'area'"):
            estimate(answers, "tilfreds", "1", by="areas")
        with pytest.raises(ValueError, match=r"unknown column 'weight' given as weights.*'w'"):
            estimate(answers, "tilfreds", "1", weights="weight")

    def test_positive_codes_must_exist(self, answers):
        with pytest.raises(ValueError, match=r"positive codes '7' are not categories"):
            estimate(answers, "tilfreds", ["1", "7"])
        plain = answers.assign(tilfreds=answers["tilfreds"].astype(str))
        with pytest.raises(ValueError, match=r"none of the positive codes 1 occurs"):
            estimate(plain, "tilfreds", 1)

    def test_boolean_item_needs_true(self):
        data = pd.DataFrame({"x": pd.array([True, False], dtype="boolean")})
        with pytest.raises(ValueError, match="positive=True"):
            estimate(data, "x", "1")

    def test_positive_and_excluded(self, answers):
        with pytest.raises(ValueError, match="both positive and excluded"):
            estimate(answers, "tilfreds", ["1", "9"], exclude="9")

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ([1.0, -1.0, 0.0, 1.0], r"2 rows without a positive finite weight \(2 zero or neg"),
            ([1.0, np.nan, 1.0, 1.0], r"1 row without a positive finite weight .*1 missing"),
        ],
    )
    def test_bad_weights(self, values, message):
        data = pd.DataFrame({"q": ["1", "2", "1", "2"], "w": values})
        with pytest.raises(ValueError, match=message):
            estimate(data, "q", "1", weights="w")

    def test_unknown_method(self, answers):
        with pytest.raises(ValueError, match=r"unknown method 'logit' for a simple random"):
            estimate(answers, "tilfreds", "1", method="logit")
        with pytest.raises(ValueError, match=r"unknown method 'wilson' for a survey design"):
            estimate(answers, "tilfreds", "1", weights="w", method="wilson")

    def test_unknown_lonely_psu(self, answers):
        with pytest.raises(ValueError, match="unknown lonely_psu 'average'"):
            estimate(answers, "tilfreds", "1", weights="w", lonely_psu="average")

    def test_empty_domain(self):
        data = pd.DataFrame({"q": pd.Categorical(["9", None], categories=["1", "9"])})
        with pytest.raises(ValueError, match="empty domain"):
            estimate(data, "q", "1", exclude="9")

    def test_clusters_not_nested(self):
        data = pd.DataFrame({"s": ["a", "b", "b"], "c": [1, 1, 2], "q": ["1", "2", "1"]})
        with pytest.raises(ValueError, match="not nested in strata"):
            estimate(data, "q", "1", strata="s", cluster="c")

    def test_fpc_checks(self):
        data = pd.DataFrame({"s": ["a", "a", "b", "b"], "N": [10, 11, 5, 5], "q": ["1"] * 4})
        with pytest.raises(ValueError, match="constant within a stratum"):
            estimate(data, "q", "1", strata="s", fpc="N")
        data["N"] = [10, 10, 1, 1]
        with pytest.raises(ValueError, match="fewer than the 2 PSUs"):
            estimate(data, "q", "1", strata="s", fpc="N")
        data["N"] = [10, 10, None, None]
        with pytest.raises(ValueError, match=r"fpc column 'N': 2 rows without a positive"):
            estimate(data, "q", "1", strata="s", fpc="N")

    def test_not_a_frame_and_bad_alpha(self, answers):
        with pytest.raises(TypeError, match="DataFrame"):
            estimate([1, 2], "q", "1")
        with pytest.raises(ValueError, match="alpha"):
            estimate(answers, "tilfreds", "1", alpha=1.5)
        with pytest.raises(ValueError, match="min_n"):
            estimate(answers, "tilfreds", "1", min_n=0)


# --- properties -------------------------------------------------------------

rows = st.lists(
    st.tuples(
        st.booleans(),
        st.floats(min_value=0.1, max_value=10.0, allow_nan=False),
        st.sampled_from(["a", "b"]),
    ),
    min_size=6,
    max_size=60,
)


def _frame(records) -> pd.DataFrame:
    yes, weight, stratum = zip(*records, strict=True)
    return pd.DataFrame(
        {
            "q": pd.Categorical(["1" if v else "2" for v in yes], categories=["1", "2"]),
            "w": weight,
            "s": stratum,
        }
    )


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["wilson", "jeffreys", "clopper-pearson", "agresti-coull"]))
def test_property_srs_interval_holds_p(records, method):
    table = estimate(_frame(records), "q", "1", method=method)
    row = table.iloc[0]
    assert 0.0 <= row["ci_low"] <= row["p"] <= row["ci_high"] <= 1.0


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["logit", "beta", "mean"]))
def test_property_design_interval_holds_p(records, method):
    data = _frame(records)
    if data["s"].value_counts().min() < 2:
        data["s"] = "a"
    row = estimate(data, "q", "1", weights="w", strata="s", method=method).iloc[0]
    if 0.0 < row["p"] < 1.0:
        assert row["ci_low"] <= row["p"] <= row["ci_high"]
        if method != "mean":
            assert 0.0 <= row["ci_low"] and row["ci_high"] <= 1.0


@settings(max_examples=60, deadline=None)
@given(rows, st.floats(min_value=0.01, max_value=1000.0, allow_nan=False))
def test_property_scaling_weights_changes_nothing(records, factor):
    data = _frame(records)
    if data["s"].value_counts().min() < 2:
        data["s"] = "a"
    scaled = data.assign(w=data["w"] * factor)
    one = estimate(data, "q", "1", weights="w", strata="s").iloc[0]
    two = estimate(scaled, "q", "1", weights="w", strata="s").iloc[0]
    assert two["p"] == pytest.approx(one["p"], rel=1e-9, abs=1e-12)
    assert two["se"] == pytest.approx(one["se"], rel=1e-7, abs=1e-12)
