"""Benchmarks of the researcher's calls against R's survey package, in the same run.

On the synthetic responses of :mod:`bench.__main__` (weights and 3 strata), with
a number (``aar``, years lived, 5 % missing) and an age group (``alder``):

- ``estimate_mean(..., by="area", deff=True)`` against R's
  ``svyby(~aar, ~area, design, svymean, deff = TRUE)``;
- ``crosstab(alder, tilfreds)`` (Rao-Scott F) against ``svychisq(~alder + tilfreds)``;
- ``logit(tilfreds in 1, 2 ~ aar + alder)`` against ``svyglm(..., quasibinomial())``;
- ``distribution(tilfreds, by="area")`` (every code's share with its logit
  interval) against ``svyby(~tilfreds, ~area, design, svymean)`` (shares and
  standard errors only).

R times itself with ``system.time`` (best of ``repeat``); reading the CSV is not
timed. Without ``Rscript`` (or with ``--no-r``) our times are printed alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import crosstab, distribution, estimate_mean, logit

__all__ = ["add_columns", "run"]

AGES = ["1", "2", "3", "4", "5"]
DESIGN = {"weights": "w", "strata": "stratum"}

R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], colClasses = c(area = "character", stratum = "character",
                                         alder = "character", tilfreds = "character"))
repeats <- as.integer(args[3])
best <- function(expr) {
  code <- substitute(expr)
  env <- parent.frame()
  min(replicate(repeats, system.time(eval(code, env))[["elapsed"]]))
}
data$y <- ifelse(is.na(data$tilfreds), NA, as.numeric(data$tilfreds %in% c("1", "2")))
design <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = data)
with_aar <- subset(design, !is.na(aar))
answered <- subset(design, !is.na(tilfreds))
t_mean <- best(m <- svyby(~aar, ~area, with_aar, svymean, deff = TRUE))
t_chisq <- best(x <- svychisq(~alder + tilfreds, design))
t_glm <- best(g <- svyglm(y ~ aar + alder, design = design, family = quasibinomial()))
# the numbers compared: refit from the maximum, so that glm's working weights are those
# at the maximum (glm keeps the weights of the iteration before its last)
start_values <- coef(g)
g <- svyglm(y ~ aar + alder, design = design, family = quasibinomial(), start = start_values,
            control = glm.control(epsilon = 1e-12, maxit = 100))
t_dist <- best(dd <- svyby(~tilfreds, ~area, answered, svymean))
codes <- sort(unique(na.omit(data$tilfreds)))
out <- list(
  mean_seconds = t_mean, chisq_seconds = t_chisq, glm_seconds = t_glm, dist_seconds = t_dist,
  mean = list(area = as.character(m$area), mean = as.vector(coef(m)), se = as.vector(SE(m)),
              deff = as.vector(deff(m))),
  chisq = list(statistic = as.vector(x$statistic), ndf = x$parameter[["ndf"]],
               ddf = x$parameter[["ddf"]], p_value = x$p.value),
  glm = list(estimate = as.vector(coef(g)), se = as.vector(SE(g))),
  dist = list(p = as.vector(t(as.matrix(dd[, paste0("tilfreds", codes)]))))
)
writeLines(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE), args[2])
"""


def add_columns(data: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``aar`` (years lived, 5 % missing, related to satisfaction) and ``alder`` (age group)."""
    rng = np.random.default_rng(seed + 1)
    rows = len(data)
    satisfied = data["tilfreds"].isin(["1", "2"]).to_numpy()
    years = rng.poisson(8 + 4 * satisfied, rows).astype(float)
    years[rng.random(rows) < 0.05] = np.nan
    out = data.copy()
    out["aar"] = pd.array(years, dtype="Float64")
    out["alder"] = pd.Categorical(rng.choice(AGES, rows), categories=AGES)
    return out


def _best(repeat: int, function, *args, **kwargs):
    best = np.inf
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best, result


def _run_r(data: pd.DataFrame, repeat: int) -> dict | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory(prefix="beboer-bench-") as folder:
        folder = Path(folder)
        csv = folder / "responses.csv"
        tilfreds = data["tilfreds"].astype(object).where(data["tilfreds"] != "9")
        pd.DataFrame(
            {
                "area": data["area"].astype(str),
                "stratum": data["stratum"],
                "w": data["w"],
                "aar": data["aar"],
                "alder": data["alder"].astype(str),
                "tilfreds": tilfreds,
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


def _print(label: str, seconds: float, r_label: str | None, r_seconds: float | None, diff):
    if r_seconds is None:
        print(f"{label:<34} {seconds:8.3f} s | no R baseline (Rscript absent or --no-r)")
        return
    print(
        f"{label:<34} {seconds:8.3f} s | {r_label:<44} {r_seconds:8.3f} s | "
        f"speed-up {r_seconds / seconds:5.1f}x | max |diff| {diff:.1e}"
    )


def run(data: pd.DataFrame, repeat: int, seed: int, use_r: bool) -> None:
    """Time the four researcher calls (weights + strata) and, with R, compare."""
    data = add_columns(data, seed)
    t_mean, mean = _best(repeat, estimate_mean, data, "aar", by="area", deff=True, **DESIGN)
    t_chisq, table = _best(repeat, crosstab, data, "alder", "tilfreds", exclude="9", **DESIGN)
    t_glm, fit = _best(
        repeat, logit, data, "tilfreds", ["aar", "alder"], positive=["1", "2"], exclude="9",
        **DESIGN,
    )
    t_dist, dist = _best(
        repeat, distribution, data, "tilfreds", by="area", exclude="9", **DESIGN
    )
    r = _run_r(data, repeat) if use_r else None
    if r is None:
        for label, seconds in (
            ("estimate_mean, weights + strata", t_mean),
            ("crosstab, weights + strata", t_chisq),
            ("logit, weights + strata", t_glm),
            ("distribution, weights + strata", t_dist),
        ):
            _print(label, seconds, None, None, None)
        return

    def largest(ours, theirs) -> float:
        return float(np.max(np.abs(np.asarray(ours, float) - np.asarray(theirs, float))))

    mean_diff = largest(
        mean[["mean", "se", "deff"]].to_numpy().ravel(),
        np.column_stack([r["mean"]["mean"], r["mean"]["se"], r["mean"]["deff"]]).ravel(),
    )
    test = table.test
    chisq_diff = largest(  # ddf = ndf * nu follows from ndf
        [test.statistic, test.ndf, test.p_value],
        [r["chisq"]["statistic"], r["chisq"]["ndf"], r["chisq"]["p_value"]],
    )
    glm_diff = largest(
        np.concatenate([fit["estimate"], fit["se"]]),
        np.concatenate([r["glm"]["estimate"], r["glm"]["se"]]),
    )
    dist_diff = largest(dist["p"], r["dist"]["p"])
    _print("estimate_mean, weights + strata", t_mean, "R svyby(svymean, deff = TRUE)",
           r["mean_seconds"], mean_diff)
    _print("crosstab, weights + strata", t_chisq, "R svychisq (F)", r["chisq_seconds"],
           chisq_diff)
    _print("logit, weights + strata", t_glm, "R svyglm(quasibinomial)", r["glm_seconds"],
           glm_diff)
    _print("distribution, weights + strata", t_dist, "R svyby(~tilfreds, svymean)",
           r["dist_seconds"], dist_diff)
