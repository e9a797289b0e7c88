"""After fieldwork: delete the addresses, household ids and codes; keep what the rates need."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditEntry, utcnow
from .models import FrameHousehold, InvitationCode


@dataclass(frozen=True)
class Anonymised:
    """How many households and codes were emptied."""

    households: int
    codes: int


def anonymise(questionnaire_id: str, *, by: str | None = None) -> Anonymised:
    """Empty ``household`` and ``address`` of every household and every code, in one transaction.

    Area, language and the days a code was used and submitted stay, so the
    response rates can still be counted. The audit log records who did it,
    when and how many rows it touched.
    """
    who = by or getpass.getuser()
    try:
        households = db.session.execute(
            sa.update(FrameHousehold)
            .where(FrameHousehold.questionnaire_id == questionnaire_id)
            .where(
                sa.or_(FrameHousehold.address.is_not(None), FrameHousehold.household.is_not(None))
            )
            .values(address=None, household=None)
        ).rowcount
        emptied = db.session.execute(
            sa.update(InvitationCode)
            .where(InvitationCode.questionnaire_id == questionnaire_id)
            .where(InvitationCode.code.is_not(None))
            .values(code=None)
        ).rowcount
        db.session.add(
            AuditEntry(
                at=utcnow(),
                event="frame_anonymised",
                username=who,
                detail={
                    "questionnaire": questionnaire_id,
                    "households": households,
                    "codes": emptied,
                },
            )
        )
        db.session.commit()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        raise
    return Anonymised(households, emptied)


def has_frame(questionnaire_id: str) -> bool:
    """Whether the questionnaire has any household in its frame."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FrameHousehold)
            .where(FrameHousehold.questionnaire_id == questionnaire_id)
        )
    )
