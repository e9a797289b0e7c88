"""Digits as each language writes them (Persian ۱۲۳, Danish and Arabic here 123).

The digits follow the locale's default numbering system in CLDR (Babel's
``Locale.default_numbering_system``): ``arabext`` for Persian, ``latn`` for
the other bundled languages, which matches how the bundled questionnaires
write their years and ranges. Babel formats separators, not digits, so the
digits are swapped here.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import g

#: The digits 0-9 of each numbering system the bundled languages use.
DIGITS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}


def native_digits(language: str | None) -> str:
    """The ten digits of ``language``'s default numbering system (Latin when unknown)."""
    try:
        system = Locale.parse((language or "da").replace("-", "_")).default_numbering_system
    except (UnknownLocaleError, ValueError):
        return DIGITS["latn"]
    return DIGITS.get(system, DIGITS["latn"])


def localise_digits(value: object, language: str | None = None) -> str:
    """``value`` as text with its digits in the language's (default: the page's) numbering."""
    digits = native_digits(language if language is not None else g.get("lang"))
    return str(value).translate(str.maketrans(DIGITS["latn"], digits))
