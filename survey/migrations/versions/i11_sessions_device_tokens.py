"""Server-side staff sessions, device tokens for interviewer tablets, draft purge index.

Revision ID: i11_hardening
Revises: i13_fieldwork_frame
Create Date: 2026-12-01

``users.session_token`` is the secret a staff session carries; logging out
draws a new one, so a copied session cookie stops working. ``device_tokens``
holds the SHA-256 of each token issued in the console for an interviewer's
tablet (never the token itself). The index on ``(status, received_at)``
makes ``beboer purge-drafts`` a range scan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "i11_hardening"
down_revision = "i13_fieldwork_frame"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_token", sa.String(64), nullable=True))
    op.create_table(
        "device_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_responses_status_received", "responses", ["status", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_responses_status_received", table_name="responses")
    op.drop_table("device_tokens")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_token")
