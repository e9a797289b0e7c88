"""The JSON API: every status code of POST /api/v1/responses and its messages, the reads."""

from __future__ import annotations

import json

import sqlalchemy as sa

from survey.extensions import db
from survey.models import Response
from survey.payload import OPTIONAL_FIELDS, REQUIRED_FIELDS, normalise_answers


def stored_rows(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Response)))


def test_created_returns_201_with_location_and_stores_one_row(app, client, payload):
    body = payload()
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 201
    assert reply.json == {"id": body["id"], "status": "created"}
    assert reply.headers["Location"] == f"/api/v1/responses/{body['id']}"
    (row,) = stored_rows(app)
    assert row.status == "submitted"
    assert row.answers == normalise_answers(body["answers"])
    assert row.wave == 2016
    assert row.questionnaire_version == "1.0"
    assert row.submitted_at.isoformat() == "2016-05-01T08:07:30+00:00"
    assert row.consent_given_at == row.started_at
    assert len(row.answers_sha256) == 64


def test_location_answers_with_the_status(client, payload):
    body = payload()
    location = client.post("/api/v1/responses", json=body).headers["Location"]
    reply = client.get(location)
    assert reply.status_code == 200
    assert reply.json == {"id": body["id"], "status": "submitted", "questionnaire": "mini-survey"}
    assert client.get(f"/api/v1/responses/{payload()['id']}").status_code == 404


def test_identical_resend_returns_200_and_stores_nothing_new(app, client, payload):
    body = payload()
    assert client.post("/api/v1/responses", json=body).status_code == 201
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 200
    assert reply.json == {"id": body["id"], "status": "identical"}
    assert len(stored_rows(app)) == 1


def test_resend_with_other_key_order_and_empty_answers_is_identical(client, payload):
    body = payload()
    assert client.post("/api/v1/responses", json=body).status_code == 201
    shuffled = dict(reversed(list(body.items())))
    shuffled["answers"] = dict(reversed(list(body["answers"].items())), alder=42)
    assert client.post("/api/v1/responses", json=shuffled).status_code == 200


def test_resend_with_float_number_and_other_tick_order_is_identical(client, payload):
    body = payload()
    assert client.post("/api/v1/responses", json=body).status_code == 201
    resent = dict(body, answers=dict(body["answers"], alder=42.0, ry_grunde=["andet", "rygter"]))
    assert client.post("/api/v1/responses", json=resent).status_code == 200


def test_same_id_other_answers_is_a_conflict(app, client, payload):
    body = payload()
    assert client.post("/api/v1/responses", json=body).status_code == 201
    changed = dict(body, answers=dict(body["answers"], tilfreds_omraade="3"))
    reply = client.post("/api/v1/responses", json=changed)
    assert reply.status_code == 409
    assert reply.json["status"] == "conflict"
    assert reply.json["id"] == body["id"]
    assert "other content" in reply.json["message"]
    (row,) = stored_rows(app)
    assert row.answers["tilfreds_omraade"] == "2"


def test_same_id_other_area_is_a_conflict(client, payload):
    body = payload()
    client.post("/api/v1/responses", json=body)
    assert client.post("/api/v1/responses", json=dict(body, area="vangdalen")).status_code == 409


def test_invalid_answers_give_422_keyed_by_question(app, client, payload):
    body = payload(answers={"daarligt_ry": "7", "alder": 3, "ukendt": "1"})
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 422
    errors = reply.json["errors"]
    assert errors["answers.tilfreds_omraade"] == ["This question must be answered."]
    assert errors["answers.daarligt_ry"] == ['"7" is not one of the choices.']
    assert errors["answers.alder"] == ["The number must be at least 15."]
    assert "answers.ukendt" in errors
    assert stored_rows(app) == []


def test_answer_to_hidden_question_is_invalid(client, payload):
    answers = {"tilfreds_omraade": "1", "daarligt_ry": "2", "ry_grunde": ["rygter"]}
    reply = client.post("/api/v1/responses", json=payload(answers=answers))
    assert reply.status_code == 422
    assert list(reply.json["errors"]) == ["answers.ry_grunde"]


def test_invalid_metadata_gives_422_per_field(client, payload):
    body = payload(
        id="not-a-uuid",
        language="fr",
        area="nowhere",
        mode="phone",
        consent_version="old",
        started_at="2016-05-01T10:00:00",
        submitted_at="yesterday",
        extra=1,
    )
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 422
    errors = reply.json["errors"]
    assert set(errors) == {
        "id",
        "language",
        "area",
        "mode",
        "consent_version",
        "started_at",
        "submitted_at",
        "extra",
    }
    assert errors["area"] == ["must be one of glarbjergvej, vangdalen"]
    assert errors["language"] == ["must be one of da, ar"]
    assert "time zone" in errors["started_at"][0]
    assert "ISO-8601" in errors["submitted_at"][0]
    assert errors["consent_version"] == ["must be 'mini-1', the consent text of this version"]


def test_unknown_questionnaire_and_version(client, payload):
    reply = client.post("/api/v1/responses", json=payload(questionnaire="nope"))
    assert reply.status_code == 422
    assert reply.json["errors"] == {"questionnaire": ["'nope' is not a published questionnaire"]}
    reply = client.post("/api/v1/responses", json=payload(version="0.9"))
    assert reply.json["errors"] == {"version": ["'0.9' is not a published version of mini-survey"]}


def test_missing_fields_are_each_named(client):
    reply = client.post("/api/v1/responses", json={})
    assert reply.status_code == 422
    assert reply.json["errors"]["answers"] == ["is required"]
    assert len(reply.json["errors"]) == 10


def test_body_that_is_not_an_object_is_422(client):
    reply = client.post("/api/v1/responses", json=[1, 2])
    assert reply.status_code == 422
    assert reply.json["errors"] == {"$": ["the body must be a JSON object"]}


def test_interviewer_id_only_with_interviewer_mode(app, client, payload):
    from survey import devices
    from survey.auth import users

    reply = client.post("/api/v1/responses", json=payload(interviewer_id="INT-3F9A2C"))
    assert reply.json["errors"] == {"interviewer_id": ["is only allowed with mode interviewer"]}
    with app.app_context():
        pseudonym = users.create_user("ali", "a long enough password", role="interviewer").pseudonym
        token = devices.issue_token("tablet 1", "ali", issued_by="test").token
    device = {"Authorization": f"Bearer {token}"}
    body = payload(mode="interviewer", interviewer_id=pseudonym, assistance="interpreter")
    assert client.post("/api/v1/responses", json=body, headers=device).status_code == 201
    bad = payload(mode="interviewer", interviewer_id="Jens Hansen")
    reply = client.post("/api/v1/responses", json=bad, headers=device)
    assert "pseudonym" in reply.json["errors"]["interviewer_id"][0]


def test_malformed_json_gives_400_with_line_and_column(client):
    reply = client.post(
        "/api/v1/responses", data='{\n  "id": "x",\n  oops\n}', content_type="application/json"
    )
    assert reply.status_code == 400
    assert reply.json["error"] == "Bad Request"
    assert reply.json["message"].startswith("malformed JSON at line 3, column 3:")


def test_body_not_utf8_gives_400(client):
    reply = client.post("/api/v1/responses", data=b'{"a": "\xff"}', content_type="application/json")
    assert reply.status_code == 400
    assert "UTF-8" in reply.json["message"]


def test_wrong_content_type_gives_415(client, payload):
    reply = client.post("/api/v1/responses", data=json.dumps(payload()), content_type="text/plain")
    assert reply.status_code == 415
    assert reply.json["message"] == "send the response as application/json, not text/plain"
    form = client.post("/api/v1/responses", data={"id": "x"})
    assert form.status_code == 415


def test_too_large_body_gives_413(client, app, payload):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 256 * 1024
    body = payload(answers={"kommentar": "x" * limit})
    reply = client.post("/api/v1/responses", json=body)
    assert reply.status_code == 413
    assert reply.json["error"] == "Request Entity Too Large"


def test_wrong_method_gives_405_json(client):
    reply = client.get("/api/v1/responses")
    assert reply.status_code == 405
    assert reply.json["error"] == "Method Not Allowed"


def test_unknown_api_path_gives_404_json(client):
    reply = client.get("/api/v1/nothing-here")
    assert reply.status_code == 404
    assert reply.is_json


def test_api_needs_no_csrf_token(app_config, payload):
    from survey import create_app

    app_config["WTF_CSRF_ENABLED"] = True
    application = create_app(app_config)
    with application.app_context():
        from survey import storage

        storage.migrate_database()
        storage.publish_file("tests/survey/fixtures/mini-survey.yaml")
    reply = application.test_client().post("/api/v1/responses", json=payload())
    assert reply.status_code == 201
    with application.app_context():
        db.engine.dispose()


def test_questionnaire_list_and_detail(client):
    listing = client.get("/api/v1/questionnaires")
    assert listing.status_code == 200
    ids = [item["id"] for item in listing.json["questionnaires"]]
    assert "mini-survey" in ids
    mini = next(item for item in listing.json["questionnaires"] if item["id"] == "mini-survey")
    assert mini["version"] == "1.0"
    detail = client.get(mini["url"])
    assert detail.status_code == 200
    assert detail.json["id"] == "mini-survey"
    assert detail.json["areas"][1] == {"id": "vangdalen", "label": "Vangdalen"}
    assert detail.json["pages"][0]["questions"][0]["id"] == "tilfreds_omraade"


def test_unknown_questionnaire_gives_404(client):
    reply = client.get("/api/v1/questionnaires/nope")
    assert reply.status_code == 404
    assert reply.json["message"] == "no published questionnaire nope"
    assert client.get("/api/v1/questionnaires/mini-survey?version=9").status_code == 404


def test_openapi_document_describes_every_endpoint_and_status(client, app):
    reply = client.get("/api/v1/openapi.json")
    assert reply.status_code == 200
    document = reply.json
    assert document["openapi"] == "3.1.0"
    post = document["paths"]["/responses"]["post"]
    assert set(post["responses"]) == {
        "200",
        "201",
        "400",
        "401",
        "403",
        "409",
        "413",
        "415",
        "422",
        "429",
    }
    assert "/questionnaires/{questionnaire_id}" in document["paths"]
    assert "/healthz" in document["paths"]
    # every route of the API blueprint is documented
    api_paths = {
        rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert api_paths <= set(document["paths"])
    # every $ref resolves
    text = json.dumps(document)
    for name in {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in document["components"]["schemas"]
    required = document["components"]["schemas"]["ResponsePayload"]["required"]
    assert required == [
        "id",
        "questionnaire",
        "version",
        "language",
        "area",
        "mode",
        "consent_version",
        "started_at",
        "submitted_at",
        "answers",
    ]
    properties = document["components"]["schemas"]["ResponsePayload"]["properties"]
    assert set(properties) == set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS)


def test_healthz(client):
    reply = client.get("/healthz")
    assert reply.status_code == 200
    assert reply.json == {"status": "ok"}


def test_healthz_503_when_database_is_gone(app_config, tmp_path):
    from survey import create_app

    app_config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}"
    reply = create_app(app_config).test_client().get("/healthz")
    assert reply.status_code == 503
    assert reply.json["status"] == "unavailable"
