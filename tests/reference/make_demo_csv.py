"""Write the 2016 demo wave's columns used by r_survey_researcher.R to a CSV.

Run from the repository root before the R script:

    .venv/bin/python tests/reference/make_demo_csv.py

The demo wave is synthetic and deterministic (``analysis.demo.generate(2016,
seed=2016)``); ``tests/analysis/test_r_researcher.py`` checks that the CSV still
equals it. ``pop`` is an illustrative population of dwellings per area, the
finite population correction of a design stratified by area.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis import demo

#: Illustrative population size per area (the fpc of the stratified demo design).
POPULATION = {"glarbjergvej": 1400, "jennumparken": 1100, "vangdalen": 1500}
COLUMNS = ["area", "tilfreds_omraade", "tryg_efter_moerke", "alder", "koen", "boet_aar",
           "oprindelse", "antal_boern"]
OUT = Path("tests/reference/r_researcher_demo2016.csv")


def rows() -> list[dict]:
    """One dict per demo response with the columns the references use."""
    out = []
    for payload in demo.generate(2016, seed=2016):
        answers = payload["answers"]
        row = {"area": payload["area"]}
        for column in COLUMNS[1:]:
            value = answers.get(column)
            row[column] = "" if value is None else value
        row["pop"] = POPULATION[payload["area"]]
        out.append(row)
    return out


if __name__ == "__main__":
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS + ["pop"])
        writer.writeheader()
        writer.writerows(rows())
    print("wrote", OUT)
