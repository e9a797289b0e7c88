"""Schemathesis against ``/api/v1/openapi.json`` on SQLite and PostgreSQL: no 5xx, as documented.

Every operation gets ``BEBOER_FUZZ_EXAMPLES`` generated requests (250 in
``make test``, several hundred in ``make soak``), valid and invalid ones,
plus schemathesis' own probes (unsupported methods, missing headers). The
checks: no server error, every status documented, content type and body as
documented, and a 405 that says what is allowed.
"""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from survey import devices
from survey.auth import users

EXAMPLES = int(os.environ.get("BEBOER_FUZZ_EXAMPLES", "250"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(app):
    with app.app_context():
        users.create_user("ali", "a long enough password", role="interviewer")
        token = devices.issue_token("fuzz tablet", "ali", issued_by="test").token
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    requests = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/healthz":  # served outside /api/v1; no input to vary
            continue
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @hypothesis.given(case=strategy)
            def run(case):
                nonlocal requests
                requests += 1
                # The WSGI transport does not undo gzip (survey.assets compresses
                # larger JSON replies for real HTTP clients): ask for the plain body.
                headers = {"Accept-Encoding": "identity"}
                if requests % 3 == 0:
                    headers["Authorization"] = f"Bearer {token}"
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except hypothesis.errors.Unsatisfiable:  # no invalid input exists (no parameters)
                continue
            except (AssertionError, FailureGroup) as error:  # report every operation's failure
                failures.append(f"{operation.label} [{mode.value}]: {str(error)[:1500]}")
    assert not failures, "\n".join(failures)
    print(f"\nschemathesis ({app.config['DATABASE_URL'].split(':')[0]}): {requests} requests")
