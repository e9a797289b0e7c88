"""Error pages: JSON under ``/api/``, a friendly page elsewhere, never a stack trace."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from .models import utcnow

HANDLED_STATUSES = (400, 401, 403, 404, 405, 413, 415, 422, 429, 500)

# What a resident or staff member is told, per status (translated per request).
PAGE_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please log in to see this page."),
    403: _l("You do not have access to this page."),
    404: _l("The page was not found."),
    405: _l("This page cannot be used that way."),
    413: _l("What was sent is too large."),
    415: _l("What was sent has a format this page does not accept."),
    422: _l("What was sent could not be accepted."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("An error occurred. Please try again."),
}


def wants_json() -> bool:
    """Whether the failing request was made to the JSON API."""
    return request.path.startswith("/api/")


def error_headers(error: HTTPException) -> dict[str, str]:
    """Headers an error reply must carry: ``Allow`` (405), ``WWW-Authenticate`` (401)."""
    headers: dict[str, str] = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if error.code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="beboer"'
    return headers


def handle_http_error(error: HTTPException) -> tuple[object, int, dict[str, str]]:
    """Answer an HTTP error as JSON for the API and as a page otherwise."""
    status = error.code or 500
    headers = error_headers(error)
    if wants_json():
        body = {"error": error.name, "message": error.description}
        if status == 429:
            body["message"] = f"too many requests: the limit is {error.description}"
        return jsonify(body), status, headers
    message = PAGE_MESSAGES.get(status, error.description)
    wait = (getattr(error, "retry_after", None) or retry_after()) if status == 429 else None
    if wait is not None and not isinstance(wait, int):
        wait = max(1, math.ceil((wait - utcnow()).total_seconds()))
    wait_text = format_timedelta(timedelta(seconds=wait), threshold=1.0) if wait else None
    page = render_template(
        "errors/error.html", status=status, message=message, wait=wait, wait_text=wait_text
    )
    if wait:
        headers["Retry-After"] = str(wait)
    return page, status, headers


def retry_after() -> int | None:
    """Seconds until the limit that was hit lets the next request through, when known."""
    from .extensions import limiter

    try:
        current = limiter.current_limit
    except (AttributeError, RuntimeError):  # no limiter context for this request
        return None
    if current is None or not current.reset_at:
        return None
    return max(1, math.ceil(current.reset_at - time.time()))


def handle_unexpected_error(error: Exception) -> tuple[object, int, dict[str, str]]:
    """Log an unexpected exception and answer with a plain 500, without any details."""
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def configure_errors(app: Flask) -> None:
    """Register the error handlers for every handled status and for unexpected exceptions."""
    for status in HANDLED_STATUSES:
        app.register_error_handler(status, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
