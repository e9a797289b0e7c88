"""The `# %%` scripts run as Jupyter notebooks (jupytext pairing, executed with nbclient)."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

SCRIPTS = Path(__file__).resolve().parents[2] / "analysis" / "scripts"


def _execute(script: str, cwd: Path, source: str, monkeypatch) -> str:
    """Run the script as a notebook in a fresh kernel; return all its text output."""
    monkeypatch.setenv("BEBOER_SOURCE", source)
    notebook = jupytext.read(SCRIPTS / script)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output
            texts.append(output.get("text", ""))
    return "".join(texts)


def test_pairing_is_configured():
    config = (SCRIPTS / "jupytext.toml").read_text(encoding="utf-8")
    assert 'formats = "ipynb,py:percent"' in config
    for script in SCRIPTS.glob("*.py"):
        notebook = jupytext.read(script)
        assert sum(cell.cell_type == "code" for cell in notebook.cells) >= 3, script.name
        assert notebook.cells[0].cell_type == "markdown", script.name


def test_forskning_2016_notebook(demo_db, tmp_path, monkeypatch):
    text = _execute("forskning_2016.py", tmp_path, demo_db, monkeypatch)
    assert "børn pr. husstand" in text
    assert "Rao–Scott F =" in text
    assert "alder[T.2]" in text
    out = tmp_path / "results" / "forskning_2016"
    for name in ("antal_boern.csv", "tilfredshed_efter_alder.csv", "regression_tilfredshed.csv"):
        assert (out / name).stat().st_size > 0


def test_sammenligning_notebook(demo_db, tmp_path, monkeypatch):
    text = _execute("sammenligning_2012_2016.py", tmp_path, demo_db, monkeypatch)
    assert "Udeladt: vangdalen" in text


def test_aarsrapport_notebook(demo_db, tmp_path, monkeypatch):
    text = _execute("aarsrapport_2016.py", tmp_path, demo_db, monkeypatch)
    assert "er tilfredse eller meget tilfredse" in text
    assert (tmp_path / "results" / "aarsrapport_2016" / "rapport" / "report.html").exists()
