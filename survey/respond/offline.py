"""Routes for the form without a connection: the service worker and cacheable copies of the pages.

The offline copies hold no answers: the script fills them from the answers
kept on the device, and the finished response is sent later to
``POST /api/v1/responses`` under the same id.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, render_template, request, url_for

from ..assets import asset
from . import bp, catalog, flow, links
from .forms import page_form
from .pages import conditions_json, question_view

#: Static files the form needs, cached by the service worker.
STATIC_FILES = (
    "css/beboer.css",
    "js/store.js",
    "js/kiosk.js",
    "js/form.js",
    "js/offline.js",
    "favicon.svg",
)


@bp.route("/sw.js")
def service_worker() -> Any:
    """The service worker script, served from the root so that it may control the form pages."""
    response = current_app.send_static_file("js/sw.js")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _language_and_mode(questionnaire: Any) -> tuple[str, str]:
    language = flow.requested_language(questionnaire, request.args.get("lang"))
    if language is None:
        abort(404)
    flow.set_language(questionnaire, language)
    return language, flow.requested_mode()


@bp.route("/s/<questionnaire_id>/offline/p/<int:number>")
def offline_page(questionnaire_id: str, number: int) -> Any:
    """Page ``number`` without answers, served by the service worker when the connection is lost."""
    questionnaire = catalog.get_or_404(questionnaire_id)
    if not 1 <= number <= len(questionnaire.pages):
        abort(404)
    language, mode = _language_and_mode(questionnaire)
    page_obj = questionnaire.pages[number - 1]
    rows = [(question, question.show_if is None) for question in page_obj.questions]
    form = page_form(questionnaire, [question for question, _shown in rows], language)
    return render_template(
        "respond/page.html",
        q=questionnaire,
        response=None,
        mode=mode,
        area=None,
        number=number,
        page_title=page_obj.title[language],
        current=number,
        total=len(questionnaire.pages),
        is_last=number == len(questionnaire.pages),
        has_back=number > 1,
        form=form,
        questions=[question_view(questionnaire, q, language, shown) for q, shown in rows],
        shown=" ".join(q.id for q, shown in rows if shown),
        errors={},
        known="{}",
        conditions=conditions_json(questionnaire),
        offline=True,
        languages=links.language_links(
            questionnaire,
            "respond.offline_page",
            questionnaire_id=questionnaire.id,
            number=number,
            mode=mode,
        ),
    )


@bp.route("/s/<questionnaire_id>/offline/thanks")
def offline_thanks(questionnaire_id: str) -> Any:
    """The thank-you page shown when the response is kept on the device to be sent later."""
    questionnaire = catalog.get_or_404(questionnaire_id)
    _language, mode = _language_and_mode(questionnaire)
    return render_template(
        "respond/thanks.html",
        q=questionnaire,
        mode=mode,
        area=None,
        offline=True,
        conditions=conditions_json(questionnaire),
        languages=None,
        reset_seconds=current_app.config.get("KIOSK_RESET_SECONDS", 20),
        reset_url=url_for(
            "respond.start", questionnaire_id=questionnaire.id, mode=mode if mode != "web" else None
        ),
    )


@bp.route("/s/<questionnaire_id>/offline.json")
def offline_manifest(questionnaire_id: str) -> Any:
    """The URLs to keep on the device so that the form works offline in every published language.

    Every language is kept, not only the one in use, so that the language
    switch works without a connection too.
    """
    questionnaire = catalog.get_or_404(questionnaire_id)
    _language, mode = _language_and_mode(questionnaire)
    urls = [asset(name) for name in STATIC_FILES]
    urls.append(url_for("respond.start", questionnaire_id=questionnaire.id))
    for language in questionnaire.languages:
        params = {"lang": language, "mode": mode}
        urls += [
            url_for(
                "respond.offline_page", questionnaire_id=questionnaire.id, number=number, **params
            )
            for number in range(1, len(questionnaire.pages) + 1)
        ]
        urls.append(url_for("respond.offline_thanks", questionnaire_id=questionnaire.id, **params))
        urls.append(
            url_for(
                "respond.start",
                questionnaire_id=questionnaire.id,
                lang=language,
                mode=mode if mode != "web" else None,
            )
        )
    return jsonify({"cache": "beboer-pages-v1", "urls": urls})
