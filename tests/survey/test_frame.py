"""Fieldwork: frame import, invitation codes, code entry, anonymising and the rates page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

MINI = "mini-survey"
HEADER = "household,address,area,language\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def frame_file(tmp_path: Path, count: int = 6) -> Path:
    lines = [
        f'H{i},"Vej {i}, st. tv",{"vangdalen" if i % 3 == 0 else "glarbjergvej"},'
        f"{'ar' if i % 2 else 'da'}\n"
        for i in range(1, count + 1)
    ]
    return write(tmp_path, "frame.csv", HEADER + "".join(lines))


def table_rows(app: Flask, table: str) -> list[dict]:
    from survey.extensions import db

    with app.app_context():
        return [dict(r) for r in db.session.execute(sa.text(f"SELECT * FROM {table}")).mappings()]


def household_codes(app: Flask) -> dict[str, str]:
    from survey.extensions import db

    with app.app_context():
        result = db.session.execute(
            sa.text(
                "SELECT h.household, c.code FROM frame_households h "
                "JOIN invitation_codes c ON c.household_id = h.id"
            )
        )
        return dict(result.all())


def test_import_stores_households_with_unique_codes(app, runner, tmp_path) -> None:
    from survey.frame import codes

    result = runner.invoke(
        ["frame", "import", str(frame_file(tmp_path, 30)), "--questionnaire", MINI]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 30 households" in result.output
    stored = household_codes(app)
    assert len(stored) == 30 and len(set(stored.values())) == 30
    assert all(codes.normalise(code) == code for code in stored.values())
    assert codes.BITS >= 40


def test_import_errors_name_each_line_and_store_nothing(app, runner, tmp_path) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "H1,Vej 1,glarbjergvej,da\n"
        + "H2,Vej 2,nowhere,da\n"
        + "H1,Vej 3,vangdalen,da\n"
        + "H4,Vej 4,vangdalen,xx\n"
        + "H5,,Vangdalen,\n",
    )
    result = runner.invoke(["frame", "import", str(bad), "--questionnaire", MINI])
    assert result.exit_code == 2
    assert "bad.csv:3: unknown area 'nowhere'" in result.output
    assert "bad.csv:4: duplicate household 'H1' (also on line 2)" in result.output
    assert "bad.csv:5: bad language 'xx'" in result.output
    assert "bad.csv:6: column address is empty" in result.output
    assert "Traceback" not in result.output
    assert table_rows(app, "frame_households") == []
    assert table_rows(app, "invitation_codes") == []


def test_import_refuses_households_already_stored_and_bad_files(app, runner, tmp_path) -> None:
    path = frame_file(tmp_path, 3)
    assert runner.invoke(["frame", "import", str(path), "--questionnaire", MINI]).exit_code == 0
    again = runner.invoke(["frame", "import", str(path), "--questionnaire", MINI])
    assert again.exit_code == 2 and "already in the stored frame" in again.output
    assert len(table_rows(app, "frame_households")) == 3
    columns = write(tmp_path, "columns.csv", "household,area\nH9,vangdalen\n")
    missing = runner.invoke(["frame", "import", str(columns), "--questionnaire", MINI])
    assert missing.exit_code == 2 and "missing column address" in missing.output
    text = write(tmp_path, "frame.txt", HEADER)
    assert runner.invoke(["frame", "import", str(text), "--questionnaire", MINI]).exit_code == 2
    unknown = runner.invoke(["frame", "import", str(path), "--questionnaire", "nope"])
    assert unknown.exit_code == 2 and "not a published questionnaire" in unknown.output


def test_import_reads_xlsx(app, runner, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Household", "Address", "Area"])
    sheet.append([101, "Vej 1", "Vangdalen"])
    sheet.append([102, "Vej 2", "glarbjergvej"])
    book.save(tmp_path / "frame.xlsx")
    result = runner.invoke(
        ["frame", "import", str(tmp_path / "frame.xlsx"), "--questionnaire", MINI]
    )
    assert result.exit_code == 0, result.output
    stored = {row["household"]: row for row in table_rows(app, "frame_households")}
    assert stored["101"]["area"] == "vangdalen" and stored["101"]["language"] == "da"


def test_population_import_checks_cells(app, runner, tmp_path) -> None:
    good = write(tmp_path, "pop.csv", "area,count\nglarbjergvej,1200\nvangdalen,800\n")
    result = runner.invoke(["frame", "population", str(good), "--questionnaire", MINI])
    assert result.exit_code == 0, result.output
    bad = write(tmp_path, "bad.csv", "area,count,nope\nglarbjergvej,-3,1\n")
    refused = runner.invoke(["frame", "population", str(bad), "--questionnaire", MINI])
    assert refused.exit_code == 2 and "unknown column 'nope'" in refused.output
    bad = write(tmp_path, "bad2.csv", "area,count\nglarbjergvej,x\nglarbjergvej,3\n")
    refused = runner.invoke(["frame", "population", str(bad), "--questionnaire", MINI])
    assert "bad2.csv:2: count 'x' is not a whole number" in refused.output
    assert "bad2.csv:3: the same cell is given twice" in refused.output
    assert sorted(r["count"] for r in table_rows(app, "population_counts")) == [800, 1200]


def answer_all(client, first: str) -> str:
    client.post(
        first,
        data={
            "q_tilfreds_omraade": "2",
            "q_daarligt_ry": "2",
            "shown": "tilfreds_omraade daarligt_ry",
        },
    )
    done = client.post(
        first.rsplit("/", 1)[0] + "/2", data={"q_alder": "42", "next": "1", "asked": "kommentar"}
    )
    return done.headers.get("Location", "")


def start_with_code(client, code: str) -> str:
    """Open /k/<code>, give consent and return the first page's URL."""
    opened = client.get(f"/k/{code}")
    assert opened.status_code == 302, opened.get_data(as_text=True)[:300]
    location = opened.headers["Location"]
    query = dict(re.findall(r"(\w+)=([\w-]+)", location.split("?", 1)[1]))
    consent = client.post(
        location, data={"lang": query["lang"], "mode": "web", "area": query["area"], "consent": "y"}
    )
    assert consent.status_code == 302, consent.get_data(as_text=True)[:500]
    return consent.headers["Location"]


def test_code_opens_the_form_in_the_household_area_once(app, runner, tmp_path) -> None:
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 3)), "--questionnaire", MINI])
    code = household_codes(app)["H3"]  # vangdalen, arabic
    client = app.test_client()
    opened = client.get(f"/k/{code[:5].lower()}-{code[5:]}")
    assert opened.status_code == 302
    assert "area=vangdalen" in opened.headers["Location"]
    assert "lang=ar" in opened.headers["Location"]
    first = start_with_code(client, code)
    assert "/thanks" in answer_all(client, first)
    (response,) = table_rows(app, "responses")
    assert response["area"] == "vangdalen" and response["status"] == "submitted"
    assert code not in str(response)
    (used,) = [row for row in table_rows(app, "invitation_codes") if row["code"] == code]
    assert used["opened"] and used["submitted"]
    (day,) = table_rows(app, "invitation_days")
    assert (day["area"], day["language"], day["opened"], day["submitted"]) == (
        "vangdalen",
        "ar",
        1,
        1,
    )
    # A second use, in another browser, says so and shows nothing of the first.
    other = app.test_client()
    again = other.get(f"/k/{code}")
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "تم استخدام هذا الرمز من قبل" in page
    assert "Vangdalen" not in page and "42" not in page


def test_two_devices_with_one_code_give_one_response(app, runner, tmp_path) -> None:
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 2)), "--questionnaire", MINI])
    code = household_codes(app)["H2"]
    first_device, second_device = app.test_client(), app.test_client()
    first = start_with_code(first_device, code)
    second = start_with_code(second_device, code)
    assert "/thanks" in answer_all(first_device, first)
    answer_all(second_device, second)
    submitted = [r for r in table_rows(app, "responses") if r["status"] == "submitted"]
    assert len(submitted) == 1


def test_code_entry_on_the_chooser(app, runner, tmp_path) -> None:
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 1)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    client = app.test_client()
    chooser = client.get(f"/s/{MINI}").get_data(as_text=True)
    assert 'action="/k"' in chooser and 'name="code"' in chooser
    typed = client.post("/k", data={"code": f" {code[:5]} {code[5:].lower()} "})
    assert typed.status_code == 302 and typed.headers["Location"] == f"/k/{code}"
    wrong = client.post("/k", data={"code": "ABCDE"})
    assert wrong.status_code == 422 and "Koden findes ikke" in wrong.get_data(as_text=True)
    unknown = client.get("/k/AAAAAAAAAA")
    assert unknown.status_code == 404


def test_code_entry_is_rate_limited(app_config, tmp_path) -> None:
    from survey import create_app, storage

    app = create_app({**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_CODE": "3 per minute"})
    with app.app_context():
        storage.migrate_database()
        storage.publish_file(Path(__file__).parent / "fixtures" / "mini-survey.yaml")
    client = app.test_client()
    statuses = [client.get("/k/AAAAAAAAAA").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.post("/k", data={"code": "AAAAAAAAAA"}).status_code == 429


def test_anonymise_deletes_addresses_and_codes_keeps_counts(app, runner, tmp_path) -> None:
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 4)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    client = app.test_client()
    answer_all(client, start_with_code(client, code))
    result = runner.invoke(["frame", "anonymise", "--questionnaire", MINI, "--yes"])
    assert result.exit_code == 0, result.output
    assert "4 addresses and 4 codes deleted" in result.output
    households = table_rows(app, "frame_households")
    assert len(households) == 4
    assert all(row["address"] is None and row["household"] is None for row in households)
    invitations = table_rows(app, "invitation_codes")
    assert all(row["code"] is None for row in invitations)
    assert sum(bool(row["submitted"]) for row in invitations) == 1
    assert [r["event"] for r in table_rows(app, "audit_log")][-1] == "frame_anonymised"
    assert app.test_client().get(f"/k/{code}").status_code == 404
    letters = runner.invoke(
        ["frame", "letters", "--questionnaire", MINI, "--out", str(tmp_path / "l.pdf")]
    )
    assert letters.exit_code == 2 and "anonymised" in letters.output


def test_rates_against_a_hand_count() -> None:
    from survey.frame.rates import compute_rates

    d1, d2, d3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    frame = [
        ("a", "da", True, True),
        ("a", "da", True, False),
        ("a", "ar", False, False),
        ("a", "ar", True, True),
        ("b", "da", False, False),
        ("b", "so", True, True),
    ]
    # (day, opened, submitted) per area and language cell, as invitation_days holds them
    days = [(d1, 2, 1), (d2, 1, 0), (d3, 0, 1), (d3, 1, 1)]
    responses = [("a", d1), ("a", d3), ("a", d3), ("b", d3), ("b", d2)]
    rates = compute_rates(frame, days, responses, areas=[("a", "A"), ("b", "B")])
    a, b = rates.by_area
    # a: 4 invited, 3 opened, 2 submitted (rate 0.5); 3 responses - 2 coded = 1 without code
    assert (a.invited, a.started, a.submitted, a.rate, a.without_code) == (4, 3, 2, 0.5, 1)
    # b: 2 invited, 1 opened, 1 submitted; 2 responses - 1 coded = 1 without code
    assert (b.invited, b.started, b.submitted, b.rate, b.without_code) == (2, 1, 1, 0.5, 1)
    assert (rates.total.invited, rates.total.submitted, rates.total.without_code) == (6, 3, 2)
    languages = {row.key: (row.invited, row.submitted) for row in rates.by_language}
    assert languages == {"da": (3, 1), "ar": (2, 1), "so": (1, 1)}
    by_day = [(d.day, d.started, d.submitted, d.cumulative, d.without_code) for d in rates.by_day]
    # d1: 1 response, 1 coded → 0 without; d2: 1 response, 0 coded → 1; d3: 3 responses, 2 coded → 1
    assert by_day == [(d1, 2, 1, 1, 0), (d2, 1, 0, 1, 1), (d3, 1, 2, 3, 1)]
    assert rates.by_day[-1].rate == 0.5


def test_rates_page_shows_table_and_svg_chart(app, runner, tmp_path) -> None:
    from survey.auth import users

    runner.invoke(["frame", "import", str(frame_file(tmp_path, 6)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    resident = app.test_client()
    answer_all(resident, start_with_code(resident, code))
    with app.app_context():
        users.create_user("mette", "a-long-password-1", role="admin")
    staff = app.test_client()
    assert staff.get(f"/admin/rates/{MINI}").status_code == 302
    staff.post("/auth/login", data={"username": "mette", "password": "a-long-password-1"})
    page = staff.get(f"/admin/rates/{MINI}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    # glarbjergvej: H1, H2, H4, H5 invited, H1 submitted → 25,0 %
    assert re.search(
        r"Glarbjergvej-området</th><td[^>]*>4</td><td[^>]*>1</td><td[^>]*>1</td>"
        r"<td[^>]*>25,0\xa0%</td>",
        html,
    ), html
    assert staff.get("/admin/rates/").status_code == 200
    assert staff.get("/admin/rates/nope").status_code == 404


def test_letters_pdf_one_page_per_household_with_readable_qr_codes(app, runner, tmp_path) -> None:
    import shutil
    import subprocess

    import zxingcpp
    from PIL import Image

    from survey.frame import codes

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed; `make test` installs it")
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 3)), "--questionnaire", MINI])
    stored = household_codes(app)
    out = tmp_path / "letters.pdf"
    base = "https://survey.example.dk/beboer"
    result = runner.invoke(
        ["frame", "letters", "--questionnaire", MINI, "--out", str(out), "--base-url", base]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 3 letters" in result.output
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    decoded = []
    for page in pages:
        (barcode,) = zxingcpp.read_barcodes(Image.open(page))
        decoded.append(barcode.text)
        assert barcode.text.rsplit("/", 1)[1] in stored.values()
    assert sorted(decoded) == sorted(f"{base}/k/{code}" for code in stored.values())
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for code in stored.values():
        assert codes.display(code) in text and f"{base}/k/{code}" in text
    assert "Invitation: Lille undersøgelse" in text
    reminders = runner.invoke(
        [
            "frame",
            "letters",
            "--questionnaire",
            MINI,
            "--out",
            str(tmp_path / "r.pdf"),
            "--reminders",
        ]
    )
    assert reminders.exit_code == 0 and "Wrote 3 reminders" in reminders.output


def test_reminders_only_for_households_that_have_not_submitted(app, runner, tmp_path) -> None:
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 2)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    client = app.test_client()
    answer_all(client, start_with_code(client, code))
    from survey.frame.letters import select_letters
    from survey.storage import get_questionnaire

    with app.app_context():
        letters = select_letters(get_questionnaire(MINI), reminders=True)
    assert [letter.code for letter in letters] == [household_codes(app)["H2"]]


def test_no_column_table_or_export_joins_an_answer_to_a_household(app, runner, tmp_path) -> None:
    """The no-link property: over the live schema, the ORM metadata and the exports."""
    from survey.extensions import db

    runner.invoke(["frame", "import", str(frame_file(tmp_path, 2)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    client = app.test_client()
    answer_all(client, start_with_code(client, code))
    frame_tables = {"frame_households", "invitation_codes", "invitation_days", "population_counts"}
    with app.app_context():
        inspector = sa.inspect(db.engine)
        tables = set(inspector.get_table_names())
        assert frame_tables <= tables
        response_columns = {c["name"] for c in inspector.get_columns("responses")}
        for table in tables - frame_tables:
            # no answer-side table refers to the frame, and none names a household or code
            for fk in inspector.get_foreign_keys(table):
                assert fk["referred_table"] not in frame_tables, table
            names = {c["name"] for c in inspector.get_columns(table)}
            assert not names & {"household", "household_id", "code", "address", "invitation"}, table
        # a code row says whether, never when; the days are counts per area and language
        assert {c["name"] for c in inspector.get_columns("invitation_codes")} == {
            "id",
            "household_id",
            "questionnaire_id",
            "code",
            "letter_on",
            "reminder_on",
            "opened",
            "submitted",
        }
        assert {c["name"] for c in inspector.get_columns("invitation_days")} == {
            "id",
            "questionnaire_id",
            "area",
            "language",
            "day",
            "opened",
            "submitted",
        }
        assert inspector.get_foreign_keys("invitation_days") == []
        for table in frame_tables:
            for fk in inspector.get_foreign_keys(table):
                assert fk["referred_table"] in frame_tables, table
            columns = inspector.get_columns(table)
            names = {c["name"] for c in columns}
            assert not names & {"response_id", "answers", "answers_sha256", "receipt"}, table
            # no timestamp that could be matched to a response's times: days only
            shared = (names & response_columns) - {"id", "questionnaire_id", "area", "language"}
            assert not shared, (table, shared)
            for column in columns:
                if column["name"] != "imported_at":
                    assert not isinstance(column["type"], sa.DateTime), (table, column["name"])
        rows = db.session.execute(sa.text("SELECT * FROM responses")).mappings().all()
    secrets = {code, "H1", "Vej 1, st. tv"}
    assert not any(secret in str(dict(row)) for row in rows for secret in secrets)
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"export.{fmt}"
        result = runner.invoke(
            ["export", "--questionnaire", MINI, "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        if fmt == "csv":
            content = out.read_text(encoding="utf-8-sig")
        else:
            from openpyxl import load_workbook

            book = load_workbook(out, read_only=True)
            content = str([list(r) for r in book.active.iter_rows(values_only=True)])
        assert not any(secret in content for secret in secrets), fmt
        for word in ("household", "address", "invitation", code):
            assert word not in content.lower() or word == code, (fmt, word)


def test_analysis_input_carries_nothing_of_the_frame(app, app_config, runner, tmp_path) -> None:
    from analysis import load_responses
    from survey.storage import get_questionnaire

    runner.invoke(["frame", "import", str(frame_file(tmp_path, 1)), "--questionnaire", MINI])
    code = household_codes(app)["H1"]
    client = app.test_client()
    answer_all(client, start_with_code(client, code))
    with app.app_context():
        questionnaire = get_questionnaire(MINI)
    data = load_responses(app_config["DATABASE_URL"], questionnaire)
    assert len(data) == 1
    assert not {"household", "address", "code"} & set(data.columns)
    assert code not in data.astype(str).to_string()


def test_a_response_finished_offline_claims_the_code_through_the_api(
    app, runner, tmp_path, payload
):
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 3)), "--questionnaire", MINI])
    code = household_codes(app)["H2"]  # glarbjergvej, Danish
    device = app.test_client()
    first = start_with_code(device, code)
    response_id = first.split("/r/")[1].split("/")[0]
    body = payload(id=response_id, mode="web")
    sent = device.post("/api/v1/responses", json=body)
    assert sent.status_code == 201, sent.get_json()
    (row,) = [r for r in table_rows(app, "invitation_codes") if r["code"] == code]
    assert row["submitted"]
    assert device.post("/api/v1/responses", json=body).status_code == 200  # a resend
    other = app.test_client()
    second = start_with_code(other, code) if other.get(f"/k/{code}").status_code == 302 else None
    assert second is None  # the code page now says it was used
    # a device that opened the code before it was used, finishing offline afterwards
    late = app.test_client()
    with late.session_transaction() as session:
        session["invitation"] = {"code": code, "q": MINI}
    refused = late.post("/api/v1/responses", json=payload(mode="web"))
    assert refused.status_code == 409 and refused.get_json()["status"] == "code_used"
    assert len([r for r in table_rows(app, "responses") if r["status"] == "submitted"]) == 1


def test_the_chooser_shows_the_code_box_only_with_codes(app, runner, tmp_path) -> None:
    client = app.test_client()
    assert 'name="code"' not in client.get(f"/s/{MINI}").get_data(as_text=True)
    runner.invoke(["frame", "import", str(frame_file(tmp_path, 1)), "--questionnaire", MINI])
    assert 'name="code"' in client.get(f"/s/{MINI}").get_data(as_text=True)
    kiosk = client.get(f"/s/{MINI}?mode=kiosk").get_data(as_text=True)
    assert 'name="code"' not in kiosk
    assert 'name="code"' in client.get("/k").get_data(as_text=True)


def test_import_reads_semicolon_csv_with_bom_from_danish_excel(app, runner, tmp_path) -> None:
    path = tmp_path / "frame.csv"
    path.write_bytes(
        "\ufeffhousehold;address;area;language\nB1;Vej 1, 2. tv;Vangdalen;TR\n".encode()
    )
    result = runner.invoke(["frame", "import", str(path), "--questionnaire", MINI])
    assert result.exit_code == 2  # tr is not offered by the small questionnaire
    assert "frame.csv:2: bad language 'TR'" in result.output
    path.write_bytes(
        "\ufeffhousehold;address;area;language\nB1;Vej 1, 2. tv;Vangdalen;AR\n".encode()
    )
    result = runner.invoke(["frame", "import", str(path), "--questionnaire", MINI])
    assert result.exit_code == 0, result.output
    (row,) = table_rows(app, "frame_households")
    assert (row["household"], row["address"], row["area"], row["language"]) == (
        "B1",
        "Vej 1, 2. tv",
        "vangdalen",
        "ar",
    )
