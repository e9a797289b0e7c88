"""Invitation codes: made at random from an alphabet without look-alike characters.

A code is ``CODE_LENGTH`` characters from ``ALPHABET`` (31 symbols: no 0/O,
1/I/L), about 49.5 bits of randomness from :mod:`secrets`, printed as two
groups of five (``K7QX2-M9TRB``). Typed codes are read leniently: case,
spaces and dashes do not matter, and the look-alikes a resident might type
(``O`` for ``0``…) are not in the alphabet, so they are simply refused.
"""

from __future__ import annotations

import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
GROUP = 5
#: Bits of randomness in one code (log2 of the number of codes).
BITS = CODE_LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    """A fresh random code, without its dash (``K7QX2M9TRB``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display(code: str) -> str:
    """The code as printed on a letter: two groups of five joined by a dash."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


def normalise(typed: str | None) -> str | None:
    """The stored form of a typed or scanned code, or ``None`` when it cannot be one."""
    if not typed:
        return None
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t\u00a0")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
