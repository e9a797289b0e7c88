"""Benchmarks of the analysis engine, each against a baseline measured in the same run.

Each line gives our time, the baseline's time, the speed-up (baseline time / our
time: above 1 means we are faster) and the largest absolute difference between
the two sets of numbers.

Run with ``make bench`` (``python -m bench``). Options: ``--rows N`` (default
1,000,000), ``--seed S``, ``--repeat K`` (best of K timings), ``--no-r``.

For ``--rows`` synthetic responses with weights, 3 strata, 10 areas and 2 waves:

- ``estimate`` by area x wave without a design, against pandas ``groupby``
  counts plus statsmodels' ``proportion_confint`` (Wilson) over the arrays;
- ``compare_waves`` by area without a design, against ``groupby`` counts plus
  statsmodels' ``confint_proportions_2indep`` (Newcombe) over the arrays;
- ``estimate`` with a design (weights and strata) by area x wave, against R's
  ``svyby(~y, ~area + wave, design, svyciprop, method = "logit")``;
- ``compare_waves`` with a design by area, against R's ``svyby`` with
  ``svymean`` on each wave's design and the same arithmetic for the difference;
- ``load_responses`` on a CSV export of up to 200,000 responses, against a bare
  ``pandas.read_csv`` of the same file (:mod:`bench.load`; goal: at most 3x).

and the researcher's calls (``estimate_mean``, ``crosstab``, ``logit``,
``distribution`` with a design) against R's ``svymean``, ``svychisq``,
``svyglm`` and ``svyby`` (see :mod:`bench.researcher`).

R runs through ``Rscript`` on a CSV written to a temporary directory and times
itself with ``system.time``; reading the CSV is not timed. Every comparison
prints the largest absolute difference between the two sets of numbers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from analysis import compare_waves, estimate
from bench import researcher

AREAS = [f"area{i:02d}" for i in range(10)]
CODES = ["1", "2", "3", "4", "5", "9"]
POSITIVE = ["1", "2"]

R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], colClasses = c(area = "character", stratum = "character"))
repeats <- as.integer(args[3])
best <- function(expr) {
  code <- substitute(expr)
  env <- parent.frame()
  min(replicate(repeats, system.time(eval(code, env))[["elapsed"]]))
}
design <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = data)
answered <- subset(design, !is.na(y))
t_estimate <- best(
  est <- svyby(~y, ~area + wave, answered, svyciprop, method = "logit", vartype = c("se", "ci"))
)
waves <- lapply(c(2012, 2016), function(wave) {
  d <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = data[data$wave == wave, ])
  subset(d, !is.na(y))
})
first <- waves[[1]]
second <- waves[[2]]
t_compare <- best({
  one <- svyby(~y, ~area, first, svymean)
  two <- svyby(~y, ~area, second, svymean)
  se <- sqrt(one$se^2 + two$se^2)
  df <- sapply(one$area, function(a) degf(subset(first, area == a))) +
        sapply(two$area, function(a) degf(subset(second, area == a)))
  diff <- two$y - one$y
  half <- qt(0.975, df) * se
})
out <- list(
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  estimate_seconds = t_estimate,
  compare_seconds = t_compare,
  estimate = list(area = as.character(est$area), wave = est$wave, p = est$y, se = est$se,
                  ci_low = est$ci_l, ci_high = est$ci_u),
  compare = list(area = as.character(one$area), diff = diff, ci_low = diff - half,
                 ci_high = diff + half)
)
writeLines(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE), args[2])
"""


def make_responses(rows: int, seed: int) -> pd.DataFrame:
    """Synthetic responses: area, wave, stratum, weight and a 5-point item with "9"."""
    rng = np.random.default_rng(seed)
    stratum = rng.choice(["a", "b", "c"], rows, p=[0.5, 0.3, 0.2])
    base = {"a": 0.62, "b": 0.70, "c": 0.55}
    answers = rng.choice(CODES, rows, p=[0.3, 0.3, 0.15, 0.1, 0.05, 0.1])
    # make satisfaction depend on stratum so design effects are visible
    lift = rng.random(rows) < pd.Series(stratum).map(base).to_numpy() - 0.6
    answers = np.where(lift & (answers != "9"), "1", answers)
    return pd.DataFrame(
        {
            "area": pd.Categorical(rng.choice(AREAS, rows), categories=AREAS),
            "wave": rng.choice([2012, 2016], rows),
            "stratum": stratum,
            "w": rng.uniform(0.5, 3.0, rows).round(6),
            "tilfreds": pd.Categorical(answers, categories=CODES, ordered=True),
        }
    )


def best_of(repeat: int, function, *args, **kwargs):
    """(best wall time in seconds, last result) of ``repeat`` calls."""
    best = np.inf
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def baseline_estimate(data: pd.DataFrame) -> pd.DataFrame:
    """Unweighted shares by area x wave with pandas and statsmodels."""
    answered = data[data["tilfreds"] != "9"]
    yes = answered["tilfreds"].isin(POSITIVE)
    grouped = yes.groupby([answered["area"], answered["wave"]], observed=True)
    counts = grouped.sum()
    nobs = grouped.size()
    low, high = proportion_confint(counts.to_numpy(), nobs.to_numpy(), method="wilson")
    return pd.DataFrame({"p": counts / nobs, "ci_low": low, "ci_high": high}).reset_index()


def baseline_compare(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Unweighted differences by area with pandas and statsmodels (Newcombe)."""
    parts = []
    for wave in (first, second):
        answered = wave[wave["tilfreds"] != "9"]
        yes = answered["tilfreds"].isin(POSITIVE)
        grouped = yes.groupby(answered["area"], observed=True)
        parts.append((grouped.sum(), grouped.size()))
    (c1, n1), (c2, n2) = parts
    low, high = confint_proportions_2indep(
        c2.to_numpy(), n2.to_numpy(), c1.to_numpy(), n1.to_numpy(), method="newcombe"
    )
    return pd.DataFrame({"diff": c2 / n2 - c1 / n1, "ci_low": low, "ci_high": high})


def run_r(data: pd.DataFrame, repeat: int) -> dict | None:
    """Time R's svyby on the same data; ``None`` when Rscript is not installed."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory(prefix="beboer-bench-") as folder:
        folder = Path(folder)
        csv = folder / "responses.csv"
        # "9" (excluded) is NA: R's subset() then makes it a domain of the full design
        y = data["tilfreds"].isin(POSITIVE).astype("Int64").mask(data["tilfreds"] == "9")
        pd.DataFrame(
            {
                "area": data["area"].astype(str),
                "wave": data["wave"],
                "stratum": data["stratum"],
                "w": data["w"],
                "y": y,
            }
        ).to_csv(csv, index=False, na_rep="NA")
        script = folder / "bench.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        output = folder / "out.json"
        completed = subprocess.run(
            [rscript, str(script), str(csv), str(output), str(repeat)],
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            print(f"R failed:\n{completed.stderr}", file=sys.stderr)
            return None
        return json.loads(output.read_text(encoding="utf-8"))


def max_abs_diff(ours: pd.DataFrame, theirs: pd.DataFrame, columns: list[str]) -> float:
    """Largest absolute difference between two tables' ``columns`` (rows in the same order)."""
    return float(np.max(np.abs(ours[columns].to_numpy() - theirs[columns].to_numpy())))


def line(
    label: str,
    seconds: float,
    baseline_label: str,
    baseline: float,
    ours: pd.DataFrame,
    theirs: pd.DataFrame,
    columns: list[str],
):
    """Print one benchmark result with its ratio against the baseline and the largest difference."""
    ratio = baseline / seconds
    max_diff = max_abs_diff(ours, theirs, columns)
    print(
        f"{label:<34} {seconds:8.3f} s | {baseline_label:<44} {baseline:8.3f} s | "
        f"speed-up {ratio:5.1f}x | max |diff| {max_diff:.1e}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print one line each."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20161)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-r", action="store_true", help="skip the R baselines")
    options = parser.parse_args(argv)

    data = make_responses(options.rows, options.seed)
    first = data[data["wave"] == 2012].reset_index(drop=True)
    second = data[data["wave"] == 2016].reset_index(drop=True)
    print(
        f"{options.rows:,} synthetic responses, 3 strata, {len(AREAS)} areas x 2 waves; "
        f"best of {options.repeat}"
    )

    def time_estimate(**design):
        return best_of(
            options.repeat,
            estimate,
            data,
            "tilfreds",
            POSITIVE,
            by=["area", "wave"],
            exclude="9",
            **design,
        )

    def time_compare(**design):
        return best_of(
            options.repeat,
            compare_waves,
            first,
            second,
            "tilfreds",
            POSITIVE,
            by="area",
            exclude="9",
            **design,
        )

    t_ours, ours = time_estimate()
    t_base, base = best_of(options.repeat, baseline_estimate, data)
    line(
        "estimate, no design",
        t_ours,
        "pandas groupby + proportion_confint",
        t_base,
        ours,
        base,
        ["p", "ci_low", "ci_high"],
    )

    t_ours, ours = time_compare()
    t_base, base = best_of(options.repeat, baseline_compare, first, second)
    line(
        "compare_waves, no design",
        t_ours,
        "groupby + confint_proportions_2indep",
        t_base,
        ours,
        base,
        ["diff", "ci_low", "ci_high"],
    )

    from bench import load as load_bench

    print(load_bench.run(min(options.rows, 200_000), repeat=options.repeat, seed=options.seed))

    design = {"weights": "w", "strata": "stratum"}
    t_est, est = time_estimate(**design)
    t_cmp, cmp = time_compare(**design)
    r = None if options.no_r else run_r(data, options.repeat)
    if r is None:
        for label, seconds in (("estimate", t_est), ("compare_waves", t_cmp)):
            name = f"{label}, weights + strata"
            print(f"{name:<34} {seconds:8.3f} s | no Rscript: no R baseline")
        researcher.run(data, options.repeat, options.seed, use_r=False)
        return 0
    print(f"R baseline: {r['r_version']}, survey {r['survey_version']}")
    line(
        "estimate, weights + strata",
        t_est,
        "R svyby(svyciprop, logit)",
        r["estimate_seconds"],
        est,
        pd.DataFrame(r["estimate"]).sort_values(["area", "wave"]).reset_index(drop=True),
        ["p", "se", "ci_low", "ci_high"],
    )
    line(
        "compare_waves, weights + strata",
        t_cmp,
        "R svyby(svymean) per wave + diff",
        r["compare_seconds"],
        cmp,
        pd.DataFrame(r["compare"]).sort_values("area").reset_index(drop=True),
        ["diff", "ci_low", "ci_high"],
    )
    researcher.run(data, options.repeat, options.seed, use_r=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
