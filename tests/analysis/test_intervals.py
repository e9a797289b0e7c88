"""Unit tests of analysis.intervals: types, shapes, errors, edge cases, doctests.

The published reference values are checked in test_intervals_reference.py and
the general properties in test_intervals_properties.py.
"""

import doctest

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis import intervals
from analysis.intervals import DIFF_METHODS, PROPORTION_METHODS, diff_ci, proportion_ci


def test_doctests_run():
    result = doctest.testmod(intervals, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_proportion_scalar_gives_floats(method):
    low, high = proportion_ci(7, 20, method=method)
    assert type(low) is float and type(high) is float
    assert 0 <= low < 7 / 20 < high <= 1


@pytest.mark.parametrize("method", DIFF_METHODS)
def test_diff_scalar_gives_floats(method):
    low, high = diff_ci(7, 20, 3, 25, method=method)
    assert type(low) is float and type(high) is float
    assert -1 <= low < 7 / 20 - 3 / 25 < high <= 1


@pytest.mark.parametrize("method", PROPORTION_METHODS)
def test_proportion_array_broadcasts(method):
    counts = np.array([[0, 3, 10], [1, 5, 9]])
    low, high = proportion_ci(counts, 10, method=method)
    assert low.shape == high.shape == (2, 3)
    for index in np.ndindex(counts.shape):
        assert (low[index], high[index]) == proportion_ci(int(counts[index]), 10, method=method)


@pytest.mark.parametrize("method", DIFF_METHODS)
def test_diff_array_broadcasts(method):
    count1 = np.array([0, 4, 12])
    count2 = np.array([[0], [6], [30]])
    low, high = diff_ci(count1, 12, count2, 30, method=method)
    assert low.shape == high.shape == (3, 3)
    for i, j in np.ndindex(3, 3):
        expected = diff_ci(int(count1[j]), 12, int(count2[i, 0]), 30, method=method)
        assert low[i, j] == pytest.approx(expected[0], abs=1e-12)
        assert high[i, j] == pytest.approx(expected[1], abs=1e-12)


def test_series_keep_index():
    index = pd.Index(["Glarbjergvej", "Gl. Jennumparken", "Vangdalen"], name="area")
    count = pd.Series([40, 12, 0], index=index)
    nobs = pd.Series([50, 30, 8], index=index)
    low, high = proportion_ci(count, nobs)
    assert isinstance(low, pd.Series) and isinstance(high, pd.Series)
    assert low.index.equals(index) and high.index.equals(index)
    assert (low.name, high.name) == ("ci_low", "ci_high")
    assert low["Vangdalen"] == 0.0
    dlow, dhigh = diff_ci(count, nobs, 5, 20)
    assert dlow.index.equals(index) and dhigh.index.equals(index)


def test_series_with_different_indexes_rejected():
    with pytest.raises(ValueError, match="indexes of count and nobs differ"):
        proportion_ci(pd.Series([1, 2], index=[0, 1]), pd.Series([5, 5], index=[1, 2]))


def test_statsmodels_agrees_where_used():
    counts = np.arange(0, 31)
    for ours, theirs in [
        ("wilson", "wilson"),
        ("clopper-pearson", "beta"),
        ("agresti-coull", "agresti_coull"),
        ("wald", "normal"),
    ]:
        low, high = proportion_ci(counts, 30, alpha=0.1, method=ours)
        sm_low, sm_high = proportion_confint(counts, 30, alpha=0.1, method=theirs)
        np.testing.assert_allclose(low, sm_low, atol=1e-15)
        np.testing.assert_allclose(high, sm_high, atol=1e-15)


def test_jeffreys_boundaries_follow_brown_cai_dasgupta():
    low, high = proportion_ci(np.array([0, 1, 19, 20]), 20, method="jeffreys")
    sm_low, sm_high = proportion_confint(np.array([0, 1, 19, 20]), 20, method="jeffreys")
    assert low[0] == 0.0 and sm_low[0] > 0
    assert high[3] == 1.0 and sm_high[3] < 1
    np.testing.assert_allclose(low[1:], sm_low[1:])
    np.testing.assert_allclose(high[:3], sm_high[:3])


def test_wald_is_truncated():
    assert proportion_ci(0, 20, method="wald") == (0.0, 0.0)
    low, high = proportion_ci(1, 29, method="wald-cc")
    assert low == 0.0
    assert diff_ci(10, 10, 0, 10, method="wald-cc") == (0.9, 1.0)


def test_wilson_cc_boundaries():
    assert proportion_ci(0, 20, method="wilson-cc")[0] == 0.0
    assert proportion_ci(20, 20, method="wilson-cc")[1] == 1.0
    low, high = proportion_ci(20, 20, method="wilson-cc")
    mirror = proportion_ci(0, 20, method="wilson-cc")
    assert low == pytest.approx(1 - mirror[1]) and high == 1 - mirror[0]


def test_non_integer_counts_accepted():
    low, high = proportion_ci(12.4, 30.7)
    assert 0 < low < 12.4 / 30.7 < high < 1
    for method in PROPORTION_METHODS:
        low, high = proportion_ci(0.3, 10.0, method=method)
        assert 0 <= low <= 0.03 <= high <= 1


def test_miettinen_nurminen_boundaries():
    assert diff_ci(10, 10, 0, 20, method="miettinen-nurminen")[1] == 1.0
    assert diff_ci(0, 20, 10, 10, method="miettinen-nurminen")[0] == -1.0
    low, high = diff_ci(0, 10, 0, 10, method="miettinen-nurminen")
    assert low == pytest.approx(-high, abs=1e-14)
    assert 0 < high < 1


def test_miettinen_nurminen_is_score_inversion():
    # At each bound the MN statistic equals the normal quantile.
    from scipy import stats

    low, high = diff_ci(7, 34, 1, 34, method="miettinen-nurminen", alpha=0.1)
    z = stats.norm.isf(0.05)
    p1, p2 = 7 / 34, 1 / 34
    n1 = n2 = np.float64(34)
    assert intervals._mn_statistic(p1, p2, n1, n2, np.float64(low)) == pytest.approx(z)
    assert intervals._mn_statistic(p1, p2, n1, n2, np.float64(high)) == pytest.approx(-z)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: proportion_ci(3, 10, method="score"),
            "unknown method 'score'; choose one of wilson",
        ),
        (lambda: diff_ci(3, 10, 2, 10, method="score"), "choose one of newcombe, newcombe-cc"),
        (lambda: proportion_ci(11, 10), r"count must lie in \[0, nobs\], got 11"),
        (lambda: proportion_ci(-1, 10), r"count must lie in \[0, nobs\]"),
        (lambda: diff_ci(3, 10, 12, 10), r"count2 must lie in \[0, nobs2\]"),
        (lambda: proportion_ci(0, 0), "nobs must be positive"),
        (lambda: diff_ci(1, 5, 0, -2), "nobs2 must be positive"),
        (lambda: proportion_ci(3, 10, alpha=0), r"alpha must be in \(0, 1\)"),
        (lambda: proportion_ci(3, 10, alpha=1.5), r"alpha must be in \(0, 1\)"),
        (lambda: proportion_ci(3, 10, alpha="0.05"), "alpha must be a number"),
        (
            lambda: proportion_ci([1, 2, 3], [5, 5]),
            r"shapes do not broadcast: count \(3,\), nobs \(2,\)",
        ),
        (lambda: proportion_ci(np.nan, 10), "count must be finite"),
        (lambda: proportion_ci("a", 10), "count must be numeric"),
        (lambda: proportion_ci(pd.DataFrame({"a": [1]}), 10), "not a DataFrame"),
    ],
)
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_alpha_changes_width():
    narrow = proportion_ci(30, 100, alpha=0.2)
    wide = proportion_ci(30, 100, alpha=0.01)
    assert wide[0] < narrow[0] and narrow[1] < wide[1]
