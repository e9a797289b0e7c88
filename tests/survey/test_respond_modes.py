"""Interviewer mode and the read-aloud audio route of the resident form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.mini_audio import audio_questionnaire

MINI = "mini-survey"


def stored(app: Flask) -> list[dict]:
    from survey.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM responses")).mappings().all()
        return [dict(row) for row in rows]


def log_in(app: Flask, client: FlaskClient) -> str:
    """Create an interviewer, log in through the login form; return the pseudonym."""
    from survey.auth.users import create_user

    with app.app_context():
        user = create_user("interviewer1", "a long enough password 42", role="interviewer")
        pseudonym = user.pseudonym
    response = client.post(
        "/auth/login", data={"username": "interviewer1", "password": "a long enough password 42"}
    )
    assert response.status_code == 302
    return pseudonym


def test_interviewer_mode_stores_mode_pseudonym_and_assistance(
    app: Flask, client: FlaskClient
) -> None:
    pseudonym = log_in(app, client)
    consent = client.get(f"/s/{MINI}?lang=da&mode=interviewer&area=vangdalen")
    page = consent.get_data(as_text=True)
    assert 'name="assistance"' in page and "Tolk anvendt" in page
    started = client.post(
        f"/s/{MINI}?lang=da&mode=interviewer&area=vangdalen",
        data={
            "lang": "da",
            "mode": "interviewer",
            "area": "vangdalen",
            "consent": "y",
            "assistance": "interpreter",
        },
    )
    first = started.headers["Location"]
    (row,) = stored(app)
    assert (row["mode"], row["interviewer_id"], row["assistance"]) == (
        "interviewer",
        pseudonym,
        "interpreter",
    )
    question = client.get(first).get_data(as_text=True)
    assert "Afbryd interviewet" in question and "Ja, afbryd interviewet" in question
    assert "Interview i gang" in question and pseudonym in question
    aborted = client.post(first, data={"q_tilfreds_omraade": "2", "abort": "1"})
    assert aborted.status_code == 200 and "Interview afbrudt" in aborted.get_data(as_text=True)
    (row,) = stored(app)
    assert row["assistance"] == "aborted" and row["status"] == "draft"
    answers = row["answers"] if isinstance(row["answers"], dict) else json.loads(row["answers"])
    assert answers == {"tilfreds_omraade": "2"}
    # The aborted interview is forgotten by this browser.
    assert client.get(first).status_code == 302


def test_residents_do_not_get_interviewer_pages(app: Flask, client: FlaskClient) -> None:
    log_in(app, client)
    started = client.post(
        f"/s/{MINI}?lang=da", data={"lang": "da", "area": "vangdalen", "consent": "y"}
    )
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Interview afbrudt" not in page
    assert 'name="assistance"' not in client.get(f"/s/{MINI}?lang=da").get_data(as_text=True)


def _publish_with_audio(app: Flask, folder: Path) -> None:
    from survey import storage

    path = audio_questionnaire(folder, "tilfreds.da.mp3", b"ID3 test audio")
    with app.app_context():
        storage.publish_file(path)


def test_read_aloud_audio_is_served_from_the_questionnaire_folder(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    _publish_with_audio(app, tmp_path)
    started = client.post(
        "/s/mini-audio?lang=da", data={"lang": "da", "area": "vangdalen", "consent": "y"}
    )
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    match = re.search(r'data-audio="([^"]+)"', page)
    assert match and match.group(1) == "/s/mini-audio/audio/da/tilfreds_omraade"
    assert re.search(r'<button type="button" class="speak" hidden data-speak data-audio', page)
    audio = client.get(match.group(1))
    assert audio.status_code == 200 and audio.data == b"ID3 test audio"
    assert client.get("/s/mini-audio/audio/ar/tilfreds_omraade").status_code == 404
    assert client.get("/s/mini-audio/audio/da/daarligt_ry").status_code == 404
    assert client.get("/s/mini-audio/audio/da/..%2F..%2Fetc").status_code == 404


def test_interviewer_controls_stay_in_the_staff_language(app: Flask, client: FlaskClient) -> None:
    """An interview in Arabic: questions in Arabic, the interviewer's controls in Danish."""
    pseudonym = log_in(app, client)
    consent = client.get(f"/s/{MINI}?lang=ar&mode=interviewer&area=vangdalen")
    page = consent.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="da" dir="ltr"' in page and "Tolk anvendt" in page
    # Assistance has no default: nothing is checked until the interviewer chooses.
    assert re.search(r'name="assistance"[^>]*checked', page) is None
    missing = client.post(
        f"/s/{MINI}?lang=ar&mode=interviewer&area=vangdalen",
        data={"lang": "ar", "mode": "interviewer", "area": "vangdalen", "consent": "y"},
    )
    assert missing.status_code == 200
    assert "Vælg, hvordan spørgeskemaet besvares." in missing.get_data(as_text=True)
    assert stored(app) == []
    started = client.post(
        f"/s/{MINI}?lang=ar&mode=interviewer&area=vangdalen",
        data={
            "lang": "ar",
            "mode": "interviewer",
            "area": "vangdalen",
            "consent": "y",
            "assistance": "read_aloud",
        },
    )
    question = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "منطقتك السكنية" in question
    assert "Interview i gang" in question and pseudonym in question
    assert "Afbryd interviewet" in question
    aborted = client.post(started.headers["Location"], data={"abort": "1"})
    text = aborted.get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in text and "Interview afbrudt" in text
