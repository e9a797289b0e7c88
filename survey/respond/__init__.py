"""The resident-facing form: language chooser, consent, one page at a time, thank-you.

Views live in :mod:`survey.respond.views` and stay thin; the work is done by
small helper modules (``forms``, ``flow``, ``answers``, ``messages``,
``catalog``).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("respond", __name__)

# Importing the route modules registers their routes on bp.
from . import offline, views  # noqa: E402,F401
