"""Kiosk reset and the offline queue in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import (
    KIOSK_RESET_SECONDS,
    TEXT_ANSWER,
    answer_page,
    assert_no_answers_on_device,
    complete,
    device_state,
    give_consent,
    wait_for_offline_copies,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MINI = "mini-survey"
NOTHING_KEPT = """async () => {
  const records = await new Promise((ok) => {
    const req = indexedDB.open('beboer');
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('responses')) { db.close(); ok([]); return; }
      const all = db.transaction('responses').objectStore('responses').getAll();
      all.onsuccess = () => { db.close(); ok(all.result); };
    };
  });
  return records.length === 0;
}"""


def test_kiosk_reset_leaves_nothing_of_the_previous_resident(page: Any, live_server: Any) -> None:
    start = f"{live_server.url}/s/{MINI}?mode=kiosk&area=vangdalen"
    page.goto(start)
    chooser_height = page.evaluate(
        "() => document.querySelector('.language-choice').getBoundingClientRect().height"
    )
    assert chooser_height >= 48
    page.get_by_role("link", name="Dansk", exact=True).click()
    give_consent(page)
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll(
              '.choice-label, .button, .language-switcher a')]
            .filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect().height))"""
    )
    assert smallest >= 48, f"a touch target is {smallest}px high"
    visited = [page.url]

    def remember(page: Any, number: int) -> None:
        visited.append(page.url)
        if number == 2:
            page.locator("textarea").fill(TEXT_ANSWER)

    complete(page, on_page=remember)
    assert page.locator("[data-thanks]").count() == 1
    # The thank-you page counts down visibly.
    first_count = int(page.locator("[data-reset-seconds]").inner_text())
    assert first_count == KIOSK_RESET_SECONDS
    page.wait_for_function(
        "n => Number(document.querySelector('[data-reset-seconds]').textContent) < n",
        arg=first_count,
    )
    # The thank-you page goes back to the language chooser by itself, replacing history.
    page.wait_for_url(
        f"**/s/{MINI}?mode=kiosk&area=vangdalen", timeout=(KIOSK_RESET_SECONDS + 5) * 1000
    )
    assert page.locator(".language-choice").count() == 2
    for _ in range(len(visited) + 2):
        page.go_back()
        page.wait_for_load_state("domcontentloaded")
        html = page.content()
        assert TEXT_ANSWER not in html
        assert page.locator("input:checked").count() == 0
        assert page.locator("[data-page-form]").count() == 0
    for url in visited:
        page.goto(url)
        assert page.locator("[data-page-form]").count() == 0
        assert TEXT_ANSWER not in page.content()
    assert_no_answers_on_device(page)


def test_answers_given_offline_are_sent_later(browser: Any, live_server: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{MINI}?lang=da&area=glarbjergvej")
        give_consent(page)
        wait_for_offline_copies(page)
        response_id = page.locator("[data-page-form]").get_attribute("data-response-id")
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_load_state("domcontentloaded")

        context.set_offline(True)
        page.wait_for_function("() => navigator.onLine === false")
        assert page.locator("[data-offline-banner]").is_visible()
        assert (
            "Du er offline – svarene gemmes på enheden og sendes senere."
            in page.locator("[data-offline-banner]").inner_text()
        )
        page.locator("input[name=q_alder]").fill("67")
        page.locator("[data-nav=submit]").click()
        # Offline too, the unanswered comment is pointed out once, softly.
        page.wait_for_selector("[data-soft-prompt]")
        assert "Andre kommentarer" in page.locator("[data-soft-prompt]").inner_text()
        page.locator("[data-nav=submit]").click()
        page.wait_for_selector("[data-thanks]")
        assert "sendes, når forbindelsen er tilbage" in page.locator("[data-thanks]").inner_text()
        kept = [r for r in device_state(page)["records"] if r["id"] == response_id]
        assert kept and kept[0]["queued"], "the finished response waits in the outbox"
        # Chromium's offline emulation does not always cover the service worker's own
        # fetch: the POST may reach the server although the page saw it fail, exactly
        # as when a connection drops after sending. Either way the device keeps it
        # and the later resend must give one submitted row.
        row = next(r for r in live_server.rows() if r["id"] == response_id)
        assert row["status"] in {"draft", "submitted"}

        context.set_offline(False)
        wait_until(page, NOTHING_KEPT)
        row = next(r for r in live_server.rows() if r["id"] == response_id)
        assert row["status"] == "submitted"
        answers = (
            row["answers"]
            if isinstance(row["answers"], dict)
            else __import__("json").loads(row["answers"])
        )
        assert answers["alder"] == 67 and answers["tilfreds_omraade"] == "1"
        assert len([r for r in live_server.rows() if r["id"] == response_id]) == 1
    finally:
        context.close()


def test_consent_given_offline_starts_on_the_device(browser: Any, live_server: Any) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{MINI}?lang=ar&area=vangdalen")
        wait_for_offline_copies(page)
        before = len(live_server.rows())
        context.set_offline(True)
        page.wait_for_function("() => navigator.onLine === false")
        page.locator("input[name=consent]").check()
        page.locator("button[name=next]").click()
        page.wait_for_selector("[data-page-form][data-offline]")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        # Offline validation: the same error summary as the server's, linking to the fields.
        page.locator("[data-nav=next]").click()
        summary = page.locator(".error-summary[role=alert]")
        assert summary.count() == 1 and summary.locator("a").count() == 2
        assert "يجب الإجابة عن هذا السؤال." in summary.inner_text()
        assert page.evaluate("document.activeElement.classList.contains('error-summary')")
        answer_page(page)
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-page='2']")
        page.locator("[data-nav=submit]").click()
        page.wait_for_selector("[data-soft-prompt]")
        page.locator("[data-nav=submit]").click()
        page.wait_for_selector("[data-thanks]")
        assert len(live_server.rows()) == before
        context.set_offline(False)
        wait_until(page, NOTHING_KEPT)
        new = live_server.rows()[before:]
        assert len(new) == 1 and new[0]["status"] == "submitted" and new[0]["language"] == "ar"
    finally:
        context.close()
