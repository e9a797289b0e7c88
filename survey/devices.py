"""Device tokens: how an interviewer's tablet proves it may send interviewer-mode responses.

An administrator issues a token for one interviewer in the console (or with
``beboer device-token issue``); it is shown once and only its SHA-256 is
kept. The tablet sends it as ``Authorization: Bearer <token>`` with
``POST /api/v1/responses``; a response in interviewer mode is stored under
the pseudonym of the interviewer the token was issued for. Revoking a token
stops it at once. Every issue and revoke is written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from .extensions import db
from .models import AuditEntry, DeviceToken, User, utcnow

__all__ = [
    "TOKEN_PREFIX",
    "DeviceTokenError",
    "IssuedToken",
    "find_token",
    "interviewers",
    "issue_token",
    "list_tokens",
    "pseudonym_for_token",
    "revoke_token",
]

TOKEN_PREFIX = "bbd_"
MAX_NAME_LENGTH = 80


class DeviceTokenError(ValueError):
    """A token could not be issued or revoked as asked."""


@dataclass(frozen=True)
class IssuedToken:
    """A newly issued token: ``token`` is shown once and never stored."""

    id: int
    name: str
    username: str
    pseudonym: str
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(name: str, username: str, *, issued_by: str) -> IssuedToken:
    """Issue a token called ``name`` (e.g. the tablet's label) for the staff user ``username``."""
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise DeviceTokenError(f"the device name must have 1 to {MAX_NAME_LENGTH} characters")
    user = db.session.scalars(sa.select(User).where(User.username == username)).first()
    if user is None:
        raise DeviceTokenError(f"no staff user is named {username!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = DeviceToken(
        name=name,
        token_sha256=_digest(token),
        user_id=user.id,
        created_by=issued_by,
        created_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add(
        AuditEntry(
            at=utcnow(),
            event="device_token_issued",
            username=issued_by,
            detail={"token_id": row.id, "name": row.name, "for_user": user.username},
        )
    )
    db.session.commit()
    return IssuedToken(row.id, row.name, user.username, user.pseudonym, token)


def revoke_token(token_id: int, *, revoked_by: str | None = None) -> bool:
    """Revoke the token with this id; ``False`` when there is no such active token.

    A revoke that happens is written to the audit log under ``revoked_by``.
    """
    result = db.session.execute(
        sa.update(DeviceToken)
        .where(DeviceToken.id == token_id, DeviceToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        db.session.add(
            AuditEntry(
                at=utcnow(),
                event="device_token_revoked",
                username=revoked_by,
                detail={"token_id": token_id},
            )
        )
    db.session.commit()
    return result.rowcount == 1


def find_token(token_id: int) -> tuple[DeviceToken, str] | None:
    """One token by its id with the user name it was issued for, or ``None``."""
    statement = (
        sa.select(DeviceToken, User.username)
        .join(User, User.id == DeviceToken.user_id)
        .where(DeviceToken.id == token_id)
    )
    found = db.session.execute(statement).first()
    return None if found is None else (found[0], found[1])


def interviewers() -> list[User]:
    """The interviewer accounts a token can be issued for, by user name."""
    statement = sa.select(User).where(User.role == "interviewer").order_by(User.username)
    return list(db.session.scalars(statement))


def list_tokens() -> list[tuple[DeviceToken, str]]:
    """Every token (newest first) with the user name it was issued for."""
    statement = (
        sa.select(DeviceToken, User.username)
        .join(User, User.id == DeviceToken.user_id)
        .order_by(DeviceToken.created_at.desc(), DeviceToken.id.desc())
    )
    return [(row, username) for row, username in db.session.execute(statement)]


def pseudonym_for_token(token: str) -> str | None:
    """The pseudonym of the interviewer an active token belongs to, or ``None``."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    statement = (
        sa.select(User.pseudonym)
        .join(DeviceToken, DeviceToken.user_id == User.id)
        .where(DeviceToken.token_sha256 == _digest(token), DeviceToken.revoked_at.is_(None))
    )
    return db.session.scalar(statement)
