"""Print-ready A4 invitation letters: one page per household, in Danish and its language.

Each letter carries the household's code (as text to type), the full URL
``<base>/k/<code>`` printed and as a QR code (segno, SVG), and the first
paragraphs of the questionnaire's consent information in both languages.
The PDF is made by WeasyPrint from one HTML document.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import segno
import sqlalchemy as sa

from ..extensions import db
from . import codes
from .letter_texts import text
from .models import FrameHousehold, InvitationCode

#: How many paragraphs of the consent text a letter repeats (who, why, voluntary).
CONSENT_PARAGRAPHS = 2


class LettersProblem(ValueError):
    """No letters can be made (no frame, frame anonymised, nothing to remind)."""


@dataclass(frozen=True)
class Letter:
    """What one page needs: the household's address, area, language and code."""

    address: str
    area: str
    language: str
    code: str


def invitation_url(base_url: str, code: str) -> str:
    """The URL printed on the letter: ``<base>/k/<code>``."""
    return f"{base_url.rstrip('/')}/k/{code}"


def select_letters(questionnaire: Any, *, reminders: bool) -> list[Letter]:
    """The households to write to, by area and address (``reminders``: those not submitted)."""
    query = (
        sa.select(FrameHousehold, InvitationCode)
        .join(InvitationCode, InvitationCode.household_id == FrameHousehold.id)
        .where(FrameHousehold.questionnaire_id == questionnaire.id)
        .order_by(FrameHousehold.area, FrameHousehold.address, FrameHousehold.id)
    )
    rows = db.session.execute(query).all()
    if not rows:
        raise LettersProblem(
            f"{questionnaire.id} has no sampling frame; import one with `beboer frame import`"
        )
    if any(code.code is None for _household, code in rows):
        raise LettersProblem(f"the frame of {questionnaire.id} was anonymised; its codes are gone")
    if reminders:
        rows = [(household, code) for household, code in rows if not code.submitted]
        if not rows:
            raise LettersProblem(f"every household of {questionnaire.id} has answered")
    return [
        Letter(household.address or "", household.area, household.language, code.code)
        for household, code in rows
    ]


def mark_sent(questionnaire_id: str, letters: list[Letter], *, reminders: bool) -> None:
    """Record today as the letter (or reminder) day of the codes written to."""
    today = datetime.now(UTC).date()
    column = "reminder_on" if reminders else "letter_on"
    written = [letter.code for letter in letters]
    for start in range(0, len(written), 500):
        db.session.execute(
            sa.update(InvitationCode)
            .where(InvitationCode.questionnaire_id == questionnaire_id)
            .where(InvitationCode.code.in_(written[start : start + 500]))
            .values({column: today})
        )
    db.session.commit()


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (error correction M, 4-module quiet zone)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, omitsize=True)


def _consent_excerpt(questionnaire: Any, language: str) -> str:
    paragraphs = [p.strip() for p in questionnaire.consent.text[language].split("\n\n")]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:CONSENT_PARAGRAPHS] if p)


def _language_block(questionnaire: Any, letter: Letter, language: str, *, reminders: bool) -> str:
    direction = questionnaire.direction(language)
    area = questionnaire.area(letter.area).label
    title = questionnaire.title[language]

    def say(key: str) -> str:
        return html.escape(text(language, key, title=title, area=area))

    reminder = f'<p class="reminder">{say("reminder")}</p>' if reminders else ""
    return (
        f'<section class="language" lang="{language}" dir="{direction}">'
        f"<h1>{say('heading')}</h1>{reminder}<p>{say('intro')}</p>"
        f'<p class="how">{say("how")}</p>'
        f'<div class="consent">{_consent_excerpt(questionnaire, language)}'
        f"<p>{say('once')} {say('more')}</p></div></section>"
    )


def letter_html(questionnaire: Any, letter: Letter, base_url: str, *, reminders: bool) -> str:
    """The HTML of one letter page (a ``<article>``)."""
    url = invitation_url(base_url, letter.code)
    languages = [questionnaire.default_language]
    if letter.language != questionnaire.default_language:
        languages.append(letter.language)
    labels = " / ".join(html.escape(text(lang, "code_label")) for lang in languages)
    blocks = "".join(
        _language_block(questionnaire, letter, lang, reminders=reminders) for lang in languages
    )
    return (
        '<article class="letter">'
        f'<p class="address">{html.escape(letter.address)}</p>'
        '<div class="access">'
        f'<div class="qr">{qr_svg(url)}</div>'
        f'<div class="typed"><p class="label">{labels}</p>'
        f'<p class="code">{codes.display(letter.code)}</p>'
        f'<p class="url">{html.escape(url)}</p></div></div>'
        f"{blocks}</article>"
    )


STYLE = """
@page { size: A4; margin: 18mm 20mm 16mm 20mm; }
body { font-family: "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif;
       font-size: 9.5pt; line-height: 1.35; color: #111; }
.letter { page-break-after: always; }
.letter:last-child { page-break-after: auto; }
/* The address sits in the window of a DL/C5 envelope (DIN 5008 type B: 45 mm from the top). */
.address { white-space: pre-line; font-size: 11pt; width: 85mm; height: 32mm;
           margin: 27mm 0 6mm 0; overflow: hidden; }
.access { display: flex; align-items: center; gap: 8mm; border: 0.6pt solid #333;
          padding: 4mm 6mm; margin-bottom: 5mm; }
.qr svg { width: 34mm; height: 34mm; display: block; }
.typed .label { margin: 0; font-size: 9pt; }
.typed .code { font-family: "DejaVu Sans Mono", monospace; font-size: 22pt; font-weight: bold;
               letter-spacing: 1.5pt; margin: 1mm 0 2mm 0; }
.typed .url { font-family: "DejaVu Sans Mono", monospace; font-size: 10pt; margin: 0; }
.language { margin-bottom: 4mm; }
.language + .language { border-top: 0.4pt solid #999; padding-top: 3mm; }
h1 { font-size: 12.5pt; margin: 0 0 2mm 0; }
p { margin: 0 0 1.6mm 0; }
.reminder { font-weight: bold; }
.consent { font-size: 8.5pt; color: #333; }
[dir="rtl"] { text-align: right; }
[lang="ar"], [lang="fa"], [lang="ur"] { font-family: "Noto Sans Arabic", "Noto Sans", sans-serif;
                                          line-height: 1.55; }
"""


def letters_html(
    questionnaire: Any, letters: list[Letter], base_url: str, *, reminders: bool
) -> str:
    """The whole document: every letter, one A4 page each."""
    pages = "".join(
        letter_html(questionnaire, letter, base_url, reminders=reminders) for letter in letters
    )
    return (
        f'<!doctype html><html lang="{questionnaire.default_language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(questionnaire.title[questionnaire.default_language])}</title>"
        f"<style>{STYLE}</style></head><body>{pages}</body></html>"
    )


def write_letters(questionnaire: Any, out: Path, base_url: str, *, reminders: bool) -> int:
    """Write the letters PDF to ``out`` and mark the codes as written to; the number of letters."""
    from weasyprint import HTML

    letters = select_letters(questionnaire, reminders=reminders)
    document = letters_html(questionnaire, letters, base_url, reminders=reminders)
    rendered = HTML(string=document).render()
    if len(rendered.pages) != len(letters):
        raise LettersProblem(
            f"{len(letters)} letters took {len(rendered.pages)} pages: a letter runs over one "
            "A4 page; shorten the first paragraphs of the questionnaire's consent text"
        )
    rendered.write_pdf(out)
    mark_sent(questionnaire.id, letters, reminders=reminders)
    return len(letters)
