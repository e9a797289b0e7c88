"""Every question may be skipped unless marked ``required: true``, which needs a way out."""

from __future__ import annotations

from pathlib import Path

import pytest

import questionnaires

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
CHOICES = "        choices: ja_nej\n"
BUNDLED = ("beboerundersoegelse-2012", "beboerundersoegelse-2016")


def variant(tmp_path: Path, old: str, new: str) -> Path:
    assert old in MINIMAL
    path = tmp_path / "q.yaml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    return path


def test_questions_are_optional_by_default() -> None:
    q = questionnaires.load(FIXTURES / "minimal.yaml")
    assert not any(question.required for question in q.questions())
    assert q.validate({}) == {}


def test_required_without_a_way_out_is_refused(tmp_path: Path) -> None:
    path = variant(tmp_path, CHOICES, CHOICES + "        required: true\n")
    (problem,) = questionnaires.check(path)
    assert problem.path.endswith("pages[0].questions[0].required")
    assert "way out" in problem.message and "missing: true" in problem.message


def test_required_with_a_missing_choice_or_a_reason_is_accepted(tmp_path: Path) -> None:
    way_out = variant(
        tmp_path,
        '    - {code: "2", label: {da: "Nej", en: "No"}}\n',
        '    - {code: "2", label: {da: "Nej", en: "No"}}\n'
        '    - {code: "8", label: {da: "Ønsker ikke at svare", en: "Prefer not to say"}, '
        "missing: true}\n",
    ).read_text(encoding="utf-8")
    path = tmp_path / "way_out.yaml"
    path.write_text(
        way_out.replace(CHOICES, CHOICES + "        required: true\n", 1), encoding="utf-8"
    )
    assert questionnaires.check(path) == []
    assert questionnaires.load(path).question("har_boern").required
    reason = variant(
        tmp_path,
        '        text: {da: "Alder", en: "Age"}\n',
        '        text: {da: "Alder", en: "Age"}\n        required: true\n'
        '        required_reason: "needed to weight the results by age"\n',
    )
    assert questionnaires.check(reason) == []
    assert questionnaires.load(reason).validate({})["alder"][0].code == "required"


def test_required_reason_must_be_text(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        '        text: {da: "Alder", en: "Age"}\n',
        '        text: {da: "Alder", en: "Age"}\n        required: true\n'
        "        required_reason: 3\n",
    )
    (problem,) = questionnaires.check(path)
    assert problem.path.endswith("required_reason")


@pytest.mark.parametrize("questionnaire_id", BUNDLED)
def test_bundled_personal_questions_offer_prefer_not_to_say(questionnaire_id: str) -> None:
    q = questionnaires.load(questionnaire_id)
    assert not any(question.required for question in q.questions())
    for question_id in ("alder", "boet_aar", "oprindelse", "beskaeftigelse"):
        question = q.question(question_id)
        way_out = [c for c in question.choices if c.code == "8"]
        assert way_out, question_id
        assert way_out[0].missing and way_out[0].label["da"] == "Ønsker ikke at svare"
