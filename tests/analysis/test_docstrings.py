"""The Examples sections of the analysis engine's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "analysis.estimate",
    "analysis.compare",
    "analysis.weighting",
    "analysis.distribution",
    "analysis.design",
    "analysis.load",
    "analysis._groups",
    "analysis.means",
    "analysis.crosstab",
    "analysis.regression",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


@pytest.mark.parametrize(
    "name",
    [
        "estimate",
        "estimate_mean",
        "crosstab",
        "logit",
        "compare_waves",
        "rake",
        "poststratify",
        "distribution",
        "load_responses",
    ],
)
def test_public_functions_have_numpydoc_sections(name):
    import analysis

    doc = getattr(analysis, name).__doc__
    for section in ("Parameters\n", "Returns\n", "Examples\n"):
        assert section in doc, f"{name} lacks a {section.strip()} section"


def test_package_exports():
    import types

    import analysis

    assert set(analysis.__all__) == {
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
    }
    assert isinstance(analysis.disclosure, types.ModuleType)
    for name in analysis.__all__:
        assert getattr(analysis, name) is not None
