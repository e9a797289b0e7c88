"""The language of the staff pages, kept apart from the language residents answer in.

An interviewer who has just handed the tablet over for an interview in
Arabic should not find the staff pages in Arabic afterwards: residents'
pages remember their language in the session's ``lang``, staff pages use
``staff_lang``, which only the staff language switch sets (Danish until then).
"""

from __future__ import annotations

from flask import g, session

#: Session key of the staff pages' language.
SESSION_KEY = "staff_lang"
#: The languages the staff pages can be switched to, Danish (the default) first.
STAFF_LANGUAGES = {"da": "Dansk", "en": "English"}
DEFAULT_STAFF_LANGUAGE = "da"


def staff_language() -> str:
    """The staff pages' language: the one chosen with the switch, else Danish."""
    language = session.get(SESSION_KEY)
    return language if language in STAFF_LANGUAGES else DEFAULT_STAFF_LANGUAGE


def use_staff_language() -> None:
    """Render this request's page (and its messages) in the staff language."""
    g.lang = staff_language()


def choose_staff_language(language: str) -> None:
    """Remember ``language`` for the staff pages; ``ValueError`` for one they do not offer."""
    if language not in STAFF_LANGUAGES:
        offered = ", ".join(STAFF_LANGUAGES)
        raise ValueError(f"staff pages are offered in {offered}, not {language!r}")
    session[SESSION_KEY] = language


def other_staff_languages() -> list[tuple[str, str]]:
    """``(code, own name)`` of the staff languages not in use now, for the header's switch."""
    current = staff_language()
    return [(code, name) for code, name in STAFF_LANGUAGES.items() if code != current]
