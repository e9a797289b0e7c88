"""Receipt codes: a short code the resident can quote to have a response erased.

The code is derived from the response's UUID (so a device without a
connection can show it too) but does not reveal it: the first 40 bits of
SHA-256 over ``beboer-receipt:<uuid>``, written as 8 characters of Crockford's
base-32 alphabet (no I, L, O or U) in two groups, e.g. ``7KQ2-M9XD``. Reading
is forgiving: case, spaces, hyphens, and the look-alikes O→0, I/L→1 are
accepted. Receipt codes are never stored with the answers and never exported.
"""

from __future__ import annotations

import hashlib
import re

#: Crockford's base-32 alphabet: digits and letters without I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}\Z")


def receipt_code(response_id: str) -> str:
    """The receipt code of a response, ``XXXX-XXXX``."""
    digest = hashlib.sha256(f"beboer-receipt:{response_id.lower()}".encode()).digest()
    number = int.from_bytes(digest[:5], "big")
    chars = [ALPHABET[(number >> (5 * shift)) & 31] for shift in range(LENGTH - 1, -1, -1)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def normalise_receipt(text: str) -> str | None:
    """``text`` as a receipt code ``XXXX-XXXX``, or ``None`` when it cannot be one."""
    compact = re.sub(r"[\s\-]", "", text or "").upper().translate(_LOOK_ALIKES)
    if not _SHAPE.match(compact):
        return None
    return compact[:4] + "-" + compact[4:]
