"""Response rates while fieldwork runs: per area, per language and per day.

:func:`compute_rates` is a pure function of two lists, so its figures are
tested against a hand count; :func:`rates_for` gathers them from the
database without joining anything to the responses: the frame side gives
each household's area, language and whether its code was opened and
submitted, and the daily counts per area and language
(``invitation_days``); the response side gives each submitted response's
area and day. Responses that came without a code (walk-in, kiosk,
interviews) are the area's submitted responses minus those that came with a
code. The days run from the first to the last day a code was opened or
submitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Response
from .models import FrameHousehold, InvitationCode, InvitationDay


@dataclass(frozen=True)
class RateRow:
    """Invited households, codes opened, codes submitted, and responses without a code."""

    key: str
    label: str
    invited: int
    started: int
    submitted: int
    without_code: int | None = None

    @property
    def rate(self) -> float | None:
        """Submitted / invited, or ``None`` when nobody was invited."""
        return self.submitted / self.invited if self.invited else None


@dataclass(frozen=True)
class DayRow:
    """One fieldwork day: codes first opened and submitted, the running total and rate."""

    day: date
    started: int
    submitted: int
    cumulative: int
    rate: float | None
    without_code: int


@dataclass(frozen=True)
class Rates:
    """Every figure of the rates page for one questionnaire."""

    by_area: tuple[RateRow, ...]
    by_language: tuple[RateRow, ...]
    by_day: tuple[DayRow, ...]
    total: RateRow


def _rows(keys: Sequence[tuple[str, str]], frame, which: int, without: Counter | None):
    invited, started, submitted = Counter(), Counter(), Counter()
    for household in frame:
        key = household[which]
        invited[key] += 1
        started[key] += bool(household[2])
        submitted[key] += bool(household[3])
    present = [key for key, _label in keys]
    extra = sorted(set(invited) - set(present))
    labels = dict(keys)
    return tuple(
        RateRow(
            key,
            labels.get(key, key),
            invited[key],
            started[key],
            submitted[key],
            None if without is None else without[key],
        )
        for key in present + extra
        if invited[key] or (without is not None and without[key])
    )


def compute_rates(
    frame: Iterable[tuple[str, str, bool, bool]],
    days: Iterable[tuple[date, int, int]],
    responses: Iterable[tuple[str, date]],
    *,
    areas: Sequence[tuple[str, str]] = (),
    languages: Sequence[tuple[str, str]] = (),
) -> Rates:
    """Tabulate the rates.

    Parameters
    ----------
    frame
        One ``(area, language, opened, submitted)`` per invited household.
    days
        ``(day, opened, submitted)``: codes first opened and submitted that day
        (several rows for one day are added up).
    responses
        One ``(area, submitted_day)`` per submitted response, with or without a code.
    areas, languages
        ``(id, label)`` in display order; ids met only in the data follow, sorted.
    """
    frame = list(frame)
    responses = list(responses)
    per_area = Counter(area for area, _day in responses)
    coded_area = Counter(area for area, _lang, _opened, submitted in frame if submitted)
    without = Counter({a: max(per_area[a] - coded_area[a], 0) for a in per_area | coded_area})
    by_area = _rows(areas, frame, 0, without)
    by_language = _rows(languages, frame, 1, None)
    total = RateRow(
        "total",
        "",
        len(frame),
        sum(row.started for row in by_area),
        sum(row.submitted for row in by_area),
        sum(without.values()),
    )
    opened: Counter = Counter()
    submitted: Counter = Counter()
    for day, day_opened, day_submitted in days:
        opened[day] += day_opened
        submitted[day] += day_submitted
    all_day = Counter(day for _area, day in responses)
    # Fieldwork runs from the first to the last day a code was opened or submitted;
    # responses from other days (earlier waves, later interviews) are not drawn.
    active = [day for day in set(opened) | set(submitted) if opened[day] or submitted[day]]
    by_day: list[DayRow] = []
    if active:
        running = 0
        day, last = min(active), max(active)
        while day <= last:
            running += submitted[day]
            by_day.append(
                DayRow(
                    day,
                    opened[day],
                    submitted[day],
                    running,
                    running / len(frame) if frame else None,
                    max(all_day[day] - submitted[day], 0),
                )
            )
            day += timedelta(days=1)
    return Rates(by_area, by_language, tuple(by_day), total)


def rates_for(questionnaire: Any) -> Rates:
    """The rates of ``questionnaire`` from the database (no query joins the responses)."""
    frame = db.session.execute(
        sa.select(
            FrameHousehold.area,
            FrameHousehold.language,
            InvitationCode.opened,
            InvitationCode.submitted,
        )
        .join(InvitationCode, InvitationCode.household_id == FrameHousehold.id)
        .where(FrameHousehold.questionnaire_id == questionnaire.id)
    ).all()
    responses = [
        (area, submitted_at.date())
        for area, submitted_at in db.session.execute(
            sa.select(Response.area, Response.submitted_at).where(
                Response.questionnaire_id == questionnaire.id,
                Response.status == "submitted",
                Response.submitted_at.is_not(None),
            )
        )
    ]
    days = db.session.execute(
        sa.select(InvitationDay.day, InvitationDay.opened, InvitationDay.submitted).where(
            InvitationDay.questionnaire_id == questionnaire.id
        )
    ).all()
    return compute_rates(
        frame,
        days,
        responses,
        areas=[(area.id, area.label) for area in questionnaire.areas],
        languages=[(lang.code, lang.name) for lang in questionnaire.language_info],
    )
