"""Staff accounts: creating users, checking passwords (argon2), auditing logins."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ROLES, AuditEntry, User, utcnow

MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 80

_hasher = PasswordHasher()


class UserError(ValueError):
    """A user could not be created as asked (bad name, weak password, taken name)."""


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password``."""
    return _hasher.hash(password)


def new_pseudonym() -> str:
    """Return a random interviewer pseudonym such as ``INT-3F9A2C``."""
    return "INT-" + secrets.token_hex(3).upper()


def generate_password() -> str:
    """Return a random password for a first login (about 96 bits, URL-safe)."""
    return secrets.token_urlsafe(12)


def create_user(username: str, password: str, *, role: str = "interviewer") -> User:
    """Create a staff account with an argon2 hash and a fresh pseudonym.

    Raises :class:`UserError` for an empty or too long name, an unknown role,
    a password shorter than ``MIN_PASSWORD_LENGTH`` or a name already taken.
    """
    username = username.strip()
    if not username or len(username) > MAX_USERNAME_LENGTH:
        raise UserError(f"the user name must have 1 to {MAX_USERNAME_LENGTH} characters")
    if role not in ROLES:
        raise UserError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user(username) is not None:
        raise UserError(f"a user named {username!r} exists already")
    for _attempt in range(5):
        user = User(
            username=username,
            password_hash=hash_password(password),
            role=role,
            pseudonym=new_pseudonym(),
            created_at=utcnow(),
        )
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if find_user(username) is not None:
                raise UserError(f"a user named {username!r} exists already") from None
            continue  # the pseudonym was taken: draw another
        audit("user_created", username, role=role)
        return user
    raise UserError("could not draw an unused pseudonym; try again")


def find_user(username: str) -> User | None:
    """Return the user with this name, or ``None``."""
    return db.session.scalars(sa.select(User).where(User.username == username)).first()


def staff_exists() -> bool:
    """Whether any staff account exists."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0


def authenticate(username: str, password: str) -> User | None:
    """Return the user when the password matches, else ``None``; audits both outcomes.

    A failed attempt is logged with the name tried, never the password.
    Outdated hashes are upgraded on a successful login.
    """
    user = find_user(username)
    if user is None:
        # Spend the same time as a real check so that names cannot be probed by timing.
        _verify(_dummy_hash(), password)
        audit("login_failed", username, reason="unknown user")
        return None
    if not _verify(user.password_hash, password):
        audit("login_failed", username, reason="wrong password")
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    audit("login", username)
    return user


def start_session(user: User) -> None:
    """Give ``user`` a session token (kept until logout) for the session Flask-Login saves."""
    if not user.session_token:
        user.session_token = secrets.token_hex(32)
        db.session.commit()


def end_sessions(user: User) -> None:
    """Draw a new session token: every session and remember cookie of ``user`` stops working."""
    user.session_token = secrets.token_hex(32)
    db.session.commit()


def user_for_session(session_id: str) -> User | None:
    """Return the user a session's ``<id>:<token>`` names, if the token is still the user's."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.session_token:
        return None
    if not secrets.compare_digest(user.session_token.encode(), token.encode("utf-8", "replace")):
        return None
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    if "hash" not in _DUMMY:
        _DUMMY["hash"] = _hasher.hash(secrets.token_hex(16))
    return _DUMMY["hash"]


def audit(event: str, username: str | None, **detail: Any) -> None:
    """Write one audit-log entry and commit it."""
    db.session.add(AuditEntry(at=utcnow(), event=event, username=username, detail=detail))
    db.session.commit()
