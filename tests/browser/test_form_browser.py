"""The 2016 questionnaire in Chromium at tablet sizes: languages, direction, keyboard, focus."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import (
    TEXT_ANSWER,
    answer_page,
    checked_values,
    complete,
    give_consent,
    new_context,
)
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUNDLED = "beboerundersoegelse-2016"


def shot(page: Any, shots: Any, name: str) -> None:
    """Save what the tablet shows from the top of the page."""
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=False)


@pytest.mark.parametrize(
    ("lang", "name", "direction", "thanks"),
    [
        ("da", "Dansk", "ltr", "Tak for din besvarelse!"),
        ("ar", "العربية", "rtl", "شكرًا لك على إجاباتك!"),
        ("so", "Soomaali", "ltr", "Mahadsanid jawaabahaaga!"),
    ],
)
def test_complete_the_2016_questionnaire(
    browser: Any,
    live_server: Any,
    shots: Any,
    size: tuple,
    lang: str,
    name: str,
    direction: str,
    thanks: str,
) -> None:
    label, viewport = size
    context = new_context(browser, viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server.url}/s/{BUNDLED}")
        shot(page, shots, f"chooser-{lang}-{label}")
        page.get_by_role("link", name=name, exact=True).first.click()
        page.wait_for_selector("[data-consent-form]")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate("document.documentElement.dir") == direction
        shot(page, shots, f"consent-{lang}-{label}")
        give_consent(page, "jennumparken")

        def check_page(page: Any, number: int) -> None:
            form_direction = page.evaluate(
                "getComputedStyle(document.querySelector('form')).direction"
            )
            assert form_direction == direction
            no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert no_overflow, f"page {number} scrolls sideways at {viewport}"
            if number == 1:
                shot(page, shots, f"question-{lang}-{label}")
            if number == 5:
                shot(page, shots, f"conditional-{lang}-{label}")

        pages = complete(page, on_page=check_page)
        assert pages == 10
        assert page.locator("h1").inner_text() == thanks
        shot(page, shots, f"thanks-{lang}-{label}")
        submitted = [
            r for r in live_server.rows() if r["status"] == "submitted" and r["language"] == lang
        ]
        assert submitted, "no submitted response stored"
        assert not errors, errors
    finally:
        context.close()


def test_focus_moves_to_the_heading_after_a_page_change(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/s/{BUNDLED}?lang=da")
    give_consent(page)
    assert page.evaluate("document.activeElement.id") == "page-heading"
    answer_page(page)
    page.locator("[data-nav=next]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.evaluate("document.activeElement.id") == "page-heading"
    # Nothing answered: focus goes to the soft prompt, which links to the questions; the
    # second press goes on.
    page.locator("[data-nav=next]").click()
    page.wait_for_selector("[data-soft-prompt]")
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert "Du har ikke svaret på:" in page.locator(".error-summary").inner_text()
    page.locator("[data-nav=next]").click()
    page.wait_for_selector("[data-page-form][data-page='3']")


def test_switching_language_mid_form_keeps_every_answer(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/s/{BUNDLED}?lang=da")
    give_consent(page)
    answer_page(page, choice=1)
    first = checked_values(page)
    page.locator("[data-nav=next]").click()
    page.wait_for_load_state("domcontentloaded")
    answer_page(page, choice=2)
    second = checked_values(page)
    # Switch without pressing Next: the answers typed on this page are kept too.
    page.locator("[data-switch-lang=ar]").click()
    page.wait_for_function("() => document.documentElement.lang === 'ar'")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('form')).direction") == "rtl"
    assert checked_values(page) == second
    assert page.locator("[data-nav=next]").inner_text() == "التالي"
    page.locator("[data-nav=back]").click()
    page.wait_for_load_state("domcontentloaded")
    assert checked_values(page) == first
    page.locator("[data-switch-lang=so]").click()
    page.wait_for_function("() => document.documentElement.lang === 'so'")
    assert checked_values(page) == first


def test_conditional_question_appears_at_once(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/s/mini-survey?lang=da&area=vangdalen")
    give_consent(page)
    why = page.locator("#question-ry_grunde")
    expect(why).to_be_hidden()
    page.locator("#q_daarligt_ry-0").check()
    expect(why).to_be_visible()
    page.locator("#q_daarligt_ry-1").check()
    expect(why).to_be_hidden()
    assert page.locator("input[name=shown]").input_value() == "tilfreds_omraade daarligt_ry"


def test_keyboard_only(browser: Any, live_server: Any) -> None:
    context = new_context(browser, (768, 1024))
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/mini-survey")
        # Tab to "العربية" and choose it with Enter.
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('hreflang')") == "ar":
                break
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-consent-form]")
        drive_keyboard(page)
        page.wait_for_selector("[data-page-form]")
        for _page in range(2):
            drive_keyboard(page)
            page.wait_for_load_state("domcontentloaded")
        assert page.locator("[data-thanks]").count() == 1
        assert any(r["status"] == "submitted" and r["language"] == "ar" for r in live_server.rows())
    finally:
        context.close()


def drive_keyboard(page: Any) -> None:
    """Tab through a page answering each field with the keyboard; Enter on the main button."""
    answered: set[str] = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement;
                return {tag: e.tagName, type: e.type || '', name: e.name || '',
                        nav: e.getAttribute('data-nav') || '',
                        primary: e.classList.contains('button--primary')}; }"""
        )
        if info["nav"] in ("next", "submit") or (info["tag"] == "BUTTON" and info["primary"]):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if info["name"] in answered or not info["name"]:
            continue
        if info["type"] in ("radio", "checkbox"):
            page.keyboard.press("Space")
        elif info["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
        elif info["type"] == "number":
            page.keyboard.type("42")
        elif info["tag"] in ("INPUT", "TEXTAREA") and info["type"] != "hidden":
            page.keyboard.type(TEXT_ANSWER)
        answered.add(info["name"])
    raise AssertionError("never reached the Next button with Tab")
