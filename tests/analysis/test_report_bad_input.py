"""Bad input to ``beboer report``: exit code 2 and one clear line, never a traceback."""

import pandas as pd
import pytest
from click.testing import CliRunner

from beboer.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exports(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", demo_db)
        patch.setenv("SECRET_KEY", "test-secret-key")
        for fmt in ("csv", "xlsx", "sav"):
            path = folder / f"export-2016.{fmt}"
            result = CliRunner().invoke(main, ["export", "--questionnaire",
                                               "beboerundersoegelse-2016", "--format", fmt,
                                               "--out", str(path)])
            assert result.exit_code == 0, result.output
            files[fmt] = path
    return files


def _truncated(path, tmp_path):
    data = path.read_bytes()
    cut = tmp_path / f"cut{path.suffix}"
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _csv_with(exports, tmp_path, column, value):
    frame = pd.read_csv(exports["csv"], dtype=str)
    frame.loc[3, column] = value
    path = tmp_path / f"bad-{column}.csv"
    frame.to_csv(path, index=False)
    return path


def _one_line_error(arguments, *expected):
    result = CliRunner().invoke(main, ["report", *arguments])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0], lines[0]


def test_truncated_xlsx(exports, tmp_path):
    _one_line_error(["--wave", "2016", "--source", str(_truncated(exports["xlsx"], tmp_path)),
                     "--out", str(tmp_path / "o")], "not a complete XLSX file")


def test_truncated_sav(exports, tmp_path):
    _one_line_error(["--wave", "2016", "--source", str(_truncated(exports["sav"], tmp_path)),
                     "--out", str(tmp_path / "o")], "not a complete SPSS (.sav) file")


def test_unknown_url_scheme(tmp_path):
    _one_line_error(["--wave", "2016", "--source", "mysql://host/db", "--out", str(tmp_path)],
                    "the URL scheme 'mysql'")


def test_missing_database_file(tmp_path):
    _one_line_error(["--wave", "2016", "--source", f"sqlite:///{tmp_path}/none.db", "--out",
                     str(tmp_path)], "no database at")


def test_wave_not_in_the_source(demo_db, tmp_path):
    _one_line_error(["--wave", "2031", "--source", demo_db, "--out", str(tmp_path)],
                    "no submitted responses for wave 2031")


def test_no_areas_in_common(demo_db, tmp_path):
    import questionnaires
    from analysis import load_responses
    from analysis.report import build_report

    q2016 = questionnaires.load("beboerundersoegelse-2016")
    q2012 = questionnaires.load("beboerundersoegelse-2012")
    data = load_responses(demo_db, q2016)
    only_vangdalen = data[data["area"] == "vangdalen"]
    with pytest.raises(ValueError, match="no areas in common"):
        build_report(only_vangdalen, q2016, previous=load_responses(demo_db, q2012),
                     previous_questionnaire=q2012, out_dir=tmp_path)


def test_unparseable_wave_names_the_column(exports, tmp_path):
    path = _csv_with(exports, tmp_path, "wave", "tyve-seksten")
    _one_line_error(["--questionnaire", "beboerundersoegelse-2016", "--source", str(path),
                     "--out", str(tmp_path / "o")], "column 'wave'", "tyve-seksten")


def test_unparseable_date_names_the_column(exports, tmp_path):
    path = _csv_with(exports, tmp_path, "submitted_at", "den 3. marts")
    _one_line_error(["--questionnaire", "beboerundersoegelse-2016", "--source", str(path),
                     "--out", str(tmp_path / "o")], "column 'submitted_at'", "den 3. marts")


def test_neither_questionnaire_nor_wave(tmp_path):
    _one_line_error(["--out", str(tmp_path)], "--questionnaire ID_OR_FILE or --wave N")
