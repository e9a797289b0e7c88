"""Benchmark: ``load_responses`` on an export file against a bare ``pandas.read_csv``.

An export of the 2016 questionnaire with ``rows`` responses (every question
answered, the multiple-choice options as 0/1 columns) is written to a temporary
CSV; ``load_responses`` (read, check every code, type every column) is timed
against ``pandas.read_csv`` of the same file with ``dtype=str``. The goal is a
ratio of at most 3.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import questionnaires
from analysis import load_responses
from analysis.load import META_COLUMNS

__all__ = ["export_frame", "run"]

GOAL = 3.0


def export_frame(questionnaire, rows: int, *, seed: int = 2016) -> pd.DataFrame:
    """A synthetic export (as ``beboer export --format csv`` writes it) of ``rows`` responses."""
    rng = np.random.default_rng(seed)
    areas = [area.id for area in questionnaire.areas]
    frame = {
        "id": [f"{i:08x}-0000-4000-8000-{i:012x}" for i in range(rows)],
        "wave": np.full(rows, questionnaire.wave),
        "area": rng.choice(areas, size=rows),
        "language": rng.choice(["da", "en", "ar"], size=rows),
        "mode": rng.choice(["kiosk", "web", "interviewer"], size=rows),
        "submitted_at": (pd.Timestamp("2016-03-01T09:00:00Z")
                         + pd.to_timedelta(rng.integers(0, 3_000_000, size=rows), unit="s")
                         ).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    }
    for question in questionnaire.questions():
        if question.type == "single":
            frame[question.id] = rng.choice(list(question.codes), size=rows)
        elif question.type == "multiple":
            for code in question.codes:
                frame[f"{question.id}__{code}"] = rng.integers(0, 2, size=rows)
        elif question.type == "number":
            frame[question.id] = rng.integers(0, 10, size=rows)
        else:
            frame[question.id] = np.where(rng.random(rows) < 0.1, "tekst", "")
    return pd.DataFrame(frame, columns=[*META_COLUMNS, *[c for c in frame if c not in
                                                         META_COLUMNS]])


def _best(repeat: int, function, *args, **kwargs) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def run(rows: int, *, repeat: int = 3, seed: int = 2016) -> str:
    """Time both on the same file; return the benchmark's line."""
    questionnaire = questionnaires.load("beboerundersoegelse-2016")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        export_frame(questionnaire, rows, seed=seed).to_csv(path, index=False)
        ours = _best(repeat, load_responses, str(path), questionnaire)
        base = _best(repeat, pd.read_csv, path, dtype=str, keep_default_na=False,
                     na_values=[""])
    ratio = ours / base
    verdict = "ok" if ratio <= GOAL else f"above the goal of {GOAL:g}x"
    name = "load_responses, CSV export"
    return (f"{name:<34} {ours:8.3f} s | pandas.read_csv {base:8.3f} s | "
            f"ratio {ratio:5.2f}x ({verdict})")
