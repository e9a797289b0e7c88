"""Static files under content-hashed names, and compressed text responses.

``asset("css/beboer.css")`` (a template global) gives
``/assets/css/beboer.1a2b3c4d5e.css``: the name carries the first 10 hex
digits of the file's SHA-256, so the file can be cached for a year
(``immutable``) and a changed file gets a new name. A name whose hash is not
the current one is a 404, so an old page never gets a new file under an old
name. HTML, CSS, JavaScript, JSON and SVG responses are sent gzip-compressed
to browsers that accept it.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, current_app, request, send_from_directory, url_for
from flask.sessions import SecureCookieSessionInterface

#: A year: hashed names never change content.
LONG_CACHE = 365 * 24 * 3600
HASHED = re.compile(r"(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)\Z")
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/csv",
}
#: Smaller bodies gain nothing from compression.
MIN_COMPRESS = 512
_DIGESTS = "beboer_asset_digests"


def _digest(app: Flask, filename: str) -> str | None:
    """The short SHA-256 of a static file (kept per app, refreshed when the file changes)."""
    path = Path(app.static_folder or "") / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    digests = app.extensions.setdefault(_DIGESTS, {})
    key = (filename, stat.st_mtime_ns, stat.st_size)
    if key not in digests:
        digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return digests[key]


def hashed_name(app: Flask, filename: str) -> str:
    """``css/beboer.css`` as ``css/beboer.<digest>.css``; ``ValueError`` for a missing file."""
    digest = _digest(app, filename)
    if digest is None:
        raise ValueError(f"no static file {filename!r}")
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{filename}.{digest}"


def asset(filename: str) -> str:
    """The URL of a static file under its content-hashed name."""
    return url_for("asset", name=hashed_name(current_app, filename))


def serve_asset(name: str) -> Response:
    """A static file by its hashed name, cached for a year; 404 unless the hash is current."""
    match = HASHED.match(name)
    if match is None:
        abort(404)
    filename = match["stem"] + match["suffix"]
    if _digest(current_app, filename) != match["digest"]:
        abort(404)
    response = send_from_directory(current_app.static_folder, filename, max_age=LONG_CACHE)
    response.headers["Cache-Control"] = f"public, max-age={LONG_CACHE}, immutable"
    return response


def compress(response: Response) -> Response:
    """Gzip a text response for a browser that accepts it (and say so in ``Vary``)."""
    if (
        response.status_code < 200
        or response.status_code in (204, 206, 304)
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
    ):
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_COMPRESS:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    if response.headers.get("ETag"):
        # The compressed body is another representation: a weak tag keeps revalidation working.
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(etag + "-gz", weak=True)
    return response


#: Endpoints whose responses are the same for everyone: no cookie, no ``Vary: Cookie``.
COOKIELESS_ENDPOINTS = frozenset({"asset", "favicon", "static"})


class StaticAwareSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions that leave static files alone.

    Flask-Login looks at the session after every request, which makes Flask
    add ``Vary: Cookie``; a static file would then be fetched again whenever
    the session cookie changes (after consent, after login).
    """

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Save the session, except on static files."""
        if request.endpoint in COOKIELESS_ENDPOINTS:
            return
        super().save_session(app, session, response)


def configure_assets(app: Flask) -> None:
    """Register ``/assets/<hashed name>``, the ``asset()`` template global and compression."""
    app.session_interface = StaticAwareSessionInterface()
    app.add_url_rule("/assets/<path:name>", endpoint="asset", view_func=serve_asset)
    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=favicon_response)
    app.add_template_global(asset, "asset")
    app.after_request(compress)


def favicon_response() -> Any:
    """The favicon at ``/favicon.ico`` (an SVG; browsers ask for that path by themselves)."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
