"""Submission throughput of ``beboer serve`` against a bare Flask + waitress endpoint.

For SQLite and PostgreSQL, and 1, 16 and 64 concurrent clients, each side
gets its own freshly migrated database and serves on its own port; clients
on keep-alive connections POST the synthetic 2016 payloads (each with a
fresh UUID) for ``--seconds``. The baseline (:mod:`bench.baseline_app`)
parses the same JSON and inserts it into the same table; ``beboer serve``
also validates, checks idempotency and runs its security checks. Printed:
requests per second, p50 and p99 latency, and throughput as a ratio of the
baseline's (1.00 = as fast).

``python -m bench.submissions [--seconds S] [--repeat K] [--clients 1,16,64]
[--databases sqlite,postgresql]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("DATABASE_URL_TEST", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
THREADS = 16
BEBOER = [sys.executable, "-c", "from beboer.cli import main; main()"]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def payloads() -> list[dict]:
    """The synthetic 2016 payloads, self-completed (interviews need credentials)."""
    from analysis import demo

    items = []
    for payload in demo.generate(2016):
        payload = dict(payload, mode="kiosk")
        payload.pop("interviewer_id", None)
        payload.pop("assistance", None)
        items.append(payload)
    return items


class Database:
    """A fresh database of one kind, migrated with ``beboer init-db``, dropped at the end."""

    def __init__(self, kind: str, folder: Path, name: str) -> None:
        self.kind = kind
        if kind == "sqlite":
            self.url = f"sqlite:///{folder / (name + '.db')}"
        else:
            self.name = f"beboer_bench_{name}_{uuid.uuid4().hex[:8]}"
            self.url = make_url(POSTGRES).set(database=self.name).render_as_string(False)
            self._admin(f'CREATE DATABASE "{self.name}"')
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "INSTANCE_PATH": str(folder / name),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": "false",
        }
        subprocess.run(
            [*BEBOER, "init-db"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(
            POSTGRES, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
        engine.dispose()

    def drop(self) -> None:
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def start(command: list[str], env: dict, port: int) -> subprocess.Popen:
    """Start a server process and wait until it accepts a request."""
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
            return process
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def load(port: int, items: list[dict], clients: int, seconds: float) -> tuple[float, list[float]]:
    """``clients`` threads POSTing for ``seconds``; (requests per second, latencies in s)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[int] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        position = index
        while time.monotonic() < stop:
            body = json.dumps(dict(items[position % len(items)], id=str(uuid.uuid4())))
            position += clients
            started = time.perf_counter()
            connection.request(
                "POST", "/api/v1/responses", body, {"Content-Type": "application/json"}
            )
            reply = connection.getresponse()
            reply.read()
            latencies[index].append(time.perf_counter() - started)
            if reply.status != 201:
                errors.append(reply.status)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. status {errors[0]}")
    flat = [value for values in latencies for value in values]
    return len(flat) / elapsed, flat


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``."""
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def measure(kind: str, label: str, command, folder: Path, items, clients, seconds):
    """Serve with ``command`` on a fresh database and load it; (rps, p50 ms, p99 ms)."""
    database = Database(kind, folder, f"{label}_{clients}")
    port = free_port()
    process = start(command(database.url, port), database.env, port)
    try:
        load(port, items, clients, min(1.0, seconds / 4))  # warm up
        rps, latencies = load(port, items, clients, seconds)
    finally:
        process.terminate()
        process.wait(10)
        database.drop()
    return rps, percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000


def main(argv: list[str] | None = None) -> int:
    """Run the submission benchmark and print one table row per database and concurrency."""
    parser = argparse.ArgumentParser(prog="python -m bench.submissions")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", default="1,16,64")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs per side, alternating; the best is shown"
    )
    options = parser.parse_args(argv)
    items = payloads()
    ours = lambda url, port: [  # noqa: E731
        *BEBOER,
        "serve",
        "--port",
        str(port),
        "--threads",
        str(THREADS),
    ]
    bare = lambda url, port: [  # noqa: E731
        sys.executable,
        "-m",
        "bench.baseline_app",
        url,
        str(port),
        str(THREADS),
    ]
    print(
        f"Submissions, {THREADS} server threads, {options.seconds:g} s per run, best of "
        f"{options.repeat} alternating runs, 2016 demo payloads with fresh ids"
    )
    print(
        f"{'database':<11}{'clients':>8} | {'beboer req/s':>12} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'bare req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | ratio"
    )
    with tempfile.TemporaryDirectory(prefix="beboer-bench-") as folder:
        for kind in options.databases.split(","):
            for clients in (int(n) for n in options.clients.split(",")):
                runs: dict[str, list] = {"ours": [], "bare": []}
                for _round in range(options.repeat):  # alternate, so both see the same noise
                    for label, command in (("ours", ours), ("bare", bare)):
                        runs[label].append(
                            measure(
                                kind, label, command, Path(folder), items, clients, options.seconds
                            )
                        )
                a = max(runs["ours"])
                b = max(runs["bare"])
                print(
                    f"{kind:<11}{clients:>8} | {a[0]:12.0f} {a[1]:7.1f} {a[2]:7.1f} | "
                    f"{b[0]:10.0f} {b[1]:7.1f} {b[2]:7.1f} | {a[0] / b[0]:5.2f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
