"""``beboer check-questionnaire FILE...``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import questionnaires
from beboer.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str):
    return CliRunner().invoke(main, ["check-questionnaire", *args])


def test_a_good_file_is_silent_with_exit_0() -> None:
    result = run(str(FIXTURES / "valid.yaml"), str(FIXTURES / "minimal.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_verbose_prints_a_summary() -> None:
    file = str(FIXTURES / "valid.yaml")
    result = run("--verbose", file)
    assert result.exit_code == 0
    assert result.stdout == f"{file}: 6 questions, 2 pages, 3 languages (drafts: ar), ok\n"
    assert result.stderr == ""


def test_a_broken_file_names_each_problem_on_stderr_with_exit_2() -> None:
    file = FIXTURES / "several_problems.yaml"
    result = run(str(file))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [str(problem) for problem in questionnaires.check(file)]
    assert len(lines) == 5
    assert lines[0] == f"{file}: wave: expected a whole number, got the string '2016'"
    assert "Traceback" not in result.output


def test_good_and_bad_files_together() -> None:
    good, bad = FIXTURES / "valid.yaml", FIXTURES / "show_if_later_question.yaml"
    result = run("-v", str(good), str(bad), "no-such-id")
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{good}: 6 questions")
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"{bad}: pages[0].questions[1].show_if.question: question "
                                "'alder'")
    assert errors[1].startswith("no-such-id: neither a questionnaire file nor a bundled")


@pytest.mark.parametrize("questionnaire_id", questionnaires.available())
def test_bundled_ids_are_accepted(questionnaire_id: str) -> None:
    result = run(questionnaire_id)
    assert (result.exit_code, result.output) == (0, "")


def test_help_and_missing_arguments() -> None:
    assert "FILE..." in CliRunner().invoke(main, ["check-questionnaire", "--help"]).output
    result = run()
    assert result.exit_code == 2 and "Missing argument" in result.stderr
