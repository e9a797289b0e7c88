"""Synthetic demo waves (analysis.demo): valid payloads that reproduce the published figures."""

import uuid
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import questionnaires
from analysis import demo

API_FIELDS = {
    "id",
    "questionnaire",
    "version",
    "language",
    "area",
    "mode",
    "consent_version",
    "started_at",
    "submitted_at",
    "answers",
}


@pytest.fixture(scope="module")
def waves():
    return {wave: demo.generate(wave, seed=2016) for wave in (2012, 2016)}


def _share(payloads, item, codes, areas=None):
    rows = [p for p in payloads if areas is None or p["area"] in areas]
    return sum(p["answers"][item] in codes for p in rows) / len(rows)


def test_headline_2016_all_areas(waves):
    # Published: 88,1 % satisfied or very satisfied, 5,1 % neither (all three areas).
    payloads = waves[2016]
    assert len(payloads) == 875
    assert round(_share(payloads, "tilfreds_omraade", {"1", "2"}), 3) == 0.881
    assert round(_share(payloads, "tilfreds_omraade", {"3"}), 3) == 0.051


def test_headline_2012(waves):
    # Published: 82 % satisfied in 2012.
    assert round(_share(waves[2012], "tilfreds_omraade", {"1", "2"}), 3) == 0.820


def test_areas_and_sizes(waves):
    assert {p["area"] for p in waves[2012]} == {"glarbjergvej", "jennumparken"}
    assert {p["area"] for p in waves[2016]} == {"glarbjergvej", "jennumparken", "vangdalen"}
    for payloads in waves.values():
        for area, n in Counter(p["area"] for p in payloads).items():
            assert 200 <= n <= 400, (area, n)


def test_fewer_think_bad_reputation_in_2016(waves):
    common = {"glarbjergvej", "jennumparken"}
    assert _share(waves[2016], "daarligt_omdoemme", {"1"}) < _share(
        waves[2012], "daarligt_omdoemme", {"1"}
    )
    assert _share(waves[2016], "daarligt_omdoemme", {"1"}, common) < _share(
        waves[2012], "daarligt_omdoemme", {"1"}, common
    )


@pytest.mark.parametrize("wave", [2012, 2016])
def test_reasons_most_often_named(waves, wave):
    reasons = Counter(code for p in waves[wave] for code in p["answers"].get("omdoemme_grunde", []))
    top = {code for code, _count in reasons.most_common(3)}
    assert top == {"fordomme", "sammensaetning", "sociale"}


@pytest.mark.parametrize("wave", [2012, 2016])
def test_every_payload_is_valid_and_shaped_like_the_api(waves, wave):
    questionnaire = demo.questionnaire_for_wave(wave)
    for payload in waves[wave]:
        assert API_FIELDS <= set(payload) <= API_FIELDS | {"interviewer_id", "assistance"}
        assert payload["questionnaire"] == questionnaire.id
        assert payload["version"] == questionnaire.version
        assert payload["consent_version"] == questionnaire.consent.version
        assert payload["language"] in questionnaire.languages
        assert questionnaire.validate(payload["answers"]) == {}
        assert payload["submitted_at"] > payload["started_at"]
        assert ("interviewer_id" in payload) == (payload["mode"] == "interviewer")


def test_show_if_is_respected(waves):
    for payload in waves[2016]:
        answers = payload["answers"]
        assert ("omdoemme_grunde" in answers) == (answers["daarligt_omdoemme"] == "1")


def test_plausible_background(waves):
    payloads = waves[2016]
    languages = Counter(p["language"] for p in payloads)
    assert 0.7 < languages["da"] / len(payloads) < 0.9
    assert len(languages) >= 5
    ages = Counter(p["answers"]["alder"] for p in payloads)
    assert len(ages) == 6
    women = sum(p["answers"]["koen"] == "2" for p in payloads) / len(payloads)
    assert 0.45 < women < 0.65
    other = [p for p in payloads if p["language"] != "da" and "oprindelse" in p["answers"]]
    assert sum(p["answers"]["oprindelse"] in {"2", "3"} for p in other) / len(other) > 0.8


def test_same_seed_same_payloads_other_seed_same_headline():
    first = demo.generate(2012, seed=7)
    assert demo.generate(2012, seed=7) == first
    other = demo.generate(2012, seed=8)
    assert {p["id"] for p in other}.isdisjoint({p["id"] for p in first})
    assert round(_share(other, "tilfreds_omraade", {"1", "2"}), 3) == 0.820


def test_demo_ids_are_recognised(waves):
    ids = [p["id"] for p in waves[2016]]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 4 for i in ids)
    assert demo.is_synthetic(pd.Series(ids)).all()
    rng = np.random.default_rng(1)
    real = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(100)]
    assert not demo.is_synthetic(real).any()
    assert demo.is_synthetic(ids[0]) is True
    assert demo.is_synthetic("not a uuid") is False
    series = pd.Series([ids[0], real[0]], index=[10, 11])
    assert demo.is_synthetic(series).tolist() == [True, False]
    assert demo.is_synthetic(series).index.tolist() == [10, 11]


def test_unknown_wave_and_missing_area_are_named():
    with pytest.raises(ValueError, match="no demo plan for wave 2020"):
        demo.generate(2020)
    with pytest.raises(ValueError, match="vangdalen"):
        demo.generate(2016, questionnaire=questionnaires.load("beboerundersoegelse-2012"))
