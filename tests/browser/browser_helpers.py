"""Driving the form in the browser: answer what is shown, move on, read the state."""

from __future__ import annotations

from typing import Any

#: Tablet viewports: 1024×768 (landscape) and 768×1024 (portrait).
SIZES = {"landscape": (1024, 768), "portrait": (768, 1024)}
#: The kiosk's reset delay in the browser tests' app.
KIOSK_RESET_SECONDS = 2

#: Answers the helpers give, so that a test can check they were kept.
TEXT_ANSWER = "Gode naboer 123"


def visible_questions(page: Any) -> list[Any]:
    """The question blocks shown on the page now."""
    return [block for block in page.locator("[data-question]").all() if block.is_visible()]


def answer_block(block: Any, choice: int = 0) -> None:
    """Answer one question: the ``choice``-th option, a number in range, or a text."""
    kind = block.get_attribute("data-type")
    if kind in ("single", "multiple"):
        options = block.locator("input.choice-input")
        options.nth(min(choice, options.count() - 1)).check()
    elif kind == "number":
        field = block.locator("input")
        low = int(field.get_attribute("min") or 0)
        field.fill(str(low + 2))
    else:
        block.locator("input, textarea").first.fill(TEXT_ANSWER)


def answer_page(page: Any, choice: int = 0) -> None:
    """Answer every shown question, including those revealed by the answers."""
    done: set[str] = set()
    for _round in range(5):
        todo = [b for b in visible_questions(page) if b.get_attribute("data-question") not in done]
        if not todo:
            return
        for block in todo:
            answer_block(block, choice)
            done.add(block.get_attribute("data-question"))


def give_consent(page: Any, area: str = "vangdalen") -> None:
    """Tick consent, choose the area when asked and start."""
    page.locator("input[name=consent]").check()
    if page.locator("select[name=area]").count():
        page.select_option("select[name=area]", area)
    page.locator("button[name=next]").click()
    page.wait_for_selector("[data-page-form]")
    page.wait_for_load_state("domcontentloaded")  # the form's script has run


def complete(page: Any, choice: int = 0, on_page: Any = None) -> int:
    """Answer page after page until the thank-you page; returns the number of pages."""
    pages = 0
    while page.locator("[data-page-form]").count():
        pages += 1
        answer_page(page, choice)
        if on_page is not None:
            on_page(page, pages)
        page.locator("[data-nav=next], [data-nav=submit]").first.click()
        page.wait_for_load_state("domcontentloaded")
        if page.locator(".error-summary").count():
            raise AssertionError(
                f"page {pages} has errors: {page.locator('.error-summary').inner_text()}"
            )
    return pages


def checked_values(page: Any) -> dict[str, list[str]]:
    """The checked options and filled fields of the current page by field name."""
    return page.evaluate(
        """() => {
          const out = {};
          const fields = '[data-question] input, [data-question] textarea';
          for (const el of document.querySelectorAll(fields)) {
            if ((el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value) {
              (out[el.name] = out[el.name] || []).push(el.value);
            }
          }
          return out;
        }"""
    )


def new_context(browser: Any, viewport: tuple[int, int], **options: Any) -> Any:
    """A fresh browser context (own cookies, storage and service workers)."""
    width, height = viewport
    return browser.new_context(viewport={"width": width, "height": height}, **options)
