"""A resident completes the bundled 2016 questionnaire in every bundled language.

The browser tests drive Danish, Arabic and Somali through Chromium; this test
walks the same HTML form through the Flask test client (no JavaScript: the
server round trip decides which conditional questions come next) for all eight
languages, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

import questionnaires

BUNDLED = "beboerundersoegelse-2016"
LANGUAGES = questionnaires.load(BUNDLED).languages


def first_answer(question: Any) -> Any:
    """An answer a resident could give: the first option, the smallest number, a short text."""
    if question.type == "single":
        return question.choices[0].code
    if question.type == "multiple":
        return [question.choices[0].code]
    if question.type == "number":
        return question.min if question.min is not None else 1
    return "Gode naboer."


def form_data(questionnaire: Any, html: str, given: dict[str, Any]) -> dict[str, Any]:
    """The answers to the questions a page shows, as the browser would post them.

    A conditional question on the same page as the question it depends on is
    answered only when the answers so far (``given``, updated here) show it.
    """
    shown = re.search(r'name="shown" value="([^"]*)"', html)
    assert shown, "the page lists the questions it shows"
    data: dict[str, Any] = {"shown": unescape(shown.group(1)), "next": "1"}
    for question_id in data["shown"].split():
        question = questionnaire.question(question_id)
        if questionnaire.is_visible(question, given):
            given[question_id] = first_answer(question)
            data[f"q_{question_id}"] = given[question_id]
    return data


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complete_the_2016_questionnaire_in_every_language(
    app: Flask, client: FlaskClient, bundled: list, lang: str
) -> None:
    questionnaire = questionnaires.load(BUNDLED)
    started = client.post(
        f"/s/{BUNDLED}?lang={lang}",
        data={"lang": lang, "mode": "web", "area": "vangdalen", "consent": "y"},
    )
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    location = started.headers["Location"]
    pages_seen = 0
    given: dict[str, Any] = {}
    while "/thanks" not in location:
        page = client.get(location)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f'lang="{lang}"' in html and f'dir="{questionnaire.direction(lang)}"' in html
        reply = client.post(location, data=form_data(questionnaire, html, given))
        if reply.status_code == 200:
            # Without JavaScript a question revealed by an answer on the same page
            # comes back by a round trip: the page is shown again, now with it.
            html = reply.get_data(as_text=True)
            reply = client.post(location, data=form_data(questionnaire, html, given))
        assert reply.status_code == 302, f"page {location} refused: {unescape(html)[-1500:]}"
        location = reply.headers["Location"]
        pages_seen += 1
        assert pages_seen <= len(questionnaire.pages), "the form goes round in circles"
    assert client.get(location).status_code == 200

    from survey.extensions import db

    with app.app_context():
        (row,) = db.session.execute(sa.text("SELECT language, status, area FROM responses")).all()
        (stored,) = db.session.execute(
            sa.select(sa.column("answers")).select_from(sa.table("responses"))
        ).scalars()
    assert tuple(row) == (lang, "submitted", "vangdalen")
    stored = stored if isinstance(stored, dict) else json.loads(stored)
    assert stored["omdoemme_grunde"] == ["fordomme"], "the question revealed on its own page"
    assert stored == {key: value for key, value in given.items()}
    assert pages_seen == len(questionnaire.pages)
