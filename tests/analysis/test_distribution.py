"""analysis.distribution: every option's share, single and multiple choice."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import questionnaires
from analysis import distribution, estimate, proportion_ci

FIXTURE = Path(__file__).parent / "fixtures" / "analysis-survey.yaml"


@pytest.fixture
def questionnaire():
    return questionnaires.load(str(FIXTURE))


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 120
    satisfied = rng.choice(["1", "2", "3", "9"], n, p=[0.4, 0.3, 0.2, 0.1])
    reputation = rng.choice(["1", "2"], n)
    asked = reputation == "1"
    why = {
        code: rng.random(n) < share
        for code, share in (("fordomme", 0.6), ("beboere", 0.3), ("9", 0.1))
    }
    why["9"] &= ~(why["fordomme"] | why["beboere"])  # "Ved ikke" is exclusive
    frame = pd.DataFrame(
        {
            "area": rng.choice(["nord", "syd"], n),
            "w": rng.uniform(0.5, 2.0, n),
            "tilfreds_omraade": pd.Categorical(
                satisfied, categories=["1", "2", "3", "9"], ordered=True
            ),
            "daarligt_ry": pd.Categorical(reputation, categories=["1", "2"], ordered=True),
        }
    )
    answered = asked & (why["fordomme"] | why["beboere"] | why["9"])
    for code, chosen in why.items():
        frame[f"ry_hvorfor__{code}"] = pd.array(np.where(answered, chosen, False), dtype="boolean")
        frame.loc[~answered, f"ry_hvorfor__{code}"] = pd.NA
    return frame


def test_single_choice_shares_sum_to_one(answers, questionnaire):
    table = distribution(answers, "tilfreds_omraade", questionnaire, by="area")
    assert list(table.columns) == [
        "area",
        "code",
        "label",
        "n",
        "count",
        "p",
        "ci_low",
        "ci_high",
        "suppressed",
    ]
    assert table["code"].tolist() == ["1", "2", "3", "9"] * 2
    assert table.groupby("area")["p"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    nord = answers[answers["area"] == "nord"]
    first = table.iloc[0]
    assert first["label"] == "Meget tilfreds"
    assert first["n"] == len(nord)
    assert first["count"] == (nord["tilfreds_omraade"] == "1").sum()
    low, high = proportion_ci(first["count"], first["n"])
    assert (first["ci_low"], first["ci_high"]) == pytest.approx((low, high))


def test_exclude_and_english_labels(answers, questionnaire):
    table = distribution(answers, "tilfreds_omraade", questionnaire, exclude="9", lang="en")
    assert table["code"].tolist() == ["1", "2", "3"]
    assert table["label"].tolist() == ["Very satisfied", "Satisfied", "Dissatisfied"]
    assert table["n"].iloc[0] == (answers["tilfreds_omraade"] != "9").sum()
    assert table["p"].sum() == pytest.approx(1.0)


def test_without_questionnaire_uses_categories(answers):
    table = distribution(answers, "tilfreds_omraade")
    assert "label" not in table.columns
    assert table["code"].tolist() == ["1", "2", "3", "9"]


def test_multiple_choice_among_those_answering(answers, questionnaire):
    table = distribution(answers, "ry_hvorfor", questionnaire)
    assert table["code"].tolist() == ["fordomme", "beboere", "9"]
    answered = answers["ry_hvorfor__fordomme"].notna()
    assert (table["n"] == answered.sum()).all()
    chosen = answers.loc[answered, "ry_hvorfor__beboere"].astype(bool)
    assert table.iloc[1]["p"] == pytest.approx(chosen.mean())
    without = distribution(answers, "ry_hvorfor", exclude="9")
    assert without["code"].tolist() == ["fordomme", "beboere"]
    assert without["n"].iloc[0] == answered.sum() - answers["ry_hvorfor__9"].eq(True).sum()


def test_weighted_shares_match_estimate(answers, questionnaire):
    table = distribution(answers, "tilfreds_omraade", questionnaire, by="area", weights="w")
    assert table.groupby("area")["p"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    single = estimate(answers, "tilfreds_omraade", "2", by="area", weights="w")
    mine = table[table["code"] == "2"].reset_index(drop=True)
    for column in ("p", "ci_low", "ci_high"):
        np.testing.assert_allclose(mine[column], single[column])


def test_min_n_suppresses(answers):
    table = distribution(answers, "tilfreds_omraade", by="area", min_n=1000)
    assert table["suppressed"].all()
    assert table["p"].isna().all() and table["count"].isna().all()


def test_errors(answers, questionnaire):
    with pytest.raises(ValueError, match="has no question 'tilfreds'"):
        distribution(answers, "tilfreds", questionnaire)
    with pytest.raises(ValueError, match=r"unknown column 'tilfreds'"):
        distribution(answers, "tilfreds")
    with pytest.raises(ValueError, match="no language 'fr'"):
        distribution(answers, "tilfreds_omraade", questionnaire, lang="fr")
    stray = answers.assign(tilfreds_omraade=answers["tilfreds_omraade"].astype(str))
    stray.loc[0, "tilfreds_omraade"] = "7"
    with pytest.raises(ValueError, match=r"1 answers to 'tilfreds_omraade' are not codes"):
        distribution(stray, "tilfreds_omraade", questionnaire)


def test_plain_column_codes_come_from_the_data():
    data = pd.DataFrame({"q": ["2", "1", "2", None]})
    table = distribution(data, "q", exclude="9")  # no "9" given: nothing to drop
    assert table["code"].tolist() == ["1", "2"]
    assert table["p"].tolist() == pytest.approx([1 / 3, 2 / 3])
    with pytest.raises(ValueError, match=r"exclude codes \['7'\] are not codes"):
        distribution(data.astype({"q": "category"}), "q", exclude="7")
