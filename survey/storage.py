"""Storing responses and published questionnaires.

Every way answers come in (the tablet form, the JSON API, ``beboer import``,
``beboer load-demo``) goes through these functions, so a response is checked
by the same rules and stored once and only once whichever way it arrives.
Call them inside an app context.

A response is keyed by a UUID made on the client. Storing relies on that
primary key: an insert that loses a race raises ``IntegrityError``, and the
row that won is read back and compared, so concurrent resends of the same
response give exactly one ``created`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from flask import current_app
from sqlalchemy.exc import IntegrityError

import questionnaires

from .extensions import db
from .models import ASSISTANCE, MODES, Deletion, PublishedQuestionnaire, Response, utcnow
from .payload import (
    PayloadError,
    answers_sha256,
    canonical_json,
    check_payload,
    normalise_answers,
    parse_response_id,
    with_stored_answers,
)
from .receipt import normalise_receipt, receipt_code

__all__ = [
    "AlreadySubmitted",
    "Conflict",
    "PayloadError",
    "StorageError",
    "SubmitResult",
    "UnknownResponse",
    "answers_sha256",
    "canonical_json",
    "counts_by_area_language",
    "current_revision",
    "delete_response",
    "draft_counts",
    "finalize",
    "get_questionnaire",
    "get_response",
    "migrate_database",
    "publish",
    "publish_bundled",
    "publish_file",
    "published_questionnaires",
    "save_draft_answers",
    "set_assistance",
    "start_draft",
    "store_unfinished",
    "submit_payload",
]

Outcome = Literal["created", "identical"]

_CACHE_KEY = "beboer.questionnaires"
# How often a write that lost a race is retried after reading the winner.
_RETRIES = 5


@dataclass(frozen=True)
class SubmitResult:
    """What storing a response did: ``created`` a row, or found an ``identical`` one."""

    outcome: Outcome
    response_id: str


class StorageError(Exception):
    """Base class of the errors raised by this module."""


class Conflict(StorageError):
    """A response with this id is already stored with other content."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(f"response {response_id} is already stored with other content")


class AlreadySubmitted(StorageError):
    """The response has been submitted; its answers can no longer change."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(f"response {response_id} has already been submitted")


class UnknownResponse(StorageError, LookupError):
    """No response (draft or submitted) has this id."""

    def __init__(self, response_id: str) -> None:
        self.response_id = response_id
        super().__init__(f"no response with id {response_id}")


# -- published questionnaires ------------------------------------------------------------


def publish(questionnaire: Any, source: str) -> bool:
    """Publish a questionnaire version so that residents and the API can answer it.

    ``source`` is the text of its file, kept so the exact version can be
    loaded again later. Returns ``True`` when the version was new and ``False``
    when it was already published with the same text. Publishing other text
    under an existing id and version raises :class:`ValueError`, since stored
    answers refer to that version.
    """
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    existing = db.session.get(PublishedQuestionnaire, (questionnaire.id, questionnaire.version))
    if existing is not None:
        if existing.sha256 != digest:
            raise ValueError(
                f"questionnaire {questionnaire.id} version {questionnaire.version} is already "
                "published with other content; give the changed file a new version"
            )
        _cache()[(questionnaire.id, questionnaire.version)] = questionnaire
        return False
    db.session.add(
        PublishedQuestionnaire(
            id=questionnaire.id,
            version=questionnaire.version,
            wave=questionnaire.wave,
            sha256=digest,
            source=source,
            published_at=utcnow(),
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return publish(questionnaire, source)
    _cache()[(questionnaire.id, questionnaire.version)] = questionnaire
    return True


def publish_file(path: str | Path) -> tuple[Any, bool]:
    """Load the questionnaire file at ``path`` and publish it; return it and whether it was new."""
    path = Path(path)
    questionnaire = questionnaires.load(path)
    return questionnaire, publish(questionnaire, path.read_text(encoding="utf-8"))


def published_questionnaires() -> list[PublishedQuestionnaire]:
    """Return every published questionnaire version, newest wave first."""
    statement = sa.select(PublishedQuestionnaire).order_by(
        PublishedQuestionnaire.wave.desc(),
        PublishedQuestionnaire.id,
        PublishedQuestionnaire.published_at.desc(),
    )
    return list(db.session.scalars(statement))


def get_questionnaire(questionnaire_id: str, version: str | None = None) -> Any | None:
    """Return a published questionnaire (the latest published version by default), or ``None``.

    Published versions are never withdrawn, so a version this app has seen
    is answered from its cache without asking the database.
    """
    cache = _cache()
    if version is not None and (questionnaire_id, version) in cache:
        return cache[(questionnaire_id, version)]
    statement = sa.select(PublishedQuestionnaire).where(
        PublishedQuestionnaire.id == questionnaire_id
    )
    if version is not None:
        statement = statement.where(PublishedQuestionnaire.version == version)
    statement = statement.order_by(PublishedQuestionnaire.published_at.desc()).limit(1)
    row = db.session.scalars(statement).first()
    if row is None:
        return None
    key = (row.id, row.version)
    if key not in cache:
        cache[key] = _load_published(row)
    return cache[key]


def _cache() -> dict[tuple[str, str], Any]:
    return current_app.extensions.setdefault(_CACHE_KEY, {})


def _load_published(row: PublishedQuestionnaire) -> Any:
    """Load the questionnaire a published row describes, from its bundled file or stored text."""
    if row.id in questionnaires.available():
        bundled = questionnaires.load(row.id)
        if bundled.version == row.version:
            return bundled
    return questionnaires.loads(row.source, file=f"published {row.id} {row.version}")


def publish_bundled() -> list[tuple[str, str, bool]]:
    """Publish every bundled questionnaire; return ``(id, version, newly published)`` for each."""
    published = []
    for questionnaire_id in questionnaires.available():
        questionnaire = questionnaires.load(questionnaire_id)
        if questionnaire.path is None:
            raise StorageError(f"bundled questionnaire {questionnaire_id} has no file")
        source = Path(questionnaire.path).read_text(encoding="utf-8")
        published.append((questionnaire.id, questionnaire.version, publish(questionnaire, source)))
    return published


# -- schema ------------------------------------------------------------------------------


def alembic_config() -> AlembicConfig:
    """The Alembic configuration of the survey database (``survey/alembic.ini``)."""
    config = AlembicConfig(str(Path(__file__).with_name("alembic.ini")))
    config.set_main_option("sqlalchemy.url", current_app.config["SQLALCHEMY_DATABASE_URI"])
    config.attributes["configure_logger"] = False
    return config


def migrate_database(revision: str = "head") -> None:
    """Bring the app's database schema up to ``revision`` with the Alembic migrations."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        alembic_command.upgrade(config, revision)


def current_revision() -> str | None:
    """The schema revision the database is at, or ``None`` before the first migration."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


# Columns that make two submissions of one response "the same content". The
# client's timestamps are not among them: a retry may be stamped anew, and a
# response finished on the form is stamped by the server.
_CONTENT_COLUMNS = (
    "questionnaire_id",
    "questionnaire_version",
    "language",
    "area",
    "mode",
    "consent_version",
    "answers_sha256",
)
# Columns a payload may leave out (the draft recorded them on the server); when
# it gives one, it must match what is stored.
_OPTIONAL_COLUMNS = ("interviewer_id", "assistance")


def _same_content(row: Response, values: Mapping[str, Any]) -> bool:
    for column in _OPTIONAL_COLUMNS:
        if values[column] is not None and getattr(row, column) != values[column]:
            return False
    return all(getattr(row, column) == values[column] for column in _CONTENT_COLUMNS)


# -- storing -----------------------------------------------------------------------------

# One Core statement with the values as parameters: compiled once and cached,
# where ``.values(**values)`` would build and hash a new statement per response.
_INSERT = Response.__table__.insert()


def submit_payload(payload: dict) -> SubmitResult:
    """Store a finished response sent as the API's JSON body.

    Returns ``SubmitResult("created", id)`` when stored now and
    ``SubmitResult("identical", id)`` when the same response is already
    stored. A draft of the same response (saved page by page by the form) is
    completed by the payload. Raises :class:`PayloadError` for invalid
    fields or answers and :class:`Conflict` when the id is stored with other
    content.
    """
    created = _insert_new(payload)
    if created is not None:
        return SubmitResult("created", created)
    values = check_payload(_completed(payload), get_questionnaire)
    values["received_at"] = utcnow()
    response_id = values["id"]
    for _attempt in range(_RETRIES):
        # Insert first: a new response (nearly every one) costs one statement. When
        # the id is taken (a resend, a draft, a concurrent request), read and compare.
        try:
            db.session.execute(_INSERT, values)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            return SubmitResult("created", response_id)
        existing = _detached(db.session.get(Response, response_id, populate_existing=True))
        if existing is None:  # deleted meanwhile: try again
            continue
        if existing.status == "submitted":
            if _same_content(existing, values):
                return SubmitResult("identical", response_id)
            raise Conflict(response_id)
        if existing.questionnaire_id != values["questionnaire_id"]:
            raise Conflict(response_id)
        # Complete the draft the form saved, keeping what the draft recorded
        # server-side (consent time, interviewer) unless the payload says it.
        update = {key: value for key, value in values.items() if key != "id"}
        if "consent_given_at" not in payload:
            update.pop("consent_given_at")
        for key in ("interviewer_id", "assistance"):
            if update[key] is None:
                update.pop(key)
        result = db.session.execute(
            sa.update(Response)
            .where(Response.id == response_id, Response.status == "draft")
            .values(**update)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if result.rowcount == 1:
            return SubmitResult("created", response_id)
    raise StorageError(f"could not store response {response_id}: it kept changing meanwhile")


def _insert_new(payload: Any) -> str | None:
    """Store a payload whose id is new, as it is: one statement, no read (the common case).

    Returns the stored id, or None when the payload needs what is stored under its id (a draft to
    complete, a resend to compare) or is invalid on its own; the caller then
    merges and checks it against the stored row.
    """
    try:
        values = check_payload(payload, get_questionnaire)
    except PayloadError:
        return None
    values["received_at"] = utcnow()
    try:
        db.session.execute(_INSERT, values)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return values["id"]


def _completed(payload: Any) -> Any:
    """The payload merged over the answers stored for its id (see ``with_stored_answers``)."""
    if not isinstance(payload, Mapping):
        return payload
    try:
        response_id = parse_response_id(payload.get("id"))
    except ValueError:
        return payload
    row = _detached(db.session.get(Response, response_id, populate_existing=True))
    if row is None or row.questionnaire_id != payload.get("questionnaire"):
        return payload
    questionnaire = get_questionnaire(row.questionnaire_id, row.questionnaire_version)
    return with_stored_answers(payload, row.answers, questionnaire)


def store_unfinished(payload: dict) -> SubmitResult:
    """Store a response its resident left unfinished on an offline device as a draft.

    The payload is checked as for :func:`submit_payload` except that required
    questions may be unanswered; its answers are merged into the draft the
    form saved (or a new draft is made when consent was given offline). The
    draft stays incomplete: it is never counted as submitted, and ``beboer
    purge-drafts`` removes it in time. Returns ``created`` when stored or
    updated and ``identical`` when nothing changed (a resend, or the response
    is already submitted). Raises :class:`PayloadError` and :class:`Conflict`
    as :func:`submit_payload` does.
    """
    values = check_payload(_completed(payload), get_questionnaire, draft=True)
    values["received_at"] = utcnow()
    response_id = values["id"]
    for _attempt in range(_RETRIES):
        try:
            db.session.execute(_INSERT, values)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        else:
            return SubmitResult("created", response_id)
        row = _detached(db.session.get(Response, response_id, populate_existing=True))
        if row is None:
            continue
        if row.questionnaire_id != values["questionnaire_id"]:
            raise Conflict(response_id)
        if row.status == "submitted" or row.answers_sha256 == values["answers_sha256"]:
            return SubmitResult("identical", response_id)
        changes = {
            key: values[key] for key in ("answers", "answers_sha256", "language", "received_at")
        }
        if _compare_and_set(row, changes):
            return SubmitResult("created", response_id)
    raise StorageError(f"could not store draft {response_id}: it kept changing meanwhile")


def start_draft(
    response_id: str,
    questionnaire: Any,
    *,
    language: str,
    area: str,
    mode: str,
    consent_version: str,
    interviewer_id: str | None = None,
    assistance: str | None = None,
    started_at: datetime | None = None,
) -> None:
    """Create the draft of a response when the resident gives consent; idempotent.

    Starting a draft that already exists (for example after a reload) changes
    nothing. Raises :class:`PayloadError` for an unknown language, area, mode
    or consent version, and :class:`Conflict` when the id belongs to a
    response to another questionnaire.
    """
    errors: dict[str, list[str]] = {}
    try:
        response_id = parse_response_id(response_id)
    except ValueError:
        errors["id"] = ["must be a UUID"]
    if language not in questionnaire.languages:
        errors["language"] = [f"must be one of {', '.join(questionnaire.languages)}"]
    if area not in [item.id for item in questionnaire.areas]:
        errors["area"] = [f"{area!r} is not an area of {questionnaire.id}"]
    if mode not in MODES:
        errors["mode"] = [f"must be one of {', '.join(MODES)}"]
    if assistance is not None and assistance not in ASSISTANCE:
        errors["assistance"] = [f"must be one of {', '.join(ASSISTANCE)}"]
    if consent_version != questionnaire.consent.version:
        errors["consent_version"] = [f"must be {questionnaire.consent.version!r}"]
    if started_at is not None and started_at.tzinfo is None:
        errors["started_at"] = ["must carry a time zone"]
    if errors:
        raise PayloadError(errors)

    now = utcnow()
    started = (started_at or now).astimezone(UTC)
    existing = _detached(db.session.get(Response, response_id, populate_existing=True))
    if existing is not None:
        if existing.questionnaire_id != questionnaire.id:
            raise Conflict(response_id)
        return
    db.session.add(
        Response(
            id=response_id,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            wave=questionnaire.wave,
            language=language,
            area=area,
            mode=mode,
            interviewer_id=interviewer_id,
            assistance=assistance,
            consent_version=consent_version,
            consent_given_at=now,
            started_at=started,
            submitted_at=None,
            received_at=now,
            status="draft",
            answers={},
            answers_sha256=answers_sha256({}),
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _detached(db.session.get(Response, response_id, populate_existing=True))
        if existing is None or existing.questionnaire_id != questionnaire.id:
            raise Conflict(response_id) from None


def save_draft_answers(response_id: str, answers: dict, *, language: str | None = None) -> None:
    """Merge one page's answers into a draft (an emptied answer removes the stored one).

    ``language`` records a language switch. Raises :class:`UnknownResponse`
    when there is no such draft and :class:`AlreadySubmitted` once the
    response has been submitted. Two saves at once both count: each write is
    made only if the answers it merged into are still the stored ones.
    """
    for _attempt in range(_RETRIES):
        row = _read(response_id)
        if row.status == "submitted":
            raise AlreadySubmitted(row.id)
        merged = normalise_answers({**(row.answers or {}), **answers})
        changes: dict[str, Any] = {
            "answers": merged,
            "answers_sha256": answers_sha256(merged),
            "received_at": utcnow(),
        }
        if language is not None:
            changes["language"] = language
        if _compare_and_set(row, changes):
            return
    raise StorageError(f"could not save response {response_id}: it kept changing meanwhile")


def set_assistance(response_id: str, assistance: str) -> None:
    """Record how a draft is collected: ``self``, ``read_aloud``, ``interpreter`` or ``aborted``.

    Raises :class:`PayloadError` for another value, :class:`UnknownResponse`
    when there is no such response and :class:`AlreadySubmitted` once it has
    been submitted.
    """
    if assistance not in ASSISTANCE:
        raise PayloadError({"assistance": [f"must be one of {', '.join(ASSISTANCE)}"]})
    for _attempt in range(_RETRIES):
        row = _read(response_id)
        if row.status == "submitted":
            raise AlreadySubmitted(row.id)
        if _compare_and_set(row, {"assistance": assistance, "received_at": utcnow()}):
            return
    raise StorageError(f"could not update response {response_id}: it kept changing meanwhile")


def get_response(response_id: str) -> Response | None:
    """Return the response (draft or submitted) with this id, or ``None``."""
    try:
        response_id = parse_response_id(response_id)
    except ValueError:
        return None
    return _detached(db.session.get(Response, response_id, populate_existing=True))


def finalize(response_id: str, *, submitted_at: datetime | None = None) -> SubmitResult:
    """Submit a draft after validating its full answer set; idempotent.

    Answers to questions that are no longer visible (the resident changed an
    earlier answer) are dropped first. Returns ``identical`` when the
    response was already submitted (a double tap, or Back and submit again).
    Raises :class:`PayloadError` with ``answers.<question id>`` keys when the
    answers are incomplete or invalid, and :class:`UnknownResponse` when
    there is no such response.
    """
    for _attempt in range(_RETRIES):
        row = _read(response_id)
        if row.status == "submitted":
            return SubmitResult("identical", row.id)
        questionnaire = get_questionnaire(row.questionnaire_id, row.questionnaire_version)
        if questionnaire is None:
            raise PayloadError(
                {
                    "questionnaire": [
                        f"{row.questionnaire_id} {row.questionnaire_version} is not published"
                    ]
                }
            )
        answers = dict(row.answers or {})
        visible = {question.id for question in questionnaire.visible_questions(answers)}
        answers = normalise_answers(
            {key: value for key, value in answers.items() if key in visible}
        )
        problems = questionnaire.validate(answers)
        if problems:
            raise PayloadError(
                {f"answers.{key}": list(messages) for key, messages in problems.items()}
            )
        now = utcnow()
        changes = {
            "answers": answers,
            "answers_sha256": answers_sha256(answers),
            "submitted_at": (submitted_at or now).astimezone(UTC),
            "received_at": now,
            "status": "submitted",
        }
        if _compare_and_set(row, changes):
            return SubmitResult("created", row.id)
    raise StorageError(f"could not submit response {response_id}: it kept changing meanwhile")


def _read(response_id: str) -> Response:
    """Read a response afresh from the database; :class:`UnknownResponse` when absent."""
    try:
        response_id = parse_response_id(response_id)
    except ValueError:
        raise UnknownResponse(str(response_id)) from None
    row = _detached(db.session.get(Response, response_id, populate_existing=True))
    if row is None:
        raise UnknownResponse(response_id)
    return row


def _detached(row: Response | None) -> Response | None:
    """Return ``row`` as a snapshot detached from the session (``None`` stays ``None``).

    Later reads load the row afresh, and a rollback of the session (another
    write losing a race) cannot expire the snapshot the caller holds.
    """
    if row is not None:
        db.session.expunge(row)
    return row


def _compare_and_set(row: Response, changes: Mapping[str, Any]) -> bool:
    """Write ``changes`` only if the draft still holds the answers read; whether it did."""
    result = db.session.execute(
        sa.update(Response)
        .where(
            Response.id == row.id,
            Response.status == "draft",
            Response.answers_sha256 == row.answers_sha256,
        )
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def delete_response(response_id: str, *, deleted_by: str, reason: str) -> bool:
    """Remove one response and record who deleted it, when and why; ``False`` if absent."""
    row = get_response(response_id)
    if row is None:
        return False
    result = db.session.execute(
        sa.delete(Response)
        .where(Response.id == row.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # deleted by someone else meanwhile
        db.session.rollback()
        return False
    db.session.add(
        Deletion(
            response_id=row.id,
            questionnaire_id=row.questionnaire_id,
            deleted_by=deleted_by,
            deleted_at=utcnow(),
            reason=reason,
        )
    )
    db.session.commit()
    return True


def counts_by_area_language(questionnaire_id: str | None = None) -> list[tuple[str, str, str, int]]:
    """Count submitted responses per questionnaire, area and language."""
    statement = (
        sa.select(Response.questionnaire_id, Response.area, Response.language, sa.func.count())
        .where(Response.status == "submitted")
        .group_by(Response.questionnaire_id, Response.area, Response.language)
        .order_by(Response.questionnaire_id, Response.area, Response.language)
    )
    if questionnaire_id is not None:
        statement = statement.where(Response.questionnaire_id == questionnaire_id)
    return [tuple(row) for row in db.session.execute(statement)]


def draft_counts() -> dict[str, int]:
    """Count unfinished drafts per questionnaire."""
    statement = (
        sa.select(Response.questionnaire_id, sa.func.count())
        .where(Response.status == "draft")
        .group_by(Response.questionnaire_id)
    )
    return {questionnaire_id: n for questionnaire_id, n in db.session.execute(statement)}


def find_by_receipt(code: str) -> Response | None:
    """The response whose receipt code is ``code`` (see :mod:`survey.receipt`), or ``None``.

    Receipt codes are not stored: each response id is hashed until one
    matches, reading only the ids (fast enough for a staff lookup of one
    code, even over hundreds of thousands of responses).
    """
    wanted = normalise_receipt(code)
    if wanted is None:
        return None
    for (response_id,) in db.session.execute(sa.select(Response.id)):
        if receipt_code(response_id) == wanted:
            return get_response(response_id)
    return None
