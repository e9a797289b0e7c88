"""The response payload: its fields, how it is checked, and the canonical form of answers.

A payload is the JSON body of ``POST /api/v1/responses`` (also a line of a
``beboer import`` file). :func:`check_payload` checks it field by field and
against its questionnaire, collecting every problem under the field's name
(``answers.<question id>`` for answers) before raising :class:`PayloadError`.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from .models import ASSISTANCE, MODES

REQUIRED_FIELDS = (
    "id",
    "questionnaire",
    "version",
    "language",
    "area",
    "mode",
    "consent_version",
    "started_at",
    "submitted_at",
    "answers",
)
OPTIONAL_FIELDS = ("consent_given_at", "interviewer_id", "assistance")
TIMESTAMP_FIELDS = ("started_at", "submitted_at", "consent_given_at")
PSEUDONYM = re.compile(r"INT-[0-9A-F]{6}")
#: Earliest timestamp accepted, and how far ahead of the server's clock a device's may be.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)
SHOWN_LENGTH = 60
#: How many messages per field, and how many fields, an error report lists.
MAX_ERRORS = 20

FindQuestionnaire = Callable[[str, "str | None"], Any]


class PayloadError(ValueError):
    """The response is invalid; ``errors`` maps each field to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = {field: list(messages) for field, messages in errors.items()}
        super().__init__(f"invalid response: {', '.join(sorted(self.errors))}")


def capped_errors(errors: dict[str, list[str]], limit: int = MAX_ERRORS) -> dict[str, list[str]]:
    """The first ``limit`` messages of the first ``limit`` fields, each cut list ending in a count.

    Repeated messages are listed once, so a reply stays short however many
    times the same mistake was made.
    """
    capped: dict[str, list[str]] = {}
    for field, messages in list(errors.items())[:limit]:
        unique = list(dict.fromkeys(str(message) for message in messages))
        kept = unique[:limit]
        if len(messages) > len(kept):
            kept.append(f"... and {len(messages) - len(kept)} more")
        capped[field] = kept
    if len(errors) > limit:
        capped["..."] = [f"{len(errors) - limit} more fields have errors"]
    return capped


# -- answers -----------------------------------------------------------------------------


def is_unanswered(value: Any) -> bool:
    """Whether ``value`` means "not answered" (absent, ``None``, ``""`` or ``[]``)."""
    return value is None or value == "" or value == []


def normalise_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``answers`` in the one form that is stored and hashed.

    Unanswered questions are dropped, so that absent, ``None``, ``""`` and ``[]``
    store alike; a number with no fraction (``12.0``) becomes ``12`` and the codes
    of a multiple-choice answer are sorted, so that equal answers hash equal
    whatever a client's JSON encoder or tick order made of them.
    """
    return {
        key: _normal_value(value) for key, value in answers.items() if not is_unanswered(value)
    }


def _normal_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list) and all(isinstance(code, str) for code in value):
        return sorted(value)
    return value


def canonical_json(answers: Mapping[str, Any]) -> str:
    """Return the canonical JSON text of ``answers`` (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def answers_sha256(answers: Mapping[str, Any]) -> str:
    """Return the hex SHA-256 of the canonical JSON of ``answers``."""
    return hashlib.sha256(canonical_json(answers).encode("utf-8")).hexdigest()


# -- single fields -----------------------------------------------------------------------


def parse_response_id(value: Any) -> str:
    """Return the canonical (lower-case, hyphenated) form of a UUID; ``ValueError`` otherwise."""
    if not isinstance(value, str):
        raise ValueError("must be a UUID string")
    return str(uuid.UUID(value))


def parse_timestamp(value: Any) -> datetime:
    """Parse an ISO-8601 timestamp that carries a time zone and return it in UTC."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO-8601 timestamp string with a time zone")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{shown(value)} is not an ISO-8601 timestamp (e.g. 2016-05-01T10:15:00+02:00)"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"{shown(value)} has no time zone (add Z or an offset such as +02:00)")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{shown(value)} is out of range") from None


def shown(value: Any) -> str:
    """``repr(value)`` cut to ``SHOWN_LENGTH`` characters, for echoing input in a message."""
    text = repr(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


def check_times(values: Mapping[str, datetime], now: datetime, errors: Any) -> None:
    """Add an error for each timestamp before 2000 or ahead of ``now`` by more than a day,
    and when ``started_at`` is after ``submitted_at``."""
    for field in TIMESTAMP_FIELDS:
        when = values.get(field)
        if when is None:
            continue
        if when < EARLIEST:
            errors.add(field, "must not be before 2000-01-01")
        elif when > now + CLOCK_SKEW:
            errors.add(field, "is more than a day in the future (is the device's clock right?)")
    started, submitted = values.get("started_at"), values.get("submitted_at")
    if started is not None and submitted is not None and started > submitted:
        errors.add("submitted_at", "must not be before started_at")


def is_pseudonym(value: Any) -> bool:
    """Whether ``value`` is an interviewer pseudonym such as ``INT-3F9A2C``."""
    return isinstance(value, str) and PSEUDONYM.fullmatch(value) is not None


# -- the whole payload -------------------------------------------------------------------


class _Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _check_fields(payload: Mapping[str, Any], errors: _Errors, draft: bool) -> dict[str, Any]:
    """Check the fields that need no questionnaire; return their parsed values."""
    for field in REQUIRED_FIELDS:
        if payload.get(field) is None and not (draft and field == "submitted_at"):
            errors.add(field, "is required")
    unknown = sorted(set(payload) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    for field in unknown[:20]:
        errors.add(field[:SHOWN_LENGTH], "is not a known field")
    if len(unknown) > 20:
        errors.add("...", f"{len(unknown) - 20} more unknown fields")

    values: dict[str, Any] = {}
    if payload.get("id") is not None:
        try:
            values["id"] = parse_response_id(payload["id"])
        except ValueError:
            errors.add("id", "must be a UUID such as 0b3c1f4e-2f6a-4c8e-9a77-5d1e3b2a4c6f")
    for field in TIMESTAMP_FIELDS:
        if payload.get(field) is not None:
            try:
                values[field] = parse_timestamp(payload[field])
            except ValueError as error:
                errors.add(field, str(error))
    check_times(values, datetime.now(UTC), errors)

    mode = payload.get("mode")
    if mode is not None and mode not in MODES:
        errors.add("mode", f"must be one of {', '.join(MODES)}")
    assistance = payload.get("assistance")
    if assistance is not None and assistance not in ASSISTANCE:
        errors.add("assistance", f"must be one of {', '.join(ASSISTANCE)}")
    interviewer_id = payload.get("interviewer_id")
    if interviewer_id is not None:
        if mode != "interviewer":
            errors.add("interviewer_id", "is only allowed with mode interviewer")
        elif not is_pseudonym(interviewer_id):
            errors.add("interviewer_id", "must be an interviewer pseudonym such as INT-3F9A2C")
    answers = payload.get("answers")
    if answers is not None and not isinstance(answers, Mapping):
        errors.add("answers", "must be an object mapping question ids to answers")
    return values


def _find(payload: Mapping[str, Any], find: FindQuestionnaire, errors: _Errors) -> Any | None:
    """The published questionnaire version the payload names, or ``None`` with an error."""
    questionnaire_id = payload.get("questionnaire")
    version = payload.get("version")
    if questionnaire_id is None:
        return None
    if not isinstance(questionnaire_id, str):
        errors.add("questionnaire", "must be a questionnaire id (a string)")
        return None
    if isinstance(version, str):
        questionnaire = find(questionnaire_id, version)
        if questionnaire is not None:
            return questionnaire
    if find(questionnaire_id, None) is None:
        errors.add("questionnaire", f"{shown(questionnaire_id)} is not a published questionnaire")
    elif version is not None:
        errors.add("version", f"{shown(version)} is not a published version of {questionnaire_id}")
    return None


def _check_against(
    payload: Mapping[str, Any], questionnaire: Any, errors: _Errors, draft: bool
) -> None:
    """Check language, area, consent version and answers against the questionnaire."""
    language = payload.get("language")
    if language is not None and language not in questionnaire.languages:
        errors.add("language", f"must be one of {', '.join(questionnaire.languages)}")
    area_ids = [area.id for area in questionnaire.areas]
    area = payload.get("area")
    if area is not None and area not in area_ids:
        errors.add("area", f"must be one of {', '.join(area_ids)}")
    consent_version = payload.get("consent_version")
    if consent_version is not None and consent_version != questionnaire.consent.version:
        errors.add(
            "consent_version",
            f"must be {questionnaire.consent.version!r}, the consent text of this version",
        )
    answers = payload.get("answers")
    if isinstance(answers, Mapping):
        for question_id, messages in questionnaire.validate(dict(answers)).items():
            for message in messages:
                if not (draft and getattr(message, "code", None) == "required"):
                    errors.add(f"answers.{question_id}", message)


def check_payload(
    payload: Any, find_questionnaire: FindQuestionnaire, *, draft: bool = False
) -> dict[str, Any]:
    """Check a payload completely and return the values of its ``responses`` row.

    With ``draft`` the payload is an unfinished response (left by its resident
    while the device was offline): required questions may be unanswered,
    ``submitted_at`` may be missing, and the row is a draft without one.

    ``find_questionnaire(id, version)`` returns the published questionnaire
    (the latest version when ``version`` is ``None``) or ``None``. Raises
    :class:`PayloadError` listing every problem by field; the messages of
    answers are the questionnaire's ``ValidationMessage`` objects (strings
    carrying ``code`` and ``params``).
    """
    if not isinstance(payload, Mapping):
        raise PayloadError({"$": ["the body must be a JSON object"]})
    errors = _Errors()
    values = _check_fields(payload, errors, draft)
    questionnaire = _find(payload, find_questionnaire, errors)
    if questionnaire is not None:
        _check_against(payload, questionnaire, errors, draft)
    if errors or questionnaire is None:
        raise PayloadError(errors)

    answers = normalise_answers(payload["answers"])
    values.update(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        wave=questionnaire.wave,
        language=payload["language"],
        area=payload["area"],
        mode=payload["mode"],
        interviewer_id=payload.get("interviewer_id"),
        assistance=payload.get("assistance"),
        consent_version=payload["consent_version"],
        status="draft" if draft else "submitted",
        answers=answers,
        answers_sha256=answers_sha256(answers),
    )
    values.setdefault("consent_given_at", values["started_at"])
    if draft:
        values["submitted_at"] = None
    return values


def with_stored_answers(payload: Any, stored: Mapping[str, Any] | None, questionnaire: Any) -> Any:
    """A device's payload completed with the answers the server already stored for it.

    The form's device keeps only the answers the server has not acknowledged
    (a page saved on the server as a draft is forgotten on the device), so a
    response finished or left offline carries only those. They are merged
    over ``stored`` (the draft's answers), and answers to questions that the
    merged answers hide are dropped, as :func:`survey.storage.finalize` does.
    Anything that is not such a payload is returned unchanged, for
    :func:`check_payload` to report.
    """
    if not stored or not isinstance(payload, Mapping):
        return payload
    answers = payload.get("answers")
    if not isinstance(answers, Mapping):
        return payload
    merged = {**stored, **answers}
    if questionnaire is not None:
        visible = {question.id for question in questionnaire.visible_questions(merged)}
        merged = {
            key: value
            for key, value in merged.items()
            if key in visible or not questionnaire.has_question(key)
        }
    return {**payload, "answers": merged}
