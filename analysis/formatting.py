"""Danish and English number formatting for reports, tables and chart ticks.

Every number that leaves the analysis as text goes through this module, so that
a Danish report reads ``88,1 %``, ``5,6 procentpoint``, ``95 %-KI: 85,2–90,5``
and ``3.478`` everywhere, axis ticks included. Formatting is done by Babel with
the locale's own symbols, never by string replacement.

Examples
--------
>>> format_pct(0.881)
'88,1\\xa0%'
>>> format_pct(0.881, lang="en")
'88.1%'
>>> format_pp(0.056)
'5,6 procentpoint'
>>> format_ci(0.852, 0.905)
'95\\xa0%-KI: 85,2–90,5'
>>> format_int(3478)
'3.478'
"""

from __future__ import annotations

from numbers import Real

import pandas as pd
from babel.numbers import format_decimal, format_percent
from matplotlib.ticker import FuncFormatter

__all__ = [
    "LANGUAGES",
    "MISSING",
    "format_ci",
    "format_int",
    "format_n",
    "format_number",
    "format_pct",
    "format_pp",
    "percent_formatter",
    "pp_formatter",
    "int_formatter",
]

#: Babel locale used for each report language.
LANGUAGES: dict[str, str] = {"da": "da_DK", "en": "en_GB"}

#: What a missing or suppressed value is shown as.
MISSING = "–"

NBSP = "\u00a0"
EN_DASH = "–"
#: The true minus sign (U+2212), used for every negative number in text and on axes.
MINUS = "\u2212"


def _signed(number: float, format_abs) -> str:
    """Format ``abs(number)`` and put a true minus sign in front of a negative number."""
    text = format_abs(abs(number))
    return MINUS + text if number < 0 else text


def _locale(lang: str) -> str:
    try:
        return LANGUAGES[lang]
    except KeyError:
        raise ValueError(
            f"unknown report language {lang!r}; choose one of {', '.join(sorted(LANGUAGES))}"
        ) from None


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _check_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def _decimal_pattern(digits: int) -> str:
    if not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a non-negative integer, got {digits!r}")
    return "#,##0" + ("." + "0" * digits if digits else "")


def _percent_pattern(lang: str, digits: int) -> str:
    # Danish puts a non-breaking space before the percent sign; English does not.
    sign = f"{NBSP}%" if lang == "da" else "%"
    return _decimal_pattern(digits) + sign


def _points(value: float, *, locale, digits: int, signed: bool) -> str:
    """A difference of proportions in percentage points, without the unit."""
    number = value * 100
    if round(number, digits) == 0:
        number = 0.0  # never "-0,0"
    text = _signed(number, lambda x: format_decimal(x, _decimal_pattern(digits), locale=locale))
    return "+" + text if signed and number > 0 else text


def format_number(value: float | None, *, lang: str = "da", digits: int = 1) -> str:
    """Format a plain number with a fixed number of decimals.

    Parameters
    ----------
    value : float or None
        The number; ``None`` or NaN gives :data:`MISSING`.
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals.

    Returns
    -------
    str
        E.g. ``"1.234,5"`` in Danish, ``"1,234.5"`` in English.
    """
    locale = _locale(lang)
    if _is_missing(value):
        return MISSING
    number = _check_number(value, "value")
    if round(number, digits) == 0:
        number = 0.0
    return _signed(number, lambda x: format_decimal(x, _decimal_pattern(digits), locale=locale))


def format_pct(value: float | None, *, lang: str = "da", digits: int = 1) -> str:
    """Format a proportion (0–1) as a percentage.

    Parameters
    ----------
    value : float or None
        The proportion, e.g. ``0.881``; ``None`` or NaN gives :data:`MISSING`.
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals.

    Returns
    -------
    str
        ``"88,1 %"`` (with a non-breaking space) in Danish, ``"88.1%"`` in English.
    """
    locale = _locale(lang)
    if _is_missing(value):
        return MISSING
    number = _check_number(value, "value")
    if round(number * 100, digits) == 0:
        number = 0.0
    return _signed(number, lambda x: format_percent(x, _percent_pattern(lang, digits),
                                                     locale=locale))


def format_pp(
    value: float | None, *, lang: str = "da", digits: int = 1, signed: bool = False
) -> str:
    """Format a difference of two proportions in percentage points.

    Parameters
    ----------
    value : float or None
        The difference as a proportion, e.g. ``0.056`` for 5.6 points.
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals.
    signed : bool
        Show ``+`` in front of positive differences.

    Returns
    -------
    str
        ``"5,6 procentpoint"`` in Danish, ``"5.6 percentage points"`` in English.
    """
    locale = _locale(lang)
    if _is_missing(value):
        return MISSING
    text = _points(_check_number(value, "value"), locale=locale, digits=digits, signed=signed)
    unit = "procentpoint" if lang == "da" else "percentage points"
    return f"{text} {unit}"


def format_ci(
    low: float | None,
    high: float | None,
    *,
    lang: str = "da",
    digits: int = 1,
    level: float = 0.95,
    label: bool = True,
) -> str:
    """Format a confidence interval of a proportion or a difference.

    Parameters
    ----------
    low, high : float or None
        Interval limits as proportions; a missing limit gives :data:`MISSING`.
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals of the limits (in percent).
    level : float
        Confidence level, shown in the label.
    label : bool
        Prefix the interval with ``"95 %-KI: "`` (``"95% CI: "`` in English).

    Returns
    -------
    str
        ``"95 %-KI: 85,2–90,5"`` in Danish, ``"95% CI: 85.2–90.5"`` in English;
        with a negative limit the limits are joined by ``" til "`` (``" to "``),
        e.g. ``"95 %-KI: −21,6 til −10,0"`` (true minus signs).
    """
    locale = _locale(lang)
    if not 0 < _check_number(level, "level") < 1:
        raise ValueError(f"level must lie between 0 and 1, got {level!r}")
    if _is_missing(low) or _is_missing(high):
        interval = MISSING
    else:
        pattern = _decimal_pattern(digits)
        lo = _signed(_check_number(low, "low") * 100,
                     lambda x: format_decimal(x, pattern, locale=locale))
        hi = _signed(_check_number(high, "high") * 100,
                     lambda x: format_decimal(x, pattern, locale=locale))
        # "85,2–90,5", but "-21,6 til -10,0": a dash next to a minus sign misleads.
        negative = _check_number(low, "low") < 0 or _check_number(high, "high") < 0
        separator = (" til " if lang == "da" else " to ") if negative else EN_DASH
        interval = f"{lo}{separator}{hi}"
    if not label:
        return interval
    level_text = format_percent(level, _percent_pattern(lang, 0), locale=locale)
    if lang == "da":
        return f"{level_text}-KI: {interval}"
    return f"{level_text} CI: {interval}"


def format_int(value: int | None, *, lang: str = "da") -> str:
    """Format a count with thousands separators.

    Parameters
    ----------
    value : int or None
        The count; ``None`` or NaN gives :data:`MISSING`.
    lang : {"da", "en"}
        Report language.

    Returns
    -------
    str
        ``"3.478"`` in Danish, ``"3,478"`` in English.
    """
    locale = _locale(lang)
    if _is_missing(value):
        return MISSING
    number = _check_number(value, "value")
    return format_decimal(round(number), "#,##0", locale=locale)


def format_n(value: int | None, *, lang: str = "da") -> str:
    """Format a base size as ``"n = 1.234"``.

    Parameters
    ----------
    value : int or None
        The base (number of respondents).
    lang : {"da", "en"}
        Report language.

    Returns
    -------
    str
        ``"n = 1.234"`` (non-breaking spaces around the equals sign).
    """
    return f"n{NBSP}={NBSP}{format_int(value, lang=lang)}"


def percent_formatter(*, lang: str = "da", digits: int = 0) -> FuncFormatter:
    """Matplotlib tick formatter for axes whose data are proportions (0–1).

    Parameters
    ----------
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals on the ticks.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
        Labels ticks as :func:`format_pct` does, e.g. ``"20 %"``.
    """
    _locale(lang)
    return FuncFormatter(lambda x, _pos: format_pct(x, lang=lang, digits=digits))


def pp_formatter(*, lang: str = "da", digits: int = 0) -> FuncFormatter:
    """Matplotlib tick formatter for differences of proportions, in points.

    Ticks read as signed numbers of percentage points without the unit
    (``"+5"``, ``"0"``, ``"-5"``); the axis label carries the unit.

    Parameters
    ----------
    lang : {"da", "en"}
        Report language.
    digits : int
        Number of decimals on the ticks.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
    """
    locale = _locale(lang)
    _decimal_pattern(digits)  # checks digits now rather than at the first tick
    return FuncFormatter(lambda x, _pos: _points(x, locale=locale, digits=digits, signed=True))


def int_formatter(*, lang: str = "da") -> FuncFormatter:
    """Matplotlib tick formatter for counts, with thousands separators.

    Parameters
    ----------
    lang : {"da", "en"}
        Report language.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
    """
    _locale(lang)
    return FuncFormatter(lambda x, _pos: format_int(x, lang=lang))
