"""Hypothesis properties of analysis.intervals.proportion_ci and diff_ci."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.intervals import DIFF_METHODS, PROPORTION_METHODS, diff_ci, proportion_ci

SETTINGS = settings(max_examples=150, deadline=None)
# Bisection (Miettinen-Nurminen) stops within ~1e-16 of the root; allow for it.
TOLERANCE = 1e-12


@st.composite
def proportions(draw, max_nobs=500):
    nobs = draw(st.integers(min_value=1, max_value=max_nobs))
    count = draw(st.integers(min_value=0, max_value=nobs))
    return count, nobs


alphas = st.floats(min_value=0.001, max_value=0.5)


@SETTINGS
@given(proportions(), alphas, st.sampled_from(PROPORTION_METHODS))
def test_proportion_bounds_within_unit_interval_and_around_estimate(case, alpha, method):
    count, nobs = case
    low, high = proportion_ci(count, nobs, alpha=alpha, method=method)
    assert 0.0 <= low <= high <= 1.0
    assert low <= count / nobs <= high


@SETTINGS
@given(proportions(), proportions(), alphas, st.sampled_from(DIFF_METHODS))
def test_diff_bounds_within_range_and_around_estimate(first, second, alpha, method):
    (count1, nobs1), (count2, nobs2) = first, second
    low, high = diff_ci(count1, nobs1, count2, nobs2, alpha=alpha, method=method)
    estimate = count1 / nobs1 - count2 / nobs2
    assert -1.0 <= low <= high <= 1.0
    assert low - TOLERANCE <= estimate <= high + TOLERANCE


@SETTINGS
@given(proportions(), alphas, alphas, st.sampled_from(PROPORTION_METHODS))
def test_proportion_widens_as_alpha_falls(case, alpha_a, alpha_b, method):
    count, nobs = case
    small, large = sorted((alpha_a, alpha_b))
    wide = proportion_ci(count, nobs, alpha=small, method=method)
    narrow = proportion_ci(count, nobs, alpha=large, method=method)
    assert wide[0] <= narrow[0] + TOLERANCE
    assert wide[1] >= narrow[1] - TOLERANCE


@SETTINGS
@given(proportions(200), proportions(200), alphas, alphas, st.sampled_from(DIFF_METHODS))
def test_diff_widens_as_alpha_falls(first, second, alpha_a, alpha_b, method):
    small, large = sorted((alpha_a, alpha_b))
    wide = diff_ci(*first, *second, alpha=small, method=method)
    narrow = diff_ci(*first, *second, alpha=large, method=method)
    assert wide[0] <= narrow[0] + TOLERANCE
    assert wide[1] >= narrow[1] - TOLERANCE


@SETTINGS
@given(proportions(), proportions(), alphas, st.sampled_from(DIFF_METHODS))
def test_diff_mirrors_when_groups_swap(first, second, alpha, method):
    low, high = diff_ci(*first, *second, alpha=alpha, method=method)
    swapped_low, swapped_high = diff_ci(*second, *first, alpha=alpha, method=method)
    assert low == -swapped_high
    assert high == -swapped_low


@SETTINGS
@given(proportions(), alphas, st.sampled_from(PROPORTION_METHODS))
def test_proportion_mirrors_when_success_and_failure_swap(case, alpha, method):
    count, nobs = case
    low, high = proportion_ci(count, nobs, alpha=alpha, method=method)
    other_low, other_high = proportion_ci(nobs - count, nobs, alpha=alpha, method=method)
    assert low == pytest.approx(1 - other_high, abs=TOLERANCE)
    assert high == pytest.approx(1 - other_low, abs=TOLERANCE)


@SETTINGS
@given(
    st.lists(proportions(), min_size=1, max_size=8),
    alphas,
    st.sampled_from(PROPORTION_METHODS),
)
def test_proportion_array_equals_elementwise_scalars(cases, alpha, method):
    counts = np.array([count for count, _ in cases])
    nobs = np.array([n for _, n in cases])
    low, high = proportion_ci(counts, nobs, alpha=alpha, method=method)
    for i, (count, n) in enumerate(cases):
        scalar_low, scalar_high = proportion_ci(count, n, alpha=alpha, method=method)
        assert low[i] == pytest.approx(scalar_low, abs=1e-15)
        assert high[i] == pytest.approx(scalar_high, abs=1e-15)


@SETTINGS
@given(
    st.lists(st.tuples(proportions(), proportions()), min_size=1, max_size=8),
    alphas,
    st.sampled_from(DIFF_METHODS),
)
def test_diff_array_equals_elementwise_scalars(cases, alpha, method):
    columns = np.array([[*first, *second] for first, second in cases]).T
    low, high = diff_ci(*columns, alpha=alpha, method=method)
    for i, (first, second) in enumerate(cases):
        scalar_low, scalar_high = diff_ci(*first, *second, alpha=alpha, method=method)
        assert low[i] == pytest.approx(scalar_low, abs=1e-15)
        assert high[i] == pytest.approx(scalar_high, abs=1e-15)
