"""The staff page ``/admin/rates``: response rates per area, language and day, with SVG charts."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import format_date, format_percent
from flask_babel import gettext as _
from flask_login import login_required

from .. import storage
from ..admin.overview import danish_title, latest_questionnaires
from . import chart
from .anonymise import has_frame
from .rates import rates_for

bp = Blueprint("rates", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every rates page needs a staff login."""


def percent(value: float) -> str:
    """A share as a percentage with one decimal in the page's language (``34,2 %``)."""
    return format_percent(value, "#,##0.0\u00a0%")


@bp.get("/")
def index() -> str:
    """The questionnaires, with a link to the rates of those that have a sampling frame."""
    rows = [
        (questionnaire, danish_title(questionnaire), has_frame(questionnaire.id))
        for questionnaire in latest_questionnaires()
    ]
    return render_template("frame/rates_index.html", rows=rows)


@bp.get("/<questionnaire_id>")
def show(questionnaire_id: str) -> str:
    """Invited, opened, submitted and the rate per area, language and day, and two charts."""
    questionnaire = storage.get_questionnaire(questionnaire_id)
    if questionnaire is None:
        abort(404)
    rates = rates_for(questionnaire)
    bars = chart.area_bars(
        rates.by_area,
        percent=percent,
        title=_("Response rate by area"),
        legend=(_("Submitted"), _("Opened, not submitted"), _("Invited")),
    )
    line = chart.cumulative_line(
        rates.by_day,
        percent=percent,
        title=_("Response rate by day (cumulative)"),
        day_label=lambda day: format_date(day, "d. MMM"),
        tick_label=lambda value: format_percent(value, "#,##0\u00a0%"),
    )
    return render_template(
        "frame/rates.html",
        questionnaire=questionnaire,
        title=danish_title(questionnaire),
        rates=rates,
        bars=bars,
        line=line,
        percent=percent,
        format_date=format_date,
    )
