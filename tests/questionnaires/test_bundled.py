"""Content checks for the bundled questionnaires (2012 and 2016 waves).

These tests read the shipped YAML files through the public API and check what
the loader cannot know: the eight fieldwork languages, that no text is blank,
the number of questions, and that the two waves can be compared question by
question.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

import questionnaires
from questionnaires.cli import check_questionnaire
from questionnaires.model import Questionnaire

BUNDLED_DIR = Path(questionnaires.__file__).parent / "bundled"
WAVES = {
    "beboerundersoegelse-2012": 2012,
    "beboerundersoegelse-2016": 2016,
}
LANGUAGES = ("da", "en", "ar", "fa", "so", "tr", "ur", "bs")
RTL = {"ar", "fa", "ur"}
FINAL = {"da", "en"}


def bundled_path(questionnaire_id: str) -> Path:
    """The YAML file of a bundled questionnaire."""
    return BUNDLED_DIR / f"{questionnaire_id}.yaml"


@pytest.fixture(params=sorted(WAVES))
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    """Each bundled questionnaire in turn."""
    return questionnaires.load(request.param)


def texts(q: Questionnaire) -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every translated text of a questionnaire, with where it comes from."""
    yield "title", q.title
    yield "consent.title", q.consent.title
    yield "consent.text", q.consent.text
    yield "consent.agree", q.consent.agree
    for page in q.pages:
        yield f"page {page.id}: title", page.title
        for question in page.questions:
            yield f"question {question.id}: text", question.text
            if question.help is not None:
                yield f"question {question.id}: help", question.help
            for choice in question.choices:
                yield f"question {question.id}: choice {choice.code}", choice.label


def test_both_waves_are_bundled() -> None:
    assert set(WAVES) <= set(questionnaires.available())


@pytest.mark.parametrize("questionnaire_id", sorted(WAVES))
def test_checker_finds_no_problems(questionnaire_id: str) -> None:
    assert questionnaires.check(bundled_path(questionnaire_id)) == []
    assert questionnaires.check(questionnaire_id) == []


def test_check_questionnaire_command_is_silent_on_bundled_files() -> None:
    paths = [str(bundled_path(questionnaire_id)) for questionnaire_id in sorted(WAVES)]
    result = CliRunner().invoke(check_questionnaire, paths)
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_id_and_wave(questionnaire: Questionnaire) -> None:
    assert questionnaire.wave == WAVES[questionnaire.id]
    assert questionnaire.consent.version.startswith(f"{questionnaire.wave}-")


def test_eight_languages_with_danish_first(questionnaire: Questionnaire) -> None:
    assert questionnaire.default_language == "da"
    assert questionnaire.languages == LANGUAGES


def test_directions_and_translation_status(questionnaire: Questionnaire) -> None:
    for code in LANGUAGES:
        expected = "rtl" if code in RTL else "ltr"
        assert questionnaire.direction(code) == expected, code
        status = questionnaire.language(code).translation_status
        assert status == ("final" if code in FINAL else "draft"), code
        assert questionnaire.language(code).name.strip()


def test_every_text_is_present_and_non_empty(questionnaire: Questionnaire) -> None:
    blank = [
        f"{where} [{code}]"
        for where, text in texts(questionnaire)
        for code in LANGUAGES
        if not isinstance(text.get(code), str) or not text[code].strip()
    ]
    assert blank == []


def test_number_of_questions_and_conditions(questionnaire: Questionnaire) -> None:
    questions = questionnaire.questions()
    assert 25 <= len(questions) <= 40
    conditional = [question.id for question in questions if question.show_if is not None]
    assert len(conditional) >= 2
    assert {"omdoemme_grunde", "flytte_grund"} <= set(conditional)


def test_reputation_reasons_follow_a_yes(questionnaire: Questionnaire) -> None:
    reasons = questionnaire.question("omdoemme_grunde")
    assert reasons.type == "multiple"
    assert reasons.codes == (
        "fordomme",
        "sammensaetning",
        "sociale",
        "kriminalitet",
        "fysisk",
        "andet",
    )
    base = {"daarligt_omdoemme": "1"}
    assert questionnaire.is_visible("omdoemme_grunde", base)
    assert not questionnaire.is_visible("omdoemme_grunde", {"daarligt_omdoemme": "2"})
    assert not questionnaire.is_visible("omdoemme_andet", {**base, "omdoemme_grunde": ["fordomme"]})
    assert questionnaire.is_visible("omdoemme_andet", {**base, "omdoemme_grunde": ["andet"]})


def test_satisfaction_scale(questionnaire: Questionnaire) -> None:
    question = questionnaire.question("tilfreds_omraade")
    assert question.codes == ("1", "2", "3", "4", "5", "9")
    assert [choice.code for choice in question.choices if choice.missing] == ["9"]
    assert question.choice("1").label["da"] == "Meget tilfreds"
    assert question.choice("9").label["da"] == "Ved ikke"


def test_origin_is_optional_and_can_be_declined(questionnaire: Questionnaire) -> None:
    origin = questionnaire.question("oprindelse")
    assert not origin.required
    assert origin.choice("8").missing


def test_a_complete_answer_set_is_valid(questionnaire: Questionnaire) -> None:
    answers: dict[str, object] = {"daarligt_omdoemme": "2", "flytteoenske": "2"}
    for question in questionnaire.questions():
        if question.id in answers or not questionnaire.is_visible(question, answers):
            continue
        if question.type == "single":
            answers[question.id] = question.choices[0].code
        elif question.type == "multiple":
            answers[question.id] = [question.choices[0].code]
        elif question.type == "number":
            answers[question.id] = question.min or 0
        else:
            answers[question.id] = "Tekst"
    assert questionnaire.validate(answers) == {}


def test_waves_share_wording_and_codes() -> None:
    old = questionnaires.load("beboerundersoegelse-2012")
    new = questionnaires.load("beboerundersoegelse-2016")
    new_by_id = {question.id: question for question in new.questions()}
    shared = [question for question in old.questions() if question.id in new_by_id]
    assert len(shared) >= 25
    for question in shared:
        counterpart = new_by_id[question.id]
        assert question.type == counterpart.type, question.id
        assert question.text["da"] == counterpart.text["da"], question.id
        assert question.codes == counterpart.codes, question.id
        assert question.show_if == counterpart.show_if, question.id
        for choice in question.choices:
            assert choice.missing == counterpart.choice(choice.code).missing, question.id


def test_2012_areas_are_a_subset_of_2016_areas() -> None:
    old = {area.id: area.label for area in questionnaires.load("beboerundersoegelse-2012").areas}
    new = {area.id: area.label for area in questionnaires.load("beboerundersoegelse-2016").areas}
    assert old.items() <= new.items()
    assert set(new) == {"glarbjergvej", "jennumparken", "vangdalen"}
    assert set(old) == {"glarbjergvej", "jennumparken"}
