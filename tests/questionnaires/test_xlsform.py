"""XLSForm workbooks load into the same model as YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

import questionnaires
from questionnaires import QuestionnaireError
from questionnaires.xlsform import parse_constraint, parse_relevant

DA, EN = "label::Dansk (da)", "label::English (en)"

SURVEY = [
    ["type", "name", DA, EN, "hint::Dansk (da)", "hint::English (en)", "required", "relevant",
     "constraint", "appearance", "required_reason"],
    ["start", "start"],
    ["begin group", "omraadet", "Dit boligområde", "Your area"],
    ["select_one tilfredshed", "tilfreds_omraade", "Hvor tilfreds er du?", "How satisfied?",
     "Tænk på året", "Think of the year", "yes"],
    ["select_one ja_nej", "daarligt_ry", "Dårligt ry?", "Bad reputation?", None, None, "yes",
     None, None, None, "the filter question"],
    ["select_multiple hvorfor", "ry_hvorfor", "Hvorfor?", "Why?", None, None, "yes",
     "${daarligt_ry} = '1'", "count-selected(.) <= 2"],
    ["text", "ry_andet", "Andet, skriv:", "Other:", None, None, None,
     "${daarligt_ry} = '1' and selected(${ry_hvorfor}, 'andet')", "string-length(.) <= 100"],
    ["end group"],
    ["begin_group", "baggrund", "Om dig", "About you"],
    ["integer", "alder", "Alder", "Age", None, None, "yes", None, ". >= 16 and . <= 110", None,
     "needed for weighting"],
    ["text", "bemaerkninger", "Bemærkninger", "Comments", None, None, "no",
     "${alder} != '' or ${tilfreds_omraade} = '9'", None, "multiline"],
    ["end_group"],
]
CHOICES = [
    ["list_name", "name", DA, EN, "missing", "exclusive"],
    ["tilfredshed", 1, "Tilfreds", "Satisfied"],
    ["tilfredshed", 2, "Utilfreds", "Dissatisfied"],
    ["tilfredshed", 9, "Ved ikke", "Don't know", "yes"],
    ["ja_nej", "1", "Ja", "Yes"],
    ["ja_nej", "2", "Nej", "No"],
    ["hvorfor", "fordomme", "Fordomme", "Prejudice"],
    ["hvorfor", "andet", "Andet", "Other"],
    ["hvorfor", "9", "Ved ikke", "Don't know", "yes", "yes"],
]
SETTINGS = [
    ["form_id", "version", "wave", "default_language", "consent_version", "title::Dansk (da)",
     "title::English (en)"],
    ["xls-survey", 2024010101, 2024, "Dansk (da)", "1", "Undersøgelse", "Survey"],
]
AREAS = [["id", "label"], ["vangdalen", "Vangdalen"], ["glarbjergvej", "Glarbjergvej-området"]]
CONSENT = [
    ["name", DA, EN],
    ["title", "Information", "Information"],
    ["text", "Frivilligt.", "Voluntary."],
    ["agree", "Jeg giver samtykke", "I consent"],
]


def write_workbook(path: Path, **changes: list[list[Any]] | None) -> Path:
    """Write the example workbook, with some sheets replaced (None leaves a sheet out)."""
    sheets = {"survey": SURVEY, "choices": CHOICES, "settings": SETTINGS, "areas": AREAS,
              "consent": CONSENT, **changes}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        if rows is None:
            continue
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_a_workbook_loads_into_the_model(tmp_path: Path) -> None:
    file = write_workbook(tmp_path / "survey.xlsx")
    assert questionnaires.check(file) == []
    q = questionnaires.load(file)
    assert (q.id, q.version, q.wave, q.languages) == ("xls-survey", "2024010101", 2024,
                                                      ("da", "en"))
    assert q.language("en").name == "English" and q.direction("da") == "ltr"
    assert q.title == {"da": "Undersøgelse", "en": "Survey"}
    assert [a.id for a in q.areas] == ["vangdalen", "glarbjergvej"]
    assert q.consent.agree["en"] == "I consent"
    assert [p.id for p in q.pages] == ["omraadet", "baggrund"]
    assert [(x.id, x.type, x.required) for x in q.questions()] == [
        ("tilfreds_omraade", "single", True), ("daarligt_ry", "single", True),
        ("ry_hvorfor", "multiple", True), ("ry_andet", "text", False),
        ("alder", "number", True), ("bemaerkninger", "long_text", False)]
    satisfaction = q.question("tilfreds_omraade")
    assert satisfaction.codes == ("1", "2", "9") and satisfaction.choice("9").missing
    assert satisfaction.help == {"da": "Tænk på året", "en": "Think of the year"}
    why = q.question("ry_hvorfor")
    assert why.max_choices == 2 and why.choice("9").exclusive
    assert why.show_if == {"question": "daarligt_ry", "in": ("1",)}
    assert q.question("ry_andet").max_length == 100
    assert (q.question("alder").min, q.question("alder").max) == (16, 110)
    assert q.validate({"tilfreds_omraade": "1", "daarligt_ry": "2", "alder": 15}) == {
        "alder": ["The number must be at least 16."]}


def test_the_workbook_and_the_yaml_agree_on_the_answers(tmp_path: Path) -> None:
    q = questionnaires.load(write_workbook(tmp_path / "survey.xlsx"))
    answers = {"tilfreds_omraade": "9", "daarligt_ry": "1", "ry_hvorfor": ["andet"],
               "ry_andet": "x", "alder": 40, "bemaerkninger": "Godt"}
    assert q.validate(answers) == {}
    assert [m.code for m in q.validate({**answers, "ry_hvorfor": ["9", "andet"]})["ry_hvorfor"]
            ] == ["exclusive_choice"]


def test_problems_name_the_sheet_and_row(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[5][7] = "${daarligt_ry} = '1' and (${alder} > 3)"      # row 6: unsupported relevant
    survey[6][3] = None                                            # row 7: English label missing
    survey[9][0] = "decimal"                                       # row 10: unsupported type
    choices = [list(row) for row in CHOICES]
    choices[5][1] = "1"                                            # row 6: clashing code
    file = write_workbook(tmp_path / "broken.xlsx", survey=survey, choices=choices)
    problems = [str(problem) for problem in questionnaires.check(file)]
    assert problems == [
        f"{file}: survey row 6: relevant: cannot read '(${{alder}} > 3)'; only ${{q}} = 'code', "
        "selected(${q}, 'code') and ${q} != '' joined by 'and' / 'or' are supported",
        f"{file}: survey row 10: type 'decimal' is not supported (supported: select_one, "
        "select_multiple, integer, text, begin group, end group)",
    ]
    survey[5][7] = None
    survey[9][0] = "integer"
    file = write_workbook(tmp_path / "broken.xlsx", survey=survey, choices=choices)
    problems = questionnaires.check(file)
    assert [(p.path, p.message, p.line) for p in problems] == [
        ("choices row 6: choice_lists.ja_nej[1].code", "choice code '1' clashes with choice [0] "
         "of the same list", 6),
        ("survey row 7: pages[0].questions[3].text", "no text in en: every declared language "
         "needs one (there is no fallback)", 7),
    ]
    with pytest.raises(QuestionnaireError):
        questionnaires.load(file)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"areas": None}, "areas: the workbook has no sheet 'areas'"),
        ({"survey": SURVEY[:3] + SURVEY[3:8] + [["integer", "uden", "Uden", "Without"]]},
         "survey row 9: a question outside a group"),
        ({"survey": SURVEY[:-1]}, "survey: group 'baggrund' has no 'end group'"),
        ({"survey": [row + ([] if i else ["calculation"]) for i, row in enumerate(SURVEY)]
          + [["begin group", "x", "X", "X", None, None, None, None, None, None, None, "1+1"]]},
         "survey row 13: column 'calculation' is not supported"),
        ({"choices": [*CHOICES, ["ja_nej", "3", "Måske", "Maybe", "perhaps"]]},
         "choices row 10: missing must be yes or no, got 'perhaps'"),
        ({"choices": [[*CHOICES[0], "label"], *CHOICES[1:], ["ja_nej", "3", "", "", "", "", "M"]]},
         "choices row 10: column 'label' needs its language, e.g. 'label::Dansk (da)'"),
    ],
)
def test_workbook_structure_problems(tmp_path: Path, changes: dict[str, Any],
                                     expected: str) -> None:
    file = write_workbook(tmp_path / "q.xlsx", **changes)
    problems = [f"{p.path}: {p.message}" for p in questionnaires.check(file)]
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_languages_sheet_sets_direction_and_status(tmp_path: Path) -> None:
    languages = [["code", "name", "direction", "translation_status"],
                 ["da", "Dansk", "ltr", "final"], ["en", "English", "rtl", "draft"]]
    file = write_workbook(tmp_path / "q.xlsx", languages=languages)
    [problem] = questionnaires.check(file)
    assert (problem.path, problem.line) == ("languages row 3: languages[1].direction", 3)
    languages[2][2] = "ltr"
    q = questionnaires.load(write_workbook(tmp_path / "q2.xlsx", languages=languages))
    assert q.language("en").translation_status == "draft"


def test_label_columns_without_a_language_name(tmp_path: Path) -> None:
    rename = {DA: "label::da", EN: "label::en"}
    sheets = {name: [[rename.get(c, c) for c in rows[0]], *rows[1:]]
              for name, rows in {"survey": SURVEY, "choices": CHOICES, "consent": CONSENT}.items()}
    q = questionnaires.load(write_workbook(tmp_path / "q.xlsx", **sheets))
    assert [(x.code, x.name) for x in q.language_info] == [("da", "dansk"), ("en", "English")]


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    file = tmp_path / "q.xlsx"
    file.write_bytes(b"not a zip")
    [problem] = questionnaires.check(file)
    assert problem.message.startswith("not a readable .xlsx workbook")


@pytest.mark.parametrize(
    ("expression", "condition"),
    [
        ("${a} = '1'", {"question": "a", "in": ["1"]}),
        ('${a}="x"', {"question": "a", "in": ["x"]}),
        ("${a} = 2", {"question": "a", "in": ["2"]}),
        ("selected( ${b} , 'andet' )", {"question": "b", "in": ["andet"]}),
        ("${a} != ''", {"question": "a", "answered": True}),
        ("${a} = '1' and ${b} = '2'",
         {"all": [{"question": "a", "in": ["1"]}, {"question": "b", "in": ["2"]}]}),
        ("${a} = '1' or ${b} = '2' and ${c} = '3'",
         {"any": [{"question": "a", "in": ["1"]},
                  {"all": [{"question": "b", "in": ["2"]}, {"question": "c", "in": ["3"]}]}]}),
    ],
)
def test_parse_relevant(expression: str, condition: dict[str, Any]) -> None:
    assert parse_relevant(expression) == condition


@pytest.mark.parametrize("expression", ["${a} > 1", "not(${a} = '1')", "(${a} = '1')",
                                        "${a} = '1' and", "count-selected(${a}) > 1", ""])
def test_parse_relevant_refuses_everything_else(expression: str) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        parse_relevant(expression)


def test_parse_constraint() -> None:
    assert parse_constraint(". >= 0 and .<=120") == {"min": 0, "max": 120}
    assert parse_constraint("count-selected(.) >= 1") == {"min_choices": 1}
    with pytest.raises(ValueError, match="cannot read '. > 3'"):
        parse_constraint(". > 3")
