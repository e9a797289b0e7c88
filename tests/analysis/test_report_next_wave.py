"""A wave the toolkit does not bundle: published, answered and reported without touching code."""

import json
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

import questionnaires
from analysis import load_responses
from analysis.report import build_report
from beboer.cli import main
from tests.next_wave import next_wave_payloads, write_next_wave, write_payloads

pytestmark = pytest.mark.slow


def run(*arguments):
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """An instance folder (INSTANCE_PATH, no DATABASE_URL) with 2016 and a published 2020 wave."""
    folder = tmp_path_factory.mktemp("next")
    path = write_next_wave(folder)
    questionnaire = questionnaires.load(str(path))
    answers = write_payloads(folder / "answers.jsonl", next_wave_payloads(questionnaire))
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        patch.setenv("INSTANCE_PATH", str(folder / "instance"))
        patch.setenv("SECRET_KEY", "test-secret-key")
        run("init-db")
        run("load-demo")
        run("init-db", "--publish", str(path))
        run("import", str(answers), "--quiet")
        export = folder / "export-2020.csv"
        run("export", "--questionnaire", questionnaire.id, "--format", "csv", "--out", str(export))
    return {"folder": folder, "yaml": path, "export": export, "questionnaire": questionnaire}


@pytest.fixture(scope="module")
def report_2020(instance):
    out = instance["folder"] / "report-2020"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        patch.setenv("INSTANCE_PATH", str(instance["folder"] / "instance"))
        run("report", "--questionnaire", "beboerundersoegelse-2020", "--compare", "2016",
            "--out", str(out))
    return out


def test_next_wave_is_reported_from_the_database(report_2020):
    html = (report_2020 / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((report_2020 / "manifest.json").read_text(encoding="utf-8"))
    names = [figure["name"] for figure in manifest["figures"]]
    assert "fig1_tilfreds_omraade_andele" in names
    assert any(name.endswith("tilfreds_omraade_udvikling") for name in names)
    assert any(name.endswith("tilfreds_groenne_omraader_andele") for name in names)
    # the reworded question is named as not comparable and not compared
    assert not any(name.endswith("daarligt_omdoemme_udvikling") for name in names)
    assert "Spørgsmålets ordlyd eller svarmuligheder er ikke de samme i 2016 og 2020" in html
    assert "»Hvor tilfreds er du med de grønne områder?« blev ikke stillet i 2016" in html
    assert "2020 omfatter også Skovparken, som ikke indgik i 2016" in html
    assert manifest["input_rows"] == {"2020": 875, "2016": 875}
    assert manifest["questionnaires"][0]["id"] == "beboerundersoegelse-2020"


def test_next_wave_is_reported_from_an_export_file(instance, tmp_path):
    out = tmp_path / "from-file"
    run("report", "--questionnaire", str(instance["yaml"]), "--source", str(instance["export"]),
        "--out", str(out))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Skovparken" in html and "875 besvarelser" in html


def test_a_questionnaire_without_a_report_section_gets_a_complete_report(instance, tmp_path):
    plain = questionnaires.load(str(write_next_wave(tmp_path, report=False)))
    assert plain.report is None
    data = load_responses(str(instance["export"]), plain)
    manifest = build_report(data, plain, out_dir=tmp_path / "plain")
    assert manifest["parameters"]["report_section"] == "default"
    reported = {figure["name"].split("_", 1)[1].rsplit("_", 1)[0] for figure in manifest["figures"]}
    declared = {q.id for q in plain.questions() if q.type == "single" and q.positive}
    assert reported == declared
    pages = subprocess.run(["pdfinfo", str(tmp_path / "plain" / "report.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert "Pages:" in pages


def test_each_response_is_read_with_its_own_version(instance, tmp_path):
    # version 2020.2 adds nothing but a new version string: both versions' answers are read
    text = instance["yaml"].read_text(encoding="utf-8").replace(
        'version: "2020.1"', 'version: "2020.2"', 1)
    second = tmp_path / "next-wave-2.yaml"
    second.write_text(text, encoding="utf-8")
    q2 = questionnaires.load(str(second))
    more = write_payloads(tmp_path / "more.jsonl", next_wave_payloads(q2, seed=11, keep=40))
    database = instance["folder"] / "instance" / "beboer.db"
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{copy}")
        patch.setenv("SECRET_KEY", "test-secret-key")
        run("init-db", "--publish", str(second))
        run("import", str(more), "--quiet")
        out = tmp_path / "two-versions"
        run("report", "--questionnaire", "beboerundersoegelse-2020", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_rows"] == {"2020": 915}
    assert manifest["questionnaires"][0]["version"] == "2020.2"


def test_unknown_questionnaire_is_one_clear_line(instance):
    result = CliRunner().invoke(main, ["report", "--questionnaire", "nope-2030", "--source",
                                       str(instance["export"])])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "no questionnaire 'nope-2030'" in result.output


def test_export_columns_are_checked_per_wave(instance, tmp_path):
    frame = pd.read_csv(instance["export"], dtype=str).drop(columns=["tilfreds_omraade"])
    broken = tmp_path / "broken.csv"
    frame.to_csv(broken, index=False)
    result = CliRunner().invoke(main, ["report", "--questionnaire", str(instance["yaml"]),
                                       "--source", str(broken), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "wave 2020" in result.output and "'tilfreds_omraade'" in result.output
    assert "Traceback" not in result.output


def test_three_waves_give_a_trend_on_the_shared_areas(instance, tmp_path):
    out = tmp_path / "trend"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        patch.setenv("INSTANCE_PATH", str(instance["folder"] / "instance"))
        run("report", "--questionnaire", "beboerundersoegelse-2020", "--compare", "2012",
            "--compare", "2016", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["trend"] == [2012, 2016, 2020]
    assert manifest["input_rows"] == {"2020": 875, "2016": 875, "2012": 500}
    trend = [f for f in manifest["figures"] if f["kind"] == "trend"]
    assert [f["name"].split("_", 1)[1] for f in trend] == ["tilfreds_omraade_tendens"]
    table = pd.read_csv(out / "tabeller" / f"{trend[0]['name']}.csv")
    assert list(table["wave"]) == [2012, 2016, 2020]
    assert (table["ci_low"] < table["p"]).all() and (table["p"] < table["ci_high"]).all()
    html = (out / "report.html").read_text(encoding="utf-8")
    shared = "(Glarbjergvej-området og Gl. Jennumparken)"
    assert f"I de områder, der indgik i alle runder {shared}" in html
