"""Refusing requests the app cannot store or answer, with a 400 and a short message.

PostgreSQL refuses a NUL character in any text, and no UTF-8 database holds
a lone surrogate, so such input would otherwise reach the database and fail
there with a 500 (or stop ``beboer import``). :func:`reject_unstorable_input`
runs before every request and checks the path, the query string and form
fields; :func:`load_json` parses and checks a JSON body or import line
(depth, characters, numbers).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest

__all__ = [
    "MAX_DEPTH",
    "MAX_INTEGER",
    "BadJSON",
    "check_json",
    "load_json",
    "configure_request_guard",
    "unstorable_character",
]

MAX_DEPTH = 16
MAX_INTEGER = 2**53  # what every JSON reader holds exactly
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_character(text: str) -> str | None:
    """Describe the first character of ``text`` no database can store, or ``None``."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    kind = "a NUL character" if char == "\x00" else f"a lone surrogate U+{ord(char):04X}"
    return f"{kind} at position {found.start()}"


def reject_unstorable_input() -> None:
    """Answer 400 when the path, a query parameter or a form field holds an unstorable character."""
    problem = unstorable_character(request.path)
    if problem:
        raise BadRequest(f"the path holds {problem}")
    for where, values in (("query parameter", request.args), ("form field", request.form)):
        for name, value in values.items(multi=True):
            problem = unstorable_character(name) or unstorable_character(value)
            if problem:
                shown = name[:40].encode("unicode_escape").decode("ascii")
                raise BadRequest(f"the {where} {shown!r} holds {problem}")


class BadJSON(ValueError):
    """JSON text that cannot be read or stored; the message says where and why."""


def load_json(text: str) -> Any:
    """Parse ``text`` as JSON and check it with :func:`check_json`; :class:`BadJSON` if not fit.

    ``NaN`` and ``Infinity`` are refused, as are integers of more than 4300
    digits and nesting too deep to parse.
    """
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise BadJSON(
            f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise BadJSON("the JSON is nested too deeply") from None
    except ValueError as error:  # an integer of more than 4300 digits, NaN, Infinity
        reason = "too many digits" if "digits" in str(error) else str(error)
        raise BadJSON(f"the JSON holds a number that cannot be read: {reason}") from None
    if _SUSPECT.search(text):
        check_json(value)
    else:  # no escape that makes a NUL or surrogate, no long or exponent number
        _check_depth(value)
    return value


# What in JSON text can make a value ``check_json`` refuses: a NUL or surrogate can
# only come from a \u escape (raw ones fail UTF-8 decoding or strict parsing), an
# integer beyond 2**53 has 16 digits or more, an infinite float needs an exponent.
_SUSPECT = re.compile(r"\\u0000|\\u[dD][89a-fA-F]|\d{16,}|\d[eE]")


def _check_depth(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise BadJSON(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (dict, list)):
                _check_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                _check_depth(item, depth + 1)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def check_json(value: Any, where: str = "$", depth: int = 0) -> None:
    """Raise :class:`BadJSON` naming where ``value`` cannot be stored.

    Refused: nesting deeper than ``MAX_DEPTH``, strings (and keys) with a
    NUL or a lone surrogate, integers beyond ±2**53, non-finite numbers.
    """
    if depth > MAX_DEPTH:
        raise BadJSON(f"the JSON is nested deeper than {MAX_DEPTH} levels at {where}")
    if isinstance(value, str):
        problem = unstorable_character(value)
        if problem:
            raise BadJSON(f"the text at {where} holds {problem}")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INTEGER:
            raise BadJSON(f"the number at {where} is beyond ±2^53")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadJSON(f"the number at {where} is not finite")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            problem = unstorable_character(key)
            shown = key[:40].encode("unicode_escape").decode("ascii")
            if problem:
                raise BadJSON(f"the key {shown!r} at {where} holds {problem}")
            check_json(item, f"{where}.{shown}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, f"{where}[{index}]", depth + 1)


def configure_request_guard(app: Flask) -> None:
    """Check every request's path, query and form before any view reads them."""
    app.before_request(reject_unstorable_input)
