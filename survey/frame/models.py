"""Tables of the fieldwork: households, their invitation codes and population counts.

None of these tables has a column that names a response, and ``responses``
has none that names a household or a code. A code row records only whether
it was opened and whether it gave a submitted response, never when: the days
are counted apart, per area and language (``invitation_days``), so that no
household row carries a time that could be matched to a response's.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models import JSONType, UTCDateTime, utcnow


class FrameHousehold(db.Model):
    """One household of a questionnaire's sampling frame.

    ``household`` and ``address`` are emptied by ``beboer frame anonymise``;
    ``area`` and ``language`` stay, so the response rates can still be counted.
    """

    __tablename__ = "frame_households"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    household: Mapped[str | None] = mapped_column(sa.String(100), nullable=True)
    address: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    area: Mapped[str] = mapped_column(sa.String(100))
    language: Mapped[str] = mapped_column(sa.String(20))
    imported_on: Mapped[date] = mapped_column(sa.Date)

    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "household", name="uq_frame_households_household"),
    )


class InvitationCode(db.Model):
    """A household's invitation code: whether it was opened and whether it was submitted.

    ``code`` is emptied by ``beboer frame anonymise``.
    """

    __tablename__ = "invitation_codes"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(
        sa.ForeignKey("frame_households.id", ondelete="CASCADE"), unique=True
    )
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    code: Mapped[str | None] = mapped_column(sa.String(20), unique=True, nullable=True)
    letter_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    reminder_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    opened: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    submitted: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class InvitationDay(db.Model):
    """How many codes of one area and language were first opened and submitted on one day.

    Counts only: nothing here names a household or a code.
    """

    __tablename__ = "invitation_days"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100))
    area: Mapped[str] = mapped_column(sa.String(100))
    language: Mapped[str] = mapped_column(sa.String(20))
    day: Mapped[date] = mapped_column(sa.Date)
    opened: Mapped[int] = mapped_column(sa.Integer, default=0)
    submitted: Mapped[int] = mapped_column(sa.Integer, default=0)

    __table_args__ = (
        sa.UniqueConstraint(
            "questionnaire_id", "area", "language", "day", name="uq_invitation_days_cell"
        ),
    )


class PopulationCount(db.Model):
    """How many residents live in an area, optionally in one cell of other variables.

    ``cell`` maps question ids of the questionnaire (e.g. an age group or sex
    question) to one of their answer codes; empty for an area's total.
    """

    __tablename__ = "population_counts"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100), index=True)
    area: Mapped[str] = mapped_column(sa.String(100))
    cell: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    count: Mapped[int] = mapped_column(sa.Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.CheckConstraint("count >= 0", name="ck_population_counts_count"),)
