"""kill -9 during a stream of submissions: nothing acknowledged is lost or doubled.

``BEBOER_FAULT_CYCLES`` sets the number of kills per database (5 in ``make
test``, 25 in ``make soak``).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from survey.extensions import db
from survey.models import Response
from survey.payload import answers_sha256, normalise_answers
from tests.survey.conftest import make_payload
from tests.survey.live_server import Server, server_env
from tests.survey.load_clients import Submitters

CYCLES = int(os.environ.get("BEBOER_FAULT_CYCLES", "5"))


def stored_rows(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Response.id, Response.status, Response.answers_sha256))
        return {row.id: (row.status, row.answers_sha256) for row in rows}


def check_sqlite_integrity(url: str) -> None:
    path = make_url(url).database
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.slow
def test_kill_9_loses_and_doubles_nothing(app, database_url, tmp_path):
    rng = random.Random(11)
    env = server_env(database_url, tmp_path / "instance")
    clients = Submitters(make_payload, n=4)
    for _cycle in range(CYCLES):
        server = Server(env).start()
        clients.start(server.url)
        time.sleep(rng.uniform(0.3, 1.2))
        clients.signal_stop()  # requests in flight stay in flight for the kill
        server.kill()
        clients.stop()
    server = Server(env).start()
    clients.drain(server.url)
    server.stop()

    rows = stored_rows(app)
    unexpected = {s: n for s, n in clients.statuses.items() if s not in (200, 201, None)}
    assert not unexpected, unexpected
    assert clients.acknowledged == set(clients.sent)  # every payload finally acknowledged
    assert set(rows) == set(clients.sent)  # nothing lost, nothing invented
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
    assert total == len(rows)  # nothing doubled
    for response_id, (status, digest) in rows.items():
        answers = normalise_answers(clients.sent[response_id]["answers"])
        assert (status, digest) == ("submitted", answers_sha256(answers))
    if database_url.startswith("sqlite"):
        check_sqlite_integrity(database_url)
    print(
        f"\nfault test ({make_url(database_url).get_backend_name()}): {CYCLES} kill -9 cycles, "
        f"{len(rows)} responses acknowledged and stored once, statuses {dict(clients.statuses)}"
    )
