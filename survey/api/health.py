"""``GET /healthz``: whether the app can reach its database."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[object, int]:
    """Answer 200 ``{"status": "ok"}`` when ``SELECT 1`` works, 503 otherwise."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("health check failed: %s", error)
        return jsonify(status="unavailable", message="the database does not answer"), 503
    return jsonify(status="ok"), 200
