"""Staff login: argon2 hashes, wrong passwords audited, logout, CSRF, rate limit."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from survey import create_app, storage
from survey.auth import users
from survey.extensions import db
from survey.models import AuditEntry, User

PASSWORD = "korrekt hest batteri"


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
        admin = users.create_user("mette", PASSWORD, role="admin")
        interviewer = users.create_user("ali", PASSWORD, role="interviewer")
        return {"admin": admin.username, "interviewer": interviewer.username}


def login(client, username: str, password: str = PASSWORD, **kwargs):
    return client.post("/auth/login", data={"username": username, "password": password}, **kwargs)


def audit_events(app) -> list[tuple[str, str | None, dict]]:
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
        return [(entry.event, entry.username, entry.detail) for entry in entries]


def test_password_is_stored_as_an_argon2id_hash(app, staff):
    with app.app_context():
        user = users.find_user("mette")
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert re.fullmatch(r"INT-[0-9A-F]{6}", user.pseudonym)
        assert users.find_user("ali").pseudonym != user.pseudonym


def test_create_user_refuses_weak_password_taken_name_and_unknown_role(app, staff):
    with app.app_context():
        with pytest.raises(users.UserError, match="at least 10"):
            users.create_user("ny", "kort")
        with pytest.raises(users.UserError, match="exists already"):
            users.create_user("mette", PASSWORD)
        with pytest.raises(users.UserError, match="role"):
            users.create_user("ny", PASSWORD, role="boss")


def test_login_page_renders(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert b'name="username"' in page.data
    assert b'autocomplete="current-password"' in page.data


def test_login_page_header_names_the_product_without_staff_navigation(client):
    page = client.get("/auth/login").get_data(as_text=True)
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    assert "beboer – staff" in header
    assert "staff-nav" not in header and "Log out" not in header  # nobody is logged in yet
    assert '<section class="staff-login"' in page


def test_login_and_logout(app, client, staff):
    reply = login(client, "mette")
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    reply = client.post("/auth/logout")
    assert reply.status_code == 302
    assert "You are logged out." in client.get(reply.headers["Location"]).get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    assert "Please log in to see this page." in client.get("/auth/login").get_data(as_text=True)
    events = [event for event, _user, _detail in audit_events(app)]
    assert events[-2:] == ["login", "logout"]


def test_login_follows_a_local_next_but_not_another_site(client, staff):
    assert (
        login(client, "mette", query_string={"next": "/admin/interview"}).headers["Location"]
        == "/admin/interview"
    )
    client.post("/auth/logout")
    assert (
        login(client, "mette", query_string={"next": "https://evil.example/"}).headers["Location"]
        == "/admin/"
    )
    client.post("/auth/logout")
    assert (
        login(client, "mette", query_string={"next": "//evil.example/"}).headers["Location"]
        == "/admin/"
    )


def test_wrong_password_is_refused_and_audited_without_the_password(app, client, staff):
    reply = login(client, "mette", "forkert-kodeord-123")
    assert reply.status_code == 200
    assert "The user name or password is wrong." in reply.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    login(client, "nobody", "hemmeligt-kodeord")
    failures = [entry for entry in audit_events(app) if entry[0] == "login_failed"]
    assert failures == [
        ("login_failed", "mette", {"reason": "wrong password"}),
        ("login_failed", "nobody", {"reason": "unknown user"}),
    ]
    with app.app_context():
        everything = " ".join(
            str(value)
            for row in db.session.execute(sa.select(AuditEntry.__table__))
            for value in row
        )
    assert "forkert-kodeord-123" not in everything
    assert "hemmeligt-kodeord" not in everything


def test_logout_needs_a_post(client, staff):
    login(client, "mette")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/admin/").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client, staff):
    reply = login(client, "mette")
    (cookie,) = [c for c in reply.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_tests(app_config):
    app_config.pop("SESSION_COOKIE_SECURE")
    app_config["TESTING"] = False
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is True
    app_config["TESTING"] = True
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is False


@pytest.fixture
def csrf_app(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
        users.create_user("mette", PASSWORD, role="admin")
    yield application
    with application.app_context():
        db.engine.dispose()


def test_csrf_rejects_a_form_without_token(csrf_app):
    client = csrf_app.test_client()
    reply = login(client, "mette")
    assert reply.status_code == 400
    text = reply.get_data(as_text=True)
    assert "Traceback" not in text
    assert client.get("/admin/").status_code == 302


def test_csrf_accepts_the_form_with_its_token(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    reply = client.post(
        "/auth/login", data={"username": "mette", "password": PASSWORD, "csrf_token": token}
    )
    assert reply.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_login_is_rate_limited(app_config):
    app_config["RATELIMIT_ENABLED"] = True
    app_config["RATELIMIT_LOGIN"] = "3 per minute"
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
    client = application.test_client()
    statuses = [login(client, "mette", "forkert-kodeord").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/auth/login").status_code == 200  # only POST counts
    with application.app_context():
        db.engine.dispose()


def test_users_table_has_no_plain_passwords(app, staff):
    with app.app_context():
        columns = set(User.__table__.columns.keys())
    # session_token is a random secret drawn anew at each logout, not a password
    assert columns == {
        "id",
        "username",
        "password_hash",
        "role",
        "pseudonym",
        "created_at",
        "session_token",
    }


def test_staff_pages_default_to_danish(app, staff):
    danish = app.test_client()
    reply = login(danish, "mette", "forkert-kodeord-123")
    assert "Brugernavnet eller adgangskoden er forkert." in reply.get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in reply.get_data(as_text=True)
