"""axe-core on every page type of the form: no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import answer_page, give_consent

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUNDLED = "beboerundersoegelse-2016"


def serious(page: Any) -> list[str]:
    """The serious and critical axe violations on the page, one line each."""
    results = Axe().run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return problems


@pytest.mark.parametrize("lang", ["da", "ar"])
def test_no_serious_violation_on_any_page_type(page: Any, live_server: Any, lang: str) -> None:
    found: dict[str, list[str]] = {}
    page.goto(f"{live_server.url}/s/{BUNDLED}")
    found["chooser"] = serious(page)
    page.goto(f"{live_server.url}/s/{BUNDLED}?lang={lang}")
    found["consent"] = serious(page)
    page.locator("button[name=next]").click()
    page.wait_for_load_state("domcontentloaded")
    found["consent with errors"] = serious(page)
    give_consent(page)
    found["question page"] = serious(page)
    page.locator("[data-nav=next]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".error-summary").count() == 1
    found["page with errors"] = serious(page)
    for _ in range(12):
        if not page.locator("[data-page-form]").count():
            break
        answer_page(page)
        page.locator("[data-nav=next], [data-nav=submit]").first.click()
        page.wait_for_load_state("domcontentloaded")
    found["thank-you"] = serious(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
