"""A next-wave questionnaire derived from 2016 and answers to it, for the report tests.

The 2020 questionnaire adds an area (Skovparken), renames a question
(``tilfreds_bolig`` becomes ``tilfreds_boligen``), rewords one
(``daarligt_omdoemme``) and adds one (``tilfreds_groenne_omraader``, also
added to the report section). Answers are the 2016 demo answers carried over,
a quarter of them moved to the new area.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import numpy as np

import questionnaires
from analysis import demo

BUNDLED = Path(questionnaires.__file__).parent / "bundled" / "beboerundersoegelse-2016.yaml"
NEW_QUESTION = """      - id: tilfreds_groenne_omraader
        type: single
        choices: tilfredshed
        text:
          da: "Hvor tilfreds er du med de grønne områder?"
          en: "How satisfied are you with the green spaces?"
          ar: "ما مدى رضاك عن المساحات الخضراء؟"
          fa: "چقدر از فضاهای سبز راضی هستید؟"
          so: "Intee in le'eg ayaad ku qanacsan tahay meelaha cagaaran?"
          tr: "Yeşil alanlardan ne kadar memnunsunuz?"
          ur: "آپ سبز علاقوں سے کتنے مطمئن ہیں؟"
          bs: "Koliko ste zadovoljni zelenim površinama?"
"""
REPORT_ITEM = """        - question: tilfreds_groenne_omraader
          charts: [shares]
          compare: true
"""


def next_wave_text(*, report: bool = True) -> str:
    """The YAML text of the 2020 questionnaire (without a report section if ``report=False``)."""
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("id: beboerundersoegelse-2016", "id: beboerundersoegelse-2020", 1)
    text = text.replace('version: "2016.2"', 'version: "2020.1"', 1)
    text = text.replace("wave: 2016", "wave: 2020", 1)
    text = text.replace("\nareas:\n", "\nareas:\n  - id: skovparken\n    label: Skovparken\n", 1)
    text = text.replace("- id: tilfreds_bolig\n", "- id: tilfreds_boligen\n", 1)
    marker = "      - id: daarligt_omdoemme\n"
    start = text.index(marker)
    da_line = text.index("          da: ", start)
    end = text.index("\n", da_line)
    reworded = '          da: "Mener du, at dit område har et dårligt ry?"'
    text = text[:da_line] + reworded + text[end:]
    anchor = "      - id: omraade_udvikling\n"
    text = text.replace(anchor, NEW_QUESTION + anchor, 1)
    section = "    - id: omdoemme\n"
    text = text.replace(section, REPORT_ITEM + section, 1)
    if not report:
        text = text[: text.index("\n# The annual report")] + "\n"
    return text


def write_next_wave(folder: Path, *, report: bool = True) -> Path:
    """Write the 2020 questionnaire into ``folder``; return its path."""
    path = Path(folder) / ("next-wave.yaml" if report else "next-wave-plain.yaml")
    path.write_text(next_wave_text(report=report), encoding="utf-8")
    return path


def next_wave_payloads(questionnaire, *, seed: int = 7, keep: int | None = None) -> list[dict]:
    """API payloads answering the 2020 questionnaire (2016 demo answers carried over)."""
    rng = np.random.default_rng(seed)
    q2016 = questionnaires.load("beboerundersoegelse-2016")
    payloads = demo.generate(2016, seed=seed, questionnaire=q2016)
    if keep is not None:
        payloads = payloads[:keep]
    for payload in payloads:
        payload["id"] = str(uuid.UUID(bytes=rng.bytes(16), version=4))
        payload["questionnaire"] = questionnaire.id
        payload["version"] = questionnaire.version
        payload["consent_version"] = questionnaire.consent.version
        payload["started_at"] = payload["started_at"].replace("2016-", "2020-", 1)
        payload["submitted_at"] = payload["submitted_at"].replace("2016-", "2020-", 1)
        answers = payload["answers"]
        if "tilfreds_bolig" in answers:
            answers["tilfreds_boligen"] = answers.pop("tilfreds_bolig")
        answers["tilfreds_groenne_omraader"] = str(rng.choice(["1", "2", "2", "3", "4", "9"]))
        if rng.random() < 0.25:
            payload["area"] = "skovparken"
    return payloads


def write_payloads(path: Path, payloads: list[dict]) -> Path:
    """Write payloads as JSON lines for ``beboer import``."""
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in payloads),
                    encoding="utf-8")
    return path
