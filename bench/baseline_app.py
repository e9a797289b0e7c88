"""The baseline of the submission benchmark: a bare Flask endpoint under waitress.

It parses the same JSON body and inserts it into the same ``responses``
table with one SQLAlchemy Core ``INSERT``: no validation, no idempotency,
no security checks. ``python -m bench.baseline_app DATABASE_URL PORT THREADS``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, request


def create_baseline(url: str) -> Flask:
    """A Flask app with ``POST /api/v1/responses`` inserting the body as it comes."""
    engine = sa.create_engine(url, pool_size=64, max_overflow=0, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=30000")

    responses = sa.Table("responses", sa.MetaData(), autoload_with=engine)
    app = Flask(__name__)

    @app.post("/api/v1/responses")
    def submit():
        raw = request.get_data()
        payload = json.loads(raw)
        now = datetime.now(UTC)
        answers = payload["answers"]
        with engine.begin() as connection:
            connection.execute(
                responses.insert().values(
                    id=payload["id"],
                    questionnaire_id=payload["questionnaire"],
                    questionnaire_version=payload["version"],
                    wave=2016,
                    language=payload["language"],
                    area=payload["area"],
                    mode=payload["mode"],
                    consent_version=payload["consent_version"],
                    consent_given_at=datetime.fromisoformat(payload["started_at"]),
                    started_at=datetime.fromisoformat(payload["started_at"]),
                    submitted_at=datetime.fromisoformat(payload["submitted_at"]),
                    received_at=now,
                    status="submitted",
                    answers=answers,
                    answers_sha256=hashlib.sha256(raw).hexdigest(),
                )
            )
        return {"id": payload["id"], "status": "created"}, 201

    return app


if __name__ == "__main__":
    from waitress import serve

    database_url, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    serve(create_baseline(database_url), host="127.0.0.1", port=port, threads=threads, ident="bare")
