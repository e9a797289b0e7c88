"""Exports in the console (administrators only): the files of ``beboer export``, audited."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import abort, render_template, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import export, storage
from ..auth.users import audit
from ..security import role_required
from . import bp
from .overview import danish_title, latest_questionnaires

#: The media type of each export format.
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}


@bp.get("/exports")
@role_required("admin")
def exports() -> str:
    """One download link per questionnaire and format."""
    return render_template(
        "admin/exports.html",
        questionnaires=latest_questionnaires(),
        title=danish_title,
        formats=export.FORMATS,
    )


def export_bytes(questionnaire: object, fmt: str) -> tuple[bytes, int]:
    """The export file's content (as ``beboer export`` writes it) and its number of rows."""
    frame = export.response_frame(questionnaire, export.submitted_rows(questionnaire.id))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{fmt}"
        export.write_export(frame, questionnaire, path, fmt)
        return path.read_bytes(), len(frame)


@bp.get("/exports/<questionnaire_id>.<fmt>")
@role_required("admin")
def download(questionnaire_id: str, fmt: str) -> Response:
    """Download one export; the audit log records who, when, which questionnaire and format."""
    if fmt not in export.FORMATS:
        abort(404)
    questionnaire = storage.get_questionnaire(questionnaire_id)
    if questionnaire is None:
        abort(404)
    content, rows = export_bytes(questionnaire, fmt)
    audit(
        "export_downloaded",
        current_user.username,
        questionnaire=questionnaire_id,
        format=fmt,
        rows=rows,
    )
    response = send_file(
        io.BytesIO(content),
        mimetype=MEDIA_TYPES[fmt],
        as_attachment=True,
        download_name=f"{questionnaire_id}.{fmt}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
