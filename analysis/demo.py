"""Synthetic demo waves shaped like the Randers resident surveys of 2012 and 2016.

:func:`generate` makes API payloads (the body ``POST /api/v1/responses``
takes) for the bundled questionnaire of a wave. Every payload is valid for
that questionnaire. The headline figures of the published annual report come
out exactly when rounded, because the answers behind them are allocated as
exact counts per area and then shuffled, not drawn at random:

- 2016, all three areas: 88,1 % *tilfreds* or *meget tilfreds* with the area
  (``tilfreds_omraade`` codes ``"1"``/``"2"``) and 5,1 % neither (``"3"``);
- 2012, both areas: 82,0 % satisfied;
- fewer think the area has a bad reputation in 2016 than in 2012, and those
  who do name prejudice and rumours, the resident composition and social
  problems most often.

Everything else (background, language, the remaining questions) is drawn from
plausible distributions with a local, seeded random generator.

Demo responses are recognisable: their ids are version-4 UUIDs whose first
twelve hex digits are fixed (:data:`DEMO_ID_PREFIX`); :func:`is_synthetic`
tests for it, and every output built from such rows says the data are
synthetic.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

import questionnaires
from questionnaires.conditions import evaluate
from questionnaires.model import Question, Questionnaire

__all__ = [
    "DEMO_ID_PREFIX",
    "PLANS",
    "WavePlan",
    "AreaPlan",
    "generate",
    "is_synthetic",
    "questionnaire_for_wave",
]

#: Start of every demo response id (version-4 UUID with 48 fixed leading bits).
DEMO_ID_PREFIX = "de300000-0000-4"
_DEMO_ID = re.compile(r"^de300000-0000-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class AreaPlan:
    """Exact answer counts for one area in one wave.

    ``n`` is the number of responses; ``tilfreds_omraade`` and
    ``daarligt_omdoemme`` give the exact number of respondents choosing each
    code (they must add up to ``n``). ``tryg`` is the probability of each
    code of ``tryg_efter_moerke``.
    """

    n: int
    tilfreds_omraade: Mapping[str, int]
    daarligt_omdoemme: Mapping[str, int]
    tryg: Mapping[str, float]

    def __post_init__(self) -> None:
        for name in ("tilfreds_omraade", "daarligt_omdoemme"):
            total = sum(getattr(self, name).values())
            if total != self.n:
                raise ValueError(f"AreaPlan.{name} adds up to {total}, not n = {self.n}")


@dataclass(frozen=True)
class WavePlan:
    """What a demo wave looks like: its fieldwork start and its areas."""

    fieldwork_start: datetime
    areas: Mapping[str, AreaPlan]
    #: Probability of each reason for the bad reputation (omdoemme_grunde).
    reasons: Mapping[str, float] = field(default_factory=dict)


# 2016: 771 of 875 satisfied = 88,11 %; 45 of 875 neither = 5,14 %.
# 2012: 410 of 500 satisfied = 82,0 %.
# Bad reputation ("1" = ja): 2012 265 of 500 = 53,0 %; 2016 347 of 875 = 39,7 %
# (common areas: 219 of 590 = 37,1 %).
PLANS: Mapping[int, WavePlan] = {
    2012: WavePlan(
        fieldwork_start=datetime(2012, 9, 3, 8, 0, tzinfo=UTC),
        areas={
            "glarbjergvej": AreaPlan(
                n=240,
                tilfreds_omraade={"1": 70, "2": 122, "3": 24, "4": 12, "5": 6, "9": 6},
                daarligt_omdoemme={"1": 125, "2": 95, "9": 20},
                tryg={"1": 0.20, "2": 0.38, "3": 0.17, "4": 0.14, "5": 0.07, "9": 0.04},
            ),
            "jennumparken": AreaPlan(
                n=260,
                tilfreds_omraade={"1": 80, "2": 138, "3": 20, "4": 10, "5": 5, "9": 7},
                daarligt_omdoemme={"1": 140, "2": 98, "9": 22},
                tryg={"1": 0.18, "2": 0.37, "3": 0.18, "4": 0.15, "5": 0.08, "9": 0.04},
            ),
        },
        reasons={
            "fordomme": 0.64,
            "sammensaetning": 0.50,
            "sociale": 0.42,
            "kriminalitet": 0.24,
            "fysisk": 0.16,
            "andet": 0.07,
        },
    ),
    2016: WavePlan(
        fieldwork_start=datetime(2016, 9, 5, 8, 0, tzinfo=UTC),
        areas={
            "glarbjergvej": AreaPlan(
                n=310,
                tilfreds_omraade={"1": 120, "2": 151, "3": 17, "4": 10, "5": 5, "9": 7},
                daarligt_omdoemme={"1": 118, "2": 160, "9": 32},
                tryg={"1": 0.27, "2": 0.41, "3": 0.14, "4": 0.10, "5": 0.05, "9": 0.03},
            ),
            "jennumparken": AreaPlan(
                n=280,
                tilfreds_omraade={"1": 105, "2": 147, "3": 13, "4": 5, "5": 5, "9": 5},
                daarligt_omdoemme={"1": 101, "2": 150, "9": 29},
                tryg={"1": 0.29, "2": 0.42, "3": 0.13, "4": 0.09, "5": 0.04, "9": 0.03},
            ),
            "vangdalen": AreaPlan(
                n=285,
                tilfreds_omraade={"1": 92, "2": 156, "3": 15, "4": 10, "5": 5, "9": 7},
                daarligt_omdoemme={"1": 128, "2": 128, "9": 29},
                tryg={"1": 0.22, "2": 0.40, "3": 0.16, "4": 0.12, "5": 0.06, "9": 0.04},
            ),
        },
        reasons={
            "fordomme": 0.66,
            "sammensaetning": 0.47,
            "sociale": 0.40,
            "kriminalitet": 0.20,
            "fysisk": 0.13,
            "andet": 0.08,
        },
    ),
}

# Share of responses per language (restricted to the questionnaire's languages).
_LANGUAGE_WEIGHTS = {
    "da": 0.80,
    "ar": 0.05,
    "tr": 0.04,
    "so": 0.03,
    "en": 0.03,
    "fa": 0.02,
    "ur": 0.015,
    "bs": 0.015,
}
# How answers were collected: residents answering in another language than
# Danish are more often interviewed, often with an interpreter.
_MODE_WEIGHTS = {
    True: {"kiosk": 0.5, "web": 0.3, "interviewer": 0.2},  # answering in Danish
    False: {"kiosk": 0.3, "web": 0.1, "interviewer": 0.6},
}
_ASSISTANCE_WEIGHTS = {
    True: {"self": 0.7, "read_aloud": 0.3},
    False: {"self": 0.1, "read_aloud": 0.3, "interpreter": 0.6},
}
#: Pseudonyms of the demo interviewers (the format of real ones, ``INT-`` + 6 hex digits).
DEMO_INTERVIEWERS = tuple(f"INT-DE30{number:02d}" for number in range(1, 7))
_FIELDWORK_DAYS = 42

# Typical answers to the short text questions ("Andet, skriv:").
_OTHER_TEXTS = {
    "da": ("Medierne skriver kun om det negative", "Det har altid været sådan", "Graffiti"),
    "en": ("The newspapers only write about problems", "It has always been like that"),
}


def questionnaire_for_wave(wave: int) -> Questionnaire:
    """The bundled questionnaire of a survey wave.

    Parameters
    ----------
    wave : int
        Survey year, e.g. 2016.

    Returns
    -------
    Questionnaire

    Raises
    ------
    ValueError
        When no bundled questionnaire has this wave.
    """
    for questionnaire_id in questionnaires.available():
        questionnaire = questionnaires.load(questionnaire_id)
        if questionnaire.wave == wave:
            return questionnaire
    raise ValueError(f"no bundled questionnaire for wave {wave!r}")


def is_synthetic(ids: str | Iterable[str]) -> bool | pd.Series:
    """Whether response ids were made by :func:`generate`.

    Parameters
    ----------
    ids : str or iterable of str
        One response id, or several (a list, array or Series).

    Returns
    -------
    bool or pandas.Series of bool
        For one id a bool; otherwise a boolean Series (index kept for a Series).
    """
    if isinstance(ids, str):
        return bool(_DEMO_ID.match(ids.lower()))
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype="object")
    return series.map(lambda value: isinstance(value, str) and bool(_DEMO_ID.match(value.lower())))


def generate(
    wave: int,
    *,
    seed: int = 2016,
    questionnaire: Questionnaire | None = None,
) -> list[dict[str, Any]]:
    """Synthetic responses of one demo wave, as API payloads.

    Parameters
    ----------
    wave : {2012, 2016}
        The survey wave; chooses the areas, their sizes and the headline counts.
    seed : int
        Seed of the local random generator; the same seed gives the same payloads.
    questionnaire : Questionnaire, optional
        The questionnaire to answer; by default the bundled one of ``wave``.

    Returns
    -------
    list of dict
        One payload per response with ``id``, ``questionnaire``, ``version``,
        ``language``, ``area``, ``mode``, ``consent_version``, ``started_at``,
        ``submitted_at`` and ``answers`` (interviews also ``interviewer_id``
        and ``assistance``), ordered by ``started_at``.

    Raises
    ------
    ValueError
        When there is no plan for ``wave``, the questionnaire lacks one of the
        plan's areas or questions, or a generated answer set does not validate.
    """
    if wave not in PLANS:
        raise ValueError(f"no demo plan for wave {wave!r}; waves: {sorted(PLANS)}")
    if questionnaire is None:
        questionnaire = questionnaire_for_wave(wave)
    plan = PLANS[wave]
    _check_plan(plan, questionnaire)
    rng = np.random.default_rng([seed, wave])

    payloads = []
    for area_id, area_plan in plan.areas.items():
        satisfaction = _exact_codes(area_plan.tilfreds_omraade, rng)
        reputation = _exact_codes(area_plan.daarligt_omdoemme, rng)
        for index in range(area_plan.n):
            fixed = {
                "tilfreds_omraade": satisfaction[index],
                "daarligt_omdoemme": reputation[index],
            }
            respondent = _Respondent.draw(rng, questionnaire, wave, area_plan, plan, fixed)
            answers = _answer_all(questionnaire, respondent, rng)
            problems = questionnaire.validate(answers)
            if problems:
                raise ValueError(
                    f"demo answers for wave {wave}, area {area_id!r} are invalid: {problems}"
                )
            started = plan.fieldwork_start + timedelta(
                days=int(rng.integers(_FIELDWORK_DAYS)), minutes=int(rng.integers(12 * 60))
            )
            submitted = started + timedelta(seconds=int(240 + rng.gamma(3.0, 180.0)))
            payload = {
                "id": _demo_id(rng),
                "questionnaire": questionnaire.id,
                "version": questionnaire.version,
                "language": respondent.language,
                "area": area_id,
                "mode": respondent.mode,
                "consent_version": questionnaire.consent.version,
                "started_at": _iso(started),
                "submitted_at": _iso(submitted),
                "answers": answers,
            }
            if respondent.mode == "interviewer":
                danish = respondent.language == "da"
                payload["interviewer_id"] = DEMO_INTERVIEWERS[
                    int(rng.integers(len(DEMO_INTERVIEWERS)))
                ]
                payload["assistance"] = _pick(rng, _ASSISTANCE_WEIGHTS[danish])
            payloads.append(payload)
    payloads.sort(key=lambda payload: (payload["started_at"], payload["id"]))
    return payloads


# --- internals -------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _demo_id(rng: np.random.Generator) -> str:
    random_id = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    return DEMO_ID_PREFIX + random_id[len(DEMO_ID_PREFIX) :]


def _exact_codes(counts: Mapping[str, int], rng: np.random.Generator) -> list[str]:
    codes = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(codes)
    return codes


def _check_plan(plan: WavePlan, questionnaire: Questionnaire) -> None:
    area_ids = {area.id for area in questionnaire.areas}
    missing_areas = sorted(set(plan.areas) - area_ids)
    if missing_areas:
        raise ValueError(f"{questionnaire.id} lacks the demo areas {missing_areas}")
    for question_id in ("tilfreds_omraade", "daarligt_omdoemme"):
        if not questionnaire.has_question(question_id):
            raise ValueError(f"{questionnaire.id} has no question {question_id!r}")


def _choose(rng: np.random.Generator, question: Question, weights: Mapping[str, float]) -> str:
    """Draw one code of ``question`` with the given weights (codes not named get none)."""
    unknown = sorted(set(weights) - set(question.codes))
    if unknown:
        raise ValueError(f"demo weights name codes {unknown} that {question.id!r} lacks")
    codes = [code for code in question.codes if weights.get(code, 0) > 0]
    p = np.array([weights[code] for code in codes], dtype=float)
    return str(codes[rng.choice(len(codes), p=p / p.sum())])


def _pick(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[key] for key in keys], dtype=float)
    return keys[rng.choice(len(keys), p=p / p.sum())]


@dataclass
class _Respondent:
    """A synthetic resident: who they are, and the answers fixed in advance."""

    wave: int
    language: str
    mode: str
    age: int
    woman: bool
    origin: str  # "dansk", "indvandrer" or "efterkommer"
    household: str  # "alene", "par", "par_boern", "enlig_boern", "andet"
    fixed: dict[str, str]
    tryg: Mapping[str, float]
    reasons: Mapping[str, float]

    @classmethod
    def draw(
        cls,
        rng: np.random.Generator,
        questionnaire: Questionnaire,
        wave: int,
        area_plan: AreaPlan,
        plan: WavePlan,
        fixed: dict[str, str],
    ) -> _Respondent:
        languages = {
            code: weight
            for code, weight in _LANGUAGE_WEIGHTS.items()
            if code in questionnaire.languages
        } or {questionnaire.default_language: 1.0}
        language = _pick(rng, languages)
        if language == "da":
            origin = _pick(rng, {"dansk": 0.80, "indvandrer": 0.12, "efterkommer": 0.08})
        else:
            origin = _pick(rng, {"dansk": 0.02, "indvandrer": 0.83, "efterkommer": 0.15})
        # Residents of social housing: many older singles, fewer young adults answering.
        mean_age = 52 if origin == "dansk" else 42
        age = int(np.clip(rng.normal(mean_age, 17), 18, 94))
        if age < 30:
            household = _pick(
                rng,
                {"alene": 0.45, "par": 0.2, "par_boern": 0.15, "enlig_boern": 0.15, "andet": 0.05},
            )
        elif age < 60:
            household = _pick(
                rng,
                {"alene": 0.3, "par": 0.15, "par_boern": 0.3, "enlig_boern": 0.2, "andet": 0.05},
            )
        else:
            household = _pick(
                rng,
                {"alene": 0.55, "par": 0.38, "par_boern": 0.02, "enlig_boern": 0.01, "andet": 0.04},
            )
        return cls(
            wave=wave,
            language=language,
            mode=_pick(rng, _MODE_WEIGHTS[language == "da"]),
            age=age,
            woman=bool(rng.random() < 0.56),
            origin=origin,
            household=household,
            fixed=fixed,
            tryg=area_plan.tryg,
            reasons=plan.reasons,
        )

    @property
    def satisfied(self) -> bool:
        return self.fixed.get("tilfreds_omraade") in ("1", "2")


def _answer_all(
    questionnaire: Questionnaire, respondent: _Respondent, rng: np.random.Generator
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questionnaire.questions():
        if question.show_if is not None and not evaluate(question.show_if, answers):
            continue
        value = _answer(question, respondent, answers, rng)
        if value is not None:
            answers[question.id] = value
    return answers


def _answer(
    question: Question,
    respondent: _Respondent,
    answers: Mapping[str, Any],
    rng: np.random.Generator,
) -> Any:
    if question.id in respondent.fixed:
        return respondent.fixed[question.id]
    special = _SPECIAL.get(question.id)
    if special is not None:
        return special(question, respondent, answers, rng)
    if _skippable(question) and rng.random() < 0.04:
        return None
    return _GENERIC[question.type](question, respondent, rng)


def _skippable(question: Question) -> bool:
    """Whether demo residents sometimes leave ``question`` empty: the free-text questions.

    Every question may be skipped in the form, but the demo's residents skip
    only free texts (and the questions with their own rules below), so that
    the demo waves keep their published headline figures.
    """
    return not question.required and question.type in ("text", "long_text")


# --- answers to particular questions ---------------------------------------------------------


def _tryg(question, respondent, answers, rng):
    return _choose(rng, question, respondent.tryg)


def _tilfreds_bolig(question, respondent, answers, rng):
    if respondent.satisfied:
        weights = {"1": 0.36, "2": 0.44, "3": 0.10, "4": 0.06, "5": 0.02, "9": 0.02}
    else:
        weights = {"1": 0.08, "2": 0.30, "3": 0.24, "4": 0.22, "5": 0.12, "9": 0.04}
    return _choose(rng, question, weights)


def _omdoemme_grunde(question, respondent, answers, rng):
    chosen = [code for code, p in respondent.reasons.items() if rng.random() < p]
    if not chosen:
        chosen = [_pick(rng, respondent.reasons)]
    unknown = sorted(set(chosen) - set(question.codes))
    if unknown:
        raise ValueError(f"demo reasons {unknown} are not codes of {question.id!r}")
    if question.max_choices is not None:
        chosen = chosen[: question.max_choices]
    return [code for code in question.codes if code in chosen]


def _flytteoenske(question, respondent, answers, rng):
    yes = 0.16 if respondent.satisfied else 0.48
    codes = [c.code for c in question.choices if not c.missing]
    missing = [c.code for c in question.choices if c.missing]
    weights = {codes[0]: yes, codes[-1]: 1 - yes - 0.05}
    weights.update({code: 0.05 / len(missing) for code in missing})
    return _choose(rng, question, weights)


_AGE_GROUPS = ((24, "1"), (34, "2"), (49, "3"), (64, "4"), (74, "5"), (200, "6"))
_HOUSEHOLD_CODES = {"alene": "1", "enlig_boern": "2", "par": "3", "par_boern": "4"}
_ORIGIN_CODES = {"dansk": "1", "indvandrer": "2", "efterkommer": "3"}


def _alder(question, respondent, answers, rng):
    if question.type == "number":
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 120
        return int(np.clip(respondent.age, low, high))
    return next(code for limit, code in _AGE_GROUPS if respondent.age <= limit)


def _koen(question, respondent, answers, rng):
    draw = rng.random()
    if draw < 0.02:
        return _choose(rng, question, {"8": 1.0})
    if draw < 0.03:
        return _choose(rng, question, {"3": 1.0})
    return "2" if respondent.woman else "1"


def _husstand(question, respondent, answers, rng):
    code = _HOUSEHOLD_CODES.get(respondent.household)
    if code is None:
        code = _choose(rng, question, {"5": 0.6, "6": 0.4})
    return code


def _antal_boern(question, respondent, answers, rng):
    if respondent.household in ("par_boern", "enlig_boern"):
        return int(min(1 + rng.poisson(0.9), question.max if question.max is not None else 15))
    return None if rng.random() < 0.5 else 0


def _oprindelse(question, respondent, answers, rng):
    draw = rng.random()
    if draw < 0.04:
        return None  # optional and sensitive: some skip it
    if draw < 0.07:
        return _choose(rng, question, {"8": 1.0})
    return _ORIGIN_CODES[respondent.origin]


def _beskaeftigelse(question, respondent, answers, rng):
    if respondent.age >= 67:
        weights = {"6": 0.9, "7": 0.05, "5": 0.05}
    elif respondent.age < 25:
        weights = {"3": 0.55, "1": 0.25, "4": 0.12, "7": 0.08}
    else:
        weights = {"1": 0.45, "2": 0.03, "3": 0.05, "4": 0.14, "5": 0.2, "7": 0.13}
    return _choose(rng, question, weights)


_SPECIAL = {
    "tryg_efter_moerke": _tryg,
    "tilfreds_bolig": _tilfreds_bolig,
    "omdoemme_grunde": _omdoemme_grunde,
    "flytteoenske": _flytteoenske,
    "alder": _alder,
    "koen": _koen,
    "husstand": _husstand,
    "antal_boern": _antal_boern,
    "oprindelse": _oprindelse,
    "beskaeftigelse": _beskaeftigelse,
}


# --- answers to any other question -----------------------------------------------------------

_SCALE_WEIGHTS = (0.28, 0.42, 0.15, 0.08, 0.04)


def _generic_single(question: Question, respondent: _Respondent, rng: np.random.Generator) -> str:
    substantive = [c.code for c in question.choices if not c.missing]
    missing = [c.code for c in question.choices if c.missing]
    if len(substantive) == 5:
        weights = dict(zip(substantive, _SCALE_WEIGHTS, strict=True))
    else:
        decay = 0.75 ** np.arange(len(substantive))
        weights = dict(zip(substantive, decay / decay.sum() * 0.96, strict=True))
    weights.update({code: 0.03 / len(missing) for code in missing})
    return _choose(rng, question, weights)


def _generic_multiple(
    question: Question, respondent: _Respondent, rng: np.random.Generator
) -> list[str] | None:
    plain = [c.code for c in question.choices if not c.exclusive]
    none_of_these = [c.code for c in question.choices if c.exclusive and not c.missing]
    dont_know = [c.code for c in question.choices if c.exclusive and c.missing]
    draw = rng.random()
    if dont_know and draw < 0.05:
        return [dont_know[0]]
    if none_of_these and draw < 0.40:
        return [none_of_these[0]]
    minimum = question.min_choices or (0 if _skippable(question) else 1)
    chosen = [code for code in plain if rng.random() < 0.25]
    while len(chosen) < minimum:
        extra = plain[int(rng.integers(len(plain)))]
        if extra not in chosen:
            chosen.append(extra)
    if question.max_choices is not None:
        chosen = chosen[: question.max_choices]
    if not chosen:
        return None
    return [code for code in question.codes if code in chosen]


def _generic_number(question: Question, respondent: _Respondent, rng: np.random.Generator) -> int:
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else max(low + 10, 10)
    return int(rng.integers(low, high + 1))


def _generic_text(question: Question, respondent: _Respondent, rng: np.random.Generator):
    if _skippable(question) and rng.random() < 0.85:
        return None
    texts: Sequence[str] = _OTHER_TEXTS.get(respondent.language, _OTHER_TEXTS["da"])
    text = texts[int(rng.integers(len(texts)))]
    limit = question.max_length or 200
    return text[:limit]


_GENERIC = {
    "single": _generic_single,
    "multiple": _generic_multiple,
    "number": _generic_number,
    "text": _generic_text,
    "long_text": _generic_text,
}
