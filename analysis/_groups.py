"""Vectorised grouping: one integer code per row for the combination of ``by`` values.

Codes are built from each column's sorted codes (a categorical column keeps its
category order) and combined arithmetically, so grouping a million rows costs
a few array operations and no Python loop over rows or groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Groups:
    """Group codes of the rows of a frame.

    Attributes
    ----------
    codes : numpy.ndarray
        ``int64`` code per row in ``0 .. count - 1``, or ``-1`` for rows in no group
        (outside the mask or with a missing ``by`` value).
    count : int
        Number of groups with at least one row.
    keys : pandas.DataFrame
        One row per group (in code order) holding its ``by`` values; no columns
        when there is no ``by``.
    """

    codes: np.ndarray
    count: int
    keys: pd.DataFrame


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``values`` in sorted order of the values (-1 for missing).

    Hashes once and sorts only the distinct values, which is about twice as fast
    as ``pd.factorize(..., sort=True)`` on a million strings.

    Examples
    --------
    >>> codes, uniques = sorted_codes(pd.Series(["syd", "nord", None, "syd"]))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, -1, 1], ['nord', 'syd'])
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = pd.Index(uniques)
    order = uniques.argsort()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    lookup = np.append(rank, -1)  # code -1 (missing) stays -1
    return lookup[codes], uniques[order]


def _column_codes(values: pd.Series) -> tuple[np.ndarray, object]:
    """Sorted integer codes of a column (-1 for missing) and what decodes them."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype=np.int64), values.dtype
    return sorted_codes(values)


def _decode(codes: np.ndarray, decoder: object, name: str) -> pd.Series:
    if isinstance(decoder, pd.CategoricalDtype):
        return pd.Series(pd.Categorical.from_codes(codes, dtype=decoder), name=name)
    return pd.Series(pd.Index(decoder).take(codes), name=name).reset_index(drop=True)


def group_rows(data: pd.DataFrame, by: list[str], mask: np.ndarray) -> Groups:
    """Group the rows of ``data`` selected by ``mask`` on the columns ``by``.

    Parameters
    ----------
    data : pandas.DataFrame
        The frame.
    by : list of str
        Grouping columns (may be empty: then every selected row is in group 0).
    mask : numpy.ndarray of bool
        Rows that may belong to a group; the others get code ``-1``.

    Returns
    -------
    Groups
        Codes, number of groups and their keys, groups sorted by their ``by`` values.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"area": ["syd", "nord", "syd", None]})
    >>> groups = group_rows(frame, ["area"], np.array([True, True, False, True]))
    >>> groups.codes.tolist(), groups.count, groups.keys["area"].tolist()
    ([1, 0, -1, -1], 2, ['nord', 'syd'])
    """
    mask = np.asarray(mask, dtype=bool)
    if not by:
        codes = np.where(mask, 0, -1).astype(np.int64)
        return Groups(codes, int(mask.any()), pd.DataFrame(index=range(int(mask.any()))))
    column_codes = []
    decoders = []
    sizes = []
    for column in by:
        codes, decoder = _column_codes(data[column])
        column_codes.append(codes)
        decoders.append(decoder)
        sizes.append(max(int(codes.max(initial=-1)) + 1, 1))
        mask = mask & (codes >= 0)
    combined = np.zeros(len(data), dtype=np.int64)
    total = 1
    for codes, size in zip(column_codes, sizes, strict=True):
        combined = combined * size + codes
        total *= size
    selected = combined[mask]
    if total <= 4 * len(data) + 1024:
        present = np.bincount(selected, minlength=total) > 0
        keys_combined = np.flatnonzero(present)
        lookup = np.full(total, -1, dtype=np.int64)
        lookup[keys_combined] = np.arange(len(keys_combined))
        group_of_selected = lookup[selected]
    else:
        keys_combined, group_of_selected = np.unique(selected, return_inverse=True)
    codes = np.full(len(data), -1, dtype=np.int64)
    codes[mask] = group_of_selected
    # decode the combined key back into each column's code
    key_columns = {}
    remainder = keys_combined.astype(np.int64)
    for column, decoder, size in reversed(list(zip(by, decoders, sizes, strict=True))):
        key_columns[column] = _decode(remainder % size, decoder, column)
        remainder = remainder // size
    keys = pd.DataFrame({column: key_columns[column] for column in by})
    return Groups(codes, len(keys_combined), keys)
