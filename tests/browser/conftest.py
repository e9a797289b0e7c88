"""Browser tests: the app served by werkzeug in a thread, driven by Debian's Chromium.

Chromium is never downloaded: Playwright launches ``/usr/bin/chromium``. When it
is missing the tests are skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import KIOSK_RESET_SECONDS, SIZES, new_context
from werkzeug.serving import make_server

from tests.mini_audio import audio_questionnaire

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MINI_SURVEY = Path(__file__).resolve().parents[1] / "survey" / "fixtures" / "mini-survey.yaml"
SHOTS = Path("/tmp/shots")


def in_ci() -> bool:
    """Whether the tests run in CI, where a missing browser is a failure."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class LiveServer:
    """The survey app on a free 127.0.0.1 port with its own SQLite database."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def stop(self) -> None:
        """Stop serving and close the port, as when the server process is stopped."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def restart(self) -> None:
        """Serve again on the same port (the browser's pages and service worker know it)."""
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def rows(self) -> list[dict[str, Any]]:
        """Every stored response (drafts too) as dicts."""
        import sqlalchemy as sa

        from survey.extensions import db

        with self.app.app_context():
            result = db.session.execute(sa.text("SELECT * FROM responses")).mappings().all()
            rows = [dict(row) for row in result]
            db.session.remove()
            return rows


def silent_wav(seconds: float = 0.2, rate: int = 8000) -> bytes:
    """A short silent WAV file."""
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * int(seconds * rate))
    return buffer.getvalue()


def make_app(folder: Path, **config: Any) -> Any:
    """The survey app on its own SQLite database, with the test questionnaires published."""
    from survey import create_app, storage
    from survey.extensions import db

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'beboer.db'}",
            "SECRET_KEY": "browser-" + uuid.uuid4().hex,
            "INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "KIOSK_RESET_SECONDS": KIOSK_RESET_SECONDS,
            **config,
        }
    )
    with app.app_context():
        storage.migrate_database()
        storage.publish_file(MINI_SURVEY)
        storage.publish_file(audio_questionnaire(folder, "tilfreds.da.wav", silent_wav()))
        storage.publish_bundled()
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app served over HTTP for the whole browser session."""
    server = LiveServer(make_app(tmp_path_factory.mktemp("browser")))
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.thread.join(timeout=5)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Any]:
    """A factory of servers with their own settings (stopped and restarted by a test)."""
    servers: list[LiveServer] = []

    def serve(**config: Any) -> LiveServer:
        server = LiveServer(make_app(tmp_path / f"app{len(servers)}", **config))
        server.thread.start()
        servers.append(server)
        return server

    try:
        yield serve
    finally:
        for server in servers:
            server.server.shutdown()
            server.server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        message = f"{CHROMIUM} is missing: install Debian's chromium package (make system-deps)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=sorted(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[str, tuple[int, int]]:
    """A tablet viewport: 1024×768 (landscape) or 768×1024 (portrait)."""
    return request.param, SIZES[request.param]


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh landscape context."""
    ctx = new_context(browser, SIZES["landscape"])
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    """A page whose console errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if is_csp(msg.text) else None)
    yield page
    assert not errors, f"JavaScript errors or CSP violations: {errors}"


def is_csp(text: str) -> bool:
    """Whether a console message reports a Content-Security-Policy violation."""
    return "Content Security Policy" in text


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where screenshots go for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
