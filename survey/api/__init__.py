"""The JSON API under ``/api/v1``: submit responses, read questionnaires, its OpenAPI document.

The API is exempt from CSRF protection; submissions are rate limited per
client address. Only a response in interviewer mode needs credentials: a
staff session (the interviewer's own browser, whose SameSite cookie no other
site can send) or a device token issued in the console.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized, UnsupportedMediaType

from .. import devices, storage
from ..extensions import limiter
from ..frame import invitation
from ..payload import capped_errors, is_pseudonym
from ..request_guard import BadJSON, load_json
from .openapi import openapi_document

bp = Blueprint("api", __name__)


def _submit_limit() -> str:
    return current_app.config["RATELIMIT_SUBMIT"]


def read_json_body() -> Any:
    """Parse the request body as JSON; 415 for another content type, 400 saying where it breaks."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"send the response as application/json, not {request.mimetype or 'no content type'}"
        )
    raw = request.get_data(cache=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"the body is not UTF-8 (byte {error.start})") from None
    try:
        return load_json(text)
    except BadJSON as error:
        raise BadRequest(str(error)) from None


def interviewer_pseudonym() -> str | None:
    """The pseudonym this request may submit interviews as: its device token's, or its staff's."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send the device token as Authorization: Bearer <token>")
        pseudonym = devices.pseudonym_for_token(token.strip())
        if pseudonym is None:
            raise Unauthorized("the device token is unknown or revoked")
        return pseudonym
    if current_user.is_authenticated:
        return current_user.pseudonym
    return None


def authorise_interview(payload: Any) -> Any:
    """Check an interviewer-mode payload's credentials; return it with the interviewer's pseudonym.

    401 without a staff session or device token, 403 when ``interviewer_id``
    names another interviewer. Other payloads are returned unchanged.
    """
    if not isinstance(payload, dict) or payload.get("mode") != "interviewer":
        return payload
    pseudonym = interviewer_pseudonym()
    if pseudonym is None:
        raise Unauthorized(
            "a response in interviewer mode needs a staff login or a device token "
            "(Authorization: Bearer <token>, from `beboer device-token issue`)"
        )
    claimed = payload.get("interviewer_id")
    if not is_pseudonym(claimed):
        return payload if claimed is not None else {**payload, "interviewer_id": pseudonym}
    if claimed != pseudonym:
        raise Forbidden("interviewer_id is not the pseudonym of this login or device token")
    return {**payload, "interviewer_id": pseudonym}


@bp.post("/responses")
@limiter.limit(_submit_limit)
def submit_response() -> tuple[object, int, dict[str, str]] | tuple[object, int]:
    """Store a finished response: 201 created, 200 identical resend, 409 conflict, 422 invalid."""
    payload = authorise_interview(read_json_body())
    try:  # a response finished offline by a resident who opened an invitation code
        code = invitation.claim_for_payload(payload)
    except invitation.CodeUsed:
        return jsonify(status="code_used", message="this invitation code was already used"), 409
    try:
        result = storage.submit_payload(payload)
    except storage.PayloadError as error:
        invitation.release(code)
        return jsonify(errors=capped_errors(error.errors), message="the response is invalid"), 422
    except storage.Conflict as error:
        invitation.release(code)
        return (
            jsonify(
                id=error.response_id,
                status="conflict",
                message="a response with this id is already stored with other content",
            ),
            409,
        )
    invitation.settle(code, created=result.outcome == "created")
    location = url_for("api.response_status", response_id=result.response_id)
    status = 201 if result.outcome == "created" else 200
    return (
        jsonify(id=result.response_id, status=result.outcome),
        status,
        {"Location": location},
    )


@bp.post("/drafts")
@limiter.limit(_submit_limit)
def store_draft() -> tuple[object, int]:
    """Store an unfinished response as a draft (incomplete): 201 stored, 200 unchanged, 409, 422.

    The form's device sends here a response its resident left while offline
    (a closed tab, a kiosk left alone): it is kept as incomplete, never as
    submitted.
    """
    payload = authorise_interview(read_json_body())
    try:
        result = storage.store_unfinished(payload)
    except storage.PayloadError as error:
        return jsonify(errors=capped_errors(error.errors), message="the draft is invalid"), 422
    except storage.Conflict as error:
        return (
            jsonify(
                id=error.response_id,
                status="conflict",
                message="a response with this id is already stored for another questionnaire",
            ),
            409,
        )
    status = 201 if result.outcome == "created" else 200
    return jsonify(id=result.response_id, status=result.outcome), status


@bp.get("/responses/<response_id>")
@limiter.limit(_submit_limit)
def response_status(response_id: str) -> tuple[object, int]:
    """Say whether a submitted response with this id is stored (no answers are returned)."""
    row = storage.get_response(response_id)
    if row is None or row.status != "submitted":
        abort(404, description=f"no submitted response with id {response_id}")
    return jsonify(id=row.id, status=row.status, questionnaire=row.questionnaire_id), 200


@bp.get("/questionnaires")
def list_questionnaires() -> tuple[object, int]:
    """List the published questionnaire versions."""
    items = [
        {
            "id": row.id,
            "version": row.version,
            "wave": row.wave,
            "published_at": row.published_at.isoformat(),
            "url": url_for("api.show_questionnaire", questionnaire_id=row.id, version=row.version),
        }
        for row in storage.published_questionnaires()
    ]
    return jsonify(questionnaires=items), 200


@bp.get("/questionnaires/<questionnaire_id>")
def show_questionnaire(questionnaire_id: str) -> tuple[object, int]:
    """Return a published questionnaire as JSON (the latest version, or ``?version=``)."""
    version = request.args.get("version")
    questionnaire = storage.get_questionnaire(questionnaire_id, version)
    if questionnaire is None:
        what = f"{questionnaire_id} version {version}" if version else questionnaire_id
        abort(404, description=f"no published questionnaire {what}")
    return jsonify(questionnaire.to_dict()), 200


@bp.get("/openapi.json")
def openapi() -> tuple[object, int]:
    """Return the OpenAPI 3.1 document describing this API."""
    return jsonify(openapi_document()), 200
