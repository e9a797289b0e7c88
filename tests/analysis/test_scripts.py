"""The notebook-style scripts run top to bottom from a fresh shell against a demo database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parents[2] / "analysis" / "scripts"


def _run(script, cwd, source):
    # A fresh shell: only PATH and HOME, the data source, and Python from the project's venv.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "BEBOER_SOURCE": source,
    }
    command = f'"{sys.executable}" "{SCRIPTS / script}"'
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_scripts_are_notebook_style():
    for script in ("aarsrapport_2016.py", "sammenligning_2012_2016.py", "forskning_2016.py"):
        text = (SCRIPTS / script).read_text(encoding="utf-8")
        assert text.count("# %%") >= 4
        assert "import survey" not in text and "from survey" not in text


def test_aarsrapport_2016(demo_db, tmp_path):
    result = _run("aarsrapport_2016.py", tmp_path, demo_db)
    assert result.returncode == 0, result.stderr
    assert "88,1\u00a0% er tilfredse eller meget tilfredse" in result.stdout
    assert "syntetiske demodata" in result.stdout
    out = tmp_path / "results" / "aarsrapport_2016"
    for name in ("tilfredshed_omraade.csv", "fordeling_tilfredshed.csv", "omdoemme_grunde.csv"):
        assert (out / name).stat().st_size > 0
    assert (out / "rapport" / "report.html").stat().st_size > 0
    assert (out / "rapport" / "manifest.json").stat().st_size > 0


def test_sammenligning_2012_2016(demo_db, tmp_path):
    result = _run("sammenligning_2012_2016.py", tmp_path, demo_db)
    assert result.returncode == 0, result.stderr
    assert "Fælles områder: 82,0\u00a0% → 88,6\u00a0%" in result.stdout
    assert "Udeladt: vangdalen" in result.stdout
    out = tmp_path / "results" / "sammenligning_2012_2016"
    for name in (
        "tilfredshed_2012_2016.csv",
        "tilfredshed_2012_2016.png",
        "omdoemme_2012_2016.csv",
    ):
        assert (out / name).stat().st_size > 0


def test_forskning_2016(demo_db, tmp_path):
    result = _run("forskning_2016.py", tmp_path, demo_db)
    assert result.returncode == 0, result.stderr
    assert "I alt 0.94 børn pr. husstand" in result.stdout
    assert "Rao–Scott F = " in result.stdout
    assert "antal_boern" in result.stdout
    out = tmp_path / "results" / "forskning_2016"
    assert (out / "regression_tilfredshed.csv").stat().st_size > 0
