"""Every kind of problem in a questionnaire file is found, located and explained."""

from __future__ import annotations

from pathlib import Path

import pytest

import questionnaires
from questionnaires import Problem, QuestionnaireError

FIXTURES = Path(__file__).parent / "fixtures"

# fixture -> (path inside the file, part of the message, line); each fixture has exactly one
# problem and differs from minimal.yaml in one place.
BROKEN = {
    "syntax_error": ("", "YAML syntax error at line 10, column 6", 10),
    "duplicate_yaml_key": ("pages[1].questions[0].type", "duplicate key 'type' (first at line 39)",
                           40),
    "not_a_mapping": ("", "expected a questionnaire (a mapping with keys id, version", 2),
    "wrong_type": ("wave", "expected a whole number, got the string '2016'", 4),
    "unquoted_version": ("version", 'expected a string, got the number 1.5; write it in quotes: '
                         '"1.5"', 3),
    "missing_key": ("pages[1].questions[0].type", "required key is missing from a question", 38),
    "unknown_key": ("pages[1].questions[0].label", "unknown key 'label' in a question (allowed: "
                    "id, type, text", 41),
    "unknown_type": ("pages[1].questions[0].type", "expected one of single, multiple, number, "
                     "text, long_text, got the string 'date'", 39),
    "duplicate_question_id": ("pages[1].questions[0].id", "question id 'har_boern' is already "
                              "used by pages[0].questions[0]", 38),
    "duplicate_page_id": ("pages[1].id", "page id 'side1' is already used by pages[0]", 35),
    "unknown_choice_list": ("pages[0].questions[0].choices", "unknown choice list "
                            "'ja_nej_ved_ikke' (choice lists: ja_nej)", 28),
    "missing_choices": ("pages[0].questions[0].choices", "a single question needs choices", 25),
    "choices_on_number": ("pages[1].questions[0].choices", "a number question takes no choices",
                          41),
    "clashing_codes": ("choice_lists.ja_nej[1].code", "choice code '1' clashes with choice [0]",
                       20),
    "unquoted_code": ("choice_lists.ja_nej[1].code", 'expected a string, got the number 2; '
                      'write it in quotes: "2"', 20),
    "show_if_unknown_question": ("pages[0].questions[1].show_if.question",
                                 "unknown question 'har_born'", 33),
    "show_if_later_question": ("pages[0].questions[1].show_if.question",
                               "question 'alder' (pages[1].questions[0]) does not come before "
                               "this question", 33),
    "show_if_self": ("pages[0].questions[1].show_if.question", "question 'antal_boern' "
                     "(pages[0].questions[1]) does not come before this question", 33),
    "show_if_unknown_operator": ("pages[0].questions[1].show_if",
                                 "unknown condition operator 'equals'", 33),
    "show_if_expression": ("pages[0].questions[1].show_if", "expected a condition ({question, "
                           "in}, {question, answered}, {all}, {any} or {not}), got the string",
                           33),
    "show_if_unknown_code": ("pages[0].questions[1].show_if.any[0].in[1]", "'3' is not a choice "
                             "of question 'har_boern' (codes: 1, 2)", 33),
    "show_if_in_number": ("pages[1].questions[0].show_if.in", "'in' needs a single or multiple "
                          "question, but 'antal_boern' is a number question", 40),
    "missing_translation": ("pages[0].questions[1].text", "no text in en: every declared "
                            "language needs one", 34),
    "empty_translation": ("pages[0].questions[1].text.en", "the text is empty", 34),
    "undeclared_language": ("title.de", "language 'de' is not declared in languages", 5),
    "unknown_language": ("languages[1].code", "'xx' is not a language code Babel knows", 9),
    "wrong_direction": ("languages[1].direction", "'ar' is written rtl, but the file says ltr", 9),
    "bad_translation_status": ("languages[1].translation_status", "expected one of final, draft,"
                               " got the string 'reviewed'", 9),
    "default_language_undeclared": ("default_language", "'de' is not one of the declared "
                                    "languages (da, en)", 6),
    "min_above_max": ("pages[0].questions[1].min", "min (21) is greater than max (20)", 31),
    "min_not_integer": ("pages[0].questions[1].min", "expected a whole number, got the number "
                        "0.5", 31),
    "bad_question_id": ("pages[1].questions[0].id", "'Alder i år' is not a valid id", 38),
    "duplicate_area": ("areas[1].id", "area id 'vangdalen' is used twice", 12),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_fixture_gives_its_one_problem(name: str) -> None:
    path, message, line = BROKEN[name]
    file = FIXTURES / f"{name}.yaml"
    problems = questionnaires.check(file)
    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    assert problem.file == str(file)
    assert problem.path == path
    assert message in problem.message
    assert problem.line == line
    expected = f"{file}: {path}: " if path else f"{file}: "
    assert str(problem).startswith(expected)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_load_of_a_broken_fixture_raises_questionnaire_error(name: str) -> None:
    file = FIXTURES / f"{name}.yaml"
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load(file)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.problems == tuple(questionnaires.check(file))
    assert str(error) == str(error.problems[0])


def test_every_fixture_is_listed() -> None:
    names = {path.stem for path in FIXTURES.glob("*.yaml")}
    assert names == set(BROKEN) | {"valid", "minimal", "several_problems"}


def test_the_base_of_the_broken_fixtures_is_valid() -> None:
    assert questionnaires.check(FIXTURES / "minimal.yaml") == []
    assert questionnaires.check(FIXTURES / "valid.yaml") == []


def test_every_problem_is_reported_in_file_order() -> None:
    file = FIXTURES / "several_problems.yaml"
    problems = questionnaires.check(file)
    assert [(p.path, p.line) for p in problems] == [
        ("wave", 4),
        ("pages[0].questions[0].choices", 28),
        ("pages[0].questions[1].show_if.question", 33),
        ("pages[0].questions[1].text", 34),
        ("pages[1].id", 35),
    ]
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.load(file)
    text = str(caught.value)
    assert text.startswith("5 problems in the questionnaire:")
    assert all(str(problem) in text for problem in problems)


BASE = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")


def _problems(text: str) -> list[Problem]:
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.loads(text, file="inline.yaml")
    return list(caught.value.problems)


def _with_question(extra: str) -> str:
    """The minimal questionnaire with one more question at the end of page 2."""
    return BASE + extra


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        ("      - {id: hvad, type: multiple, choices: ja_nej, max_choices: 3, "
         "text: {da: a, en: a}}\n", "pages[1].questions[1].max_choices", "3 is more than the 2"),
        ("      - {id: hvad, type: multiple, choices: ja_nej, min_choices: 2, max_choices: 1, "
         "text: {da: a, en: a}}\n", "pages[1].questions[1].min_choices",
         "min_choices (2) is greater than max_choices (1)"),
        ("      - {id: hvad, type: text, max_length: 0, text: {da: a, en: a}}\n",
         "pages[1].questions[1].max_length", "must be at least 1, got 0"),
        ("      - {id: hvad, type: text, min: 1, text: {da: a, en: a}}\n",
         "pages[1].questions[1].min", "a text question takes no min (only number do)"),
        ("      - {id: hvad, type: text, required: 'ja', text: {da: a, en: a}}\n",
         "pages[1].questions[1].required", "expected true or false, got the string 'ja'"),
        ("      - {id: hvad, type: text, audio: {da: lyd/hvad.mp3}, text: {da: a, en: a}}\n",
         "pages[1].questions[1].audio.da", "must be a path inside the questionnaire"),
        ("      - {id: hvad, type: text, audio: {da: ../hvad.mp3}, text: {da: a, en: a}}\n",
         "pages[1].questions[1].audio.da", "must be a path inside the questionnaire"),
        ("      - {id: hvad, type: text, show_if: {all: []}, text: {da: a, en: a}}\n",
         "pages[1].questions[1].show_if.all", "expected at least one of conditions"),
        ("      - {id: hvad, type: text, show_if: {not: {question: alder, answered: 1}}, "
         "text: {da: a, en: a}}\n", "pages[1].questions[1].show_if.not.answered",
         "expected true or false, got the number 1"),
        ("      - {id: hvad, type: text, show_if: {question: har_boern}, text: {da: a, en: a}}\n",
         "pages[1].questions[1].show_if", "got the keys question"),
        ("      - {id: hvad, type: text, show_if: {question: har_boern, in: \"1\"}, "
         "text: {da: a, en: a}}\n", "pages[1].questions[1].show_if.in",
         "expected a list of choice codes"),
        ("      - {id: hvad, type: single, choices: [], text: {da: a, en: a}}\n",
         "pages[1].questions[1].choices", "expected at least one choice"),
        ("      - {id: hvad, type: single, choices: [{code: 'a b', label: {da: a, en: a}}], "
         "text: {da: a, en: a}}\n", "pages[1].questions[1].choices[0].code",
         "'a b' is not a valid code"),
    ],
)
def test_more_question_problems(extra: str, path: str, message: str) -> None:
    if "lyd/" in extra:
        # text has no folder, so only the absolute or escaping paths are problems there
        extra = extra.replace("lyd/hvad.mp3", "/etc/hvad.mp3")
    problems = _problems(_with_question(extra))
    assert [(p.path, message in p.message) for p in problems] == [(path, True)], problems


def test_audio_files_are_looked_for_next_to_the_file(tmp_path: Path) -> None:
    text = _with_question("      - {id: hvad, type: text, audio: {da: lyd/hvad.mp3}, "
                          "text: {da: a, en: a}}\n")
    file = tmp_path / "q.yaml"
    file.write_text(text, encoding="utf-8")
    problems = questionnaires.check(file)
    assert [p.path for p in problems] == ["pages[1].questions[1].audio.da"]
    assert "audio file 'lyd/hvad.mp3' not found" in problems[0].message
    (tmp_path / "lyd").mkdir()
    (tmp_path / "lyd" / "hvad.mp3").write_bytes(b"ID3")
    assert questionnaires.check(file) == []
    question = questionnaires.load(file).question("hvad")
    assert question.audio == {"da": "lyd/hvad.mp3"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a questionnaire"),
        ("id: [unclosed", "YAML syntax error at line 2, column 1"),
        ("a: !!python/object:os.system x", "YAML syntax error at line 1"),
        ("key: 'tab\tinside' : x", "YAML syntax error"),
        ("- &a [*a]", "an alias refers to itself"),
    ],
)
def test_malformed_documents_are_problems_not_tracebacks(text: str, message: str) -> None:
    problems = _problems(text)
    assert problems and message in problems[0].message


def test_check_and_load_name_missing_files_and_unknown_ids(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert [str(p) for p in questionnaires.check(missing)] == [f"{missing}: no such file"]
    [problem] = questionnaires.check("no-such-questionnaire")
    assert "neither a questionnaire file nor a bundled questionnaire" in problem.message
    other = tmp_path / "notes.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="not a questionnaire file"):
        questionnaires.load(other)
    binary = tmp_path / "bad.yaml"
    binary.write_bytes(b"id: \xff\xfe")
    [problem] = questionnaires.check(binary)
    assert problem.message == "the file is not UTF-8 text (byte 4)"


def test_unknown_keys_suggest_the_closest_known_key() -> None:
    [problem] = _problems(BASE.replace("show_if:", "show-if:"))
    assert problem.path == "pages[0].questions[1].show-if"
    assert problem.message.endswith("; did you mean 'show_if'?")


def test_language_codes_are_lower_case() -> None:
    problems = _problems(BASE.replace("code: da,", "code: DA,").replace(" da: ", " DA: ")
                         .replace("{da: ", "{DA: ").replace("default_language: da",
                                                            "default_language: DA"))
    assert [(p.path, p.message) for p in problems] == [(
        "languages[0].code", "'DA' is not a valid language code: lower-case, such as da or pt-BR")]
