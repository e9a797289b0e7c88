"""Shared tablets without a browser: receipts, the console lookup and exports, skipping,
exclusive choices without JavaScript, kiosk state, hashed and compressed static files."""

from __future__ import annotations

import gzip
import io
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from survey import storage
from survey.auth import users
from survey.extensions import db
from survey.models import AuditEntry
from survey.receipt import ALPHABET, normalise_receipt, receipt_code

PASSWORD = "korrekt hest batteri"
MINI = "mini-survey"


@pytest.fixture
def staff(app):
    with app.app_context():
        users.create_user("mette", PASSWORD, role="admin")
        users.create_user("ali", PASSWORD, role="interviewer")


def login(client, username: str) -> None:
    reply = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert reply.status_code == 302


def audit_events(app) -> list[AuditEntry]:
    with app.app_context():
        entries = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))
        db.session.expunge_all()
        return entries


# -- receipt codes ------------------------------------------------------------------------


def test_receipt_code_is_short_unambiguous_and_stable() -> None:
    response_id = "3f0b8a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
    code = receipt_code(response_id)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set(code) & set("ILOU")
    assert receipt_code(response_id.upper()) == code
    assert response_id[:8].upper() not in code.replace("-", "")
    # Independent check of the derivation: Crockford base 32 of SHA-256's first 40 bits.
    import hashlib

    bits = int.from_bytes(hashlib.sha256(f"beboer-receipt:{response_id}".encode()).digest()[:5])
    expected = "".join(ALPHABET[(bits >> shift) & 31] for shift in range(35, -5, -5))
    assert code == expected[:4] + "-" + expected[4:]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7kq2 m9xd", "7KQ2-M9XD"),
        ("7KQ2-M9XD", "7KQ2-M9XD"),
        ("7kq2m9xo", "7KQ2-M9X0"),
        ("ikq2-m9xl", "1KQ2-M9X1"),
        ("7KQ2-M9X", None),
        ("7KQ2-M9XU", None),
        ("", None),
    ],
)
def test_receipt_codes_are_read_forgivingly(typed: str, expected: str | None) -> None:
    assert normalise_receipt(typed) == expected


def test_thank_you_page_shows_the_receipt_once_and_exports_never(app, client, tmp_path) -> None:
    client.get(f"/s/{MINI}?lang=da&area=vangdalen")
    started = client.post(
        f"/s/{MINI}?lang=da",
        data={"lang": "da", "mode": "web", "area": "vangdalen", "consent": "y"},
    )
    first = started.headers["Location"]
    response_id = first.split("/r/")[1].split("/")[0]
    client.post(first, data={"q_tilfreds_omraade": "1", "q_daarligt_ry": "2"})
    second = first.replace("/p/1", "/p/2")
    done = client.post(second, data={"next": "1", "asked": "alder kommentar"})
    thanks = client.get(done.headers["Location"]).get_data(as_text=True)
    code = receipt_code(response_id)
    assert code in thanks and response_id not in thanks
    assert 'data-forget="answers"' in thanks
    assert code not in client.get(done.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        from survey import export

        questionnaire = storage.get_questionnaire(MINI)
        frame = export.response_frame(questionnaire, export.submitted_rows(MINI))
        for fmt in export.FORMATS:
            path = tmp_path / f"out.{fmt}"
            export.write_export(frame, questionnaire, path, fmt)
            assert code.encode() not in path.read_bytes()
            assert code.replace("-", "").encode() not in path.read_bytes()


# -- the console: lookup by receipt, two-step deletion, exports ----------------------------


def test_staff_find_a_response_by_receipt_and_delete_it(app, client, staff, payload) -> None:
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
    code = receipt_code(body["id"])
    login(client, "mette")
    found = client.get("/admin/responses/find", query_string={"receipt": code.lower()})
    assert found.status_code == 200
    page = found.get_data(as_text=True)
    assert body["id"] in page and "glarbjergvej" in page
    assert "Gode naboer" not in page and "rygter" not in page  # metadata only, no answers
    missing = client.get("/admin/responses/find", query_string={"receipt": "0000-0000"})
    assert missing.status_code == 404
    bad = client.get("/admin/responses/find", query_string={"receipt": "abc"})
    assert bad.status_code == 422 and "7KQ2-M9XD" in bad.get_data(as_text=True)
    lookups = [e for e in audit_events(app) if e.event == "receipt_lookup"]
    assert [(e.username, e.detail["found"]) for e in lookups][:1] == [("mette", True)]
    data = {"response_id": body["id"], "reason": "Kvittering " + code}
    asked = client.post("/admin/responses/delete", data=data)
    assert asked.status_code == 200 and 'name="confirm"' in asked.get_data(as_text=True)
    deleted = client.post("/admin/responses/delete", data={**data, "confirm": "y"})
    assert deleted.status_code == 302
    with app.app_context():
        assert storage.get_response(body["id"]) is None


def test_interviewers_cannot_look_up_or_export(app, client, staff) -> None:
    login(client, "ali")
    assert client.get("/admin/responses/find").status_code == 403
    assert client.get("/admin/exports").status_code == 403
    assert client.get(f"/admin/exports/{MINI}.csv").status_code == 403
    assert "/admin/exports" not in client.get("/admin/").get_data(as_text=True)
    assert not [e for e in audit_events(app) if e.event == "export_downloaded"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_export_download_is_the_cli_file_and_is_audited(
    app, client, staff, payload, fmt, tmp_path, runner
) -> None:
    with app.app_context():
        for area in ("glarbjergvej", "vangdalen"):
            storage.submit_payload(payload(area=area))
    login(client, "mette")
    listing = client.get("/admin/exports").get_data(as_text=True)
    assert f"/admin/exports/{MINI}.{fmt}" in listing
    reply = client.get(f"/admin/exports/{MINI}.{fmt}")
    assert reply.status_code == 200
    assert f"filename={MINI}.{fmt}" in reply.headers["Content-Disposition"]
    assert reply.headers["Cache-Control"] == "no-store"
    cli = tmp_path / f"cli.{fmt}"
    result = runner.invoke(["export", "--questionnaire", MINI, "--format", fmt, "--out", str(cli)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert reply.data == cli.read_bytes()
        frame = pd.read_csv(io.BytesIO(reply.data))
        assert sorted(frame["area"]) == ["glarbjergvej", "vangdalen"]
    elif fmt == "xlsx":
        served = pd.read_excel(io.BytesIO(reply.data))
        pd.testing.assert_frame_equal(served, pd.read_excel(cli))
    (entry,) = [e for e in audit_events(app) if e.event == "export_downloaded"]
    assert entry.username == "mette"
    assert entry.detail == {"questionnaire": MINI, "format": fmt, "rows": 2}
    assert client.get(f"/admin/exports/{MINI}.pdf").status_code == 404
    assert client.get("/admin/exports/no-such.csv").status_code == 404


# -- skipping, exclusive choices without JavaScript, the kiosk's start ---------------------


def test_exclusive_choice_wins_without_javascript(app, client, bundled) -> None:
    client.get("/s/beboerundersoegelse-2016?lang=da&area=vangdalen")
    started = client.post(
        "/s/beboerundersoegelse-2016?lang=da",
        data={"lang": "da", "mode": "web", "area": "vangdalen", "consent": "y"},
    )
    base = started.headers["Location"].rsplit("/p/", 1)[0]
    with app.app_context():
        question = storage.get_questionnaire("beboerundersoegelse-2016").question(
            "oplevet_kriminalitet"
        )
    plain = [c.code for c in question.choices if not c.exclusive][:2]
    dont_know = [c.code for c in question.choices if c.exclusive and c.missing][0]
    reply = client.post(
        f"{base}/p/3",
        data={
            "q_oplevet_kriminalitet": [*plain, dont_know],
            "asked": "tryg_efter_moerke tryg_dagtimer",
        },
    )
    assert reply.status_code in (200, 302)
    with app.app_context():
        response_id = base.rsplit("/", 1)[1]
        assert storage.get_response(response_id).answers["oplevet_kriminalitet"] == [dont_know]


def test_kiosk_chooser_forgets_the_previous_resident(client) -> None:
    client.get(f"/s/{MINI}?lang=da&mode=kiosk&area=vangdalen")
    started = client.post(
        f"/s/{MINI}?lang=da&mode=kiosk&area=vangdalen",
        data={"lang": "da", "mode": "kiosk", "area": "vangdalen", "consent": "y"},
    )
    first = started.headers["Location"]
    assert client.get(first).status_code == 200
    chooser = client.get(f"/s/{MINI}?mode=kiosk&area=vangdalen").get_data(as_text=True)
    assert 'data-forget="answers"' in chooser
    assert client.get(first).status_code == 302  # Back after an idle reset shows nothing


def test_kiosk_pages_carry_the_idle_settings(app, client) -> None:
    page = client.get(f"/s/{MINI}?lang=da&mode=kiosk&area=vangdalen").get_data(as_text=True)
    assert f'data-kiosk-idle="{app.config["KIOSK_IDLE_SECONDS"]}"' in page
    assert 'data-kiosk-countdown="30"' in page and "Er du her stadig?" in page
    web = client.get(f"/s/{MINI}?lang=da&area=vangdalen").get_data(as_text=True)
    assert "data-kiosk-idle" not in web


# -- static files ------------------------------------------------------------------------


def test_static_files_have_hashed_names_long_caching_and_gzip(app, client) -> None:
    page = client.get(f"/s/{MINI}?lang=da", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode()
    (script,) = re.findall(r'src="(/assets/js/form\.[0-9a-f]{10}\.js)"', html)
    reply = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert reply.status_code == 200
    assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert reply.headers["Content-Encoding"] == "gzip" and "Cookie" not in reply.headers.get(
        "Vary", ""
    )
    assert b"BeboerForm" in gzip.decompress(reply.data)
    plain = client.get(script)
    assert "Content-Encoding" not in plain.headers and b"BeboerForm" in plain.data
    stale = script.replace(script.split(".")[-2], "0" * 10)
    assert client.get(stale).status_code == 404
    assert 'rel="icon"' in html
    assert client.get("/favicon.ico").mimetype == "image/svg+xml"


def test_progress_digits_follow_the_language(client, bundled) -> None:
    """Persian writes ۲۰۱۶ in the title, so the progress says صفحهٔ ۱ از ۱۰; Arabic keeps 1."""
    for language, expected in (("fa", "صفحهٔ ۱ از ۱۰"), ("ar", "1"), ("da", "Side 1 af 10")):
        client.get(f"/s/beboerundersoegelse-2016?lang={language}&area=vangdalen")
        started = client.post(
            f"/s/beboerundersoegelse-2016?lang={language}",
            data={"lang": language, "mode": "web", "area": "vangdalen", "consent": "y"},
        )
        page = client.get(started.headers["Location"]).get_data(as_text=True)
        progress = re.search(r'<p class="progress-text"[^>]*>([^<]*)</p>', page).group(1)
        assert expected in progress, progress
        if language == "fa":
            assert 'data-digits="۰۱۲۳۴۵۶۷۸۹"' in page


def test_the_429_page_says_how_long_to_wait_and_stays_in_the_staff_area(app_config) -> None:
    from survey import create_app

    app_config["RATELIMIT_ENABLED"] = True
    app_config["RATELIMIT_LOGIN"] = "2 per minute"
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
    client = application.test_client()
    for _ in range(2):
        client.post("/auth/login", data={"username": "x", "password": "wrong password"})
    reply = client.post("/auth/login", data={"username": "x", "password": "wrong password"})
    assert reply.status_code == 429
    wait = int(reply.headers["Retry-After"])
    assert 0 < wait <= 60
    page = reply.get_data(as_text=True)
    assert re.search(r"Vent (\d+ sekunder|1 minut), før du prøver igen\.", page)
    assert 'href="/auth/login"' in page and "staff-title" in page
    assert 'href="/"' not in page  # not sent to the residents' start page
    with application.app_context():
        db.engine.dispose()


def test_an_account_is_locked_after_repeated_failed_logins(app_config) -> None:
    from survey import create_app

    app_config["LOGIN_LOCKOUT_ATTEMPTS"] = 3
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
        users.create_user("mette", PASSWORD, role="admin")
        users.create_user("ali", PASSWORD, role="interviewer")
    client = application.test_client()
    for _ in range(3):
        wrong = client.post("/auth/login", data={"username": "mette", "password": "wrong one!"})
        assert wrong.status_code == 200
    # The right password is refused now, from any address, and the page says how long.
    other = application.test_client()
    locked = other.post(
        "/auth/login",
        data={"username": "mette", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert locked.status_code == 429
    assert 800 < int(locked.headers["Retry-After"]) <= 901
    assert "Vent 15 minutter, før du prøver igen." in locked.get_data(as_text=True)
    # Other accounts are not affected.
    ali = client.post("/auth/login", data={"username": "ali", "password": PASSWORD})
    assert ali.status_code == 302
    events = [e.event for e in audit_events(application)]
    assert events.count("login_failed") == 3 and "login_locked" in events
    assert events.count("login") == 1
    with application.app_context():
        db.engine.dispose()


# -- answers the device no longer holds; unfinished responses stay incomplete ------------


def _draft(app, payload, answers) -> str:
    """A draft of ``payload``'s response saved page by page with ``answers``, as the form does."""
    with app.app_context():
        storage.start_draft(
            payload["id"],
            storage.get_questionnaire(MINI),
            language="da",
            area=payload["area"],
            mode=payload["mode"],
            consent_version=payload["consent_version"],
        )
        storage.save_draft_answers(payload["id"], answers)
        db.session.remove()
    return payload["id"]


def _row(app, response_id):
    with app.app_context():
        row = storage.get_response(response_id)
        db.session.remove()
        return row


def test_a_device_payload_completes_the_draft_it_no_longer_holds(app, client, payload) -> None:
    # Page 1 acknowledged by the server (the device forgot it); page 2 answered offline.
    body = payload(answers={"alder": 42})
    _draft(app, body, {"tilfreds_omraade": "2", "daarligt_ry": "2", "ry_grunde": None})
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 201, reply.get_json()
    row = _row(app, body["id"])
    assert row.status == "submitted"
    assert row.answers == {"tilfreds_omraade": "2", "daarligt_ry": "2", "alder": 42}
    # The same payload again (its acknowledgement was lost): identical, not a conflict.
    assert client.post("/api/v1/responses", json=body).status_code == 200
    assert (
        client.post("/api/v1/responses", json={**body, "answers": {"alder": 43}}).status_code == 409
    )


def test_an_unfinished_response_is_stored_as_a_draft(app, client, payload) -> None:
    body = payload(answers={"alder": 42})
    del body["submitted_at"]
    _draft(app, body, {"tilfreds_omraade": "2"})
    reply = client.post("/api/v1/drafts", json=body)
    assert reply.status_code == 201, reply.get_json()
    row = _row(app, body["id"])
    assert row.status == "draft" and row.submitted_at is None
    assert row.answers == {"tilfreds_omraade": "2", "alder": 42}
    assert client.post("/api/v1/drafts", json=body).status_code == 200
    # Consent given offline: no draft on the server yet, one is made; required may be missing.
    fresh = payload(answers={"kommentar": "halvt"})
    assert client.post("/api/v1/drafts", json=fresh).status_code == 201
    assert _row(app, fresh["id"]).status == "draft"
    # Invalid answers are refused as for a finished response.
    wrong = payload(answers={"alder": "gammel"})
    assert client.post("/api/v1/drafts", json=wrong).status_code == 422
    # A draft arriving after the response was submitted changes nothing.
    done = payload()
    assert client.post("/api/v1/responses", json=done).status_code == 201
    assert client.post("/api/v1/drafts", json={**done, "answers": {}}).status_code == 200
    assert _row(app, done["id"]).status == "submitted"


def test_staff_on_the_chooser_see_draft_marks_but_no_interview_banner(client, staff) -> None:
    """Outside an interview a logged-in staff member gets no (empty) interview banner."""
    login(client, "mette")
    page = client.get(f"/s/{MINI}").get_data(as_text=True)
    assert "data-interview-banner" not in page
    assert 'class="staff-note"' in page  # the Arabic translation is a draft
