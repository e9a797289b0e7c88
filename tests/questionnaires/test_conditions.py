"""show_if conditions are evaluated by one small function over structured data."""

from __future__ import annotations

import pytest

from questionnaires import evaluate, is_answered


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "a", "in": ["1"]}, {"a": "1"}, True),
        ({"question": "a", "in": ["1", "2"]}, {"a": "2"}, True),
        ({"question": "a", "in": ["1"]}, {"a": "3"}, False),
        ({"question": "a", "in": ["1"]}, {}, False),
        ({"question": "a", "in": ["x"]}, {"a": ["y", "x"]}, True),
        ({"question": "a", "in": ["x"]}, {"a": ["y"]}, False),
        ({"question": "a", "in": ["x"]}, {"a": []}, False),
        ({"question": "a", "answered": True}, {"a": 0}, True),
        ({"question": "a", "answered": True}, {"a": "  "}, False),
        ({"question": "a", "answered": False}, {"a": None}, True),
        ({"question": "a", "answered": False}, {"a": ["1"]}, False),
        ({"all": [{"question": "a", "in": ["1"]}, {"question": "b", "in": ["2"]}]},
         {"a": "1", "b": "2"}, True),
        ({"all": [{"question": "a", "in": ["1"]}, {"question": "b", "in": ["2"]}]},
         {"a": "1", "b": "3"}, False),
        ({"any": [{"question": "a", "in": ["1"]}, {"question": "b", "in": ["2"]}]},
         {"a": "0", "b": "2"}, True),
        ({"any": [{"question": "a", "in": ["1"]}]}, {}, False),
        ({"not": {"question": "a", "in": ["1"]}}, {"a": "1"}, False),
        ({"not": {"not": {"question": "a", "in": ["1"]}}}, {"a": "1"}, True),
        # answers of the wrong type match nothing and raise nothing
        ({"question": "a", "in": ["1"]}, {"a": 1}, False),
        ({"question": "a", "in": ["1"]}, {"a": {"1": "1"}}, False),
        ({"question": "a", "in": ["1"]}, {"a": [1, None, ["1"]]}, False),
        # a string that looks like code is only ever compared, never run
        ({"question": "a", "in": ["__import__('os').system('false')"]},
         {"a": "__import__('os').system('false')"}, True),
    ],
)
def test_evaluate(condition: dict, answers: dict, expected: bool) -> None:
    assert evaluate(condition, answers) is expected


def test_evaluate_accepts_the_frozen_conditions_of_the_model() -> None:
    from questionnaires.model import freeze

    condition = freeze({"any": [{"question": "a", "in": ["1"]}, {"not": {"all": []}}]})
    assert evaluate(condition, {"a": "1"}) and not evaluate(condition, {"a": "2"})


@pytest.mark.parametrize("condition", [{"question": "a", "equals": "1"}, {}, "a == 1", None,
                                       {"all": [], "any": []}])
def test_unknown_conditions_raise_value_error(condition: object) -> None:
    with pytest.raises(ValueError, match="condition"):
        evaluate(condition, {})  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "answered"), [
    (None, False), ("", False), (" \n", False), ([], False), ((), False),
    ("1", True), (0, True), (False, True), (["1"], True),
])
def test_is_answered(value: object, answered: bool) -> None:
    assert is_answered(value) is answered
