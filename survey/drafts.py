"""Abandoned drafts: a resident who gave consent but never finished leaves a draft behind.

``beboer purge-drafts`` (and ``beboer serve``, once a day) deletes drafts
not touched for ``DRAFT_MAX_AGE_HOURS`` (default 72 hours). A draft's
``received_at`` is updated on every saved page, so a resident who is still
answering is never cut off.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from .extensions import db
from .models import Response, utcnow

__all__ = ["PURGE_INTERVAL", "purge_drafts", "start_daily_purge"]

PURGE_INTERVAL = timedelta(days=1)


def purge_drafts(older_than: timedelta | None = None) -> int:
    """Delete drafts untouched for ``older_than`` (default ``DRAFT_MAX_AGE_HOURS``); how many."""
    if older_than is None:
        older_than = timedelta(hours=current_app.config["DRAFT_MAX_AGE_HOURS"])
    cutoff = utcnow() - older_than
    result = db.session.execute(
        sa.delete(Response)
        .where(Response.status == "draft", Response.received_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def _purge_loop(app: Flask, stop: threading.Event, interval: float) -> None:
    while True:
        with app.app_context():
            try:
                removed = purge_drafts()
            except sa.exc.SQLAlchemyError:
                app.logger.exception("purging abandoned drafts failed; trying again later")
            else:
                if removed:
                    app.logger.info("purged %d abandoned drafts", removed)
            finally:
                db.session.remove()
        if stop.wait(interval):
            return


def start_daily_purge(app: Flask, interval: float | None = None) -> threading.Event:
    """Purge abandoned drafts now and then every day in a daemon thread; set the event to stop."""
    stop = threading.Event()
    seconds = PURGE_INTERVAL.total_seconds() if interval is None else interval
    thread = threading.Thread(
        target=_purge_loop, args=(app, stop, seconds), name="purge-drafts", daemon=True
    )
    thread.start()
    return stop
