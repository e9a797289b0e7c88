"""Helpers for the survey app's tests: valid response payloads for the test questionnaire."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

MINI_ANSWERS = {
    "tilfreds_omraade": "2",
    "daarligt_ry": "1",
    "ry_grunde": ["rygter", "andet"],
    "alder": 42,
    "kommentar": "Gode naboer – og en ny legeplads ønskes.",
}


def make_payload(**changes: Any) -> dict[str, Any]:
    """A valid API payload for ``mini-survey`` with a fresh UUID; ``changes`` replace fields."""
    payload: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "questionnaire": "mini-survey",
        "version": "1.0",
        "language": "da",
        "area": "glarbjergvej",
        "mode": "kiosk",
        "consent_version": "mini-1",
        "started_at": "2016-05-01T10:00:00+02:00",
        "submitted_at": "2016-05-01T10:07:30+02:00",
        "answers": dict(MINI_ANSWERS),
    }
    payload.update(changes)
    return payload


@pytest.fixture
def payload() -> Callable[..., dict[str, Any]]:
    """Factory of valid payloads: ``payload(area="vangdalen")``."""
    return make_payload
