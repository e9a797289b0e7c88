"""The survey commands: init-db, create-user, import, export, serve's cookie setting."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from survey import storage
from survey.auth import users
from survey.cli import is_loopback
from survey.extensions import db
from survey.models import PublishedQuestionnaire, Response


def test_init_db_is_idempotent(app, runner):
    first = runner.invoke(["init-db", "--publish", "tests/survey/fixtures/mini-survey.yaml"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        head = ScriptDirectory.from_config(storage.alembic_config()).get_current_head()
    assert f"Database at schema revision {head}." in first.output
    assert "mini-survey 1.0: already published" in first.output
    second = runner.invoke(["init-db"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        rows = db.session.scalars(sa.select(PublishedQuestionnaire)).all()
        keys = sorted((row.id, row.version) for row in rows)
    assert len(keys) == len(set(keys))
    assert ("mini-survey", "1.0") in keys


def test_init_db_publishes_the_bundled_questionnaires(app, runner):
    import questionnaires

    result = runner.invoke(["init-db"])
    assert result.exit_code == 0, result.output
    for questionnaire_id in questionnaires.available():
        version = questionnaires.load(questionnaire_id).version
        assert f"{questionnaire_id} {version}: " in result.output
    with app.app_context():
        published = {row.id for row in storage.published_questionnaires()}
    assert set(questionnaires.available()) <= published


def test_init_db_names_a_bad_questionnaire_file(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    result = runner.invoke(["init-db", "--publish", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml" in result.output
    assert "Traceback" not in result.output


def test_create_user_first_run_prints_a_password_once(app, runner):
    first = runner.invoke(["create-user", "--first-run"])
    assert first.exit_code == 0, first.output
    password = first.output.split("password:")[1].split()[0]
    with app.app_context():
        assert users.authenticate("admin", password).role == "admin"
    again = runner.invoke(["create-user", "--first-run"])
    assert again.exit_code == 0
    assert "A staff user exists already" in again.output
    assert password not in again.output


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        ["create-user", "ali", "--role", "interviewer", "--password-stdin"],
        input="et langt kodeord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created interviewer ali (interviewer code INT-" in result.output
    with app.app_context():
        assert users.authenticate("ali", "et langt kodeord") is not None
    duplicate = runner.invoke(
        ["create-user", "ali", "--password-stdin"], input="et langt kodeord\n"
    )
    assert duplicate.exit_code == 2
    assert "exists already" in duplicate.output
    weak = runner.invoke(["create-user", "bo", "--password-stdin"], input="kort\n")
    assert weak.exit_code == 2
    assert "at least 10 characters" in weak.output


def test_create_user_prompts_twice_for_the_password(app, runner):
    result = runner.invoke(
        ["create-user", "mette", "--role", "admin"], input="et langt kodeord\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert "et langt kodeord" not in result.output  # the prompt hides what is typed
    assert "Created admin mette" in result.output
    with app.app_context():
        assert users.authenticate("mette", "et langt kodeord").role == "admin"


def test_create_user_usage_errors(runner):
    assert runner.invoke(["create-user"]).exit_code == 2
    assert runner.invoke(["create-user", "x", "--first-run"]).exit_code == 2
    assert runner.invoke(["create-user", "x", "--role", "boss"]).exit_code == 2


def test_import_counts_each_outcome(app, runner, payload, tmp_path):
    good = payload()
    changed = dict(good, answers=dict(good["answers"], tilfreds_omraade="1"))
    lines = [
        json.dumps(good),
        json.dumps(good),
        json.dumps(payload(area="vangdalen")),
        json.dumps(changed),
        json.dumps(payload(area="nowhere")),
        "{not json",
        "",
    ]
    file = tmp_path / "responses.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(["import", str(file), "--quiet"])
    assert result.exit_code == 1
    assert "created 2, identical 1, conflict 1, invalid 2" in result.output
    assert f"{file}:5: invalid: area: must be one of glarbjergvej, vangdalen" in result.output
    assert f"{file}:6: invalid: malformed JSON at line 1, column 2" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 2


def test_import_of_good_lines_exits_0(runner, payload, tmp_path):
    file = tmp_path / "responses.jsonl"
    file.write_text("\n".join(json.dumps(payload()) for _ in range(3)), encoding="utf-8")
    result = runner.invoke(["import", str(file)])
    assert result.exit_code == 0, result.output
    assert "created 3, identical 0, conflict 0, invalid 0" in result.output


def test_import_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(["import", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2


@pytest.fixture
def stored(app, payload):
    """Three submitted responses and one draft."""
    bodies = [
        payload(
            area="vangdalen", answers={"tilfreds_omraade": "1", "daarligt_ry": "2", "alder": 70}
        ),
        payload(
            area="glarbjergvej",
            language="ar",
            answers={
                "tilfreds_omraade": "9",
                "daarligt_ry": "1",
                "ry_grunde": ["rygter", "andet"],
                "kommentar": "Mere lys på stierne",
            },
        ),
        payload(answers={"tilfreds_omraade": "3", "daarligt_ry": "1"}),
    ]
    with app.app_context():
        for body in bodies:
            storage.submit_payload(body)
        storage.start_draft(
            str(uuid.uuid4()),
            storage.get_questionnaire("mini-survey"),
            language="da",
            area="vangdalen",
            mode="kiosk",
            consent_version="mini-1",
        )
    return bodies


EXPECTED_COLUMNS = [
    "id",
    "wave",
    "area",
    "language",
    "mode",
    "submitted_at",
    "tilfreds_omraade",
    "daarligt_ry",
    "ry_grunde__rygter",
    "ry_grunde__sammensaetning",
    "ry_grunde__andet",
    "alder",
    "kommentar",
]


def check_frame(frame: pd.DataFrame, bodies: list[dict]) -> None:
    assert list(frame.columns) == EXPECTED_COLUMNS
    assert len(frame) == 3  # the draft is not data
    rows = frame.set_index("id").loc[[body["id"] for body in bodies]]
    first, second, third = (rows.iloc[index] for index in range(3))
    assert first["area"] == "vangdalen"
    assert int(first["alder"]) == 70
    assert pd.isna(first["ry_grunde__rygter"])  # not asked: blank, not 0
    assert [second[f"ry_grunde__{code}"] for code in ("rygter", "sammensaetning", "andet")] == [
        1,
        0,
        1,
    ]
    assert second["kommentar"] == "Mere lys på stierne"
    assert second["language"] == "ar"
    assert str(third["tilfreds_omraade"]).removesuffix(".0") == "3"
    assert pd.isna(third["ry_grunde__andet"])  # asked but not answered: blank
    assert set(frame["wave"].astype(int)) == {2016}


def test_export_csv(runner, stored, tmp_path):
    out = tmp_path / "mini.csv"
    result = runner.invoke(
        ["export", "--questionnaire", "mini-survey", "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 3 responses" in result.output
    frame = pd.read_csv(out, dtype={"tilfreds_omraade": str, "daarligt_ry": str})
    check_frame(frame, stored)
    assert frame["submitted_at"].iloc[0] == "2016-05-01T08:07:30+0000"


def test_export_xlsx(runner, stored, tmp_path):
    out = tmp_path / "mini.xlsx"
    result = runner.invoke(
        ["export", "--questionnaire", "mini-survey", "--format", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_excel(out, dtype={"tilfreds_omraade": str, "daarligt_ry": str})
    check_frame(frame, stored)


def test_export_sav_with_danish_labels(runner, stored, tmp_path):
    out = tmp_path / "mini.sav"
    result = runner.invoke(
        ["export", "--questionnaire", "mini-survey", "--format", "sav", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame, meta = pyreadstat.read_sav(str(out), user_missing=False)
    frame = frame.replace({"": pd.NA})
    check_frame(frame, stored)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["tilfreds_omraade"] == "Hvor tilfreds er du med at bo i dit boligområde?"
    assert labels["ry_grunde__rygter"] == "Hvorfor? – Fordomme og rygter"
    value_labels = meta.variable_value_labels
    assert value_labels["tilfreds_omraade"] == {
        1.0: "Meget tilfreds",
        2.0: "Tilfreds",
        3.0: "Utilfreds",
        9.0: "Ved ikke",
    }
    assert value_labels["ry_grunde__andet"] == {0.0: "Ikke valgt", 1.0: "Valgt"}


def test_export_errors(runner, tmp_path):
    result = runner.invoke(
        ["export", "--questionnaire", "nope", "--format", "csv", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2
    assert "'nope' is not a published questionnaire" in result.output
    result = runner.invoke(
        ["export", "--questionnaire", "mini-survey", "--format", "pdf", "--out", "x"]
    )
    assert result.exit_code == 2
    result = runner.invoke(
        [
            "export",
            "--questionnaire",
            "mini-survey",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "no" / "x.csv"),
        ]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_every_command_has_help(runner):
    for command in ("serve", "init-db", "create-user", "import", "export"):
        result = runner.invoke([command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("beboer.example", False),
    ],
)
def test_serve_treats_only_loopback_as_plain_http(host, loopback):
    assert is_loopback(host) is loopback


def full_answers(questionnaire, pick: int) -> dict:
    """Answer every question that is asked, choosing the ``pick``-th choice (wrapping)."""
    answers: dict = {}
    for question in questionnaire.questions():
        if not questionnaire.is_visible(question, answers):
            continue
        if question.type == "single":
            answers[question.id] = question.codes[pick % len(question.codes)]
        elif question.type == "multiple":
            plain = [c.code for c in question.choices if not c.exclusive]
            answers[question.id] = [plain[pick % len(plain)]]
        elif question.type == "number":
            answers[question.id] = question.min if question.min is not None else 1
        else:
            answers[question.id] = "Bedre belysning – إضاءة أفضل"
    if questionnaire.validate(answers):
        raise ValueError(questionnaire.validate(answers))
    return answers


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_export_of_the_bundled_2016_questionnaire(app, bundled, runner, tmp_path, fmt):
    import questionnaires

    questionnaire = questionnaires.load("beboerundersoegelse-2016")
    with app.app_context():
        for pick in range(3):
            storage.submit_payload(
                {
                    "id": str(uuid.uuid4()),
                    "questionnaire": questionnaire.id,
                    "version": questionnaire.version,
                    "language": questionnaire.languages[pick],
                    "area": questionnaire.areas[pick % len(questionnaire.areas)].id,
                    "mode": "interviewer",
                    "consent_version": questionnaire.consent.version,
                    "started_at": "2016-05-01T10:00:00+02:00",
                    "submitted_at": "2016-05-01T10:30:00+02:00",
                    "answers": full_answers(questionnaire, pick),
                }
            )
    out = tmp_path / f"2016.{fmt}"
    result = runner.invoke(
        ["export", "--questionnaire", questionnaire.id, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        frame = pd.read_csv(out)
    elif fmt == "xlsx":
        frame = pd.read_excel(out)
    else:
        frame, meta = pyreadstat.read_sav(str(out))
        assert meta.variable_value_labels["tilfreds_omraade"][1.0] == "Meget tilfreds"
        assert meta.column_labels[meta.column_names.index("tryg_efter_moerke")].startswith(
            "Hvor tryg"
        )
    assert len(frame) == 3
    expected = ["id", "wave", "area", "language", "mode", "submitted_at"]
    for question in questionnaire.questions():
        if question.type == "multiple":
            expected += [f"{question.id}__{code}" for code in question.codes]
        else:
            expected.append(question.id)
    assert list(frame.columns) == expected
    assert sorted(frame["tilfreds_omraade"].astype(int)) == [1, 2, 3]
    assert frame["oplevet_kriminalitet__haervaerk"].astype(int).tolist().count(1) == 1


@pytest.mark.slow
def test_serve_answers_over_plain_http_on_loopback(app_config, tmp_path):
    """`beboer serve` runs waitress; on 127.0.0.1 the session cookie works without HTTPS."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environ = dict(
        os.environ,
        DATABASE_URL=app_config["DATABASE_URL"],
        SECRET_KEY="serve-test",
        INSTANCE_PATH=str(tmp_path / "serve-instance"),
    )
    environ.pop("SESSION_COOKIE_SECURE", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("beboer")), "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert reply.status == 200
                    assert json.load(reply) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=5) as reply:
            cookie = reply.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "Secure" not in cookie
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert f"Serving beboer on http://127.0.0.1:{port}/" in output
