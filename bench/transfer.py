"""Bytes over the wire for a resident's first visit and for the next page, in Chromium.

Run with ``python -m bench.transfer`` (needs Debian's Chromium). The app is
served on a free port with its own SQLite database; a fresh browser profile
opens the 2016 questionnaire's consent page (the first visit), gives consent,
answers page 1 and moves to page 2 (the next page). Each line sums, per group
of requests, the encoded body and header bytes Chromium reports:

- ``page``: the HTML documents;
- ``static``: CSS, JS and the favicon (including revalidations answered 304);
- ``offline copies``: the page copies kept for working offline (once per visit).

The service worker is blocked so that every request is counted once.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

QUESTIONNAIRE = "beboerundersoegelse-2016"


def group_of(url: str) -> str:
    """Which group a request belongs to."""
    if "/offline" in url:
        return "offline copies"
    if "/static/" in url or "/assets/" in url or url.endswith((".ico", ".svg")):
        return "static"
    return "page"


def serve(folder: Path) -> tuple[Any, str]:
    """The survey app with the bundled questionnaires, on a free port."""
    from survey import create_app, storage
    from survey.extensions import db

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'beboer.db'}",
            "SECRET_KEY": uuid.uuid4().hex,
            "INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        storage.migrate_database()
        storage.publish_bundled()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def measure(url: str, chromium: str, detail: bool = False) -> dict[str, dict[str, list[int]]]:
    """Bytes per group for the first visit and the next page."""
    from playwright.sync_api import sync_playwright

    sizes: dict[str, dict[str, list[int]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        phase = {"name": "first visit"}

        def record(response: Any) -> None:
            try:
                found = response.request.sizes()
            except Exception:  # noqa: BLE001 - a request cancelled by a navigation
                return
            total = found["responseBodySize"] + found["responseHeadersSize"]
            groups = sizes.setdefault(phase["name"], defaultdict(list))
            groups[group_of(response.url)].append(total)
            if detail:
                print(phase["name"], response.status, total, response.url)

        page.on("response", record)
        page.goto(f"{url}/s/{QUESTIONNAIRE}?lang=da&area=vangdalen", wait_until="networkidle")
        page.wait_for_timeout(1000)
        page.locator("input[name=consent]").check()
        page.locator("button[name=next]").click()
        page.wait_for_selector("[data-page-form]")
        page.wait_for_load_state("networkidle")
        for block in page.locator("[data-question]").all():
            if block.is_visible():
                block.locator("input").first.check()
        phase["name"] = "next page"
        page.locator("[data-nav=next]").click()
        page.wait_for_selector("[data-page-form][data-page='2']")
        page.wait_for_load_state("networkidle")
        browser.close()
    return sizes


def main() -> None:
    """Print the bytes per group for the first visit and the next page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--detail", action="store_true", help="print every request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server, url = serve(Path(folder))
        try:
            sizes = measure(url, args.chromium, args.detail)
        finally:
            server.shutdown()
    for phase, groups in sizes.items():
        total = sum(sum(values) for values in groups.values())
        parts = ", ".join(
            f"{name} {sum(values) / 1024:.1f} KiB in {len(values)} requests"
            for name, values in sorted(groups.items())
        )
        print(f"{phase}: {total / 1024:.1f} KiB ({parts})")


if __name__ == "__main__":
    main()
