"""Staff pages under ``/admin``: response counts, deleting a response, starting interviews."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import storage
from ..auth import safe_next
from ..auth.language import choose_staff_language, other_staff_languages, use_staff_language
from ..auth.users import audit
from ..security import role_required
from .forms import DeleteResponseForm, InterviewForm, ReceiptForm, StaffLanguageForm
from .overview import counts_overview, danish_title, latest_questionnaires

bp = Blueprint("admin", __name__)


bp.add_app_template_global(other_staff_languages)


@bp.before_app_request
def staff_pages_in_staff_language() -> None:
    """Pages under /admin, their error pages included, use the staff language."""
    if request.path == "/admin" or request.path.startswith("/admin/"):
        use_staff_language()


@bp.before_request
@login_required
def require_login() -> None:
    """Every page under /admin needs a staff login."""


@bp.post("/language")
def staff_language() -> Response:
    """Switch the staff pages' language (not the residents'), then go back to the same page."""
    form = StaffLanguageForm()
    if not form.validate_on_submit():
        abort(400)
    choose_staff_language(form.language.data)
    return redirect(safe_next(form.next.data))


@bp.app_template_filter("staff_count")
def staff_count(value: int) -> str:
    """A count in the page's language, with its thousands separator (1.375 in Danish)."""
    return format_number(value)


def render_counts(delete_form: DeleteResponseForm | None, status: int = 200) -> tuple[str, int]:
    """The start page: submitted counts per questionnaire, area and language, drafts in progress."""
    page = render_template(
        "admin/index.html",
        tables=counts_overview(),
        delete_form=delete_form,
        receipt_form=ReceiptForm(formdata=None) if delete_form is not None else None,
    )
    return page, status


@bp.get("/")
def index() -> tuple[str, int]:
    """Submitted responses per questionnaire, area and language, and drafts in progress."""
    return render_counts(DeleteResponseForm() if current_user.is_admin else None)


@bp.post("/responses/delete")
@role_required("admin")
def delete_response() -> tuple[str, int] | Response:
    """Delete one response by id; the deletion log keeps who, when and why."""
    form = DeleteResponseForm()
    if form.validate_on_submit():
        response_id = form.response_id.data.strip().lower()
        reason = form.reason.data.strip()
        row = storage.get_response(response_id)
        if row is not None and not form.confirm.data:
            # Ask once more, showing what would be deleted (metadata only, never answers).
            return render_template("admin/confirm_delete.html", form=form, row=row), 200
        if storage.delete_response(response_id, deleted_by=current_user.username, reason=reason):
            audit("response_deleted", current_user.username, response_id=response_id)
            flash(_("Response %(id)s was deleted.", id=response_id))
            return redirect(url_for("admin.index"))
        form.response_id.errors.append(_("No response has this id."))
    return render_counts(form, 422)


@bp.get("/interview")
@role_required("admin", "interviewer")
def interview() -> str:
    """List the published questionnaires an interviewer can start."""
    return render_template(
        "admin/interview.html", questionnaires=latest_questionnaires(), title=danish_title
    )


@bp.route("/interview/<questionnaire_id>", methods=["GET", "POST"])
@role_required("admin", "interviewer")
def start_interview(questionnaire_id: str) -> str | Response:
    """Choose area and language, then open the form in interviewer mode."""
    questionnaire = storage.get_questionnaire(questionnaire_id)
    if questionnaire is None:
        abort(404)
    form = InterviewForm()
    form.area.choices = [(area.id, area.label) for area in questionnaire.areas]
    form.language.choices = [
        (language.code, language.name) for language in questionnaire.language_info
    ]
    if request.method == "GET":
        form.language.data = questionnaire.default_language
        if len(questionnaire.areas) == 1:
            form.area.data = questionnaire.areas[0].id
    if form.validate_on_submit():
        query = urlencode(
            {"mode": "interviewer", "area": form.area.data, "lang": form.language.data}
        )
        return redirect(f"/s/{quote(questionnaire.id)}?{query}")
    return render_template(
        "admin/start_interview.html",
        form=form,
        questionnaire=questionnaire,
        title=danish_title(questionnaire),
        languages={language.code: language for language in questionnaire.language_info},
    )


# Importing the route modules registers their routes on bp.
from . import devices, downloads, lookup  # noqa: E402,F401
