"""``beboer report --weights population``: weighted shares and the methods text."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import questionnaires
from analysis import estimate, load_responses
from analysis.population import effective_n, kish_deff, load_population, population_weights
from beboer.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
POPULATION = ROOT / "survey" / "frame" / "examples" / "population-2016.csv"
Q2016 = "beboerundersoegelse-2016"


def invoke(url: str, args: list[str]):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("SECRET_KEY", "test-secret-key")
        return CliRunner().invoke(main, args)


@pytest.fixture(scope="module")
def weighted_db(demo_db, tmp_path_factory):
    """A copy of the demo database with the example population counts imported."""
    source = Path(demo_db.removeprefix("sqlite:///"))
    copy = tmp_path_factory.mktemp("weighted") / "beboer.db"
    copy.write_bytes(source.read_bytes())
    url = f"sqlite:///{copy}"
    result = invoke(url, ["frame", "population", str(POPULATION), "--questionnaire", Q2016])
    assert result.exit_code == 0, result.output
    return url


def method_text(out: Path) -> str:
    html = (out / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="method">(.*?)</section>', html, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", "", section))


def test_weighted_report_states_the_weighting_and_weights_the_shares(weighted_db, tmp_path):
    out = tmp_path / "2016"
    result = invoke(
        weighted_db,
        [
            "report",
            "--wave",
            "2016",
            "--weights",
            "population",
            "--source",
            weighted_db,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    # the same weights computed directly, from the stored counts
    questionnaire = questionnaires.load(Q2016)
    data = load_responses(weighted_db, questionnaire)
    data = data[data["wave"] == 2016].reset_index(drop=True)
    counts = load_population(weighted_db, Q2016)
    assert int(counts["count"].sum()) == int(pd.read_csv(POPULATION)["count"].sum())
    weights = population_weights(data, counts)
    assert weights.attrs["method"] == "rake"
    text = method_text(out)
    deff = f"{kish_deff(weights.dropna()):.2f}".replace(".", ",")
    assert "raking" in text and f"designeffekt (Kish) er {deff}" in text
    assert f"som {round(effective_n(weights.dropna()))} uvægtede svar" in text
    assert f"{weights.attrs['excluded']} svar uden svar på alder og koen" in text
    assert "Glarbjergvej-området" in text and "af 1.481" in text
    kept = data.assign(w=weights)[weights.notna()]
    total = estimate(kept, "tilfreds_omraade", ["1", "2"], weights="w")
    table = pd.read_csv(out / "tabeller" / "fig1_tilfreds_omraade_andele.csv")
    assert table["p"].iloc[-1] == pytest.approx(total["p"].iloc[0], rel=1e-12)
    assert table["ci_low"].iloc[-1] == pytest.approx(total["ci_low"].iloc[0], rel=1e-12)
    unweighted = estimate(kept, "tilfreds_omraade", ["1", "2"])
    assert abs(unweighted["p"].iloc[0] - total["p"].iloc[0]) > 1e-4  # the weights matter


def test_weights_need_population_counts_and_a_database(demo_db, tmp_path):
    result = invoke(
        demo_db,
        [
            "report",
            "--wave",
            "2016",
            "--weights",
            "population",
            "--source",
            demo_db,
            "--out",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 2
    assert "no population counts for beboerundersoegelse-2016" in result.output
    assert "Traceback" not in result.output


def test_weighted_comparison_keeps_a_wave_without_counts_unweighted(weighted_db, tmp_path):
    out = tmp_path / "2016"
    args = ["report", "--wave", "2016", "--compare", "2012", "--weights", "population",
            "--source", weighted_db, "--out", str(out)]
    result = invoke(weighted_db, args)
    assert result.exit_code == 0, result.output
    text = method_text(out)
    assert "raking" in text
    assert "2012-runden har ingen befolkningstal og indgår uvægtet (vægt 1)." in text
    assert "_population_weight" not in text  # the weighting is described, not its column
    assert text.count("af 1.481") == 1  # responses against the population said once
