"""A household's code on a tablet in Chromium: typed on the chooser, one response, then refused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from browser_helpers import complete, give_consent
from conftest import MINI_SURVEY, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def coded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the small questionnaire and a frame of two households (own database)."""
    from survey import create_app, storage
    from survey.extensions import db
    from survey.frame.importing import import_frame

    folder = tmp_path_factory.mktemp("invitations")
    frame = folder / "frame.csv"
    frame.write_text(
        "household,address,area,language\nA1,Vej 1,vangdalen,ar\nA2,Vej 2,glarbjergvej,da\n",
        encoding="utf-8",
    )
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'beboer.db'}",
            "SECRET_KEY": "browser-" + uuid.uuid4().hex,
            "INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        storage.migrate_database()
        questionnaire, _new = storage.publish_file(MINI_SURVEY)
        import_frame(frame, questionnaire)
        db.session.remove()
    server = LiveServer(app)
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.thread.join(timeout=5)


def code_row(server: LiveServer, household: str) -> dict[str, Any]:
    from survey.extensions import db

    with server.app.app_context():
        row = (
            db.session.execute(
                sa.text(
                    "SELECT c.code, c.opened, c.submitted FROM invitation_codes c "
                    "JOIN frame_households h ON h.id = c.household_id WHERE h.household = :h"
                ),
                {"h": household},
            )
            .mappings()
            .one()
        )
        db.session.remove()
        return dict(row)


def test_code_typed_on_the_chooser_gives_one_response(
    coded_server: LiveServer, page: Any, shots: Path
) -> None:
    code = code_row(coded_server, "A1")["code"]
    page.goto(f"{coded_server.url}/s/mini-survey")
    page.fill("#invitation-code", f"{code[:5].lower()} {code[5:]}")
    page.screenshot(path=str(shots / "invitation-chooser.png"))
    page.locator("form.code-entry button").click()
    page.wait_for_selector("[data-consent-form]")
    assert page.evaluate("document.documentElement.lang") == "ar"  # the household's language
    assert page.locator("select[name=area]").count() == 0  # the code knows the area
    give_consent(page)
    assert complete(page) == 2
    assert page.locator("h1").first.inner_text() != ""
    rows = [row for row in coded_server.rows() if row["status"] == "submitted"]
    assert len(rows) == 1 and rows[0]["area"] == "vangdalen"
    assert code_row(coded_server, "A1")["submitted"]
    page.goto(f"{coded_server.url}/k/{code}")
    page.screenshot(path=str(shots / "invitation-used.png"))
    assert "تم استخدام هذا الرمز من قبل" in page.locator("h1").inner_text()
    assert "Koden er allerede brugt" in page.content()
