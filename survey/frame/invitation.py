"""A code in use: kept in the signed session, claimed once when its response is submitted.

The server never writes the code next to the response: the session cookie
holds the code until submission; at submission the code row is marked
``submitted`` (one atomic ``UPDATE ... WHERE NOT submitted``, so two devices
with the same code cannot both submit) and the code leaves the session. The
code row never records when: the day is added to the counts of its area and
language in ``invitation_days``. The response row is stored exactly as
without a code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import session
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Response
from .models import FrameHousehold, InvitationCode, InvitationDay

SESSION_KEY = "invitation"


class CodeUsed(Exception):
    """The code in this session has already given a submitted response (or was anonymised)."""


def today() -> date:
    """Today's date in UTC: the finest time the fieldwork counts keep."""
    return datetime.now(UTC).date()


def find(code: str) -> tuple[InvitationCode, FrameHousehold] | None:
    """The code's row and its household, or ``None`` for an unknown code."""
    row = db.session.execute(
        sa.select(InvitationCode, FrameHousehold)
        .join(FrameHousehold, FrameHousehold.id == InvitationCode.household_id)
        .where(InvitationCode.code == code)
    ).first()
    return None if row is None else (row[0], row[1])


def has_codes(questionnaire_id: str) -> bool:
    """Whether any code of the questionnaire can still be used (imported, not anonymised)."""
    found = db.session.scalar(
        sa.select(InvitationCode.id)
        .where(
            InvitationCode.questionnaire_id == questionnaire_id, InvitationCode.code.is_not(None)
        )
        .limit(1)
    )
    return found is not None


def count_day(household: FrameHousehold, column: str, delta: int) -> None:
    """Add ``delta`` to today's ``opened`` or ``submitted`` count of the household's cell.

    Runs in the caller's transaction; a first count of the day inserts the row
    (another process inserting it at the same moment is retried as an update).
    """
    cell = (
        InvitationDay.questionnaire_id == household.questionnaire_id,
        InvitationDay.area == household.area,
        InvitationDay.language == household.language,
        InvitationDay.day == today(),
    )
    counter = getattr(InvitationDay, column)
    update = sa.update(InvitationDay).where(*cell).values({column: counter + delta})
    if db.session.execute(update).rowcount:
        return
    values = {"opened": 0, "submitted": 0, column: max(delta, 0)}
    try:
        with db.session.begin_nested():
            db.session.add(
                InvitationDay(
                    questionnaire_id=household.questionnaire_id,
                    area=household.area,
                    language=household.language,
                    day=today(),
                    **values,
                )
            )
    except IntegrityError:
        db.session.execute(update)


def _household_of(code: str) -> FrameHousehold | None:
    found = find(code)
    return None if found is None else found[1]


def open_code(code_row: InvitationCode, household: FrameHousehold) -> None:
    """Mark the code opened (counting the first opening today) and keep it in this session."""
    first = db.session.execute(
        sa.update(InvitationCode)
        .where(InvitationCode.id == code_row.id, InvitationCode.opened.is_(False))
        .values(opened=True)
    ).rowcount
    if first:
        count_day(household, "opened", 1)
    db.session.commit()
    session[SESSION_KEY] = {"code": code_row.code, "q": code_row.questionnaire_id}


def pending(questionnaire_id: str) -> str | None:
    """The code this session holds for ``questionnaire_id``, if any."""
    held = session.get(SESSION_KEY) or {}
    return held.get("code") if held.get("q") == questionnaire_id else None


def claim(questionnaire_id: str) -> str | None:
    """Mark this session's code as submitted; ``None`` when the session holds no code.

    Raises :class:`CodeUsed` (and forgets the code) when it was already submitted.
    """
    code = pending(questionnaire_id)
    if code is None:
        return None
    claimed = db.session.execute(
        sa.update(InvitationCode)
        .where(InvitationCode.code == code, InvitationCode.submitted.is_(False))
        .values(submitted=True)
    ).rowcount
    household = _household_of(code) if claimed else None
    if household is not None:
        count_day(household, "submitted", 1)
    db.session.commit()
    if not claimed:
        session.pop(SESSION_KEY, None)
        raise CodeUsed(code)
    return code


def release(code: str | None) -> None:
    """Undo :func:`claim` when the submission failed after all."""
    if code is None:
        return
    released = db.session.execute(
        sa.update(InvitationCode)
        .where(InvitationCode.code == code, InvitationCode.submitted.is_(True))
        .values(submitted=False)
    ).rowcount
    household = _household_of(code) if released else None
    if household is not None:
        count_day(household, "submitted", -1)
    db.session.commit()


def done() -> None:
    """Forget the code once its response is submitted."""
    session.pop(SESSION_KEY, None)


def claim_for_payload(payload: object) -> str | None:
    """:func:`claim` for a response sent to the API (finished offline), unless it is a resend.

    A resend of a response already stored as submitted claims nothing: its
    code was claimed when it was first stored.
    """
    if type(payload) is not dict:
        return None
    questionnaire_id = str(payload.get("questionnaire"))
    if pending(questionnaire_id) is None:
        return None
    stored = db.session.get(Response, str(payload.get("id")))
    if stored is not None and stored.status == "submitted":
        return None
    return claim(questionnaire_id)


def settle(code: str | None, *, created: bool) -> None:
    """After an API submission: keep the claim if a response was created, else undo it."""
    if code is None:
        return
    if created:
        done()
    else:
        release(code)
