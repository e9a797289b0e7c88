"""Every data shape gives a clean report: a tiny wave, an empty follow-up, thirty areas."""

import json
import re
import subprocess

import pytest
from PIL import Image

import questionnaires
from analysis import load_responses
from analysis.report import build_report
from tests.many_areas import many_areas

pytestmark = pytest.mark.slow

NBSP = "\u00a0"
#: Largest chart (inches) that fits an A4 page inside the report's margins.
A4_CHART = (7.2, 10.2)


@pytest.fixture(scope="module")
def data2016(demo_db):
    return load_responses(demo_db, questionnaires.load("beboerundersoegelse-2016"))


def _summary(html: str) -> str:
    part = html.split('<section class="summary">', 1)[1].split("</section>", 1)[0]
    return re.sub(r"<[^>]+>", " ", part)


def _no_empty_values(text: str) -> None:
    """No dash, empty list or missing number inside a sentence."""
    assert " – " not in text and "(–" not in text and "–;" not in text and "= –" not in text
    assert " er ." not in text and "er ." not in text and " ." not in text
    assert "nan" not in text.lower().split()


def test_tiny_wave_says_why_numbers_are_missing(data2016, tmp_path):
    tiny = data2016.sample(8, random_state=3)
    build_report(tiny, questionnaires.load("beboerundersoegelse-2016"), out_dir=tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    summary = _summary(html)
    _no_empty_values(summary)
    assert "vises ikke, fordi for få har svaret (færre end 10)" in summary
    assert "8 besvarelser" in summary


def test_nobody_asked_the_follow_up(data2016, tmp_path):
    q = questionnaires.load("beboerundersoegelse-2016")
    data = data2016.copy()
    data["daarligt_omdoemme"] = data["daarligt_omdoemme"].where(
        data["daarligt_omdoemme"] != "1", "2")
    for column in [c for c in data.columns if c.startswith("omdoemme_grunde__")]:
        data[column] = data[column].mask(data[column].notna())
    manifest = build_report(data, q, out_dir=tmp_path)
    assert not any("omdoemme_grunde" in figure["name"] for figure in manifest["figures"])
    summary = _summary((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert ("Afsnittet om »Hvorfor mener du, at området har et dårligt omdømme?« er udeladt"
            in summary) or "er udeladt: ingen i 2016 blev stillet spørgsmålet" in summary
    assert f"0,0{NBSP}% mener, at området har et dårligt omdømme" in summary
    _no_empty_values(summary)


def test_unchanged_share_is_no_certain_change(demo_db, data2016, tmp_path):
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    data2012 = load_responses(demo_db, q2012)
    # the same answers in both waves: the change is 0 and its interval covers 0
    same = data2012.copy()
    same["wave"] = 2016
    build_report(same, q2016, previous=data2012, previous_questionnaire=q2012, out_dir=tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    summary = _summary(html)
    assert "ingen statistisk sikker ændring" in summary
    assert "steget" not in html and "faldet" not in html and "steg " not in html
    assert "Ingen statistisk sikker ændring fra 2012 til 2016" in html


@pytest.fixture(scope="module")
def thirty(tmp_path_factory):
    questionnaire, data = many_areas(30)
    out = tmp_path_factory.mktemp("thirty")
    manifest = build_report(data, questionnaire, out_dir=out)
    return out, manifest


def test_thirty_areas_split_into_parts_that_fit_a4(thirty):
    out, manifest = thirty
    names = [figure["name"] for figure in manifest["figures"]]
    assert any(name.endswith("_del2") for name in names)
    for name in names:
        image = Image.open(out / "figurer" / f"{name}.png")
        width, height = (size / 300 for size in image.size)
        assert width <= A4_CHART[0] and height <= A4_CHART[1], (name, width, height)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "(fortsat, del 2 af" in html
    for index in range(1, 31):
        assert f"Boligområde nr. {index}" in html


def test_thirty_area_pdf_has_a_page_per_chart_part(thirty):
    out, manifest = thirty
    info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    # every part starts a page (its table may run onto the next), plus summary and method
    assert pages >= len(manifest["figures"]) + 2
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["input_rows"]


def test_thirty_areas_hide_only_what_they_must():
    # Measured on the 30-area set (seed 30): before per-view planning and merging, 27 of 30
    # areas lost their headline share and 27 (162 cells) their distribution; now 5 and 20 (80).
    from analysis import tables
    from analysis.report.builder import _merges
    from analysis.report.specs import disclosure_views, plan_figures

    questionnaire, data = many_areas(30)
    figures = plan_figures(questionnaire, data).figures
    views, _previous = disclosure_views(figures)
    merges = _merges(data, None, figures, 10)
    assert merges["tilfreds_omraade"]  # sparse sides are merged before anything is hidden
    plan = tables.disclosure_plan(data, views, merge=merges)
    unmerged = tables.disclosure_plan(data, views)
    item = "tilfreds_omraade"
    shares = tables.shares_by_area(data, questionnaire, item, ["1", "2"], plan=plan)
    counts = tables.code_counts(data, item)
    for _index, row in shares.iloc[:-1].iterrows():
        yes = counts.loc[row["area"], ["1", "2"]].sum()
        no = counts.loc[row["area"]].sum() - yes
        if row["suppressed"]:
            continue
        assert yes >= 5 and no >= 5
    assert shares["suppressed"].iloc[:-1].sum() <= 5

    def hidden_cells(p, merge):
        table = tables.answer_distribution(data, questionnaire, item, plan=p, merge=merge)
        return int(table[table["area"].notna()]["suppressed"].sum())

    assert hidden_cells(plan, merges[item]) < hidden_cells(unmerged, None)


def test_methods_section_weights_fieldwork_and_response_rates(data2016, tmp_path):
    q = questionnaires.load("beboerundersoegelse-2016")
    data = data2016.assign(w=1.0)
    population = {"glarbjergvej": 1000, "jennumparken": 700, "vangdalen": 950}
    build_report(data, q, out_dir=tmp_path, weights="w", population=population)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    method = html.split('<section class="method">', 1)[1]
    assert "Resultaterne er vægtede med vægten »w«" in method
    assert "Besvarelserne i 2016 er indsendt fra" in method
    assert f"Glarbjergvej-området: 310 af 1.000 (31,0{NBSP}%)" in method
    assert f"88,1{NBSP}% er tilfredse eller meget tilfredse" in html  # weights of 1 change no share
