"""Staff pages: real counts, deleting a response with a reason, starting interviews."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from survey import storage
from survey.admin import overview
from survey.auth import users
from survey.extensions import db
from survey.models import AuditEntry, Deletion

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def client(app):
    """A test client whose staff chose English (the msgids) for the staff pages."""
    english = app.test_client()
    with english.session_transaction() as session:
        session["staff_lang"] = "en"
    return english


@pytest.fixture
def staff(app):
    with app.app_context():
        users.create_user("mette", PASSWORD, role="admin")
        interviewer = users.create_user("ali", PASSWORD, role="interviewer")
        return {"pseudonym": interviewer.pseudonym}


def login(client, username: str) -> None:
    reply = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert reply.status_code == 302


@pytest.mark.parametrize("path", ["/admin/", "/admin/interview", "/admin/interview/mini-survey"])
def test_admin_pages_need_a_login(client, path):
    reply = client.get(path)
    assert reply.status_code == 302
    assert urlsplit(reply.headers["Location"]).path == "/auth/login"
    assert client.post("/admin/responses/delete", data={}).status_code == 302


class TableReader(HTMLParser):
    """Every table of a page as its caption and rows of cell texts (whitespace collapsed)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td", "caption") and self.tables:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td", "caption") and self._text is not None:
            text = " ".join("".join(self._text).split())
            if tag == "caption":
                self.tables[-1]["caption"] = text
            else:
                self.tables[-1]["rows"][-1].append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def tables_of(page: str) -> list[dict]:
    reader = TableReader()
    reader.feed(page)
    return reader.tables


def test_counts_are_the_real_submitted_counts(app, client, staff, payload):
    with app.app_context():
        for area, language in [("vangdalen", "da"), ("vangdalen", "ar"), ("vangdalen", "ar")]:
            storage.submit_payload(payload(area=area, language=language))
        storage.start_draft(
            str(uuid.uuid4()),
            storage.get_questionnaire("mini-survey"),
            language="da",
            area="glarbjergvej",
            mode="kiosk",
            consent_version="mini-1",
        )
    login(client, "mette")
    summary, grid = tables_of(client.get("/admin/").get_data(as_text=True))
    assert summary["caption"] == "Published questionnaires"
    # title and id, version, 3 submitted, 1 draft
    assert summary["rows"][1] == ["Lille undersøgelse mini-survey", "1.0", "3", "1"]
    assert grid["caption"] == "Submitted responses by area and language: Lille undersøgelse"
    # areas as rows by label, languages as columns by their own name (Arabic marked as a draft),
    # row and column totals: counted by hand from the three responses above
    assert grid["rows"] == [
        ["Area", "Dansk", "العربية Draft", "Total"],
        ["Glarbjergvej-området", "0", "0", "0"],
        ["Vangdalen", "1", "2", "3"],
        ["Total", "1", "2", "3"],
    ]


def test_counts_page_marks_draft_translations_for_staff(app, client, staff, payload):
    login(client, "mette")
    assert "No responses have been submitted yet." in client.get("/admin/").get_data(as_text=True)
    with app.app_context():
        storage.submit_payload(payload())
    page = client.get("/admin/").get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">العربية</span> <span class="draft-badge"' in page
    assert '<span lang="da" dir="ltr">Dansk</span></th>' in page
    assert "Draft translation awaiting review" in page


def test_group_counts_keeps_every_response_in_the_totals(app):
    with app.app_context():
        mini = storage.get_questionnaire("mini-survey")
    counts = [
        ("mini-survey", "vangdalen", "ar", 4),
        ("mini-survey", "gammelt-omraade", "da", 2),  # an area an older version had
        ("mini-survey", "vangdalen", "tr", 1),  # a language an older version had
        ("retired-survey", "x", "da", 5),  # not published any more
    ]
    tables = overview.group_counts(
        [mini], counts, versions={"mini-survey": ["1.0"]}, drafts={"mini-survey": 7}
    )
    assert [table.id for table in tables] == ["mini-survey", "retired-survey"]
    table, retired = tables
    assert table.title == "Lille undersøgelse"
    assert table.versions == ("1.0",) and table.drafts == 7
    assert [(c.code, c.draft) for c in table.languages] == [
        ("da", False),
        ("ar", True),
        ("tr", False),
    ]
    assert [(row.id, row.label, row.counts) for row in table.rows] == [
        ("glarbjergvej", "Glarbjergvej-området", (0, 0, 0)),
        ("vangdalen", "Vangdalen", (0, 4, 1)),
        ("gammelt-omraade", "gammelt-omraade", (2, 0, 0)),
    ]
    assert table.column_totals == (2, 4, 1)
    assert table.total == 7 and table.has_draft_language
    assert (retired.title, retired.total, retired.wave) == ("retired-survey", 5, None)
    empty = overview.group_counts([mini], [])[0]
    assert empty.total == 0 and empty.column_totals == (0, 0)


def test_admin_deletes_a_response_with_a_reason(app, client, staff, payload):
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
    login(client, "mette")
    data = {"response_id": body["id"].upper(), "reason": "Beboeren trak samtykket tilbage"}
    # The first press asks for confirmation and shows metadata only, never the answers.
    reply = client.post("/admin/responses/delete", data=data)
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert 'name="confirm"' in page and body["id"] in page
    assert all(str(value) not in page for value in body["answers"].values() if len(str(value)) > 2)
    with app.app_context():
        assert storage.get_response(body["id"]) is not None
    reply = client.post("/admin/responses/delete", data={**data, "confirm": "y"})
    assert reply.status_code == 302
    assert body["id"] in client.get("/admin/").get_data(as_text=True)  # the flash message
    with app.app_context():
        assert storage.get_response(body["id"]) is None
        (deletion,) = db.session.scalars(sa.select(Deletion))
        assert deletion.deleted_by == "mette"
        assert deletion.reason == "Beboeren trak samtykket tilbage"
        events = [entry.event for entry in db.session.scalars(sa.select(AuditEntry))]
        assert "response_deleted" in events


def test_deleting_needs_a_reason_and_a_known_id(app, client, staff):
    login(client, "mette")
    reply = client.post("/admin/responses/delete", data={"response_id": "abc", "reason": ""})
    assert reply.status_code == 422
    text = reply.get_data(as_text=True)
    assert "Enter a response id (a UUID)." in text
    assert "Give the reason for the deletion." in text
    reply = client.post(
        "/admin/responses/delete", data={"response_id": str(uuid.uuid4()), "reason": "test"}
    )
    assert reply.status_code == 422
    assert "No response has this id." in reply.get_data(as_text=True)


def test_interviewer_may_not_delete(app, client, staff, payload):
    body = payload()
    with app.app_context():
        storage.submit_payload(body)
    login(client, "ali")
    assert "Delete a response" not in client.get("/admin/").get_data(as_text=True)
    reply = client.post("/admin/responses/delete", data={"response_id": body["id"], "reason": "x"})
    assert reply.status_code == 403
    with app.app_context():
        assert storage.get_response(body["id"]) is not None


def test_interviewer_starts_an_interview_in_interviewer_mode(client, staff):
    login(client, "ali")
    listing = client.get("/admin/interview").get_data(as_text=True)
    assert "/admin/interview/mini-survey" in listing
    assert "Lille undersøgelse" in listing  # the Danish title beside the id
    assert "Glarbjergvej-området, Vangdalen" in listing
    page = client.get("/admin/interview/mini-survey").get_data(as_text=True)
    assert staff["pseudonym"] in page
    assert 'type="radio" value="vangdalen"' in page
    inputs = re.findall(r"<input [^>]*>", page)
    assert not [tag for tag in inputs if 'name="area"' in tag and "checked" in tag]  # no default
    (danish_input,) = [tag for tag in inputs if 'name="language"' in tag and "checked" in tag]
    assert 'value="da"' in danish_input  # the questionnaire's default language
    # staff see which translations are drafts, each name in its own script
    arabic = page.split('<span lang="ar" dir="rtl">العربية</span>')[1].split("</label>")[0]
    assert 'class="draft-badge"' in arabic
    danish = page.split('<span lang="da" dir="ltr">Dansk</span>')[1].split("</label>")[0]
    assert "draft-badge" not in danish
    reply = client.post(
        "/admin/interview/mini-survey", data={"area": "vangdalen", "language": "ar"}
    )
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert location.path == "/s/mini-survey"
    assert parse_qs(location.query) == {
        "mode": ["interviewer"],
        "area": ["vangdalen"],
        "lang": ["ar"],
    }


def test_interview_refuses_an_unknown_area_or_questionnaire(client, staff):
    login(client, "ali")
    reply = client.post("/admin/interview/mini-survey", data={"area": "nowhere", "language": "da"})
    assert reply.status_code == 200
    text = reply.get_data(as_text=True)
    assert "Choose the area." in text
    assert 'aria-describedby="area-errors"' in text
    reply = client.post("/admin/interview/mini-survey", data={"language": "xx"})
    text = reply.get_data(as_text=True)
    assert "Choose the area." in text and "Choose the language." in text
    assert client.get("/admin/interview/nope").status_code == 404


def test_staff_header_holds_the_product_name_navigation_and_logout(app, staff):
    danish = app.test_client()  # no language chosen: the staff pages are in Danish
    reply = danish.post("/auth/login", data={"username": "ali", "password": PASSWORD})
    assert reply.status_code == 302
    page = danish.get("/admin/interview").get_data(as_text=True)
    header = page.split('<header class="site-header">')[1].split("</header>")[0]
    main = page.split('<main id="main">')[1]
    assert "beboer – medarbejdere" in header
    assert "Besvarelser</a>" in header
    assert 'href="/admin/interview" aria-current="page">Start et interview</a>' in header
    assert staff["pseudonym"] in header and "Log ud</button>" in header
    assert 'action="/auth/logout"' in header and 'action="/auth/logout"' not in main
    assert '<body class="staff"' in page


def test_error_pages_have_the_staff_header_only_for_staff_paths(client, staff):
    login(client, "mette")
    staff_error = client.get("/admin/nope")
    assert staff_error.status_code == 404
    text = staff_error.get_data(as_text=True)
    assert '<section class="error-page"' in text
    assert "beboer – staff" in text.split("</header>")[0]
    resident_error = client.get("/s/nope").get_data(as_text=True)
    assert "<header" not in resident_error  # an empty header is left out, not a grey bar
    assert "beboer – staff" not in resident_error


def test_staff_pages_keep_their_language_after_a_residents_interview(app, staff):
    tablet = app.test_client()
    login(tablet, "ali")
    with tablet.session_transaction() as session:
        session["lang"] = "ar"  # what the form remembers after an interview in Arabic
    page = tablet.get("/admin/interview").get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in page
    assert "Start et interview" in page
    # the header's switch changes the staff pages only, and returns to the same page
    assert 'name="language" value="en" lang="en"' in page
    reply = tablet.post("/admin/language", data={"language": "en", "next": "/admin/interview"})
    assert reply.status_code == 302 and reply.headers["Location"] == "/admin/interview"
    page = tablet.get("/admin/interview").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "beboer – staff" in page
    assert 'name="language" value="da" lang="da"' in page
    with tablet.session_transaction() as session:
        assert session["lang"] == "ar" and session["staff_lang"] == "en"


def test_staff_language_switch_refuses_other_languages_and_other_sites(client, staff):
    login(client, "ali")
    assert client.post("/admin/language", data={"language": "ar", "next": "/"}).status_code == 400
    reply = client.post("/admin/language", data={"language": "da", "next": "https://evil.example/"})
    assert urlsplit(reply.headers["Location"]).path == "/admin/"
    assert client.post("/admin/language", data={"language": "da"}).status_code == 302
    with client.session_transaction() as session:
        assert session["staff_lang"] == "da"
