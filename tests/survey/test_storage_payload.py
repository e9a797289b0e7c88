"""The payload helpers: ids, timestamps, pseudonyms, canonical answers (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from survey.payload import (
    PayloadError,
    answers_sha256,
    canonical_json,
    check_payload,
    is_pseudonym,
    normalise_answers,
    parse_response_id,
    parse_timestamp,
)


def test_response_ids_are_canonical_uuids():
    assert (
        parse_response_id("0B3C1F4E-2F6A-4C8E-9A77-5D1E3B2A4C6F")
        == "0b3c1f4e-2f6a-4c8e-9a77-5d1e3b2a4c6f"
    )
    for bad in ("", "0b3c1f4e", 42, None):
        with pytest.raises(ValueError):
            parse_response_id(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-05-01T10:00:00+02:00", datetime(2016, 5, 1, 8, 0, tzinfo=UTC)),
        ("2016-05-01T08:00:00Z", datetime(2016, 5, 1, 8, 0, tzinfo=UTC)),
        ("2016-05-01T08:00:00.250+00:00", datetime(2016, 5, 1, 8, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_timestamps_with_a_zone_are_converted_to_utc(text, expected):
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2016-05-01T08:00:00", "has no time zone"),
        ("1. maj 2016", "is not an ISO-8601 timestamp"),
        (1462089600, "must be an ISO-8601 timestamp string"),
    ],
)
def test_bad_timestamps_say_what_is_wrong(value, message):
    with pytest.raises(ValueError, match=message):
        parse_timestamp(value)


def test_pseudonyms():
    assert is_pseudonym("INT-3F9A2C")
    for bad in ("int-3f9a2c", "INT-3F9A2", "INT-3F9A2CX", "Jens", None, 7):
        assert not is_pseudonym(bad)


def test_canonical_json_sorts_keys_and_keeps_unicode():
    answers = {"b": ["x", "y"], "a": "Æ", "c": 3}
    assert canonical_json(answers) == '{"a":"Æ","b":["x","y"],"c":3}'
    assert normalise_answers({"a": None, "b": "", "c": [], "d": 0, "e": "1"}) == {"d": 0, "e": "1"}


def test_equal_answers_normalise_and_hash_alike():
    sent_by_one = {"alder": 42.0, "ry_grunde": ["rygter", "andet"]}
    sent_by_another = {"ry_grunde": ["andet", "rygter"], "alder": 42}
    assert normalise_answers(sent_by_one) == {"alder": 42, "ry_grunde": ["andet", "rygter"]}
    assert answers_sha256(normalise_answers(sent_by_one)) == answers_sha256(
        normalise_answers(sent_by_another)
    )
    assert normalise_answers({"vaegt": 42.5}) == {"vaegt": 42.5}


def test_check_payload_needs_an_object_and_a_published_questionnaire():
    with pytest.raises(PayloadError) as caught:
        check_payload("text", lambda _id, _version: None)
    assert caught.value.errors == {"$": ["the body must be a JSON object"]}
    with pytest.raises(PayloadError) as caught:
        check_payload({"questionnaire": "x", "version": "1"}, lambda _id, _version: None)
    assert caught.value.errors["questionnaire"] == ["'x' is not a published questionnaire"]
    assert "version" not in caught.value.errors
