"""Routes of the resident form. Each view reads the request, calls helpers, renders or redirects."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_login import current_user
from werkzeug.security import safe_join

from .. import storage
from ..extensions import limiter, login_manager
from ..frame import invitation
from ..receipt import receipt_code
from . import bp, catalog, flow, links
from .answers import (
    apply_page,
    page_errors,
    read_answers,
    rendered_questions,
    unanswered_on_page,
    visible_pages,
)
from .bidi import isolate_latin
from .digits import localise_digits, native_digits
from .forms import consent_form, field_name, page_form
from .interviewer import staff_controls, use_staff_language_for_page
from .messages import localise_all
from .pages import consent_errors, language_prompts, page_context

NO_STORE = "no-store"

bp.add_app_template_filter(isolate_latin, "isolate_latin")
bp.add_app_template_filter(localise_digits, "digits")
bp.add_app_template_filter(native_digits, "native_digits")


@bp.after_request
def no_store(response: Any) -> Any:
    """Keep form pages out of every cache, so Back after a kiosk reset shows nothing."""
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = NO_STORE
    return response


def _staff_missing(mode: str) -> Any | None:
    """The login redirect when an interviewer page is opened without a staff login."""
    if mode == "interviewer" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@bp.route("/")
def index() -> Any:
    """The questionnaires residents can answer."""
    return render_template("respond/index.html", questionnaires=catalog.published())


def _draft_limit() -> str:
    return current_app.config["RATELIMIT_DRAFT"]


@bp.route("/s/<questionnaire_id>", methods=["GET", "POST"])
@limiter.limit(_draft_limit, methods=["POST"])
def start(questionnaire_id: str) -> Any:
    """The language chooser; with ``?lang=`` the information and consent page."""
    questionnaire = catalog.get_or_404(questionnaire_id)
    mode = flow.requested_mode()
    if (login := _staff_missing(mode)) is not None:
        return login
    area = flow.requested_area(questionnaire)
    language = flow.requested_language(questionnaire, request.values.get("lang"))
    if language is None:
        if mode == "kiosk":
            flow.forget_all()  # a kiosk back at its start belongs to nobody
        flow.set_language(questionnaire, questionnaire.default_language)
        return render_template(
            "respond/chooser.html",
            q=questionnaire,
            mode=mode,
            area=area,
            staff=current_user.is_authenticated,
            prompts=language_prompts(questionnaire),
        )
    flow.set_language(questionnaire, language, remember=request.method == "POST")
    interviewer = mode == "interviewer"
    form = consent_form(
        questionnaire,
        language,
        ask_area=area is None,
        interviewer=interviewer,
        formdata=request.form if request.method == "POST" else None,
    )
    if request.method == "GET":
        form.lang.data, form.mode.data = language, mode
        if area:
            form.area.data = area
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if "decline" in request.form:
            return render_template("respond/declined.html", q=questionnaire, mode=mode, area=area)
        errors = consent_errors(questionnaire, form, interviewer=interviewer)
        if not errors:
            response_id = str(uuid.uuid4())
            storage.start_draft(
                response_id,
                questionnaire,
                language=language,
                area=form.area.data,
                mode=mode,
                consent_version=questionnaire.consent.version,
                interviewer_id=current_user.pseudonym if interviewer else None,
                assistance=form.assistance.data if interviewer else None,
            )
            flow.remember(response_id, questionnaire.id)
            response = storage.get_response(response_id)
            first = visible_pages(questionnaire, {})[0]
            return redirect(links.page_url(response, first))
    return render_template(
        "respond/consent.html",
        q=questionnaire,
        form=form,
        errors=errors,
        mode=mode,
        area=area,
        ask_area=area is None,
        interviewer=interviewer,
        staff=staff_controls() if interviewer else None,
        languages=links.language_links(
            questionnaire,
            "respond.start",
            questionnaire_id=questionnaire.id,
            **links.state_params(mode, area),
        ),
    )


def _owned(questionnaire_id: str, response: Any) -> bool:
    """Whether ``response`` exists, belongs to the questionnaire and was started in this browser."""
    return (
        response is not None
        and response.questionnaire_id == questionnaire_id
        and flow.owns(response.id)
    )


def _to_thanks(questionnaire_id: str, response: Any) -> Any:
    """Redirect to the thank-you page in the response's language, mode and area."""
    return redirect(
        links.thanks_url(
            questionnaire_id, language=response.language, mode=response.mode, area=response.area
        )
    )


def _leave(questionnaire_id: str, response: Any) -> Any:
    """Where a request for a page this browser may not see goes: thank-you or the start."""
    if response is not None and response.status == "submitted" and request.method == "POST":
        if response.mode == "kiosk":
            flow.forget_all()
        return _to_thanks(questionnaire_id, response)
    if response is not None and response.mode == "kiosk":
        return redirect(links.start_url(questionnaire_id, mode="kiosk", area=response.area))
    return redirect(links.start_url(questionnaire_id))


@bp.route("/s/<questionnaire_id>/r/<response_id>", methods=["GET"])
def resume(questionnaire_id: str, response_id: str) -> Any:
    """Back to the first page of a response."""
    response = storage.get_response(response_id)
    if not _owned(questionnaire_id, response):
        return _leave(questionnaire_id, response)
    questionnaire = catalog.get_or_404(questionnaire_id, response.questionnaire_version)
    return redirect(links.page_url(response, visible_pages(questionnaire, response.answers)[0]))


@bp.route("/s/<questionnaire_id>/r/<response_id>/p/<int:number>", methods=["GET", "POST"])
def page(questionnaire_id: str, response_id: str, number: int) -> Any:
    """One page of questions: show it, or take its answers and move on."""
    response = storage.get_response(response_id)
    if not _owned(questionnaire_id, response):
        return _leave(questionnaire_id, response)
    if response.status == "submitted":
        return _to_thanks(questionnaire_id, response)
    if (login := _staff_missing(response.mode)) is not None:
        return login
    questionnaire = catalog.get_or_404(questionnaire_id, response.questionnaire_version)
    if not 1 <= number <= len(questionnaire.pages):
        abort(404)
    language = flow.requested_language(questionnaire, request.args.get("lang"), response.language)
    flow.set_language(questionnaire, language, remember=True)
    try:
        if language != response.language:
            storage.save_draft_answers(response.id, {}, language=language)
        if request.method == "POST":
            return _take_page(questionnaire, response, number, language)
    except storage.AlreadySubmitted:
        return _leave(questionnaire_id, storage.get_response(response_id))
    saved = dict(response.answers or {})
    pages = visible_pages(questionnaire, saved)
    if number not in pages:
        later = [n for n in pages if n > number] or pages[-1:]
        return redirect(links.page_url(response, later[0]))
    page_obj = questionnaire.pages[number - 1]
    errors = page_errors(questionnaire, page_obj, saved) if request.args.get("check") else {}
    return _render_page(questionnaire, response, number, saved, errors, formdata=None)


def _render_page(questionnaire, response, number, answers, errors, *, formdata, soft=()) -> Any:
    """Render page ``number`` in the request's language (``g.lang``), errors beside the fields."""
    page_obj = questionnaire.pages[number - 1]
    rows = rendered_questions(questionnaire, page_obj, answers)
    form = page_form(
        questionnaire,
        [question for question, _shown in rows],
        g.lang,
        formdata=formdata,
        answers=answers,
    )
    for question_id, messages in localise_all(errors).items():
        if hasattr(form, field_name(question_id)):
            getattr(form, field_name(question_id)).errors = messages
    context = page_context(questionnaire, response, number, answers, rows, form, errors, g.lang)
    context["soft"] = [view for view in context["questions"] if view["q"].id in soft]
    context["asked"] = " ".join(soft)
    return render_template("respond/page.html", **context)


def _take_page(questionnaire: Any, response: Any, number: int, language: str) -> Any:
    """Handle a page's POST: save its answers, then go back, switch, abort, re-show or submit."""
    page_obj = questionnaire.pages[number - 1]
    saved = dict(response.answers or {})
    rows = rendered_questions(questionnaire, page_obj, saved)
    page_answers = read_answers([q for q, _shown in rows], request.form, field_name)
    # Shown before: what the server rendered visible, plus what the script revealed.
    shown_before = {q.id for q, shown in rows if shown} | set(request.form.get("shown", "").split())
    outcome = apply_page(questionnaire, page_obj, saved, page_answers, shown_before)
    if "withdraw" in request.form:
        storage.delete_response(response.id, deleted_by="resident", reason="consent withdrawn")
        flow.forget(response.id)
        return render_template(
            "respond/declined.html",
            q=questionnaire,
            mode=response.mode,
            area=response.area,
            withdrawn=True,
        )
    storage.save_draft_answers(response.id, outcome.changes, language=language)
    switch = request.form.get("switch_lang")
    if switch in questionnaire.languages:
        return redirect(links.page_url(response, number, lang=switch))
    if "abort" in request.form and response.mode == "interviewer":
        storage.set_assistance(response.id, "aborted")
        flow.forget(response.id)
        use_staff_language_for_page()
        return render_template(
            "respond/aborted.html",
            q=questionnaire,
            mode=response.mode,
            area=response.area,
        )
    pages = visible_pages(questionnaire, outcome.answers)
    if "back" in request.form:
        earlier = [n for n in pages if n < number]
        return redirect(links.page_url(response, earlier[-1] if earlier else number))
    if not outcome.complete:
        return _render_page(
            questionnaire,
            response,
            number,
            outcome.answers,
            outcome.errors,
            formdata=request.form,
        )
    unanswered = unanswered_on_page(page_answers, outcome, questionnaire)
    if unanswered and not set(unanswered) <= set(request.form.get("asked", "").split()):
        # Asked once, softly: the next press goes on whatever is left unanswered.
        return _render_page(
            questionnaire,
            response,
            number,
            outcome.answers,
            {},
            formdata=request.form,
            soft=unanswered,
        )
    later = [n for n in pages if n > number]
    if later:
        return redirect(links.page_url(response, later[0]))
    return _submit(questionnaire, response)


def _submit(questionnaire: Any, response: Any) -> Any:
    """Submit the response once; a page with a problem is shown again with its errors."""
    try:
        code = invitation.claim(questionnaire.id)
    except invitation.CodeUsed:
        storage.delete_response(response.id, deleted_by="resident", reason="invitation code used")
        flow.forget(response.id)
        return render_template("frame/used.html", also="da")
    try:
        storage.finalize(response.id)
    except storage.PayloadError as error:
        invitation.release(code)
        wrong = {key.partition(".")[2] for key in error.errors if key.startswith("answers.")}
        for number, page_obj in enumerate(questionnaire.pages, start=1):
            if wrong & {q.id for q in page_obj.questions}:
                return redirect(links.page_url(response, number, check=1))
        raise
    invitation.done()
    if response.mode == "kiosk":
        flow.forget_all()
    else:
        flow.mark_submitted(response.id)
    flow.hand_receipt(receipt_code(response.id))
    return _to_thanks(questionnaire.id, response)


@bp.route("/s/<questionnaire_id>/thanks")
def thanks(questionnaire_id: str) -> Any:
    """The thank-you page; in kiosk mode it returns to the language chooser after a while."""
    questionnaire = catalog.get_or_404(questionnaire_id)
    mode = flow.requested_mode()
    area = flow.requested_area(questionnaire)
    language = flow.requested_language(questionnaire, request.args.get("lang"))
    flow.set_language(questionnaire, language or questionnaire.default_language)
    return render_template(
        "respond/thanks.html",
        q=questionnaire,
        mode=mode,
        area=area,
        receipt=flow.take_receipt(),
        staff=staff_controls() if mode == "interviewer" and current_user.is_authenticated else None,
        reset_seconds=current_app.config.get("KIOSK_RESET_SECONDS", 20),
        reset_url=links.start_url(questionnaire.id, mode=mode, area=area),
        languages=links.language_links(
            questionnaire,
            "respond.thanks",
            questionnaire_id=questionnaire.id,
            **links.state_params(mode, area),
        ),
    )


@bp.route("/s/<questionnaire_id>/audio/<language>/<question_id>")
def audio(questionnaire_id: str, language: str, question_id: str) -> Any:
    """A question's recorded audio for one language, from the questionnaire's folder."""
    questionnaire = catalog.get_or_404(questionnaire_id)
    if not questionnaire.has_question(question_id) or questionnaire.path is None:
        abort(404)
    relative = (questionnaire.question(question_id).audio or {}).get(language)
    folder = Path(questionnaire.path).parent
    if not relative or safe_join(str(folder), relative) is None:
        abort(404)
    return send_from_directory(folder, relative, max_age=3600)
