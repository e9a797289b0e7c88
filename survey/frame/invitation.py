"""A code in use: kept in the signed session, claimed once when its response is submitted.

The server never writes the code next to the response: the session cookie
holds the code until submission; at submission the code row gets today's
date in ``submitted_on`` (one atomic ``UPDATE ... WHERE submitted_on IS
NULL``, so two devices with the same code cannot both submit) and the code
leaves the session. The response row is stored exactly as without a code.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import session

from ..extensions import db
from ..models import Response
from .models import FrameHousehold, InvitationCode

SESSION_KEY = "invitation"


class CodeUsed(Exception):
    """The code in this session has already given a submitted response (or was anonymised)."""


def today():
    """Today's date in UTC: the only time a code row records."""
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


def open_code(code_row: InvitationCode) -> None:
    """Record the first day the code was opened and keep the code in this session."""
    if code_row.used_on is None:
        db.session.execute(
            sa.update(InvitationCode)
            .where(InvitationCode.id == code_row.id, InvitationCode.used_on.is_(None))
            .values(used_on=today())
        )
        db.session.commit()
    session[SESSION_KEY] = {"code": code_row.code, "q": code_row.questionnaire_id}


def pending(questionnaire_id: str) -> str | None:
    """The code this session holds for ``questionnaire_id``, if any."""
    held = session.get(SESSION_KEY) or {}
    return held.get("code") if held.get("q") == questionnaire_id else None


def claim(questionnaire_id: str) -> str | None:
    """Mark this session's code as submitted today; ``None`` when the session holds no code.

    Raises :class:`CodeUsed` (and forgets the code) when it was already submitted.
    """
    code = pending(questionnaire_id)
    if code is None:
        return None
    claimed = db.session.execute(
        sa.update(InvitationCode)
        .where(InvitationCode.code == code, InvitationCode.submitted_on.is_(None))
        .values(submitted_on=today())
    ).rowcount
    db.session.commit()
    if not claimed:
        session.pop(SESSION_KEY, None)
        raise CodeUsed(code)
    return code


def release(code: str | None) -> None:
    """Undo :func:`claim` when the submission failed after all."""
    if code is None:
        return
    db.session.execute(
        sa.update(InvitationCode).where(InvitationCode.code == code).values(submitted_on=None)
    )
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
