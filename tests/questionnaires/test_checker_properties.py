"""The checker reports problems for any data; it never raises."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires
from questionnaires.schema import Finding, build, check_data

FIXTURES = Path(__file__).parent / "fixtures"
BASE = yaml.safe_load((FIXTURES / "valid.yaml").read_text(encoding="utf-8"))

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["da", "en", "ar", "1", "9", "single", "multiple", "number", "text",
                       "tilfredshed", "daarligt_ry", "in", "all", "question"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "type", "text", "question", "in", "all", "not",
                                       "da", "en", "code", "label", "choices", "min"])
                      | st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)


def places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into nested data."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(places(value, path + (key,)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(places(value, path + (index,)))
    return found


PLACES = places(BASE)


def replaced(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    result = copy.deepcopy(data)
    node = result
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return result


@settings(max_examples=400, deadline=None)
@given(place=st.sampled_from(PLACES), value=values, delete=st.booleans())
def test_any_change_to_a_valid_file_gives_findings_or_a_model(
    place: tuple[Any, ...], value: Any, delete: bool
) -> None:
    data = replaced(BASE, place, value, delete and bool(place))
    findings = check_data(data)
    assert all(isinstance(f, Finding) and f.message for f in findings)
    if not findings:
        q = build(data, source_sha256="0" * 64)
        q.validate({})
        q.to_dict()


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_gives_problems_or_a_model(text: str) -> None:
    try:
        questionnaires.loads(text)
    except questionnaires.QuestionnaireError as error:
        assert error.problems and all(str(problem) for problem in error.problems)
