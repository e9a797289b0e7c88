"""Latin text and digits inside right-to-left text, isolated with ``<bdi>``.

Area names, e-mail addresses, web addresses and numbers keep their own
direction inside Arabic, Farsi or Urdu sentences, so punctuation around them
(parentheses, commas) lands where the reader expects it.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: A run of Latin letters and digits, possibly with inner spaces and punctuation.
LATIN_RUN = re.compile(
    r"[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F .,:/@'’&+_\-]*[A-Za-z0-9\u00C0-\u024F])?"
)


def isolate_latin(text: str, direction: str) -> Markup:
    """Escape ``text``; in right-to-left text wrap each Latin or digit run in ``<bdi>``."""
    if direction != "rtl":
        return escape(text)
    parts: list[Markup] = []
    position = 0
    for match in LATIN_RUN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup("<bdi>%s</bdi>") % match.group())
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
