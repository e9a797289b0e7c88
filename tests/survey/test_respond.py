"""The resident form through the Flask test client (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

MINI = "mini-survey"
BUNDLED = "beboerundersoegelse-2016"
LANGUAGES_2016 = ("da", "en", "ar", "fa", "so", "tr", "ur", "bs")


def text_of(response) -> str:
    """The page's HTML as text (entities decoded)."""
    return unescape(response.get_data(as_text=True))


def start(
    client: FlaskClient, *, lang: str = "da", area: str = "glarbjergvej", mode: str = "web"
) -> str:
    """Give consent and return the URL of the first question page."""
    query = f"lang={lang}&mode={mode}"
    response = client.post(
        f"/s/{MINI}?{query}", data={"lang": lang, "mode": mode, "area": area, "consent": "y"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert re.fullmatch(rf"/s/{MINI}/r/[0-9a-f-]{{36}}/p/1", location)
    return location


def rows(app: Flask) -> list[dict]:
    """Every stored response as a dict."""
    from survey.extensions import db

    with app.app_context():
        result = db.session.execute(sa.text("SELECT * FROM responses")).mappings().all()
        return [dict(row) for row in result]


def page_url(first: str, number: int) -> str:
    return first.rsplit("/", 1)[0] + f"/{number}"


def test_index_lists_published_questionnaires(client: FlaskClient, bundled: list) -> None:
    page = text_of(client.get("/"))
    assert f"/s/{BUNDLED}" in page and f"/s/{MINI}" in page


def test_chooser_lists_every_language_in_its_own_script(client: FlaskClient, bundled: list) -> None:
    response = client.get(f"/s/{BUNDLED}")
    page = text_of(response)
    assert response.status_code == 200
    assert 'lang="da"' in page and "Vælg sprog" in page
    for code in LANGUAGES_2016:
        assert re.search(rf'href="/s/{BUNDLED}\?lang={code}"[^>]*lang="{code}"', page), code
    for name in ("Dansk", "English", "العربية", "فارسی", "Soomaali", "Türkçe", "اردو", "Bosanski"):
        assert name in page
    assert re.search(r'lang="ar"[^>]*dir="rtl"', page)


def test_consent_page_in_the_chosen_language_with_html_lang_and_dir(
    client: FlaskClient, bundled: list
) -> None:
    page = text_of(client.get(f"/s/{BUNDLED}?lang=ar"))
    assert '<html lang="ar" dir="rtl">' in page
    assert "معلومات عن الاستطلاع" in page
    assert "Datatilsynet" in page
    assert 'name="consent"' in page and 'name="area"' in page


def test_area_from_the_link_is_not_asked(client: FlaskClient) -> None:
    page = text_of(client.get(f"/s/{MINI}?lang=da&area=vangdalen"))
    assert "<select" not in page
    assert "<bdi>Vangdalen</bdi>" in page


def test_no_consent_stores_nothing(app: Flask, client: FlaskClient) -> None:
    missing = client.post(f"/s/{MINI}?lang=da", data={"lang": "da", "area": "vangdalen"})
    assert missing.status_code == 200
    assert 'aria-invalid="true"' in text_of(missing)
    assert "There is a problem" not in text_of(missing)
    declined = client.post(f"/s/{MINI}?lang=da", data={"lang": "da", "decline": "1"})
    assert declined.status_code == 200
    assert "Intet er gemt" in text_of(declined) or "Nothing has been stored" in text_of(declined)
    assert rows(app) == []


def test_consent_starts_a_draft_with_metadata(app: Flask, client: FlaskClient) -> None:
    start(client, lang="ar", area="vangdalen", mode="kiosk")
    (row,) = rows(app)
    assert row["status"] == "draft"
    assert (row["language"], row["area"], row["mode"], row["consent_version"]) == (
        "ar",
        "vangdalen",
        "kiosk",
        "mini-1",
    )


def test_page_flow_progress_and_submit(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    page = text_of(client.get(first))
    assert "Side 1 af 2" in page
    assert '<progress class="progress" max="2" value="1"' in page
    assert "Næste" in page and "Tilbage" not in page
    nxt = client.post(
        first,
        data={
            "q_tilfreds_omraade": "2",
            "q_daarligt_ry": "2",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    assert nxt.status_code == 302 and nxt.headers["Location"].endswith("/p/2")
    second = text_of(client.get(nxt.headers["Location"]))
    assert "Side 2 af 2" in second and "Indsend" in second and "Tilbage" in second
    # A question left unanswered is pointed out once, softly; the second press goes on.
    soft = client.post(nxt.headers["Location"], data={"q_alder": "42", "next": "1"})
    assert soft.status_code == 200
    asked = text_of(soft)
    assert "Du har ikke svaret på:" in asked and "Andre kommentarer" in asked
    assert 'name="asked" value="kommentar"' in asked
    done = client.post(
        nxt.headers["Location"], data={"q_alder": "42", "next": "1", "asked": "kommentar"}
    )
    assert done.status_code == 302 and "/thanks" in done.headers["Location"]
    assert "Tak for din besvarelse!" in text_of(client.get(done.headers["Location"]))
    (row,) = rows(app)
    assert row["status"] == "submitted"
    stored = (
        row["answers"]
        if isinstance(row["answers"], dict)
        else __import__("json").loads(row["answers"])
    )
    assert stored == {"tilfreds_omraade": "2", "daarligt_ry": "2", "alder": 42}


@pytest.mark.parametrize(
    ("lang", "message"),
    [("da", "Dette spørgsmål skal besvares."), ("ar", "يجب الإجابة عن هذا السؤال.")],
)
def test_errors_beside_the_field_in_the_chosen_language(
    client: FlaskClient, lang: str, message: str
) -> None:
    first = start(client, lang=lang)
    response = client.post(
        first, data={"q_daarligt_ry": "2", "shown": "tilfreds_omraade daarligt_ry"}
    )
    page = text_of(response)
    assert response.status_code == 200
    assert message in page
    assert 'id="error-tilfreds_omraade"' in page
    assert re.search(
        r'id="question-tilfreds_omraade"[^>]*aria-invalid="true"[^>]*aria-describedby="error-tilfreds_omraade"',
        page,
    )
    assert 'href="#q_tilfreds_omraade-0"' in page  # the error summary links to the field
    assert (
        'value="2" checked' in page
        or 'checked type="radio" value="2"' in page
        or re.search(r'checked[^>]*value="2"', page)
    )


def test_number_errors_use_the_questionnaire_limits(client: FlaskClient) -> None:
    first = start(client)
    client.post(
        first,
        data={
            "q_tilfreds_omraade": "1",
            "q_daarligt_ry": "2",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    response = client.post(page_url(first, 2), data={"q_alder": "7", "next": "1"})
    assert "Tallet skal være mindst 15." in text_of(response)
    response = client.post(page_url(first, 2), data={"q_alder": "abc", "next": "1"})
    assert 'value="abc"' in text_of(response)


def test_conditional_question_by_server_round_trip(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    page = client.get(first).get_data(as_text=True)
    assert re.search(
        r'id="question-ry_grunde"[^>]*data-show-if="[^"]*daarligt_ry[^"]*"[^>]*hidden', page
    )
    # Without JavaScript the resident never saw "Hvorfor?": the page comes back with it shown.
    again = client.post(
        first,
        data={
            "q_tilfreds_omraade": "1",
            "q_daarligt_ry": "1",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    assert again.status_code == 200
    shown = text_of(again)
    assert re.search(r'id="question-ry_grunde"(?![^>]*hidden)[^>]*>', shown)
    assert "data-error-summary" not in shown  # neither an error nor the soft prompt
    nxt = client.post(
        first,
        data={
            "q_tilfreds_omraade": "1",
            "q_daarligt_ry": "1",
            "q_ry_grunde": ["rygter", "andet"],
            "shown": "tilfreds_omraade daarligt_ry ry_grunde",
        },
    )
    assert nxt.status_code == 302
    # Changing the earlier answer hides and clears the conditional one.
    client.post(
        first,
        data={
            "q_tilfreds_omraade": "1",
            "q_daarligt_ry": "2",
            "q_ry_grunde": ["rygter"],
            "shown": "tilfreds_omraade daarligt_ry ry_grunde",
        },
    )
    (row,) = rows(app)
    answers = (
        row["answers"]
        if isinstance(row["answers"], dict)
        else __import__("json").loads(row["answers"])
    )
    assert "ry_grunde" not in answers


def test_language_switch_keeps_every_answer(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    switched = client.post(
        first,
        data={
            "q_tilfreds_omraade": "3",
            "switch_lang": "ar",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    assert switched.status_code == 302 and switched.headers["Location"].endswith("?lang=ar")
    page = text_of(client.get(switched.headers["Location"]))
    assert '<html lang="ar" dir="rtl">' in page
    assert "منطقتك السكنية" in page
    assert re.search(r'checked[^>]*value="3"|value="3"[^>]*checked', page)
    (row,) = rows(app)
    assert row["language"] == "ar"
    back = text_of(client.get(first + "?lang=da"))
    assert '<html lang="da" dir="ltr">' in back and "Dit boligområde" in back
    assert re.search(r'checked[^>]*value="3"|value="3"[^>]*checked', back)


def _complete(client: FlaskClient, first: str):
    client.post(
        first,
        data={
            "q_tilfreds_omraade": "2",
            "q_daarligt_ry": "2",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    return client.post(page_url(first, 2), data={"next": "1", "asked": "alder kommentar"})


def test_double_submit_gives_one_response(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    one = _complete(client, first)
    two = client.post(page_url(first, 2), data={"next": "1", "asked": "alder kommentar"})
    assert one.headers["Location"] == two.headers["Location"]
    back_and_submit = client.post(page_url(first, 2), data={"back": "1"})
    assert "/thanks" in back_and_submit.headers["Location"]
    submitted = [row for row in rows(app) if row["status"] == "submitted"]
    assert len(rows(app)) == 1 and len(submitted) == 1
    # Pages of a submitted response lead to the thank-you page.
    assert "/thanks" in client.get(first).headers["Location"]


def test_kiosk_pages_are_not_stored_and_nothing_is_reachable_after_submit(
    app: Flask, client: FlaskClient
) -> None:
    chooser = client.get(f"/s/{MINI}?mode=kiosk&area=vangdalen")
    assert chooser.headers["Cache-Control"] == "no-store"
    assert "mode=kiosk" in text_of(chooser)
    first = start(client, mode="kiosk", area="vangdalen")
    page = client.get(first)
    assert page.headers["Cache-Control"] == "no-store"
    assert "mode-kiosk" in text_of(page)
    done = _complete(client, first)
    thanks = client.get(done.headers["Location"])
    assert thanks.headers["Cache-Control"] == "no-store"
    assert re.search(r'data-kiosk-reset="\d+"', text_of(thanks))
    assert f'data-reset-url="/s/{MINI}?mode=kiosk&amp;area=vangdalen"' in thanks.get_data(
        as_text=True
    )
    with client.session_transaction() as session:
        assert "respond" not in session
    again = client.get(first)
    assert again.status_code == 302
    assert again.headers["Location"] == f"/s/{MINI}?mode=kiosk&area=vangdalen"
    assert client.get(page_url(first, 2)).headers["Location"].startswith(f"/s/{MINI}?")


def test_pages_of_another_browser_are_unreachable(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    stranger = app.test_client()
    response = stranger.get(first)
    assert response.status_code == 302 and "/r/" not in response.headers["Location"]


def test_withdrawing_consent_deletes_the_draft(app: Flask, client: FlaskClient) -> None:
    first = start(client)
    response = client.post(first, data={"q_tilfreds_omraade": "2", "withdraw": "1"})
    assert response.status_code == 200
    assert rows(app) == []


def test_interviewer_mode_needs_a_staff_login(client: FlaskClient) -> None:
    response = client.get(f"/s/{MINI}?lang=da&mode=interviewer")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unknown_questionnaire_is_404(client: FlaskClient) -> None:
    assert client.get("/s/no-such-survey").status_code == 404


def test_offline_copies_and_service_worker(client: FlaskClient) -> None:
    manifest = client.get(f"/s/{MINI}/offline.json?lang=ar&mode=kiosk").get_json()
    # Every published language is kept, so the language switch works offline too.
    assert f"/s/{MINI}/offline/p/1?lang=ar&mode=kiosk" in manifest["urls"]
    assert f"/s/{MINI}/offline/p/2?lang=da&mode=kiosk" in manifest["urls"]
    assert any(re.fullmatch(r"/assets/js/form\.[0-9a-f]{10}\.js", url) for url in manifest["urls"])
    copy = text_of(client.get(f"/s/{MINI}/offline/p/1?lang=ar&mode=kiosk"))
    assert "data-offline" in copy and 'name="csrf_token"' not in copy
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/"


def test_no_inline_script_or_style_on_any_page(client: FlaskClient) -> None:
    first = start(client)
    urls = [f"/s/{MINI}", f"/s/{MINI}?lang=ar", first, f"/s/{MINI}/offline/p/1?lang=da&mode=web"]
    pages = [client.get(url).get_data(as_text=True) for url in urls]
    pages.append(client.post(first, data={"q_daarligt_ry": "2"}).get_data(as_text=True))
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html and "<style" not in html
        assert re.search(r" on[a-z]+=", html) is None


def test_latin_runs_in_right_to_left_text_are_isolated() -> None:
    from survey.respond.bidi import isolate_latin

    text = "تجري بلدية راندرس (Randers Kommune) في Gl. Jennumparken حتى 31 ديسمبر 2017 <b>"
    html = str(isolate_latin(text, "rtl"))
    assert "(<bdi>Randers Kommune</bdi>)" in html
    assert "<bdi>Gl. Jennumparken</bdi>" in html
    assert "<bdi>31</bdi>" in html and "<bdi>2017</bdi>" in html
    assert "&lt;<bdi>b</bdi>&gt;" in html  # everything else is escaped
    assert str(isolate_latin("Randers <b>", "ltr")) == "Randers &lt;b&gt;"


def test_consent_in_arabic_isolates_area_names(client: FlaskClient, bundled: list) -> None:
    page = client.get(f"/s/{BUNDLED}?lang=ar&area=vangdalen").get_data(as_text=True)
    assert "<bdi>Glarbjergvej-området</bdi>" in page
    assert "<bdi>Vangdalen</bdi>" in page
