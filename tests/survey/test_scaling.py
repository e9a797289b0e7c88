"""Two ``beboer serve`` processes on one PostgreSQL database and one Redis.

Concurrent resends of one response across both processes store it exactly
once (one 201, the rest 200), and a rate limit counted in Redis is shared:
a client gets the limit in total, not once per process.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from tests.conftest import in_ci
from tests.survey.conftest import make_payload
from tests.survey.live_server import Server, beboer, post_json, server_env

REDIS_URL = os.environ.get("REDIS_URL_TEST", "redis://127.0.0.1:6379/0")
API = "/api/v1/responses"


@pytest.fixture
def redis_url() -> str:
    """The test Redis (``REDIS_URL_TEST``); skipped when down, except in CI."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if in_ci():
            pytest.fail(f"Redis at {REDIS_URL} is down: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is down: {error}")
    return REDIS_URL


def test_redis_storage_uri_starts_the_app(app_config, redis_url):
    from survey import create_app, storage

    app_config.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=f"beboer-test-{uuid.uuid4().hex}",
    )
    application = create_app(app_config)
    with application.app_context():
        storage.migrate_database()
    reply = application.test_client().get("/api/v1/responses/" + str(uuid.uuid4()))
    assert reply.status_code == 404
    assert reply.headers["X-RateLimit-Limit"] == "60"  # counted in Redis


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_store_exactly_once_and_share_the_rate_limit(
    postgres_database, redis_url, tmp_path
):
    common = {
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": f"beboer-test-{uuid.uuid4().hex}",
        "RATELIMIT_SUBMIT": "10 per minute",
        "PROXY_FIX_X_FOR": "1",
    }
    first_env = server_env(postgres_database, tmp_path / "a", **common)
    second_env = server_env(postgres_database, tmp_path / "b", **common)
    migrated = beboer(["init-db", "--publish", "tests/survey/fixtures/mini-survey.yaml"], first_env)
    assert migrated.returncode == 0, migrated.stderr
    servers = [Server(first_env).start(), Server(second_env).start()]
    try:
        # exactly once: 8 simultaneous sends of each response, 4 to each process,
        # each response from its own client address (under the rate limit)
        for index in range(15):
            payload = make_payload()
            address = {"X-Forwarded-For": f"10.1.0.{index + 1}"}
            barrier = threading.Barrier(8)
            statuses: list[int] = []

            def send(
                server: Server, payload=payload, address=address, barrier=barrier, out=statuses
            ) -> None:
                barrier.wait()
                out.append(post_json(server.url + API, payload, headers=address))

            threads = [threading.Thread(target=send, args=(servers[i % 2],)) for i in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(statuses) == [200] * 7 + [201], statuses

        # one limit for both: 10 per minute from one client, alternating processes
        client = {"X-Forwarded-For": "10.2.0.1"}
        statuses = [
            post_json(servers[i % 2].url + API, make_payload(), headers=client) for i in range(14)
        ]
        assert statuses.count(201) == 10
        assert statuses.count(429) == 4
        assert statuses[-1] == 429
    finally:
        for server in servers:
            server.stop()
