"""One function checks a set of answers for the form and the API alike."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires
from questionnaires import Questionnaire, ValidationMessage

FIXTURES = Path(__file__).parent / "fixtures"
VALID_ANSWERS = {"tilfreds_omraade": "2", "daarligt_ry": "1", "ry_hvorfor": ["fordomme", "andet"],
                 "ry_andet": "Avisen", "aar_i_omraadet": 12}


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    return questionnaires.load(FIXTURES / "valid.yaml")


def codes(errors: dict[str, list[ValidationMessage]]) -> dict[str, list[str]]:
    return {question: [message.code for message in messages]
            for question, messages in errors.items()}


def test_a_complete_answer_set_is_valid(q: Questionnaire) -> None:
    assert q.validate(VALID_ANSWERS) == {}
    assert q.validate({**VALID_ANSWERS, "bemaerkninger": "Godt sted", "ry_andet": None}) == {}


def test_required_questions(q: Questionnaire) -> None:
    assert codes(q.validate({})) == {"tilfreds_omraade": ["required"],
                                     "daarligt_ry": ["required"],
                                     "aar_i_omraadet": ["required"]}
    blank = {**VALID_ANSWERS, "tilfreds_omraade": "  ", "ry_hvorfor": [], "ry_andet": None}
    assert codes(q.validate(blank)) == {"tilfreds_omraade": ["required"],
                                        "ry_hvorfor": ["required"]}


@pytest.mark.parametrize("value", ["7", 2, ["2"], None.__class__, True])
def test_unknown_code_for_a_single_choice(q: Questionnaire, value: Any) -> None:
    errors = q.validate({**VALID_ANSWERS, "tilfreds_omraade": value})
    assert codes(errors) == {"tilfreds_omraade": ["unknown_choice"]}


def test_unknown_code_message_and_params(q: Questionnaire) -> None:
    [message] = q.validate({**VALID_ANSWERS, "tilfreds_omraade": "7"})["tilfreds_omraade"]
    assert message == '"7" is not one of the choices.'
    assert message.params == {"value": "7"}


def test_answer_to_a_hidden_question(q: Questionnaire) -> None:
    answers = {**VALID_ANSWERS, "daarligt_ry": "2"}
    errors = q.validate(answers)
    assert codes(errors) == {"ry_hvorfor": ["hidden_answered"], "ry_andet": ["hidden_answered"]}
    assert not q.is_visible("ry_hvorfor", answers)
    assert q.is_visible(q.question("ry_hvorfor"), VALID_ANSWERS)


def test_a_stale_answer_to_a_hidden_question_does_not_reveal_later_ones(q: Questionnaire) -> None:
    # ry_andet depends on ry_hvorfor, which is hidden once daarligt_ry is "2"
    answers = {"daarligt_ry": "2", "ry_hvorfor": ["andet"]}
    visible = [question.id for question in q.visible_questions(answers)]
    assert "ry_hvorfor" not in visible and "ry_andet" not in visible
    assert "bemaerkninger" not in visible
    assert "bemaerkninger" in [x.id for x in q.visible_questions({"tilfreds_omraade": "9"})]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(81, ["above_max"]), (-1, ["below_min"]), (0, []), (80, []), (12.0, []),
     (12.5, ["not_a_number"]), (float("nan"), ["not_a_number"]), (True, ["not_a_number"]),
     ("12", ["not_a_number"]), ([12], ["not_a_number"])],
)
def test_numbers(q: Questionnaire, value: Any, expected: list[str]) -> None:
    errors = codes(q.validate({**VALID_ANSWERS, "aar_i_omraadet": value}))
    assert errors.get("aar_i_omraadet", []) == expected


def test_number_range_params(q: Questionnaire) -> None:
    [message] = q.validate({**VALID_ANSWERS, "aar_i_omraadet": 81})["aar_i_omraadet"]
    assert (message.code, dict(message.params), str(message)) == (
        "above_max", {"max": 80}, "The number must be at most 80.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(["fordomme"], []),
     (["fordomme", "beboere", "kriminalitet"], ["too_many_choices"]),
     (["9"], []),
     (["9", "fordomme"], ["exclusive_choice"]),
     (["fordomme", "fordomme"], ["duplicate_choice"]),
     (["fordomme", "7"], ["unknown_choice"]),
     (["fordomme", 3], ["unknown_choice"]),
     ("fordomme", ["not_a_list"]),
     ({"fordomme": True}, ["not_a_list"])],
)
def test_multiple_choice(q: Questionnaire, value: Any, expected: list[str]) -> None:
    errors = codes(q.validate({**VALID_ANSWERS, "ry_hvorfor": value, "ry_andet": None}))
    assert errors.get("ry_hvorfor", []) == expected


def test_minimum_number_of_choices() -> None:
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8").replace(
        "max_choices: 2", "min_choices: 2")
    q = questionnaires.loads(text)
    answers = {**VALID_ANSWERS, "ry_hvorfor": ["andet"]}
    [message] = q.validate(answers)["ry_hvorfor"]
    assert (message.code, message.params["min"]) == ("too_few_choices", 2)
    # an exclusive choice on its own is a full answer
    assert q.validate({**answers, "ry_hvorfor": ["9"], "ry_andet": None}) == {}


@pytest.mark.parametrize(
    ("question", "value", "expected"),
    [("ry_andet", "x" * 200, []), ("ry_andet", "x" * 201, ["too_long"]),
     ("ry_andet", 5, ["not_text"]), ("bemaerkninger", "x" * 2001, ["too_long"]),
     ("bemaerkninger", ["x"], ["not_text"])],
)
def test_texts(q: Questionnaire, question: str, value: Any, expected: list[str]) -> None:
    errors = codes(q.validate({**VALID_ANSWERS, question: value}))
    assert errors.get(question, []) == expected


def test_unknown_question_ids(q: Questionnaire) -> None:
    errors = q.validate({**VALID_ANSWERS, "nope": "1", 7: None, ("a",): 1})
    assert codes(errors) == {"nope": ["unknown_question"], "7": ["unknown_question"],
                             "('a',)": ["unknown_question"]}
    assert errors["nope"][0].params == {"question": "nope"}


def test_answers_must_be_a_mapping(q: Questionnaire) -> None:
    with pytest.raises(TypeError, match="mapping"):
        q.validate(["tilfreds_omraade"])  # type: ignore[arg-type]


def test_validation_messages_are_strings_with_code_and_params() -> None:
    message = ValidationMessage("too_long", {"max_length": 5, "length": 9})
    assert isinstance(message, str)
    assert message == "The text must be at most 5 characters long (it has 9)."
    assert json.dumps({"q": [message]}) == json.dumps({"q": [str(message)]})
    copy = pickle.loads(pickle.dumps(message))
    assert (copy, copy.code, dict(copy.params)) == (message, "too_long", dict(message.params))
    with pytest.raises(AttributeError):
        message.code = "required"  # type: ignore[misc]
    message.params["length"] = 1
    assert message.params["length"] == 9
    with pytest.raises(ValueError, match="unknown validation code"):
        ValidationMessage("nonsense")


def test_every_message_code_of_the_readme_exists() -> None:
    from questionnaires.validation import MESSAGES

    readme = (Path(questionnaires.__file__).parent / "README.md").read_text(encoding="utf-8")
    for code in MESSAGES:
        assert f"`{code}`" in readme


answer_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300)
    | st.sampled_from(["1", "2", "9", "andet", "fordomme", ""]),
    lambda children: st.lists(children, max_size=5) | st.tuples(children)
    | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
answer_keys = st.sampled_from(["tilfreds_omraade", "daarligt_ry", "ry_hvorfor", "ry_andet",
                               "aar_i_omraadet", "bemaerkninger"]) | st.text(max_size=10) \
    | st.integers() | st.none() | st.booleans() | st.tuples(st.integers())


@settings(max_examples=300, deadline=None)
@given(answers=st.dictionaries(answer_keys, answer_values, max_size=8))
def test_random_answers_only_ever_give_validation_results(answers: dict[Any, Any]) -> None:
    q = questionnaires.load(FIXTURES / "valid.yaml")
    errors = q.validate(answers)
    assert isinstance(errors, dict)
    for key, messages in errors.items():
        assert isinstance(key, str)
        assert isinstance(messages, list) and messages
        assert all(isinstance(m, ValidationMessage) and m.code for m in messages)
        json.dumps({key: messages, "params": [m.params for m in messages]})


@pytest.mark.parametrize("questionnaire_id", questionnaires.available())
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_random_answers_to_bundled_questionnaires(questionnaire_id: str, data: Any) -> None:
    q = questionnaires.load(questionnaire_id)
    ids = [question.id for question in q.questions()]
    plausible = st.sampled_from([code for x in q.questions() for code in x.codes] or ["1"])
    value = answer_values | plausible | st.lists(plausible, max_size=4)
    answers = data.draw(st.dictionaries(st.sampled_from(ids) | answer_keys, value, max_size=40))
    errors = q.validate(answers)
    for key, messages in errors.items():
        assert isinstance(key, str) and messages
        assert all(isinstance(m, ValidationMessage) for m in messages)
    visible = {question.id for question in q.visible_questions(answers)}
    assert all(m.code == "hidden_answered" for key in set(errors) - visible
               for m in errors[key] if q.has_question(key))
