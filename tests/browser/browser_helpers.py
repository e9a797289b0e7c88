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


#: Everything the page's origin keeps in the browser: web storage, IndexedDB, Cache Storage.
DEVICE_STATE = """async (needle) => {
  const keys = (storage) => Object.keys(storage).filter(
    (k) => k.startsWith('beboer:') && k !== 'beboer:tab' && !k.startsWith('beboer:cached:'));
  const state = {local: keys(localStorage), session: keys(sessionStorage), records: [],
                 cachedWithAnswer: []};
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
  if (names.includes('beboer')) {
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('beboer');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    if (db.objectStoreNames.contains('responses')) {
      state.records = await new Promise((ok) => {
        const req = db.transaction('responses').objectStore('responses').getAll();
        req.onsuccess = () => ok(req.result);
      });
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const text = await (await cache.match(request)).text();
      if (needle && text.includes(needle)) { state.cachedWithAnswer.push(request.url); }
    }
  }
  const webText = JSON.stringify(localStorage) + JSON.stringify(sessionStorage);
  state.webStorageHasAnswer = Boolean(needle) && webText.includes(needle);
  return state;
}"""


def device_state(page: Any, needle: str = TEXT_ANSWER) -> dict[str, Any]:
    """What the browser keeps for this site; ``needle`` is an answer to look for in caches."""
    return page.evaluate(DEVICE_STATE, needle)


def assert_no_answers_on_device(page: Any, needle: str = TEXT_ANSWER) -> None:
    """No copy of any answer in localStorage, sessionStorage, IndexedDB or Cache Storage."""
    state = device_state(page, needle)
    assert state["records"] == [], state["records"]
    assert state["local"] == [] and state["session"] == [], state
    assert state["cachedWithAnswer"] == [] and not state["webStorageHasAnswer"], state


def wait_for_offline_copies(page: Any) -> None:
    """Wait until the service worker controls the page and the page copies are cached."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function(
        "() => Object.keys(sessionStorage).some(k => k.startsWith('beboer:cached:'))",
        timeout=30000,
    )


def skip_page(page: Any) -> None:
    """Press Next without answering: once for the soft prompt, once to go on."""
    button = "[data-nav=next], [data-nav=submit]"
    with page.expect_navigation():
        page.locator(button).first.click()
    if page.locator("[data-thanks]").count():
        return
    assert page.locator("[data-soft-prompt]").count() == 1, "no soft prompt"
    with page.expect_navigation():
        page.locator(button).first.click()


def wait_until(page: Any, script: str, timeout: float = 15.0, arg: Any = None) -> None:
    """Poll an (async) script until it returns something true; fail after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {script[:80]}")
        page.wait_for_timeout(200)
