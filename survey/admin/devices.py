"""Device tokens in the console (administrators only): list, issue and revoke.

The tokens themselves live in :mod:`survey.devices`; a new token is shown
once, on the page that answers the issue form, and never again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import devices
from ..security import role_required
from . import bp
from .forms import IssueDeviceTokenForm, RevokeDeviceTokenForm


def issue_form() -> IssueDeviceTokenForm:
    """The issue form with one choice per interviewer account."""
    form = IssueDeviceTokenForm()
    form.username.choices = [
        (user.username, f"{user.username} ({user.pseudonym})") for user in devices.interviewers()
    ]
    return form


def render_list(form: IssueDeviceTokenForm, status: int = 200) -> tuple[str, int]:
    """The list of tokens (never the tokens themselves) and the issue form."""
    page = render_template(
        "admin/devices.html",
        tokens=devices.list_tokens(),
        form=form,
        revoke_form=RevokeDeviceTokenForm(formdata=None),
    )
    return page, status


@bp.get("/devices")
@role_required("admin")
def device_tokens() -> tuple[str, int]:
    """Every device token: device, interviewer, issued when and by whom, revoked when."""
    return render_list(issue_form())


@bp.post("/devices")
@role_required("admin")
def issue_device_token() -> tuple[str, int, dict[str, str]] | tuple[str, int]:
    """Issue a token and show it this once; the audit log records the issue."""
    form = issue_form()
    if form.validate_on_submit():
        try:
            issued = devices.issue_token(
                form.name.data, form.username.data, issued_by=current_user.username
            )
        except devices.DeviceTokenError:
            form.name.errors.append(
                _("The token could not be issued. Check the device name and the interviewer.")
            )
        else:
            page = render_template("admin/device_issued.html", issued=issued)
            return page, 200, {"Cache-Control": "no-store"}
    return render_list(form, 422)


@bp.post("/devices/<int:token_id>/revoke")
@role_required("admin")
def revoke_device_token(token_id: int) -> str | Response:
    """Ask once, then revoke the token; the audit log records the revoke."""
    found = devices.find_token(token_id)
    if found is None:
        abort(404)
    token, username = found
    form = RevokeDeviceTokenForm()
    if not form.validate_on_submit():
        abort(400)
    if token.revoked_at is None and not form.confirm.data:
        return render_template(
            "admin/confirm_revoke.html", form=form, token=token, username=username
        )
    if devices.revoke_token(token_id, revoked_by=current_user.username):
        flash(_("The token of %(name)s was revoked.", name=token.name))
    else:
        flash(_("The token of %(name)s was already revoked.", name=token.name))
    return redirect(url_for("admin.device_tokens"))
