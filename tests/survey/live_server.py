"""Real ``beboer serve`` processes for the fault, backup and scaling tests.

Each server listens on a free port of its own, so tests of several helpers
can run at once; ``stop()`` ends it gently, ``kill()`` with SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BEBOER = [sys.executable, "-c", "from beboer.cli import main; main()"]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def beboer(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess:
    """Run a ``beboer`` command in a fresh process with ``env`` added to the environment."""
    return subprocess.run(
        [*BEBOER, *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


@dataclass
class Server:
    """One ``beboer serve`` process."""

    env: dict[str, str]
    threads: int = 8
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        """Start the server and wait until ``/healthz`` answers."""
        self.process = subprocess.Popen(
            [*BEBOER, "serve", "--port", str(self.port), "--threads", str(self.threads)],
            env={**os.environ, **self.env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"beboer serve ended: {self.process.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as reply:
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("beboer serve did not answer /healthz in time")

    def kill(self) -> None:
        """End the server with SIGKILL (no clean shutdown), as a power cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """End the server gently."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()


def post_json(url: str, body: Any, *, timeout: float = 10, headers: dict | None = None) -> int:
    """POST ``body`` as JSON; the HTTP status (raises ``OSError`` when there is no answer)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The environment of a test server: its database, instance folder, no rate limit."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "live-server-test-key",
        "RATELIMIT_ENABLED": "false",
        **extra,
    }
