"""analysis.load_responses from a database (SQLite, PostgreSQL) and from export files."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import sqlalchemy as sa

import questionnaires
from analysis import load_responses

FIXTURE = Path(__file__).parent / "fixtures" / "analysis-survey.yaml"
POSTGRES = os.environ.get("DATABASE_URL_TEST", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

ANSWERS = [
    {
        "tilfreds_omraade": "1",
        "daarligt_ry": "1",
        "ry_hvorfor": ["fordomme", "beboere"],
        "aar_i_omraadet": 12,
        "bemaerkninger": "Fint sted",
    },
    {"tilfreds_omraade": "9", "daarligt_ry": "2", "aar_i_omraadet": 3},
    {"tilfreds_omraade": "2", "daarligt_ry": "1", "ry_hvorfor": ["9"], "bemaerkninger": ""},
    {"tilfreds_omraade": "3", "daarligt_ry": "2", "ry_hvorfor": []},
]


@pytest.fixture
def questionnaire():
    return questionnaires.load(str(FIXTURE))


def _responses_table(metadata: sa.MetaData) -> sa.Table:
    """The app's ``responses`` table, exactly the columns of notes/interfaces.md."""
    return sa.Table(
        "responses",
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("questionnaire_id", sa.String, nullable=False),
        sa.Column("questionnaire_version", sa.String, nullable=False),
        sa.Column("wave", sa.Integer, nullable=False),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("area", sa.String, nullable=False),
        sa.Column("mode", sa.String, nullable=False),
        sa.Column("interviewer_id", sa.String),
        sa.Column("assistance", sa.String),
        sa.Column("consent_version", sa.String, nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("answers_sha256", sa.String(64), nullable=False),
    )


def _row(index: int, answers: dict, *, status="submitted", questionnaire_id="analysis-test"):
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    submitted = START + timedelta(hours=index)
    return {
        "id": str(uuid.UUID(int=index + 1)),
        "questionnaire_id": questionnaire_id,
        "questionnaire_version": "2024.1",
        "wave": 2024,
        "language": "da" if index % 2 == 0 else "ar",
        "area": "nord" if index < 2 else "syd",
        "mode": "kiosk",
        "interviewer_id": None,
        "assistance": None,
        "consent_version": "2024-1",
        "consent_given_at": submitted - timedelta(minutes=10),
        "started_at": submitted - timedelta(minutes=10),
        "submitted_at": submitted if status == "submitted" else None,
        "received_at": submitted,
        "status": status,
        "answers": answers,
        "answers_sha256": hashlib.sha256(canonical.encode()).hexdigest(),
    }


def _fill(engine: sa.Engine) -> None:
    metadata = sa.MetaData()
    table = _responses_table(metadata)
    metadata.create_all(engine)
    rows = [_row(i, answers) for i, answers in enumerate(ANSWERS)]
    rows.append(_row(10, {"tilfreds_omraade": "1"}, status="draft"))
    rows.append(_row(11, {"tilfreds_omraade": "1"}, questionnaire_id="other-survey"))
    with engine.begin() as connection:
        connection.execute(sa.insert(table), rows)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'beboer.db'}"
    engine = sa.create_engine(url)
    _fill(engine)
    engine.dispose()
    return url


def _check_tidy(frame: pd.DataFrame) -> None:
    assert frame.columns.tolist() == [
        "id",
        "wave",
        "area",
        "language",
        "mode",
        "submitted_at",
        "tilfreds_omraade",
        "daarligt_ry",
        "ry_hvorfor__fordomme",
        "ry_hvorfor__beboere",
        "ry_hvorfor__9",
        "aar_i_omraadet",
        "bemaerkninger",
    ]
    assert len(frame) == 4  # submitted rows of this questionnaire only
    satisfied = frame["tilfreds_omraade"]
    assert satisfied.dtype == pd.CategoricalDtype(["1", "2", "3", "9"], ordered=True)
    assert satisfied.tolist() == ["1", "9", "2", "3"]
    assert frame["ry_hvorfor__fordomme"].dtype == "boolean"
    assert frame["ry_hvorfor__fordomme"].tolist() == [True, pd.NA, False, pd.NA]
    assert frame["ry_hvorfor__9"].tolist() == [False, pd.NA, True, pd.NA]
    assert frame["aar_i_omraadet"].dtype == "Int64"
    assert frame["aar_i_omraadet"].tolist() == [12, 3, pd.NA, pd.NA]
    assert frame["bemaerkninger"].tolist() == ["Fint sted", pd.NA, pd.NA, pd.NA]
    assert frame["wave"].tolist() == [2024] * 4
    assert frame["area"].tolist() == ["nord", "nord", "syd", "syd"]
    assert frame["submitted_at"].dt.tz is not None
    assert frame["submitted_at"].iloc[0] == pd.Timestamp(START)


def test_sqlite_database(sqlite_url, questionnaire):
    frame = load_responses(sqlite_url, questionnaire)
    _check_tidy(frame)
    # the questionnaire may be given as a path, the source as an engine
    engine = sa.create_engine(sqlite_url)
    try:
        again = load_responses(engine, str(FIXTURE))
    finally:
        engine.dispose()
    pd.testing.assert_frame_equal(frame, again)


def test_reads_only_needed_columns_in_one_query(sqlite_url, questionnaire):
    engine = sa.create_engine(sqlite_url)
    statements: list[str] = []
    sa.event.listen(
        engine,
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    try:
        load_responses(engine, questionnaire)
    finally:
        engine.dispose()
    assert len(statements) == 1
    selected = statements[0].split("FROM")[0]
    assert "answers_sha256" not in selected and "interviewer_id" not in selected


def _export_frame(questionnaire) -> pd.DataFrame:
    """The export-file table (as `beboer export` writes it), built by hand."""
    records = []
    for index, answers in enumerate(ANSWERS):
        row = _row(index, answers)
        record = {key: row[key] for key in ("id", "wave", "area", "language", "mode")}
        record["submitted_at"] = row["submitted_at"]
        for question in questionnaire.questions():
            value = answers.get(question.id)
            if question.type == "multiple":
                for code in question.codes:
                    record[f"{question.id}__{code}"] = int(code in value) if value else None
            else:
                record[question.id] = value if value not in ("", None) else None
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    for column in (
        "ry_hvorfor__fordomme",
        "ry_hvorfor__beboere",
        "ry_hvorfor__9",
        "aar_i_omraadet",
    ):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_csv_xlsx_sav_exports_match_the_database(tmp_path, sqlite_url, questionnaire):
    expected = load_responses(sqlite_url, questionnaire)
    export = _export_frame(questionnaire)

    csv = tmp_path / "export.csv"
    export.to_csv(csv, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    pd.testing.assert_frame_equal(load_responses(csv, questionnaire), expected)

    xlsx = tmp_path / "export.xlsx"
    excel = export.assign(submitted_at=export["submitted_at"].map(lambda t: t.replace(tzinfo=None)))
    excel.to_excel(xlsx, index=False)
    pd.testing.assert_frame_equal(load_responses(str(xlsx), questionnaire), expected)

    sav = tmp_path / "export.sav"
    spss = excel.copy()
    for column in spss.columns:
        if str(spss[column].dtype) == "Int64":
            spss[column] = spss[column].astype("float64")
    spss["tilfreds_omraade"] = spss["tilfreds_omraade"].astype(float)  # numeric codes
    spss["daarligt_ry"] = spss["daarligt_ry"].astype(float)
    spss["bemaerkninger"] = spss["bemaerkninger"].fillna("")
    pyreadstat.write_sav(spss, str(sav))
    pd.testing.assert_frame_equal(load_responses(sav, questionnaire), expected)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_files_written_by_beboer_export(tmp_path, sqlite_url, questionnaire, fmt):
    """The survey app's export writer and this reader agree on the file format."""
    from types import SimpleNamespace

    from survey.export import response_frame, write_export

    rows = [SimpleNamespace(**_row(i, answers)) for i, answers in enumerate(ANSWERS)]
    path = tmp_path / f"export.{fmt}"
    write_export(response_frame(questionnaire, rows), questionnaire, path, fmt)
    expected = load_responses(sqlite_url, questionnaire)
    pd.testing.assert_frame_equal(load_responses(path, questionnaire), expected)


def test_bundled_questionnaire_by_id(tmp_path):
    if "beboerundersoegelse-2016" not in questionnaires.available():
        pytest.fail("the bundled 2016 questionnaire is missing")
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = sa.create_engine(url)
    _responses_table(sa.MetaData()).metadata.create_all(engine)
    engine.dispose()
    frame = load_responses(url, "beboerundersoegelse-2016")
    assert len(frame) == 0
    assert frame.columns[:6].tolist() == ["id", "wave", "area", "language", "mode", "submitted_at"]


def test_errors(tmp_path, questionnaire):
    with pytest.raises(ValueError, match="does not exist"):
        load_responses(tmp_path / "missing.csv", questionnaire)
    with pytest.raises(ValueError, match=r"give a database URL or a \.csv"):
        load_responses(tmp_path / "export.json", questionnaire)
    with pytest.raises(TypeError, match="source must be"):
        load_responses(42, questionnaire)
    short = tmp_path / "short.csv"
    pd.DataFrame({"id": ["x"], "wave": [2024]}).to_csv(short, index=False)
    with pytest.raises(ValueError, match=r"lacks \d+ columns of questionnaire 'analysis-test'"):
        load_responses(short, questionnaire)
    bad = _export_frame(questionnaire)
    bad.loc[1, "tilfreds_omraade"] = "7"
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"1 answers to 'tilfreds_omraade' are not codes"):
        load_responses(path, questionnaire)


@pytest.fixture
def postgres_url():
    server = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"beboer_test_{uuid.uuid4().hex}"
    try:
        with server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        server.dispose()
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    url = sa.make_url(POSTGRES).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.mark.postgres
def test_postgresql_database(postgres_url, questionnaire):
    engine = sa.create_engine(postgres_url)
    try:
        _fill(engine)
    finally:
        engine.dispose()
    _check_tidy(load_responses(postgres_url, questionnaire))
