"""The OpenAPI 3.1 document of the JSON API, written as data."""

from __future__ import annotations

from typing import Any

from ..models import ASSISTANCE, MODES
from ..payload import PSEUDONYM, REQUIRED_FIELDS

_UUID_EXAMPLE = "0b3c1f4e-2f6a-4c8e-9a77-5d1e3b2a4c6f"


def _json(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


SCHEMAS: dict[str, Any] = {
    "ResponsePayload": {
        "type": "object",
        "description": "A finished response, made and keyed on the client.",
        "required": list(REQUIRED_FIELDS),
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "format": "uuid", "examples": [_UUID_EXAMPLE]},
            "questionnaire": {"type": "string", "examples": ["beboerundersoegelse-2016"]},
            "version": {"type": "string", "description": "a published version of it"},
            "language": {"type": "string", "description": "a language the questionnaire offers"},
            "area": {"type": "string", "description": "an area id of the questionnaire"},
            "mode": {"type": "string", "enum": list(MODES)},
            "consent_version": {
                "type": "string",
                "description": "the version of the consent text the resident agreed to",
            },
            "consent_given_at": {
                "type": "string",
                "format": "date-time",
                "description": "when consent was given (default: started_at)",
            },
            "started_at": {"type": "string", "format": "date-time"},
            "submitted_at": {"type": "string", "format": "date-time"},
            "interviewer_id": {
                "type": "string",
                "pattern": f"^{PSEUDONYM.pattern}$",
                "description": "the interviewer's pseudonym; only with mode interviewer",
            },
            "assistance": {"type": "string", "enum": list(ASSISTANCE)},
            "answers": {
                "type": "object",
                "description": (
                    "question id -> a code (single choice), a list of codes (multiple "
                    "choice), an integer (number) or a string (text); unanswered "
                    "questions are absent"
                ),
                "additionalProperties": {
                    "oneOf": [
                        {"type": "string"},
                        {"type": "integer"},
                        {"type": "array", "items": {"type": "string"}},
                        {"type": "null"},
                    ]
                },
            },
        },
    },
    "Stored": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["created", "identical"]},
        },
    },
    "Conflict": {
        "type": "object",
        "required": ["id", "status", "message"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "const": "conflict"},
            "message": {"type": "string"},
        },
    },
    "ValidationErrors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "description": (
                    "field -> messages; answers are keyed answers.<question id>, the whole "
                    "body (when not an object) $"
                ),
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "examples": [
                    {
                        "answers.tilfreds_omraade": ["this question is required"],
                        "area": ["must be one of glarbjergvej, jennumparken, vangdalen"],
                    }
                ],
            },
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    },
    "ResponseStatus": {
        "type": "object",
        "required": ["id", "status", "questionnaire"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "const": "submitted"},
            "questionnaire": {"type": "string"},
        },
    },
    "QuestionnaireList": {
        "type": "object",
        "required": ["questionnaires"],
        "properties": {
            "questionnaires": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "version", "wave", "published_at", "url"],
                    "properties": {
                        "id": {"type": "string"},
                        "version": {"type": "string"},
                        "wave": {"type": "integer"},
                        "published_at": {"type": "string", "format": "date-time"},
                        "url": {"type": "string"},
                    },
                },
            }
        },
    },
    "Questionnaire": {
        "type": "object",
        "description": "The questionnaire as data, in the shape of its YAML file.",
        "required": ["id", "version", "wave"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "wave": {"type": "integer"},
        },
        "additionalProperties": True,
    },
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["ok", "unavailable"]}},
    },
}


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of ``/api/v1`` and ``/healthz``."""
    too_many = _error("Too many requests from this client; retry after the Retry-After delay")
    bad_text = _error("The path or query holds a NUL character or a lone surrogate")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "beboer survey API",
            "version": "1.0.0",
            "description": (
                "Submit residents' finished responses and read published questionnaires. "
                "A response is keyed by a UUID made on the client: sending it again is "
                "safe (200, nothing new stored); sending other content under the same id "
                "(answers, area, language, mode, assistance, interviewer) is a conflict "
                "(409). Only a response in interviewer mode needs credentials: a staff "
                "login session or a device token issued with `beboer device-token issue`, "
                "sent as `Authorization: Bearer <token>`; the response is stored under "
                "that interviewer's pseudonym."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/responses": {
                "post": {
                    "operationId": "submitResponse",
                    "summary": "Store a finished response",
                    "requestBody": {"required": True, "content": _json("ResponsePayload")},
                    "security": [{}, {"deviceToken": []}],
                    "responses": {
                        "201": {
                            "description": "Stored now",
                            "headers": {
                                "Location": {
                                    "description": "where the response's status can be read",
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": _json("Stored"),
                        },
                        "200": {
                            "description": "The same response was already stored; nothing new",
                            "content": _json("Stored"),
                        },
                        "400": _error(
                            "Malformed JSON (the message gives line and column), or JSON no "
                            "database can store: NUL characters, lone surrogates, integers "
                            "beyond ±2^53, nesting deeper than 16 levels"
                        ),
                        "401": _error(
                            "Interviewer mode without a staff login or a valid device token"
                        ),
                        "403": _error("interviewer_id names another interviewer than the token's"),
                        "409": {
                            "description": "A response with this id holds other content",
                            "content": _json("Conflict"),
                        },
                        "413": _error("The body is larger than the server accepts"),
                        "415": _error("The content type is not application/json"),
                        "422": {
                            "description": "Invalid fields or answers, each with its messages",
                            "content": _json("ValidationErrors"),
                        },
                        "429": too_many,
                    },
                }
            },
            "/drafts": {
                "post": {
                    "operationId": "storeDraft",
                    "summary": "Keep an unfinished response as incomplete (a draft)",
                    "description": (
                        "For a response its resident left while the device was offline. The "
                        "body is a response payload; required questions may be unanswered and "
                        "submitted_at may be left out. Its answers are merged into the draft "
                        "the form saved; the response is never counted as submitted."
                    ),
                    "requestBody": {"required": True, "content": _json("ResponsePayload")},
                    "security": [{}, {"deviceToken": []}],
                    "responses": {
                        "201": {"description": "Stored or updated", "content": _json("Stored")},
                        "200": {
                            "description": "Nothing changed (a resend, or already submitted)",
                            "content": _json("Stored"),
                        },
                        "400": _error("Malformed JSON"),
                        "401": _error(
                            "Interviewer mode without a staff login or a valid device token"
                        ),
                        "403": _error("interviewer_id names another interviewer than the token's"),
                        "409": {
                            "description": "The id belongs to a response to another questionnaire",
                            "content": _json("Conflict"),
                        },
                        "413": _error("The body is larger than the server accepts"),
                        "415": _error("The content type is not application/json"),
                        "422": {
                            "description": "Invalid fields or answers, each with its messages",
                            "content": _json("ValidationErrors"),
                        },
                        "429": too_many,
                    },
                }
            },
            "/responses/{response_id}": {
                "get": {
                    "operationId": "responseStatus",
                    "summary": "Whether a submitted response with this id is stored",
                    "parameters": [
                        {
                            "name": "response_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "Stored", "content": _json("ResponseStatus")},
                        "400": bad_text,
                        "404": _error("No submitted response with this id"),
                        "429": too_many,
                    },
                }
            },
            "/questionnaires": {
                "get": {
                    "operationId": "listQuestionnaires",
                    "summary": "The published questionnaire versions",
                    "responses": {
                        "200": {"description": "The list", "content": _json("QuestionnaireList")}
                    },
                }
            },
            "/questionnaires/{questionnaire_id}": {
                "get": {
                    "operationId": "getQuestionnaire",
                    "summary": "A published questionnaire as JSON",
                    "parameters": [
                        {
                            "name": "questionnaire_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "version",
                            "in": "query",
                            "required": False,
                            "description": "a published version (default: the latest)",
                            "schema": {"type": "string"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The questionnaire",
                            "content": _json("Questionnaire"),
                        },
                        "400": bad_text,
                        "404": _error("No such published questionnaire"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/healthz": {
                "servers": [{"url": "/"}],
                "get": {
                    "operationId": "health",
                    "summary": "Whether the app reaches its database",
                    "responses": {
                        "200": {"description": "The database answers", "content": _json("Health")},
                        "503": {
                            "description": "The database does not answer",
                            "content": _json("Health"),
                        },
                    },
                },
            },
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "deviceToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a device token issued with `beboer device-token issue`",
                }
            },
        },
    }
