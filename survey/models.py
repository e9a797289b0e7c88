"""Tables of the survey app.

``responses`` is read directly by the analysis package, so its table and
column names are a public contract (see the project's interfaces notes).
Nothing that identifies a resident is stored with the answers; staff accounts,
the audit log and the deletion log are tables of their own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

MODES = ("kiosk", "interviewer", "web")
ASSISTANCE = ("self", "read_aloud", "interpreter", "aborted")
STATUSES = ("draft", "submitted")
ROLES = ("admin", "interviewer")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    PostgreSQL keeps it as ``timestamp with time zone``; SQLite keeps the UTC
    wall time, and the zone is put back on reading.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert an aware datetime to UTC; refuse a naive one."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Return the stored value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


class Response(db.Model):
    """One resident's answers to one questionnaire, keyed by a UUID made on the client."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100))
    questionnaire_version: Mapped[str] = mapped_column(sa.String(50))
    wave: Mapped[int] = mapped_column(sa.Integer)
    language: Mapped[str] = mapped_column(sa.String(20))
    area: Mapped[str] = mapped_column(sa.String(100))
    mode: Mapped[str] = mapped_column(sa.String(20))
    interviewer_id: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    assistance: Mapped[str | None] = mapped_column(sa.String(20), nullable=True)
    consent_version: Mapped[str] = mapped_column(sa.String(50))
    consent_given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(sa.String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType)
    answers_sha256: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.CheckConstraint(f"mode IN {MODES!r}", name="ck_responses_mode"),
        sa.CheckConstraint(f"status IN {STATUSES!r}", name="ck_responses_status"),
        sa.CheckConstraint(
            f"assistance IS NULL OR assistance IN {ASSISTANCE!r}", name="ck_responses_assistance"
        ),
        sa.Index("ix_responses_questionnaire_status", "questionnaire_id", "status"),
        sa.Index("ix_responses_status_received", "status", "received_at"),
    )


class PublishedQuestionnaire(db.Model):
    """A questionnaire version that residents may answer and the API accepts."""

    __tablename__ = "questionnaires"

    id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(50), primary_key=True)
    wave: Mapped[int] = mapped_column(sa.Integer)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(UserMixin, db.Model):
    """A staff account: an administrator or an interviewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    pseudonym: Mapped[str] = mapped_column(sa.String(20), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    session_token: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)

    __table_args__ = (sa.CheckConstraint(f"role IN {ROLES!r}", name="ck_users_role"),)

    @property
    def is_admin(self) -> bool:
        """Whether the user may delete responses and see everything."""
        return self.role == "admin"

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: ``<user id>:<session token>``.

        Logging out draws a new ``session_token``, so a session (or remember
        cookie) saved before the logout no longer loads the user.
        """
        return f"{self.id}:{self.session_token or ''}"


class DeviceToken(db.Model):
    """A token for one interviewer's tablet to send interviewer-mode responses to the API.

    Only the SHA-256 of the token is stored; the token is shown once when issued.
    """

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditEntry(db.Model):
    """A security-relevant event: a login, a failed login, a deletion."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    event: Mapped[str] = mapped_column(sa.String(50))
    username: Mapped[str | None] = mapped_column(sa.String(80), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class Deletion(db.Model):
    """Who deleted which response, when and why; the answers themselves are gone."""

    __tablename__ = "deletions"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    response_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100))
    deleted_by: Mapped[str] = mapped_column(sa.String(80))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str] = mapped_column(sa.Text)
