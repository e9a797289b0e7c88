"""Client threads that keep submitting responses to a live server; what was acknowledged."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from tests.survey.live_server import post_json

API = "/api/v1/responses"


class Submitters:
    """``n`` threads POSTing payloads to ``url``; unacknowledged payloads are sent again later.

    ``acknowledged`` holds the ids answered 201 or 200, ``sent`` every payload
    ever attempted by id, ``statuses`` counts every status (``None``: no answer).
    """

    def __init__(self, make_payload: Callable[[], dict[str, Any]], n: int = 4) -> None:
        self.make_payload = make_payload
        self.n = n
        self.lock = threading.Lock()
        self.acknowledged: set[str] = set()
        self.sent: dict[str, dict[str, Any]] = {}
        self.pending: list[dict[str, Any]] = []
        self.statuses: Counter[int | None] = Counter()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _next(self) -> dict[str, Any]:
        with self.lock:
            if self.pending:
                return self.pending.pop()
            payload = self.make_payload()
            self.sent[payload["id"]] = payload
            return payload

    def _record(self, payload: dict[str, Any], status: int | None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status in (200, 201):
                self.acknowledged.add(payload["id"])
            else:
                self.pending.append(payload)

    def _run(self, url: str) -> None:
        while not self._stop.is_set():
            payload = self._next()
            try:
                status = post_json(url + API, payload, timeout=10)
            except OSError:
                status = None
            self._record(payload, status)

    def start(self, url: str) -> Submitters:
        """Start the threads against the server at ``url``."""
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, args=(url,), daemon=True) for _ in range(self.n)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def signal_stop(self) -> None:
        """Ask the threads to send nothing new (each finishes the request it is making)."""
        self._stop.set()

    def stop(self) -> None:
        """Stop the threads and wait for them."""
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def acknowledged_now(self) -> set[str]:
        """A copy of the acknowledged ids at this moment."""
        with self.lock:
            return set(self.acknowledged)

    def drain(self, url: str) -> None:
        """Send every unacknowledged payload again until each is acknowledged."""
        while self.pending:
            payload = self.pending.pop()
            self._record(payload, post_json(url + API, payload, timeout=30))
            if payload["id"] not in self.acknowledged:
                raise AssertionError(f"resend of {payload['id']} was not acknowledged")
