"""Statistics for resident surveys: shares with intervals, wave comparisons, weighting.

The calls a researcher needs (see ``analysis/README.md``)::

    from analysis import load_responses, estimate, estimate_mean, crosstab, logit
    from analysis import compare_waves, distribution, rake

Every function takes a tidy DataFrame (one row per response) and returns a tidy
DataFrame or Series; design-based results agree with R's ``survey`` package.
"""

from analysis import disclosure
from analysis.compare import compare_waves
from analysis.crosstab import crosstab
from analysis.distribution import distribution
from analysis.estimate import estimate
from analysis.intervals import diff_ci, proportion_ci
from analysis.load import load_responses
from analysis.means import estimate_mean
from analysis.regression import logit
from analysis.weighting import poststratify, rake

__all__ = [
    "proportion_ci",
    "diff_ci",
    "estimate",
    "estimate_mean",
    "crosstab",
    "logit",
    "compare_waves",
    "rake",
    "poststratify",
    "distribution",
    "load_responses",
    "disclosure",
]
