"""Staff pages: real counts, deleting a response with a reason, starting interviews."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from survey import storage
from survey.auth import users
from survey.extensions import db
from survey.models import AuditEntry, Deletion

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def client(app):
    """A test client whose staff pages are in English (the msgids), not the default Danish."""
    english = app.test_client()
    with english.session_transaction() as session:
        session["lang"] = "en"
    return english


@pytest.fixture
def staff(app):
    with app.app_context():
        users.create_user("mette", PASSWORD, role="admin")
        interviewer = users.create_user("ali", PASSWORD, role="interviewer")
        return {"pseudonym": interviewer.pseudonym}


def login(client, username: str) -> None:
    reply = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert reply.status_code == 302


@pytest.mark.parametrize("path", ["/admin/", "/admin/interview", "/admin/interview/mini-survey"])
def test_admin_pages_need_a_login(client, path):
    reply = client.get(path)
    assert reply.status_code == 302
    assert urlsplit(reply.headers["Location"]).path == "/auth/login"
    assert client.post("/admin/responses/delete", data={}).status_code == 302


def test_counts_are_the_real_submitted_counts(app, client, staff, payload):
    with app.app_context():
        for area, language in [("vangdalen", "da"), ("vangdalen", "ar"), ("vangdalen", "ar")]:
            storage.submit_payload(payload(area=area, language=language))
        storage.start_draft(
            str(uuid.uuid4()),
            storage.get_questionnaire("mini-survey"),
            language="da",
            area="glarbjergvej",
            mode="kiosk",
            consent_version="mini-1",
        )
    login(client, "mette")
    page = client.get("/admin/").get_data(as_text=True)
    compact = " ".join(page.split())
    assert "<td>mini-survey</td><td>vangdalen</td><td>ar</td><td>2</td>" in compact.replace(
        "> <", "><"
    )
    assert "<td>mini-survey</td><td>vangdalen</td><td>da</td><td>1</td>" in compact.replace(
        "> <", "><"
    )
    # published row: 3 submitted, 1 draft
    assert '<th scope="row">mini-survey</th><td>1.0</td><td>3</td><td>1</td>' in compact.replace(
        "> <", "><"
    )


def test_admin_deletes_a_response_with_a_reason(app, client, staff, payload):
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
    login(client, "mette")
    reply = client.post(
        "/admin/responses/delete",
        data={"response_id": body["id"].upper(), "reason": "Beboeren trak samtykket tilbage"},
    )
    assert reply.status_code == 302
    assert body["id"] in client.get("/admin/").get_data(as_text=True)  # the flash message
    with app.app_context():
        assert storage.get_response(body["id"]) is None
        (deletion,) = db.session.scalars(sa.select(Deletion))
        assert deletion.deleted_by == "mette"
        assert deletion.reason == "Beboeren trak samtykket tilbage"
        events = [entry.event for entry in db.session.scalars(sa.select(AuditEntry))]
        assert "response_deleted" in events


def test_deleting_needs_a_reason_and_a_known_id(app, client, staff):
    login(client, "mette")
    reply = client.post("/admin/responses/delete", data={"response_id": "abc", "reason": ""})
    assert reply.status_code == 422
    text = reply.get_data(as_text=True)
    assert "Enter a response id (a UUID)." in text
    assert "Give the reason for the deletion." in text
    reply = client.post(
        "/admin/responses/delete", data={"response_id": str(uuid.uuid4()), "reason": "test"}
    )
    assert reply.status_code == 422
    assert "No response has this id." in reply.get_data(as_text=True)


def test_interviewer_may_not_delete(app, client, staff, payload):
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
    login(client, "ali")
    assert "Delete a response" not in client.get("/admin/").get_data(as_text=True)
    reply = client.post("/admin/responses/delete", data={"response_id": body["id"], "reason": "x"})
    assert reply.status_code == 403
    with app.app_context():
        assert storage.get_response(body["id"]) is not None


def test_interviewer_starts_an_interview_in_interviewer_mode(client, staff):
    login(client, "ali")
    listing = client.get("/admin/interview").get_data(as_text=True)
    assert "/admin/interview/mini-survey" in listing
    page = client.get("/admin/interview/mini-survey").get_data(as_text=True)
    assert staff["pseudonym"] in page
    assert 'value="vangdalen"' in page
    assert "العربية (draft translation)" in page  # staff see which translations are drafts
    assert "Dansk (draft" not in page
    reply = client.post(
        "/admin/interview/mini-survey", data={"area": "vangdalen", "language": "ar"}
    )
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert location.path == "/s/mini-survey"
    assert parse_qs(location.query) == {
        "mode": ["interviewer"],
        "area": ["vangdalen"],
        "lang": ["ar"],
    }


def test_interview_refuses_an_unknown_area_or_questionnaire(client, staff):
    login(client, "ali")
    reply = client.post("/admin/interview/mini-survey", data={"area": "nowhere", "language": "da"})
    assert reply.status_code == 200
    assert "Not a valid choice" in reply.get_data(as_text=True)
    assert client.get("/admin/interview/nope").status_code == 404
