"""Loading a good file gives a complete, immutable model."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

import questionnaires
from questionnaires import Choice, Question, Questionnaire, QuestionnaireError

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid.yaml"


@pytest.fixture
def q() -> Questionnaire:
    return questionnaires.load(VALID)


def test_top_level_fields(q: Questionnaire) -> None:
    assert (q.id, q.version, q.wave, q.default_language) == ("test-survey", "2024.1", 2024, "da")
    assert q.title["en"] == "Test survey"
    assert q.languages == ("da", "en", "ar")
    assert q.direction("ar") == "rtl" and q.direction("da") == "ltr"
    arabic = q.language("ar")
    assert (arabic.name, arabic.translation_status) == ("العربية", "draft")
    assert [(a.id, a.label) for a in q.areas] == [("glarbjergvej", "Glarbjergvej-området"),
                                                 ("vangdalen", "Vangdalen")]
    assert q.area("vangdalen").label == "Vangdalen"
    assert q.consent.version == "2024-1"
    assert q.consent.text["da"].split("\n\n")[1] == "Du kan trække dit samtykke tilbage."
    assert q.path == VALID.resolve()
    assert q.source_sha256 == hashlib.sha256(VALID.read_bytes()).hexdigest()


def test_questions_pages_and_choices(q: Questionnaire) -> None:
    assert [x.id for x in q.questions()] == [
        "tilfreds_omraade", "daarligt_ry", "ry_hvorfor", "ry_andet", "aar_i_omraadet",
        "bemaerkninger"]
    assert [p.id for p in q.pages] == ["omraadet", "baggrund"]
    assert q.page_of("aar_i_omraadet").id == "baggrund"
    satisfaction = q.question("tilfreds_omraade")
    assert satisfaction.type == "single" and satisfaction.required
    assert satisfaction.choice_list == "tilfredshed"
    assert satisfaction.codes == ("1", "2", "3", "9")
    assert satisfaction.choice("9") == Choice("9", satisfaction.choice("9").label, missing=True)
    assert satisfaction.choice("9").label["en"] == "Don't know"
    assert satisfaction.help is not None and satisfaction.help["da"] == "Tænk på det seneste år."
    why = q.question("ry_hvorfor")
    assert why.max_choices == 2 and why.choice("9").exclusive and why.choice_list is None
    assert dict(why.show_if) == {"question": "daarligt_ry", "in": ("1",)}
    years = q.question("aar_i_omraadet")
    assert (years.min, years.max, years.choices, years.max_length) == (0, 80, (), None)
    assert q.question("ry_andet").max_length == 200
    assert q.question("bemaerkninger").max_length == 2000
    assert not q.question("ry_andet").required


def test_lookups_of_unknown_ids_raise_key_error(q: Questionnaire) -> None:
    for lookup, value in [(q.question, "nope"), (q.page_of, "nope"), (q.area, "nope"),
                          (q.language, "de"), (q.question("daarligt_ry").choice, "7")]:
        with pytest.raises(KeyError):
            lookup(value)


def test_the_model_is_immutable(q: Questionnaire) -> None:
    question = q.question("tilfreds_omraade")
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.required = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        question.text["da"] = "Ændret"  # type: ignore[index]
    with pytest.raises(TypeError):
        q.question("ry_andet").show_if["all"] = ()  # type: ignore[index]
    assert isinstance(q.pages, tuple) and isinstance(question.choices, tuple)


def test_the_model_is_hashable(q: Questionnaire) -> None:
    again = questionnaires.loads(VALID.read_text(encoding="utf-8"))
    assert hash(q) == hash(again) and {q: 1}[questionnaires.load(VALID)] == 1
    assert q != again  # only the path differs
    assert len({x for x in q.questions()}) == len(q.questions())
    assert hash(q.question("ry_andet").show_if) == hash(again.question("ry_andet").show_if)


def test_to_dict_is_json_ready_and_complete(q: Questionnaire) -> None:
    data = json.loads(json.dumps(q.to_dict(), ensure_ascii=False))
    assert data["languages"][2] == {"code": "ar", "name": "العربية", "direction": "rtl",
                                    "translation_status": "draft"}
    question = data["pages"][0]["questions"][3]
    assert question["id"] == "ry_andet"
    assert question["show_if"] == {"all": [{"question": "daarligt_ry", "in": ["1"]},
                                           {"question": "ry_hvorfor", "in": ["andet"]}]}
    assert data["pages"][0]["questions"][0]["choices"][3] == {
        "code": "9", "label": {"da": "Ved ikke", "en": "Don't know", "ar": "لا أعرف"},
        "missing": True, "exclusive": False}
    assert data["source_sha256"] == q.source_sha256


def test_default_language_comes_first(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace("default_language: da",
                                                     "default_language: en")
    file = tmp_path / "q.yaml"
    file.write_text(text, encoding="utf-8")
    assert questionnaires.load(file).languages == ("en", "da", "ar")


def test_load_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    file = tmp_path / "q.yaml"
    shutil.copy(VALID, file)
    first = questionnaires.load(file)
    assert questionnaires.load(file) is first
    file.write_text(file.read_text(encoding="utf-8").replace('"2024.1"', '"2024.2"'),
                    encoding="utf-8")
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    second = questionnaires.load(file)
    assert second.version == "2024.2" and second is not first


def test_loads_reads_text() -> None:
    q = questionnaires.loads(VALID.read_text(encoding="utf-8"))
    assert q.path is None and q.id == "test-survey"
    with pytest.raises(QuestionnaireError) as caught:
        questionnaires.loads("id: 1", file="published")
    assert all(problem.file == "published" for problem in caught.value.problems)


def test_available_lists_the_bundled_ids() -> None:
    bundled = Path(questionnaires.__file__).parent / "bundled"
    ids = questionnaires.available()
    assert ids == sorted(path.stem for path in bundled.glob("*.yaml"))


@pytest.mark.parametrize("questionnaire_id", questionnaires.available())
def test_bundled_questionnaires_load(questionnaire_id: str) -> None:
    q = questionnaires.load(questionnaire_id)
    assert q.id == questionnaire_id
    assert questionnaires.check(questionnaire_id) == []
    for question in q.questions():
        assert isinstance(question, Question)
        assert set(question.text) == set(q.languages)
        for choice in question.choices:
            assert set(choice.label) == set(q.languages)


def test_exports() -> None:
    for name in ["load", "available", "check", "Questionnaire", "Question", "Choice",
                 "QuestionnaireError", "Problem", "ValidationMessage", "evaluate"]:
        assert hasattr(questionnaires, name)
