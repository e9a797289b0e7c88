"""Argument checks shared by the estimation, comparison and weighting functions.

Each check raises a ``ValueError`` (or ``TypeError``) that names what is wrong
and where, so a researcher can fix a script without reading a traceback.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def check_frame(data: object, name: str = "data") -> pd.DataFrame:
    """Return ``data`` when it is a DataFrame, else raise ``TypeError``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")
    return data


def check_column(data: pd.DataFrame, column: object, role: str) -> str:
    """Check that ``column`` names a column of ``data``; suggest close matches if not."""
    if not isinstance(column, str):
        raise TypeError(f"{role} must be a column name (str), got {column!r}")
    if column not in data.columns:
        names = [str(c) for c in data.columns]
        close = difflib.get_close_matches(column, names, n=3, cutoff=0.6)
        if close:
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?"
        else:
            shown = ", ".join(repr(c) for c in names[:15]) + (", ..." if len(names) > 15 else "")
            hint = f"; the columns are {shown}"
        raise ValueError(f"unknown column {column!r} given as {role}{hint}")
    return column


def as_list(value: object) -> list:
    """``None`` -> ``[]``, a scalar -> ``[scalar]``, an iterable (not str) -> list."""
    if value is None:
        return []
    if isinstance(value, str | bytes | bool | numbers.Number):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def check_by(data: pd.DataFrame, by: object) -> list[str]:
    """Return the grouping columns as a list, each checked to exist."""
    columns = as_list(by)
    for column in columns:
        check_column(data, column, "by")
    if len(set(columns)) != len(columns):
        raise ValueError(f"by names a column twice: {columns}")
    return columns


def check_alpha(alpha: object) -> float:
    """Return ``alpha`` as a float in (0, 1)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise ValueError(f"alpha must be a number in (0, 1), got {alpha!r}")
    if not 0.0 < float(alpha) < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    return float(alpha)


def check_min_n(min_n: object) -> int | None:
    """Return ``min_n`` as a positive int, or ``None``."""
    if min_n is None:
        return None
    if isinstance(min_n, bool) or not isinstance(min_n, numbers.Integral) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer or None, got {min_n!r}")
    return int(min_n)


def check_choice(value: object, allowed: Sequence[str], name: str) -> str:
    """Check that ``value`` is one of ``allowed``; the error lists them."""
    if value not in allowed:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(allowed)}")
    return value  # type: ignore[return-value]


def check_weights(values: pd.Series, column: str, role: str = "weights") -> np.ndarray:
    """Return weights as a float array; refuse missing, non-finite, zero or negative ones.

    ``role`` names the column's use in messages (``"weights"``, ``"fpc"``).
    """
    if isinstance(values.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)
    ):
        raise ValueError(f"{role} column {column!r} must be numeric, got dtype {values.dtype}")
    array = values.to_numpy(dtype=float, na_value=np.nan)
    missing = ~np.isfinite(array)
    non_positive = ~missing & (array <= 0)
    bad = int(missing.sum() + non_positive.sum())
    if bad:
        raise ValueError(
            f"{role} column {column!r}: {bad} row{'s' if bad != 1 else ''} without a positive "
            f"finite {'weight' if role == 'weights' else 'value'} "
            f"({int(non_positive.sum())} zero or negative, "
            f"{int(missing.sum())} missing or infinite)"
        )
    return array


def plain(value: object) -> object:
    """A numpy scalar as the Python value, for readable messages (``0``, not ``np.int64(0)``)."""
    return value.item() if isinstance(value, np.generic) else value
