"""Storage: idempotent submits under concurrency, drafts, finalize, counts, deletion."""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

import questionnaires
from survey import storage
from survey.extensions import db
from survey.models import Deletion, Response
from survey.payload import normalise_answers

MINI = "tests/survey/fixtures/mini-survey.yaml"
CLIENTS = 8


def count_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def outcomes_at_once(app, store: Callable[[], storage.SubmitResult]) -> list[str]:
    """Call ``store`` from CLIENTS threads at the same moment, each in its own app context.

    Returns the outcome of each call (``"created"``, ``"identical"``...) in finishing order.
    """
    barrier = threading.Barrier(CLIENTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            result = store()
            db.session.remove()
        with lock:
            outcomes.append(result.outcome)

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_same_response_from_eight_clients_at_once_is_stored_once(app, payload):
    """8 clients POST one payload through a real threaded WSGI server at the same moment."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    body = json.dumps(payload()).encode()
    barrier = threading.Barrier(CLIENTS)
    statuses: list[int] = []
    lock = threading.Lock()

    def post() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        connection.connect()
        barrier.wait()
        connection.request(
            "POST", "/api/v1/responses", body=body, headers={"Content-Type": "application/json"}
        )
        reply = connection.getresponse()
        reply.read()
        with lock:
            statuses.append(reply.status)
        connection.close()

    clients = [threading.Thread(target=post) for _ in range(CLIENTS)]
    try:
        for client_thread in clients:
            client_thread.start()
        for client_thread in clients:
            client_thread.join(timeout=120)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert sorted(statuses) == [200] * (CLIENTS - 1) + [201]
    assert count_rows(app) == 1


def test_same_response_stored_at_once_through_storage_gives_one_created(app, payload):
    """The storage function itself, from 8 threads each in its own app context."""
    body = payload()
    outcomes = outcomes_at_once(app, lambda: storage.submit_payload(body))
    assert sorted(outcomes) == ["created"] + ["identical"] * (CLIENTS - 1)
    assert count_rows(app) == 1


def test_answers_hash_is_sha256_of_canonical_json(app, payload):
    body = payload(answers={"tilfreds_omraade": "1", "daarligt_ry": "2", "kommentar": "Æblet"})
    with app.app_context():
        storage.submit_payload(body)
        row = storage.get_response(body["id"])
    # independent: sorted keys, no spaces, UTF-8 kept
    canonical = '{"daarligt_ry":"2","kommentar":"Æblet","tilfreds_omraade":"1"}'
    assert row.answers_sha256 == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_unanswered_values_are_not_stored(app, payload):
    answers = {"tilfreds_omraade": "1", "daarligt_ry": "2", "alder": None, "kommentar": ""}
    body = payload(answers=answers)
    with app.app_context():
        storage.submit_payload(body)
        assert storage.get_response(body["id"]).answers == {
            "tilfreds_omraade": "1",
            "daarligt_ry": "2",
        }


def test_timestamps_are_read_back_as_utc(app, payload):
    body = payload(started_at="2016-05-01T23:30:00-01:00", submitted_at="2016-05-02T00:40:00Z")
    with app.app_context():
        storage.submit_payload(body)
        row = storage.get_response(body["id"])
    assert row.started_at == datetime(2016, 5, 2, 0, 30, tzinfo=UTC)
    assert row.started_at.utcoffset() == timedelta(0)
    assert row.submitted_at == datetime(2016, 5, 2, 0, 40, tzinfo=UTC)
    assert row.received_at.tzinfo is not None


def start(app, response_id: str, **changes) -> None:
    arguments = {
        "language": "da",
        "area": "vangdalen",
        "mode": "kiosk",
        "consent_version": "mini-1",
    }
    arguments.update(changes)
    storage.start_draft(response_id, storage.get_questionnaire("mini-survey"), **arguments)


def test_draft_is_started_once_saved_page_by_page_and_finalized_once(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id)
        start(app, response_id)  # a reload: nothing changes
        storage.save_draft_answers(response_id, {"tilfreds_omraade": "1", "daarligt_ry": "1"})
        storage.save_draft_answers(response_id, {"ry_grunde": ["rygter"]}, language="ar")
        row = storage.get_response(response_id)
        assert row.status == "draft"
        assert row.submitted_at is None
        assert row.language == "ar"
        assert row.answers == {
            "tilfreds_omraade": "1",
            "daarligt_ry": "1",
            "ry_grunde": ["rygter"],
        }
        assert storage.counts_by_area_language() == []
        assert storage.draft_counts() == {"mini-survey": 1}

        first = storage.finalize(response_id)
        second = storage.finalize(response_id)  # a double tap on submit
        assert (first.outcome, second.outcome) == ("created", "identical")
        row = storage.get_response(response_id)
        assert row.status == "submitted"
        assert row.submitted_at is not None
        assert storage.counts_by_area_language() == [("mini-survey", "vangdalen", "ar", 1)]
        with pytest.raises(storage.AlreadySubmitted):
            storage.save_draft_answers(response_id, {"tilfreds_omraade": "2"})
    assert count_rows(app) == 1


def test_concurrent_finalize_gives_one_created(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id)
        storage.save_draft_answers(response_id, {"tilfreds_omraade": "1", "daarligt_ry": "2"})
    outcomes = outcomes_at_once(app, lambda: storage.finalize(response_id))
    assert sorted(outcomes) == ["created"] + ["identical"] * (CLIENTS - 1)


def test_emptied_answer_is_removed_from_the_draft(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id)
        storage.save_draft_answers(response_id, {"alder": 30, "kommentar": "hej"})
        storage.save_draft_answers(response_id, {"alder": None, "kommentar": ""})
        assert storage.get_response(response_id).answers == {}


def test_finalize_drops_answers_to_questions_no_longer_asked(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id)
        storage.save_draft_answers(
            response_id, {"tilfreds_omraade": "1", "daarligt_ry": "1", "ry_grunde": ["rygter"]}
        )
        storage.save_draft_answers(response_id, {"daarligt_ry": "2"})  # changed their mind
        assert storage.finalize(response_id).outcome == "created"
        assert storage.get_response(response_id).answers == {
            "tilfreds_omraade": "1",
            "daarligt_ry": "2",
        }


def test_finalize_refuses_incomplete_answers(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id)
        storage.save_draft_answers(response_id, {"tilfreds_omraade": "1"})
        with pytest.raises(storage.PayloadError) as caught:
            storage.finalize(response_id)
        assert caught.value.errors == {"answers.daarligt_ry": ["This question must be answered."]}
        assert caught.value.errors["answers.daarligt_ry"][0].code == "required"
        assert storage.get_response(response_id).status == "draft"


def test_unknown_response(app):
    with app.app_context():
        missing = str(uuid.uuid4())
        assert storage.get_response(missing) is None
        assert storage.get_response("not-a-uuid") is None
        with pytest.raises(storage.UnknownResponse):
            storage.save_draft_answers(missing, {"alder": 20})
        with pytest.raises(storage.UnknownResponse):
            storage.finalize(missing)


def test_start_draft_checks_its_arguments(app):
    with app.app_context():
        with pytest.raises(storage.PayloadError) as caught:
            start(app, "nope", language="fr", area="x", mode="tv", consent_version="0")
    assert set(caught.value.errors) == {"id", "language", "area", "mode", "consent_version"}


def test_interviewer_draft_keeps_mode_and_pseudonym(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(
            app,
            response_id,
            mode="interviewer",
            interviewer_id="INT-00AB12",
            assistance="read_aloud",
        )
        row = storage.get_response(response_id)
    assert (row.mode, row.interviewer_id, row.assistance) == (
        "interviewer",
        "INT-00AB12",
        "read_aloud",
    )


def test_api_payload_completes_a_draft_of_the_same_response(app, payload):
    body = payload(area="vangdalen")
    with app.app_context():
        start(app, body["id"])
        storage.save_draft_answers(body["id"], {"tilfreds_omraade": "3"})
        assert storage.submit_payload(body).outcome == "created"
        assert storage.submit_payload(body).outcome == "identical"
        row = storage.get_response(body["id"])
        assert row.status == "submitted"
        assert row.answers == normalise_answers(body["answers"])
    assert count_rows(app) == 1


def test_draft_id_of_another_questionnaire_conflicts(app, payload, tmp_path):
    other = tmp_path / "other.yaml"
    text = open(MINI, encoding="utf-8").read().replace("id: mini-survey", "id: other-survey", 1)
    other.write_text(text, encoding="utf-8")
    body = payload()
    with app.app_context():
        storage.publish_file(other)
        questionnaire = storage.get_questionnaire("other-survey")
        storage.start_draft(
            body["id"],
            questionnaire,
            language="da",
            area="vangdalen",
            mode="web",
            consent_version="mini-1",
        )
        with pytest.raises(storage.Conflict):
            storage.submit_payload(body)


def test_counts_by_area_language(app, payload):
    with app.app_context():
        for area, language in [
            ("vangdalen", "da"),
            ("vangdalen", "da"),
            ("vangdalen", "ar"),
            ("glarbjergvej", "da"),
        ]:
            storage.submit_payload(payload(area=area, language=language))
        start(app, str(uuid.uuid4()))
        assert storage.counts_by_area_language() == [
            ("mini-survey", "glarbjergvej", "da", 1),
            ("mini-survey", "vangdalen", "ar", 1),
            ("mini-survey", "vangdalen", "da", 2),
        ]
        assert storage.counts_by_area_language("beboerundersoegelse-2016") == []


def test_delete_response_logs_who_when_why_without_answers(app, payload):
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
        assert storage.delete_response(body["id"], deleted_by="admin", reason="consent withdrawn")
        assert storage.get_response(body["id"]) is None
        assert not storage.delete_response(body["id"], deleted_by="admin", reason="again")
        (deletion,) = db.session.scalars(sa.select(Deletion))
        assert (deletion.response_id, deletion.deleted_by, deletion.reason) == (
            body["id"],
            "admin",
            "consent withdrawn",
        )
        assert deletion.deleted_at.tzinfo is not None
        assert "answers" not in Deletion.__table__.columns


def test_publish_is_idempotent_and_refuses_changed_text_under_the_same_version(app, tmp_path):
    with app.app_context():
        _questionnaire, new = storage.publish_file(MINI)
        assert new is False
        changed = tmp_path / "changed.yaml"
        changed.write_text(
            open(MINI, encoding="utf-8").read().replace("Hvorfor?", "Hvorfor det?"),
            encoding="utf-8",
        )
        with pytest.raises(ValueError, match="already published with other content"):
            storage.publish_file(changed)
        newer = tmp_path / "newer.yaml"
        newer.write_text(
            open(MINI, encoding="utf-8").read().replace('version: "1.0"', 'version: "1.1"'),
            encoding="utf-8",
        )
        assert storage.publish_file(newer)[1] is True
        assert storage.get_questionnaire("mini-survey").version == "1.1"
        assert storage.get_questionnaire("mini-survey", "1.0").version == "1.0"
        assert storage.get_questionnaire("nope") is None


def test_published_questionnaire_is_loaded_from_the_stored_text(app):
    """A fresh app (empty cache) loads the published version from the database."""
    from survey import create_app

    other = create_app(dict(app.config, INSTANCE_PATH=app.instance_path))
    with other.app_context():
        loaded = storage.get_questionnaire("mini-survey", "1.0")
        assert loaded.id == "mini-survey"
        assert loaded.validate({"tilfreds_omraade": "1", "daarligt_ry": "2"}) == {}
        db.engine.dispose()


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        assert storage.current_revision() is not None
        storage.migrate_database()  # again: nothing to do


def test_default_database_is_sqlite_in_wal_mode_under_instance(tmp_path, monkeypatch):
    from survey import create_app

    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    application = create_app({"TESTING": True, "SECRET_KEY": "k", "INSTANCE_PATH": str(instance)})
    assert application.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'beboer.db'}"
    with application.app_context():
        storage.migrate_database()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
    assert (instance / "beboer.db").exists()


def test_bundled_2016_questionnaire_accepts_a_complete_response(app, bundled, client):
    if "beboerundersoegelse-2016" not in questionnaires.available():
        pytest.fail("the bundled 2016 questionnaire is missing")
    questionnaire = questionnaires.load("beboerundersoegelse-2016")
    answers = {}
    for question in questionnaire.questions():
        if not questionnaire.is_visible(question, answers) or not question.required:
            continue
        if question.type == "single":
            answers[question.id] = question.codes[0]
        elif question.type == "multiple":
            answers[question.id] = [question.codes[0]]
        elif question.type == "number":
            answers[question.id] = question.min if question.min is not None else 1
        else:
            answers[question.id] = "tekst"
    body = {
        "id": str(uuid.uuid4()),
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "language": "ar",
        "area": questionnaire.areas[0].id,
        "mode": "web",
        "consent_version": questionnaire.consent.version,
        "started_at": datetime(2016, 5, 1, 10, tzinfo=timezone(timedelta(hours=2))).isoformat(),
        "submitted_at": "2016-05-01T10:20:00+02:00",
        "answers": answers,
    }
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 201, reply.json
    assert client.post("/api/v1/responses", json=body).status_code == 200


def test_set_assistance_records_an_aborted_interview(app):
    response_id = str(uuid.uuid4())
    with app.app_context():
        start(app, response_id, mode="interviewer", interviewer_id="INT-00AB12")
        storage.save_draft_answers(response_id, {"tilfreds_omraade": "1"})
        storage.set_assistance(response_id, "aborted")
        row = storage.get_response(response_id)
        assert (row.status, row.assistance, row.answers) == (
            "draft",
            "aborted",
            {"tilfreds_omraade": "1"},
        )
        with pytest.raises(storage.PayloadError):
            storage.set_assistance(response_id, "gave up")
        with pytest.raises(storage.UnknownResponse):
            storage.set_assistance(str(uuid.uuid4()), "self")
        storage.save_draft_answers(response_id, {"daarligt_ry": "2"})
        storage.finalize(response_id)
        with pytest.raises(storage.AlreadySubmitted):
            storage.set_assistance(response_id, "self")
