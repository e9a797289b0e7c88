"""Device tokens in the console: administrators issue, list and revoke them; all audited."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from survey.auth import users
from survey.extensions import db
from survey.models import AuditEntry, DeviceToken

PASSWORD = "korrekt hest batteri"
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
TOKEN = re.compile(r"bbd_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def client(app):
    """A test client whose staff chose English (the msgids) for the staff pages."""
    english = app.test_client()
    with english.session_transaction() as session:
        session["staff_lang"] = "en"
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


def audit_rows(app) -> list[tuple[str, str | None, dict]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        return [(row.event, row.username, row.detail) for row in rows if "device" in row.event]


def test_admin_issues_uses_and_revokes_a_token(app, client, staff, payload):
    login(client, "mette")
    page = client.get("/admin/devices").get_data(as_text=True)
    assert 'href="/admin/devices" aria-current="page"' in page
    assert "No device token has been issued yet." in page

    reply = client.post("/admin/devices", data={"username": "ali", "name": "tablet 3"})
    assert reply.status_code == 200
    assert reply.headers["Cache-Control"] == "no-store"
    shown = reply.get_data(as_text=True)
    (token,) = set(TOKEN.findall(shown))
    assert "It is shown only this once." in shown
    with app.app_context():
        row = db.session.scalars(sa.select(DeviceToken)).one()
        assert (row.name, row.created_by, row.revoked_at) == ("tablet 3", "mette", None)
        assert token not in row.token_sha256

    # The token works for interviewer mode, without any staff session.
    tablet = app.test_client()
    device = {"Authorization": f"Bearer {token}"}
    body = payload(mode="interviewer", interviewer_id=staff["pseudonym"])
    assert tablet.post("/api/v1/responses", json=body, headers=device).status_code == 201

    listing = client.get("/admin/devices").get_data(as_text=True)
    assert "tablet 3" in listing and "ali" in listing and "Active" in listing
    assert token not in listing and not TOKEN.search(listing)

    # Revoking asks first; nothing changes until confirmed.
    ask = client.post(f"/admin/devices/{row.id}/revoke", data={})
    assert ask.status_code == 200
    assert "Revoke this device token?" in ask.get_data(as_text=True)
    again = payload(mode="interviewer", interviewer_id=staff["pseudonym"])
    assert tablet.post("/api/v1/responses", json=again, headers=device).status_code == 201

    done = client.post(f"/admin/devices/{row.id}/revoke", data={"confirm": "y"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/devices")
    after = client.get("/admin/devices").get_data(as_text=True)
    assert "The token of tablet 3 was revoked." in after
    assert "Revoked 20" in after and not TOKEN.search(after)
    late = payload(mode="interviewer", interviewer_id=staff["pseudonym"])
    assert tablet.post("/api/v1/responses", json=late, headers=device).status_code == 401

    assert audit_rows(app) == [
        (
            "device_token_issued",
            "mette",
            {"token_id": row.id, "name": "tablet 3", "for_user": "ali"},
        ),
        ("device_token_revoked", "mette", {"token_id": row.id}),
    ]
    # A second revoke changes nothing and writes nothing.
    client.post(f"/admin/devices/{row.id}/revoke", data={"confirm": "y"})
    assert len(audit_rows(app)) == 2


def test_interviewers_may_not_see_issue_or_revoke_tokens(app, client, staff):
    with app.app_context():
        from survey import devices

        token_id = devices.issue_token("tablet 1", "ali", issued_by="test").id
    login(client, "ali")
    assert 'href="/admin/devices"' not in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/devices").status_code == 403
    assert client.post("/admin/devices", data={"username": "ali", "name": "x"}).status_code == 403
    reply = client.post(f"/admin/devices/{token_id}/revoke", data={"confirm": "y"})
    assert reply.status_code == 403
    with app.app_context():
        assert db.session.get(DeviceToken, token_id).revoked_at is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DeviceToken)) == 1


def test_device_pages_need_a_login(client):
    assert client.get("/admin/devices").status_code == 302
    assert client.post("/admin/devices/1/revoke", data={"confirm": "y"}).status_code == 302


def test_bad_issue_form_is_422_and_issues_nothing(app, client, staff):
    login(client, "mette")
    for data in (
        {"username": "ali", "name": "   "},
        {"username": "ali", "name": "x" * 81},
        {"username": "mette", "name": "tablet"},  # not an interviewer account
        {"username": "nobody", "name": "tablet"},
    ):
        reply = client.post("/admin/devices", data=data)
        assert reply.status_code == 422, data
        assert 'class="field-errors"' in reply.get_data(as_text=True)
    assert client.post("/admin/devices/999/revoke", data={"confirm": "y"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DeviceToken)) == 0
    assert audit_rows(app) == []


def test_device_forms_need_the_csrf_token(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    csrf = re.search(CSRF, page).group(1)
    login_data = {"username": "mette", "password": PASSWORD, "csrf_token": csrf}
    assert client.post("/auth/login", data=login_data).status_code == 302
    reply = client.post("/admin/devices", data={"username": "ali", "name": "tablet"})
    assert reply.status_code in (400, 422)
    page = client.get("/admin/devices").get_data(as_text=True)
    csrf = re.search(CSRF, page).group(1)
    data = {"username": "ali", "name": "tablet", "csrf_token": csrf}
    assert client.post("/admin/devices", data=data).status_code == 200
    with app.app_context():
        token_id = db.session.scalars(sa.select(DeviceToken.id)).one()
    assert (
        client.post(f"/admin/devices/{token_id}/revoke", data={"confirm": "y"}).status_code == 400
    )
    with app.app_context():
        assert db.session.get(DeviceToken, token_id).revoked_at is None


def test_the_cli_writes_the_same_audit_rows(app, runner, staff):
    issued = runner.invoke(["device-token", "issue", "--user", "ali", "--name", "tablet 1"])
    assert issued.exit_code == 0, issued.output
    with app.app_context():
        token_id = db.session.scalars(sa.select(DeviceToken.id)).one()
    assert runner.invoke(["device-token", "revoke", str(token_id)]).exit_code == 0
    assert runner.invoke(["device-token", "revoke", str(token_id)]).exit_code == 2
    cli = "beboer device-token"
    assert audit_rows(app) == [
        ("device_token_issued", cli, {"token_id": token_id, "name": "tablet 1", "for_user": "ali"}),
        ("device_token_revoked", cli, {"token_id": token_id}),
    ]
