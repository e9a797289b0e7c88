"""A synthetic wave with many areas of very different sizes, for the report's shape tests."""

from __future__ import annotations

import dataclasses
import uuid

import numpy as np
import pandas as pd

import questionnaires
from questionnaires import Area

SATISFACTION = {"1": 0.35, "2": 0.45, "3": 0.07, "4": 0.05, "5": 0.03, "9": 0.05}
REPUTATION = {"1": 0.35, "2": 0.55, "9": 0.10}
SAFETY = {"1": 0.30, "2": 0.40, "3": 0.12, "4": 0.08, "5": 0.04, "9": 0.06}


def many_areas(areas: int = 30, *, seed: int = 30, low: int = 8, high: int = 160):
    """A questionnaire with ``areas`` areas and a wave of answers to its report questions.

    Area sizes are drawn uniformly from ``low`` to ``high``; answers are drawn
    independently per respondent, so rare answers (``meget utilfreds``) leave
    small cells in many areas.
    """
    rng = np.random.default_rng(seed)
    base = questionnaires.load("beboerundersoegelse-2016")
    questionnaire = dataclasses.replace(
        base, areas=tuple(Area(f"omraade_{i:02d}", f"Boligområde nr. {i}") for i in
                          range(1, areas + 1))
    )
    sizes = rng.integers(low, high + 1, size=areas)
    area = np.repeat([a.id for a in questionnaire.areas], sizes)
    n = len(area)

    def draw(weights):
        return rng.choice(list(weights), size=n, p=list(weights.values()))

    reputation = draw(REPUTATION)
    frame = pd.DataFrame({
        "id": [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(n)],
        "wave": pd.array([2016] * n, dtype="Int64"),
        "area": pd.array(area, dtype="string"),
        "language": pd.array(["da"] * n, dtype="string"),
        "mode": pd.array(["web"] * n, dtype="string"),
        "submitted_at": pd.Timestamp("2016-03-01", tz="UTC")
        + pd.to_timedelta(rng.integers(0, 40 * 24 * 60, size=n), unit="min"),
    })
    for item, weights in (("tilfreds_omraade", SATISFACTION),
                          ("daarligt_omdoemme", None), ("tryg_efter_moerke", SAFETY)):
        codes = reputation if weights is None else draw(weights)
        question = questionnaire.question(item)
        frame[item] = pd.Categorical(codes, categories=list(question.codes), ordered=True)
    asked = reputation == "1"
    for code in questionnaire.question("omdoemme_grunde").codes:
        chosen = rng.random(n) < 0.4
        frame[f"omdoemme_grunde__{code}"] = pd.array(
            np.where(asked, chosen, False), dtype="boolean"
        ).copy()
        frame.loc[~asked, f"omdoemme_grunde__{code}"] = pd.NA
    return questionnaire, frame
