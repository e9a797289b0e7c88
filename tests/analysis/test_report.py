"""``beboer report`` and analysis.report.build_report on the demo waves."""

import dataclasses
import hashlib
import json
import re
import sqlite3
import subprocess
import uuid

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

import questionnaires
from analysis import estimate, load_responses, tables
from analysis.report import build_report
from beboer.cli import main

pytestmark = pytest.mark.slow

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def report_dir(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "2016"
    result = CliRunner().invoke(
        main,
        ["report", "--wave", "2016", "--compare", "2012", "--source", demo_db, "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "synthetic demo data" in result.output
    return out


@pytest.fixture(scope="module")
def manifest(report_dir):
    return json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data2016(demo_db):
    return load_responses(demo_db, questionnaires.load("beboerundersoegelse-2016"))


def test_engine_reproduces_the_published_figures(demo_db, data2016):
    # Independent count: 771 of 875 satisfied = 88.11 %, 45 neither = 5.14 %.
    table = estimate(data2016, "tilfreds_omraade", ["1", "2"])
    assert round(table["p"][0], 3) == 0.881 and table["n"][0] == 875
    assert round(estimate(data2016, "tilfreds_omraade", "3")["p"][0], 3) == 0.051
    data2012 = load_responses(demo_db, questionnaires.load("beboerundersoegelse-2012"))
    assert round(estimate(data2012, "tilfreds_omraade", ["1", "2"])["p"][0], 3) == 0.820


def test_report_shows_the_published_figures(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert f"88,1{NBSP}% er tilfredse eller meget tilfredse" in html
    assert f"5,1{NBSP}% er hverken tilfredse eller utilfredse" in html
    assert f"82,0{NBSP}%" in html
    assert "Færre mener, at området har et dårligt omdømme" in html
    assert "Fordomme og rygter" in html
    assert "procentpoint" in html and f"95{NBSP}%-KI" in html
    assert '<html lang="da">' in html


def test_report_states_the_comparison_caveat_and_the_synthetic_data(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert "2016 omfatter også Vangdalen, som ikke indgik i 2012" in html
    assert "Glarbjergvej-området og Gl. Jennumparken" in html
    assert "Syntetiske demodata" in html
    text = subprocess.run(
        ["pdftotext", "-layout", str(report_dir / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")
    assert all("Syntetiske demodata" in page for page in pages if page.strip())
    assert "88,1 %" in text.replace(NBSP, " ")


def test_html_is_self_contained(report_dir):
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert sources and all(src.startswith("data:image/svg+xml;base64,") for src in sources)
    assert "<link" not in html and "http://" not in html and "https://" not in html


def test_every_file_in_the_manifest_exists_and_matches(report_dir, manifest):
    assert manifest["files"]
    for entry in manifest["files"]:
        path = report_dir / entry["path"]
        assert path.is_file() and path.stat().st_size > 0, entry["path"]
        assert path.stat().st_size == entry["bytes"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    written = {p.relative_to(report_dir).as_posix() for p in report_dir.rglob("*") if p.is_file()}
    assert written == {e["path"] for e in manifest["files"]} | {"manifest.json"}


def test_manifest_records_inputs_parameters_and_versions(manifest):
    assert set(manifest["input_sha256"]) == {"2016", "2012"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in manifest["input_sha256"].values())
    assert manifest["input_rows"] == {"2016": 875, "2012": 500}
    assert [(q["id"], q["version"]) for q in manifest["questionnaires"]] == [
        ("beboerundersoegelse-2016", "2016.2"),
        ("beboerundersoegelse-2012", "2012.2"),
    ]
    assert manifest["parameters"]["min_n"] == 10 and manifest["parameters"]["lang"] == "da"
    assert manifest["synthetic"] is True
    assert {"pandas", "matplotlib", "weasyprint", "python"} <= set(manifest["packages"])
    assert manifest["created_at"].endswith("+00:00")


def test_charts_and_tables_in_every_format(report_dir, manifest):
    names = [figure["name"] for figure in manifest["figures"]]
    assert names == [
        "fig1_tilfreds_omraade_andele",
        "fig2_tilfreds_omraade_fordeling",
        "fig3_tilfreds_omraade_udvikling",
        "fig4_daarligt_omdoemme_andele",
        "fig5_daarligt_omdoemme_udvikling",
        "fig6_omdoemme_grunde_svar",
        "fig7_tryg_efter_moerke_fordeling",
    ]
    for name in names:
        for suffix in ("png", "svg", "pdf"):
            assert (report_dir / "figurer" / f"{name}.{suffix}").stat().st_size > 0
        for suffix in ("csv", "xlsx"):
            assert (report_dir / "tabeller" / f"{name}.{suffix}").stat().st_size > 0
        dpi = Image.open(report_dir / "figurer" / f"{name}.png").info["dpi"]
        assert round(dpi[0]) == 300
    table = pd.read_csv(report_dir / "tabeller" / "fig1_tilfreds_omraade_andele.csv")
    assert list(table["label"]) == [
        "Glarbjergvej-området",
        "Gl. Jennumparken",
        "Vangdalen",
        "I alt",
    ]
    assert {"n", "p", "ci_low", "ci_high", "suppressed", "mark"} <= set(table.columns)
    assert round(table["p"].iloc[-1], 3) == 0.881
    xlsx = pd.read_excel(report_dir / "tabeller" / "fig1_tilfreds_omraade_andele.xlsx")
    assert list(xlsx["n"]) == [310, 280, 285, 875]


def test_pdf_has_one_page_per_figure_plus_summary_and_method(report_dir, manifest):
    info = subprocess.run(
        ["pdfinfo", str(report_dir / "report.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages == len(manifest["figures"]) + 2


def test_english_report(demo_db, tmp_path):
    out = tmp_path / "en"
    result = CliRunner().invoke(
        main, ["report", "--wave", "2016", "--source", demo_db, "--out", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "88.1% are satisfied or very satisfied" in html
    assert "Synthetic demo data" in html
    assert '<html lang="en">' in html


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--wave", "2020"], "no submitted responses for wave 2020"),
        (["--wave", "2016", "--compare", "2016"], "must differ from the wave reported on"),
        (["--wave", "2016", "--source", "data.txt"], "unknown source 'data.txt'"),
        (["--wave", "2016", "--source", "sqlite:////nowhere/beboer.db"], "no database at"),
        (["--wave", "2016", "--min-n", "3"], "--min-n"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(demo_db, tmp_path, arguments, message):
    source = [] if "--source" in arguments else ["--source", demo_db]
    result = CliRunner().invoke(main, ["report", *arguments, *source, "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def _small_area(data2016, keep):
    vangdalen = data2016.index[data2016["area"] == "vangdalen"][:keep]
    return data2016[(data2016["area"] != "vangdalen") | data2016.index.isin(vangdalen)]


def _lines_with_one_hidden(counts, hidden):
    """Rows and columns (totals included) holding exactly one hidden cell."""
    return [("row", i) for i in hidden.index if hidden.loc[i].sum() == 1] + [
        ("column", c) for c in hidden.columns if hidden[c].sum() == 1
    ]


def test_small_area_is_suppressed_and_cannot_be_recovered_from_the_total(data2016):
    q = questionnaires.load("beboerundersoegelse-2016")
    data = _small_area(data2016, 7)
    table = tables.shares_by_area(data, q, "tilfreds_omraade", ["1", "2"], min_n=10)
    by_area = table.set_index(table["area"].fillna("total"))
    assert by_area.loc["vangdalen", "suppressed"]
    assert by_area.loc["vangdalen", "reason"] == "n < 10"
    assert set(table.loc[table["suppressed"], "reason"]) <= {"n < 10", "celle < 5", "sekundær"}
    assert pd.isna(by_area.loc["vangdalen", "p"]) and pd.isna(by_area.loc["vangdalen", "count"])
    # The total would give Vangdalen's count away unless another row (or the total) is hidden too.
    hidden_rows = table["suppressed"].sum()
    assert hidden_rows >= 2
    shown = table[~table["suppressed"]]
    if not by_area.loc["total", "suppressed"]:
        assert len(shown) <= len(table) - 2


def test_distribution_secondary_suppression_leaves_no_line_with_one_hidden_cell(data2016):
    q = questionnaires.load("beboerundersoegelse-2016")
    data = _small_area(data2016, 40)
    table = tables.answer_distribution(data, q, "tilfreds_omraade", min_n=10)
    assert table["suppressed"].any()
    assert table.loc[table["suppressed"], "share"].isna().all()
    assert table.loc[table["suppressed"], "count"].isna().all()
    hidden = table.pivot_table(index="label", columns="code", values="suppressed", aggfunc="any")
    counts = table.pivot_table(index="label", columns="code", values="count", aggfunc="first")
    assert _lines_with_one_hidden(counts, hidden) == []
    # Every shown cell is at least 5 respondents (or none).
    shown = table.loc[~table["suppressed"], "count"].astype(int)
    assert ((shown == 0) | (shown >= 5)).all()


def test_report_marks_suppressed_cells(data2016, tmp_path):
    q = questionnaires.load("beboerundersoegelse-2016")
    data = _small_area(data2016, 7)
    build_report(data, q, out_dir=tmp_path, min_n=10)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<td>×</td>" in html
    assert "× = For få svar til at vise resultatet" in html
    table = pd.read_csv(tmp_path / "tabeller" / "fig1_tilfreds_omraade_andele.csv")
    hidden = table[table["suppressed"]]
    assert "Vangdalen" in set(hidden["label"])
    assert hidden["p"].isna().all() and (hidden["mark"] == "×").all()
    assert len(hidden) >= 2


def test_build_report_rejects_bad_arguments(data2016, tmp_path):
    q = questionnaires.load("beboerundersoegelse-2016")
    with pytest.raises(ValueError, match="min_n must be an integer of at least 5"):
        build_report(data2016, q, out_dir=tmp_path, min_n=2)
    with pytest.raises(ValueError, match="unknown report language"):
        build_report(data2016, q, out_dir=tmp_path, lang="de")
    with pytest.raises(ValueError, match="no responses"):
        build_report(data2016.iloc[:0], q, out_dir=tmp_path)
    with pytest.raises(ValueError, match="previous_questionnaire"):
        build_report(data2016, q, previous=data2016, out_dir=tmp_path)


def test_default_source_is_the_apps_database(demo_db, tmp_path, monkeypatch):
    # Without --source and DATABASE_URL the report reads ./instance/beboer.db.
    (tmp_path / "instance").mkdir()
    source = sqlite3.connect(demo_db.removeprefix("sqlite:///"))
    target = sqlite3.connect(tmp_path / "instance" / "beboer.db")
    with source, target:
        source.backup(target)
    source.close()
    target.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["report", "--wave", "2012"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "results" / "2012" / "report.html").read_text(encoding="utf-8")
    assert f"82,0{NBSP}% er tilfredse eller meget tilfredse" in html


def test_export_file_as_source(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")
    export = tmp_path / "svar2016.csv"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--questionnaire",
            "beboerundersoegelse-2016",
            "--format",
            "csv",
            "--out",
            str(export),
        ],
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "fra-fil"
    result = CliRunner().invoke(
        main, ["report", "--wave", "2016", "--source", str(export), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    assert digest in manifest["source"]
    assert f"88,1{NBSP}%" in (out / "report.html").read_text(encoding="utf-8")


def test_small_bases_are_marked(data2016):
    q = questionnaires.load("beboerundersoegelse-2016")
    table = tables.shares_by_area(_small_area(data2016, 30), q, "tilfreds_omraade", ["1", "2"])
    shown = tables.display_table(table, kind="shares")
    vangdalen = shown[shown["Gruppe"] == "Vangdalen"].iloc[0]
    assert vangdalen["Antal svar (n)"] == f"30{NBSP}†"
    assert "†" not in shown[shown["Gruppe"] == "I alt"].iloc[0]["Antal svar (n)"]


def test_real_data_is_not_called_synthetic(data2016, tmp_path):
    q = questionnaires.load("beboerundersoegelse-2016")
    real = data2016.copy()
    rng = np.random.default_rng(3)
    real["id"] = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(len(real))]
    manifest = build_report(real, q, out_dir=tmp_path)
    assert manifest["synthetic"] is False
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Syntetiske demodata" not in html and "SYNTETISKE" not in html


def test_changed_wording_is_flagged(demo_db, data2016, tmp_path):
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    data2012 = load_responses(demo_db, q2012)
    pages = []
    for page in q2012.pages:
        questions = tuple(
            dataclasses.replace(q, text={**q.text, "da": "Hvordan kan du lide området?"})
            if q.id == "tilfreds_omraade"
            else q
            for q in page.questions
        )
        pages.append(dataclasses.replace(page, questions=questions))
    reworded = dataclasses.replace(q2012, pages=tuple(pages))
    build_report(
        data2016, q2016, previous=data2012, previous_questionnaire=reworded, out_dir=tmp_path
    )
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Spørgsmålets ordlyd eller svarmuligheder er ikke de samme i 2012 og 2016" in html


def test_caveat_names_areas_missing_from_either_wave(demo_db, data2016, tmp_path):
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    data2012 = load_responses(demo_db, q2012)
    current = data2016[data2016["area"] != "jennumparken"]
    build_report(current, q2016, previous=data2012, previous_questionnaire=q2012, out_dir=tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "2016 omfatter også Vangdalen, som ikke indgik i 2012." in html
    assert "2012 omfattede også Gl. Jennumparken, som ikke indgik i 2016." in html
    assert "kun de fælles områder (Glarbjergvej-området)" in html


def test_hidden_comparison_base_is_marked_in_the_footnote(demo_db, data2016, tmp_path):
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    data2012 = load_responses(demo_db, q2012)
    # 2012 keeps 8 answers from Glarbjergvej only: the common total (n < 10) is hidden
    few = data2012[data2012["area"] == "glarbjergvej"].head(8)
    build_report(data2016, q2016, previous=few, previous_questionnaire=q2012, out_dir=tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"Base: 2012 n{NBSP}={NBSP}×, 2016 n{NBSP}={NBSP}310" in html
    assert f"n{NBSP}={NBSP}–" not in html


def test_word_report_has_the_text_tables_and_charts(report_dir, manifest):
    import docx

    document = docx.Document(str(report_dir / "report.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"88,1{NBSP}% er tilfredse eller meget tilfredse" in text
    assert "Metode og data" in text
    assert len(document.tables) == len(manifest["figures"])
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells][:2] == ["Gruppe", "Antal svar (n)"]
    assert [r.cells[0].text for r in first.rows[1:]][-1] == "I alt"
    assert len(document.inline_shapes) == len(manifest["figures"])
    assert "report.docx" in {e["path"] for e in manifest["files"]}
