"""Session protection: anonymous residents' sessions are left alone, staff sessions are checked."""

from __future__ import annotations

import pytest

from survey.auth import users

PASSWORD = "korrekt hest batteri"
FORM = "/s/beboerundersoegelse-2016"


def session_cookies(reply) -> list[str]:
    return [c for c in reply.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_plain_get_without_a_session_sets_no_cookie(bundled, client):
    for _ in range(2):
        reply = client.get(FORM)
        assert reply.status_code == 200
        assert reply.headers.getlist("Set-Cookie") == []


def test_plain_get_leaves_an_anonymous_session_unchanged(bundled, client):
    with client.session_transaction() as session:
        session["lang"] = "en"
    for _ in range(2):
        reply = client.get(FORM)
        assert reply.status_code == 200
        # strong protection used to rewrite the cookie (and clear remember_token) on every page
        assert reply.headers.getlist("Set-Cookie") == []
    with client.session_transaction() as session:
        assert dict(session) == {"lang": "en"}


@pytest.fixture
def staff_client(app, client):
    with app.app_context():
        users.create_user("mette", PASSWORD, role="admin")
    headers = {"User-Agent": "staff-tablet"}
    reply = client.post(
        "/auth/login", data={"username": "mette", "password": PASSWORD}, headers=headers
    )
    assert reply.status_code == 302
    return client


def test_staff_session_is_still_protected(staff_client):
    assert staff_client.get("/admin/", headers={"User-Agent": "staff-tablet"}).status_code == 200
    stolen = staff_client.get("/admin/", headers={"User-Agent": "another-browser"})
    assert stolen.status_code == 302
    assert "/auth/login" in stolen.headers["Location"]
    # "strong" removed the login from the session: the original browser must log in again
    assert staff_client.get("/admin/", headers={"User-Agent": "staff-tablet"}).status_code == 302
