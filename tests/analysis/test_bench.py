"""`make bench` (python -m bench) runs and prints one line per benchmark."""

from __future__ import annotations

from bench.__main__ import main, make_responses


def test_bench_runs_on_a_small_sample(capsys):
    assert main(["--rows", "4000", "--repeat", "1", "--no-r", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("4,000 synthetic responses")
    assert any(line.startswith("estimate, no design") and "speed-up" in line for line in lines)
    assert any(line.startswith("compare_waves, weights + strata") for line in lines)
    assert any(line.startswith("load_responses, CSV export") and "ratio" in line for line in lines)
    for call in ("estimate_mean", "crosstab", "logit", "distribution"):
        assert any(
            line.startswith(f"{call}, weights + strata") and "no R baseline" in line
            for line in lines
        ), call


def test_bench_against_r_on_a_small_sample(capsys):
    import shutil

    import pytest

    if shutil.which("Rscript") is None:
        pytest.skip("Rscript is not installed")
    assert main(["--rows", "3000", "--repeat", "1", "--seed", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for call in ("estimate_mean", "crosstab", "logit", "distribution"):
        found = [line for line in lines if line.startswith(f"{call}, weights + strata")]
        assert found and "speed-up" in found[0], call
        assert float(found[0].rsplit("max |diff| ", 1)[1]) < 1e-6, found[0]


def test_synthetic_responses_are_reproducible():
    one = make_responses(500, seed=11)
    two = make_responses(500, seed=11)
    assert one.equals(two)
    assert set(one["stratum"]) == {"a", "b", "c"}
    assert set(one["wave"]) == {2012, 2016}
