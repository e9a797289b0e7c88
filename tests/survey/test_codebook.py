"""beboer codebook: every variable, its texts, codes, missing codes, condition and counts."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import questionnaires
from survey import storage

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def demo_stored(app, bundled):
    from analysis import demo

    payloads = {wave: demo.generate(wave, seed=2016)[:60] for wave in (2012, 2016)}
    with app.app_context():
        for wave_payloads in payloads.values():
            for payload in wave_payloads:
                storage.submit_payload(payload)
    return payloads


@pytest.mark.parametrize("qid", ["beboerundersoegelse-2016", "beboerundersoegelse-2012"])
def test_html_codebook_of_both_bundled_questionnaires(demo_stored, runner, tmp_path, qid):
    out = tmp_path / "codebook.html"
    result = runner.invoke(["codebook", "--questionnaire", qid, "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    questionnaire = questionnaires.load(qid)
    for question in questionnaire.questions():
        assert f'id="{question.id}"' in html
        for lang in questionnaire.languages:
            text = question.text.get(lang)
            if text:
                assert text.replace("'", "&#39;").replace('"', "&#34;") in html
    assert "60 indsendte besvarelser" in html
    assert "Stilles kun hvis daarligt_omdoemme" in html
    assert "Manglende-koder: 9" in html and "Manglende-koder: 8" in html
    assert "omdoemme_grunde__fordomme" in html


def test_counts_are_right_and_small_ones_hidden(demo_stored, runner, tmp_path):
    out = tmp_path / "codebook.html"
    result = runner.invoke(
        ["codebook", "--questionnaire", "beboerundersoegelse-2016", "--out", str(out),
         "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    answers = [p["answers"] for p in demo_stored[2016]]
    satisfied = sum(a["tilfreds_omraade"] == "1" for a in answers)
    assert satisfied >= 5
    assert f'<td class="num">{satisfied}</td>' in html
    assert "&lt; 5" in html
    assert "Asked only if flytteoenske" in html


def test_pdf_codebook(demo_stored, runner, tmp_path):
    out = tmp_path / "codebook.pdf"
    result = runner.invoke(
        ["codebook", "--questionnaire", "beboerundersoegelse-2012", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Kodebog" in text and "tilfreds_omraade" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--questionnaire", "nope", "--out", "x.html"], "is not a published questionnaire"),
        (["--questionnaire", "beboerundersoegelse-2016", "--out", "x.txt"], ".html or .pdf"),
        (["--questionnaire", "beboerundersoegelse-2016", "--out", "x.html", "--lang", "xx"],
         "is not a language"),
        (["--questionnaire", "beboerundersoegelse-2016", "--out", "/no/such/dir/x.html"],
         "does not exist"),
    ],
)
def test_codebook_bad_input(app, bundled, runner, args, message):
    result = runner.invoke(["codebook", *args])
    assert result.exit_code == 2
    assert message in result.output
