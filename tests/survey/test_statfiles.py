"""SPSS and Stata exports: missing values, measurement levels, formats, labels; read by R too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pyreadstat
import pytest

from survey import storage

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
N = 120


def _needs_r():
    if shutil.which("Rscript") is None:
        if os.environ.get("CI"):
            pytest.fail("Rscript is missing (apt-get install r-base-core r-cran-haven)")
        pytest.skip("Rscript is not installed")


@pytest.fixture
def demo_export(app, bundled, runner, tmp_path):
    from analysis import demo

    payloads = demo.generate(2016, seed=2016)[:N]
    with app.app_context():
        for payload in payloads:
            storage.submit_payload(payload)

    def export(fmt, *extra):
        out = tmp_path / f"demo.{fmt}"
        result = runner.invoke(
            ["export", "--questionnaire", "beboerundersoegelse-2016", "--format", fmt,
             "--out", str(out), *extra]
        )
        assert result.exit_code == 0, result.output
        return out, payloads

    return export


def test_sav_declares_missing_values_levels_formats_and_labels(demo_export):
    out, payloads = demo_export("sav")
    frame, meta = pyreadstat.read_sav(str(out), user_missing=True)
    assert meta.missing_ranges["tilfreds_omraade"] == [{"lo": 9.0, "hi": 9.0}]
    assert meta.missing_ranges["koen"] == [{"lo": 8.0, "hi": 8.0}]
    assert meta.missing_ranges["alder"] == [{"lo": 8.0, "hi": 8.0}]  # "Ønsker ikke at svare"
    measure = meta.variable_measure
    assert measure["tilfreds_omraade"] == "ordinal"
    assert measure["koen"] == measure["oplevet_kriminalitet__vold"] == measure["area"] == "nominal"
    assert measure["antal_boern"] == "scale"
    types = meta.original_variable_types
    assert types["tilfreds_omraade"] == "F1.0" and types["wave"] == "F4.0"
    assert types["antal_boern"] == "F8.0" and types["oplevet_kriminalitet__vold"] == "F1.0"
    assert meta.file_label.startswith("Beboerundersøgelse") and f"{N} svar" in meta.file_label
    assert meta.variable_value_labels["tilfreds_omraade"][9.0] == "Ved ikke"
    # SPSS's view: the 9s are not answers, so the mean leaves them out
    spss, _ = pyreadstat.read_sav(str(out), user_missing=False)
    codes = np.array([float(p["answers"]["tilfreds_omraade"]) for p in payloads])
    assert (codes == 9).any()
    assert spss["tilfreds_omraade"].mean() == pytest.approx(codes[codes != 9].mean())
    assert frame["tilfreds_omraade"].eq(9).sum() == (codes == 9).sum()


def test_sav_labels_in_another_language(demo_export):
    out, _ = demo_export("sav", "--lang", "en")
    _, meta = pyreadstat.read_sav(str(out), metadataonly=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["area"] == "Housing area"
    assert meta.variable_value_labels["tilfreds_omraade"][1.0] == "Very satisfied"
    assert meta.variable_value_labels["tilfreds_omraade"][9.0] == "Don't know"


def test_export_refuses_an_unknown_language(app, bundled, runner, tmp_path):
    result = runner.invoke(
        ["export", "--questionnaire", "beboerundersoegelse-2016", "--format", "sav",
         "--out", str(tmp_path / "x.sav"), "--lang", "xx"]
    )
    assert result.exit_code == 2
    assert "'xx' is not a language" in result.output
    assert not (tmp_path / "x.sav").exists()


def test_dta_has_value_labels_and_extended_missing(demo_export):
    out, payloads = demo_export("dta")
    frame, meta = pyreadstat.read_dta(str(out), user_missing=True)
    assert meta.variable_value_labels["alder"][1.0]
    labels = meta.variable_value_labels["tilfreds_omraade"]
    assert labels["a"] == "Ved ikke" and labels[1.0] == "Meget tilfreds"
    codes = [p["answers"]["tilfreds_omraade"] for p in payloads]
    assert (frame["tilfreds_omraade"] == "a").sum() == codes.count("9")
    plain, _ = pyreadstat.read_dta(str(out))
    assert plain["tilfreds_omraade"].isna().sum() == codes.count("9")
    assert meta.file_label.startswith("Beboerundersøgelse")


R_CHECK = r"""
suppressMessages(library(haven))
args <- commandArgs(trailingOnly = TRUE)
sav <- read_sav(args[1], user_na = TRUE)
dta <- read_dta(args[2])
x <- sav$tilfreds_omraade
out <- list(
  na_values = attr(x, "na_values"),
  label = attr(x, "label"),
  labels = as.list(setNames(as.numeric(attr(x, "labels")), names(attr(x, "labels")))),
  mean_without_missing = mean(zap_missing(x), na.rm = TRUE),
  n_missing = sum(is.na(x)),
  dta_labels = names(attr(dta$alder, "labels")),
  dta_missing = sum(is.na(dta$tilfreds_omraade)),
  file_label = attr(read_sav(args[1]), "label")
)
cat(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA))
"""


def test_r_haven_reads_missing_values_and_labels(demo_export, tmp_path):
    _needs_r()
    sav, payloads = demo_export("sav")
    dta, _ = demo_export("dta")
    script = tmp_path / "check.R"
    script.write_text(R_CHECK, encoding="utf-8")
    run = subprocess.run(
        ["Rscript", str(script), str(sav), str(dta)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    codes = np.array([float(p["answers"]["tilfreds_omraade"]) for p in payloads])
    assert result["na_values"] == 9
    assert result["label"] == "Hvor tilfreds er du alt i alt med at bo i dit boligområde?"
    assert result["labels"]["Ved ikke"] == 9
    assert result["mean_without_missing"] == pytest.approx(codes[codes != 9].mean())
    assert result["n_missing"] == (codes == 9).sum()
    assert result["dta_missing"] == (codes == 9).sum()
    assert len(result["dta_labels"]) == 7  # six age groups and "Ønsker ikke at svare"
    assert result["file_label"].startswith("Beboerundersøgelse")
