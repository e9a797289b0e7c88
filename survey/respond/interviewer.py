"""The interviewer's own controls on the resident's pages, in the staff language.

In interviewer mode the questions are in the resident's language, but the
banner, the assistance choice, abort and "new interview" are for the
interviewer, so they use the staff pages' language (Danish unless switched)
whatever language the interview is in.
"""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import force_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.language import staff_language


def assistance_choices() -> list[tuple[str, str]]:
    """How a questionnaire can be answered, in the current locale (no default: one is chosen)."""
    return [
        ("self", _("Answered by the resident")),
        ("read_aloud", _("Read aloud by the interviewer")),
        ("interpreter", _("Interpreter used")),
    ]


def staff_controls() -> dict[str, Any]:
    """Texts of the interviewer's controls in the staff language, with that language's code."""
    language = staff_language()
    pseudonym = getattr(current_user, "pseudonym", "") if current_user.is_authenticated else ""
    with force_locale(language):
        return {
            "lang": language,
            "banner": _("Interview in progress"),
            "interviewer": _("Interviewer %(pseudonym)s", pseudonym=pseudonym),
            "assistance_label": _("How is the questionnaire answered?"),
            "assistance_choices": assistance_choices(),
            "assistance_error": _("Choose how the questionnaire is answered."),
            "abort": _("Abort the interview"),
            "abort_explain": _(
                "The answers given so far are saved and marked as an aborted interview."
            ),
            "abort_confirm": _("Yes, abort the interview"),
            "new_interview": _("Start a new interview"),
        }


def use_staff_language_for_page() -> None:
    """Render the whole page (an interviewer's page such as "interview aborted") for staff."""
    g.lang = staff_language()
    g.dir = "ltr"
    refresh()
