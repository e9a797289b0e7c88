"""Fieldwork: sampling frame households, invitation codes, daily counts and population counts.

Revision ID: i13_fieldwork_frame
Revises: 0001
Create Date: 2026-12-01

The four tables have no column that refers to ``responses`` and
``responses`` gets none that refers to them. A code row says whether it was
opened and submitted, never when; the days are counted per area and
language in ``invitation_days``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "i13_fieldwork_frame"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "frame_households",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("household", sa.String(100), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("imported_on", sa.Date(), nullable=False),
        sa.UniqueConstraint(
            "questionnaire_id", "household", name="uq_frame_households_household"
        ),
    )
    op.create_index(
        "ix_frame_households_questionnaire_id", "frame_households", ["questionnaire_id"]
    )
    op.create_table(
        "invitation_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "household_id",
            sa.Integer(),
            sa.ForeignKey("frame_households.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("code", sa.String(20), nullable=True, unique=True),
        sa.Column("letter_on", sa.Date(), nullable=True),
        sa.Column("reminder_on", sa.Date(), nullable=True),
        sa.Column("opened", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("submitted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_invitation_codes_questionnaire_id", "invitation_codes", ["questionnaire_id"]
    )
    op.create_table(
        "invitation_days",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("language", sa.String(20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.UniqueConstraint(
            "questionnaire_id", "area", "language", "day", name="uq_invitation_days_cell"
        ),
    )
    op.create_table(
        "population_counts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("cell", JSON, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("count >= 0", name="ck_population_counts_count"),
    )
    op.create_index(
        "ix_population_counts_questionnaire_id", "population_counts", ["questionnaire_id"]
    )


def downgrade() -> None:
    op.drop_table("population_counts")
    op.drop_table("invitation_days")
    op.drop_table("invitation_codes")
    op.drop_table("frame_households")
