"""Staff login and logout under ``/auth``."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import limiter
from .forms import LoginForm
from .language import SESSION_KEY, use_staff_language
from .users import audit, authenticate, end_sessions, start_session

bp = Blueprint("auth", __name__)


@bp.before_request
def keep_staff_language() -> None:
    """Once staff have chosen a language for their pages, the login page uses it too."""
    if SESSION_KEY in session:
        use_staff_language()


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def safe_next(target: str | None) -> str:
    """Return ``target`` when it is a path on this site, else the admin start page.

    Browsers read ``\\`` as ``/`` and ``////host`` as ``//host``, and drop tabs
    and newlines, so the target is judged after normalising those: only a
    single leading slash followed by a path (no scheme, no host) is followed.
    """
    if not target or any(ord(char) < 0x20 or char == "\x7f" for char in target):
        return url_for("admin.index")
    normalised = target.replace("\\", "/")
    parts = urlsplit(normalised)
    if (
        normalised.startswith("/")
        and not normalised.startswith("//")
        and not parts.scheme
        and not parts.netloc
    ):
        return normalised
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    """Show the login form; log the user in when the name and password match."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            start_session(user)
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("The user name or password is wrong."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log the user out everywhere (a POST with a CSRF token, so a link cannot log anyone out).

    The user's session token is replaced, so a copy of the session cookie is
    no longer valid either.
    """
    audit("logout", current_user.username)
    end_sessions(current_user._get_current_object())
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("auth.login"))
