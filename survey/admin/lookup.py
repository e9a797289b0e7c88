"""Finding a response by its receipt code, for erasure on a resident's request.

The page shows the response's metadata only (never its answers), and a
deletion form that goes through the audited delete flow.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import storage
from ..auth.users import audit
from ..receipt import normalise_receipt
from ..security import role_required
from . import bp
from .forms import DeleteResponseForm, ReceiptForm


@bp.get("/responses/find")
@role_required("admin")
def find_response() -> tuple[str, int]:
    """Look a response up by receipt code; 404 with a message when none has it."""
    form = ReceiptForm(request.args)
    if not request.args:
        return render_template("admin/find.html", form=form, row=None, delete_form=None), 200
    if not form.validate():
        return render_template("admin/find.html", form=form, row=None, delete_form=None), 422
    code = normalise_receipt(form.receipt.data)
    if code is None:
        form.receipt.errors.append(
            _("A receipt code has 8 letters and digits, for example 7KQ2-M9XD.")
        )
        return render_template("admin/find.html", form=form, row=None, delete_form=None), 422
    row = storage.find_by_receipt(code)
    audit("receipt_lookup", current_user.username, receipt=code, found=row is not None)
    if row is None:
        form.receipt.errors.append(_("No response has this receipt code."))
        return render_template("admin/find.html", form=form, row=None, delete_form=None), 404
    delete_form = DeleteResponseForm(formdata=None, response_id=row.id)
    return (
        render_template("admin/find.html", form=form, row=row, code=code, delete_form=delete_form),
        200,
    )
