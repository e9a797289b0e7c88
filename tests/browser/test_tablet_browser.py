"""Shared tablets in Chromium: nothing left on the device, nothing lost, nothing forced."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    TEXT_ANSWER,
    answer_page,
    assert_no_answers_on_device,
    device_state,
    give_consent,
    skip_page,
    wait_for_offline_copies,
    wait_until,
)
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MINI = "mini-survey"
BUNDLED = "beboerundersoegelse-2016"
PASSWORD = "a long enough password 42"


def staff_user(server: Any, role: str) -> tuple[str, str]:
    """A new staff account in the server's database: (name, pseudonym)."""
    from survey.auth.users import create_user
    from survey.extensions import db

    name = f"{role}-{uuid.uuid4().hex[:6]}"
    with server.app.app_context():
        pseudonym = create_user(name, PASSWORD, role=role).pseudonym
        db.session.remove()
    return name, pseudonym


def log_in(page: Any, server: Any, name: str) -> None:
    page.goto(f"{server.url}/auth/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_selector(".staff-nav")


def log_out(page: Any) -> None:
    page.locator(".staff-user form button").last.click()
    page.wait_for_selector("input[name=username]")
    page.wait_for_load_state("load")


def row_of(server: Any, response_id: str) -> dict[str, Any] | None:
    rows = [row for row in server.rows() if row["id"] == response_id]
    assert len(rows) <= 1
    if not rows:
        return None
    row = rows[0]
    if not isinstance(row["answers"], dict):
        row["answers"] = json.loads(row["answers"])
    return row


def test_every_question_skipped_then_receipt_lookup_and_erasure(
    browser: Any, live_server: Any, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    staff = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{BUNDLED}?lang=da&area=vangdalen")
        give_consent(page)
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        pages = 0
        while page.locator("[data-page-form]").count():
            skip_page(page)
            pages += 1
        assert pages == 10
        assert "Tak for din besvarelse!" in page.locator("h1").inner_text()
        code = page.locator("[data-receipt]").inner_text()
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
        assert response_id not in page.content()
        page.screenshot(path=str(shots / "receipt.png"))
        row = row_of(live_server, response_id)
        assert row["status"] == "submitted" and row["answers"] == {}
        assert_no_answers_on_device(page)

        name, _pseudonym = staff_user(live_server, "admin")
        log_in(staff, live_server, name)
        staff.goto(f"{live_server.url}/admin/responses/find")
        staff.fill("input[name=receipt]", code.lower().replace("-", " "))
        staff.locator("form.receipt-search button").click()
        staff.wait_for_selector(".response-facts")
        facts = staff.locator(".response-facts").inner_text()
        assert response_id in facts and "vangdalen" in facts
        staff.fill("textarea[name=reason]", "Beboeren bad om sletning (kvittering)")
        staff.locator(".danger-zone form [type=submit]").click()
        staff.wait_for_selector("text=Slet denne besvarelse?")
        assert row_of(live_server, response_id) is not None
        staff.locator("button", has_text="Ja, slet besvarelsen").click()
        staff.wait_for_selector(".flash-messages")
        assert row_of(live_server, response_id) is None
        # Exports: the same file as `beboer export`, each download in the audit log.
        staff.goto(f"{live_server.url}/admin/exports")
        with staff.expect_download() as download:
            staff.locator(f"a[href='/admin/exports/{MINI}.csv']").click()
        assert download.value.suggested_filename == f"{MINI}.csv"
        assert Path(download.value.path()).read_text(encoding="utf-8").startswith("id,wave,area")
        with live_server.app.app_context():
            import sqlalchemy as sa

            from survey.extensions import db
            from survey.models import AuditEntry

            entries = db.session.scalars(
                sa.select(AuditEntry).where(AuditEntry.event == "export_downloaded")
            ).all()
            assert [(e.username, e.detail["questionnaire"], e.detail["format"]) for e in entries][
                -1
            ] == (name, MINI, "csv")
            db.session.remove()
    finally:
        context.close()


def test_withdrawal_and_staff_logout_leave_no_answers(
    browser: Any, live_server: Any, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{MINI}?lang=da&area=glarbjergvej")
        give_consent(page)
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-page='2']")
        page.locator("textarea").fill(TEXT_ANSWER)
        page.locator("textarea").dispatch_event("change")
        wait_until(
            page,
            "async (needle) => JSON.stringify((await (" + DEVICE_RECORDS + ")())).includes(needle)",
            arg=TEXT_ANSWER,
        )
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        page.locator("details.withdraw summary").click()
        page.locator("button[name=withdraw]").click()
        page.wait_for_selector("text=Dine svar er slettet")
        assert row_of(live_server, response_id) is None
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
        assert_no_answers_on_device(page)

        # An interviewer's interview in progress, then logout: nothing stays on the tablet.
        name, _pseudonym = staff_user(live_server, "interviewer")
        log_in(page, live_server, name)
        page.goto(f"{live_server.url}/s/{MINI}?lang=da&mode=interviewer&area=vangdalen")
        page.locator("input[name=assistance][value=self]").check()
        give_consent(page)
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-page='2']")
        page.locator("textarea").fill(TEXT_ANSWER)
        page.locator("textarea").dispatch_event("change")
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 1")
        page.goto(f"{live_server.url}/admin/")
        log_out(page)
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
        wait_until(page, "async () => (await caches.keys()).length === 0")
        assert_no_answers_on_device(page)
    finally:
        context.close()


#: The records in the page's IndexedDB outbox and working copies.
DEVICE_RECORDS = """async () => {
  if (!(await indexedDB.databases()).some((d) => d.name === 'beboer')) { return []; }
  return await new Promise((ok) => {
    const req = indexedDB.open('beboer');
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('responses')) { db.close(); ok([]); return; }
      const all = db.transaction('responses').objectStore('responses').getAll();
      all.onsuccess = () => { db.close(); ok(all.result); };
    };
  });
}"""


def test_answers_leave_the_device_once_the_server_has_them(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/s/{MINI}?lang=da&area=glarbjergvej")
    give_consent(page)
    response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
    answer_page(page)
    # Not yet sent: the page's answers are kept on the device while they are given.
    wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 1")
    page.locator("[data-nav=next]").click()
    page.wait_for_selector("[data-page-form][data-page='2']:not([data-offline])")
    # The server stored the page as a draft: the device forgets its answers at once.
    wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
    assert_no_answers_on_device(page)
    row = row_of(live_server, response_id)
    assert row["status"] == "draft" and row["answers"]["tilfreds_omraade"] == "1"
    # Answers being typed are the only ones kept, until the server has them too.
    page.locator("textarea").fill(TEXT_ANSWER)
    wait_until(
        page,
        "async (needle) => JSON.stringify(await (" + DEVICE_RECORDS + ")()).includes(needle)",
        arg=TEXT_ANSWER,
    )
    kept = page.evaluate(DEVICE_RECORDS)
    assert set(kept[0]["answers"]) <= {"alder", "kommentar"}, kept[0]["answers"]


def test_kiosk_left_alone_offline_leaves_an_incomplete_response(
    browser: Any, own_server: Any
) -> None:
    server = own_server(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_COUNTDOWN_SECONDS=2)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        chooser = f"{server.url}/s/{MINI}?mode=kiosk&area=vangdalen"
        page.goto(chooser)
        page.get_by_role("link", name="Dansk", exact=True).click()
        give_consent(page)
        wait_for_offline_copies(page)
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        server.stop()
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-offline][data-page='2']")
        page.locator("textarea").fill(TEXT_ANSWER)
        # Left alone while the server is away: the response waits on the device, and the
        # kiosk heads back to its chooser (not reachable until the server is back).
        try:
            page.wait_for_url(chooser, timeout=15000, wait_until="commit")
        except PlaywrightError as error:
            assert "ERR_FAILED" in str(error), error
        server.restart()
        page.close()
        page = context.new_page()
        page.goto(chooser)
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
        rows = [row for row in server.rows() if row["id"] == response_id]
        assert len(rows) == 1
        row = row_of(server, response_id)
        assert row["status"] == "draft" and row["submitted_at"] is None
        assert row["answers"]["tilfreds_omraade"] == "1"
        assert row["answers"]["kommentar"] == TEXT_ANSWER
        assert not [r for r in server.rows() if r["status"] == "submitted"]
    finally:
        context.close()


def test_kiosk_left_alone_returns_to_the_chooser(
    browser: Any, own_server: Any, shots: Path
) -> None:
    server = own_server(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_COUNTDOWN_SECONDS=3)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        chooser = f"{server.url}/s/{MINI}?mode=kiosk&area=vangdalen"
        page.goto(chooser)
        page.get_by_role("link", name="العربية", exact=True).click()
        give_consent(page)
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-page='2']")
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        page.locator("textarea").fill(TEXT_ANSWER)
        # Untouched: "Are you still there?" in the resident's language, with a countdown.
        page.wait_for_selector("[data-idle-prompt]:not([hidden])", timeout=10000)
        prompt = page.locator("[data-idle-prompt]")
        assert "هل ما زلت هنا؟" in prompt.inner_text()
        page.screenshot(path=str(shots / "kiosk-idle-prompt.png"))
        # A touch keeps the response going.
        page.locator("[data-idle-continue]").click()
        assert prompt.is_hidden()
        assert page.locator("textarea").input_value() == TEXT_ANSWER
        # Left alone again: back to the chooser, history replaced, nothing on the device.
        page.wait_for_url(chooser, timeout=15000)
        assert page.locator(".language-choice").count() == 2
        row = row_of(server, response_id)
        assert row["status"] == "draft" and row["answers"]["tilfreds_omraade"] == "1"
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
        assert_no_answers_on_device(page)
        for _ in range(4):
            page.go_back()
            page.wait_for_load_state("domcontentloaded")
            assert page.locator("[data-page-form]").count() == 0
            assert TEXT_ANSWER not in page.content()
            assert page.locator("input:checked").count() == 0
    finally:
        context.close()


def test_server_stopped_tab_closed_answers_arrive_once(
    browser: Any, own_server: Any, shots: Path
) -> None:
    server = own_server()
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{server.url}/s/{MINI}?lang=da&area=glarbjergvej")
        give_consent(page)
        wait_for_offline_copies(page)
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        server.stop()
        # The server is gone (not the network): Next leads to the stored copy of page 2.
        page.locator("input[name=q_tilfreds_omraade][value='2']").check()
        page.locator("input[name=q_daarligt_ry][value='1']").check()
        page.locator("input[name=q_ry_grunde][value='rygter']").check()
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-offline][data-page='2']")
        page.locator("input[name=q_alder]").fill("67")
        page.locator("textarea").fill(TEXT_ANSWER)
        # The language switch works with the server stopped and keeps every answer.
        page.locator("[data-switch-lang=ar]").click()
        page.wait_for_function("() => document.documentElement.lang === 'ar'")
        page.wait_for_function("() => document.querySelector('input[name=q_alder]').value === '67'")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator("textarea").input_value() == TEXT_ANSWER
        page.screenshot(path=str(shots / "offline-language-switch.png"))
        page.locator("[data-nav=back]").click()
        page.wait_for_selector("[data-page-form][data-offline][data-page='1']")
        assert page.locator("input[name=q_ry_grunde][value='rygter']").is_checked()
        assert row_of(server, response_id)["answers"] == {}
        # The resident closes the tab without finishing; the server comes back.
        page.close()
        server.restart()
        page = context.new_page()
        page.goto(f"{server.url}/s/{MINI}")
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0")
        # Left unfinished: stored as incomplete (a draft), never as submitted.
        row = row_of(server, response_id)
        assert row["status"] == "draft" and row["language"] == "ar"
        assert row["submitted_at"] is None
        assert row["answers"] == {
            "tilfreds_omraade": "2",
            "daarligt_ry": "1",
            "ry_grunde": ["rygter"],
            "alder": 67,
            "kommentar": TEXT_ANSWER,
        }
        # Sent exactly once: another visit sends nothing more.
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if "/api/v1/" in r.url else None)
        page.reload()
        page.wait_for_timeout(500)
        assert posts == []
        assert len([r for r in server.rows() if r["id"] == response_id]) == 1
    finally:
        context.close()


def test_outbox_backs_off_on_5xx_and_says_sending_failed(
    browser: Any, live_server: Any, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{MINI}?lang=da")
        response_id = str(uuid.uuid4())
        payload = {
            "id": response_id, "questionnaire": MINI, "version": "1.0", "language": "da",
            "area": "vangdalen", "mode": "kiosk", "consent_version": "mini-1",
            "started_at": "2026-01-05T10:00:00+00:00", "submitted_at": "2026-01-05T10:05:00+00:00",
            "answers": {"tilfreds_omraade": "1", "daarligt_ry": "2"},
        }
        attempts: list[int] = []

        def unavailable(route: Any) -> None:
            attempts.append(1)
            route.fulfill(status=503, body="down for maintenance")

        page.route("**/api/v1/responses", unavailable)
        page.evaluate(
            """async (payload) => {
              await window.BeboerStore.put({id: payload.id, meta: {}, answers: payload.answers,
                queued: true, status: "waiting", attempts: 0, next_try: 0, payload: payload});
              await window.BeboerOffline.flush();
            }""",
            payload,
        )
        outbox = page.locator("[data-outbox]")
        assert outbox.is_visible()
        assert "1 besvarelse venter på at blive sendt." in outbox.inner_text()
        failed = page.locator("[data-outbox-failed]")
        assert failed.is_visible() and "Afsendelsen mislykkedes" in failed.inner_text()
        page.screenshot(path=str(shots / "outbox-failed.png"))
        (record,) = device_state(page)["records"]
        assert record["status"] == "failed" and record["attempts"] == 1
        wait = record["next_try"] - page.evaluate("Date.now()")
        assert 3000 < wait <= 5000, wait
        # Not retried before the back-off is over.
        page.evaluate("() => window.BeboerOffline.flush()")
        assert len(attempts) == 1
        page.unroute("**/api/v1/responses")
        wait_until(page, "async () => (await (" + DEVICE_RECORDS + ")()).length === 0", 15)
        assert row_of(live_server, response_id)["status"] == "submitted"
        assert outbox.is_hidden()
    finally:
        context.close()


def test_exclusive_choices_untick_the_others_whatever_the_order(
    page: Any, live_server: Any
) -> None:
    page.goto(f"{live_server.url}/s/{BUNDLED}?lang=da&area=vangdalen")
    give_consent(page)
    skip_page(page)
    skip_page(page)
    block = page.locator("[data-question=oplevet_kriminalitet]")
    boxes = block.locator("input[type=checkbox]")
    plain = [boxes.nth(0), boxes.nth(1)]
    dont_know = block.locator("input[data-exclusive]").last
    for box in plain:
        box.check()
    dont_know.check()  # ticked last: the others are unticked
    assert [box.is_checked() for box in plain] == [False, False] and dont_know.is_checked()
    plain[0].check()  # and the other way round
    assert not dont_know.is_checked()


def test_arabic_interview_with_danish_controls(browser: Any, live_server: Any, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        name, pseudonym = staff_user(live_server, "interviewer")
        log_in(page, live_server, name)
        page.goto(f"{live_server.url}/admin/interview/{BUNDLED}")
        page.locator("input[name=area][value=vangdalen]").check()
        page.locator("input[name=language][value=ar]").check()
        page.locator("form [type=submit]").last.click()
        page.wait_for_selector("[data-consent-form]")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        control = page.locator("fieldset.staff-control")
        assert control.get_attribute("lang") == "da"
        assert "Hvordan besvares spørgeskemaet?" in control.inner_text()
        assert page.locator("input[name=assistance]:checked").count() == 0
        banner = page.locator("[data-interview-banner]")
        assert "Interview i gang" in banner.inner_text() and pseudonym in banner.inner_text()
        page.screenshot(path=str(shots / "interview-ar-consent.png"), full_page=True)
        # No default: without a choice the interviewer is asked, in Danish.
        page.locator("input[name=consent]").check()
        page.locator("button[name=next]").click()
        page.wait_for_selector("#error-assistance")
        error = page.locator("#error-assistance").inner_text()
        assert "Vælg, hvordan spørgeskemaet besvares." in error
        page.locator("input[name=assistance][value=interpreter]").check()
        give_consent(page)
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert "Interview i gang" in page.locator("[data-interview-banner]").inner_text()
        abort = page.locator("details.abort")
        assert abort.get_attribute("lang") == "da" and "Afbryd interviewet" in abort.inner_text()
        page.screenshot(path=str(shots / "interview-ar-page.png"), full_page=True)
        # Aborting asks first: the confirmation is inside the closed details.
        assert not page.locator("button[name=abort]").is_visible()
        abort.locator("summary").click()
        page.locator("button[name=abort]").click()
        page.wait_for_selector("text=Interview afbrudt")
        assert page.evaluate("document.documentElement.lang") == "da"
        # Interviewers cannot export.
        refused = page.goto(f"{live_server.url}/admin/exports/{BUNDLED}.csv")
        assert refused.status == 403
    finally:
        context.close()
