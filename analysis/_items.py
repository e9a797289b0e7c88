"""Turn an answer column into a 0/1 indicator and the mask of rows that answered."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._checks import as_list, check_column


def _is_boolean(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values.dtype)


def _preview(values: list) -> str:
    shown = ", ".join(repr(v) for v in values[:12])
    return shown + (", ..." if len(values) > 12 else "")


def _category_lookup(values: pd.Series, codes: list) -> np.ndarray:
    """Rows of a categorical whose value is one of ``codes`` (all known categories)."""
    lookup = np.zeros(len(values.cat.categories) + 1, dtype=bool)
    lookup[values.cat.categories.get_indexer(codes)] = True
    lookup[-1] = False  # code -1: missing
    return lookup[values.cat.codes.to_numpy()]


def answered_mask(data: pd.DataFrame, item: str, exclude: object) -> np.ndarray:
    """Rows with an answer to ``item`` that is not one of the ``exclude`` codes."""
    values = data[item]
    mask = values.notna().to_numpy().copy()
    codes = as_list(exclude)
    if codes:
        if isinstance(values.dtype, pd.CategoricalDtype):
            unknown = [c for c in codes if c not in values.cat.categories]
            if unknown:
                raise ValueError(
                    f"exclude codes {_preview(unknown)} are not categories of {item!r} "
                    f"(categories: {_preview(list(values.cat.categories))})"
                )
        if isinstance(values.dtype, pd.CategoricalDtype):
            mask &= ~_category_lookup(values, codes)
        else:
            mask &= ~values.isin(codes).to_numpy()
    return mask


def indicator(
    data: pd.DataFrame, item: str, positive: object, exclude: object
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(y, answered)``: 1.0 where the answer is positive, and the answered rows.

    Parameters
    ----------
    data : pandas.DataFrame
        The responses.
    item : str
        Column holding the answers (codes, or booleans for one option of a
        multiple-choice question).
    positive : object or list
        Code(s) counted as "yes"; ``True`` for a boolean column.
    exclude : object or list, optional
        Codes treated as missing (e.g. ``"9"`` for "Ved ikke").

    Raises
    ------
    ValueError
        For an unknown column, positive codes absent from the item's categories
        (or from its observed values when it is not categorical), or a code both
        positive and excluded.
    """
    check_column(data, item, "item")
    values = data[item]
    wanted = as_list(positive)
    if not wanted:
        raise ValueError(f"positive must name at least one code of {item!r}")
    excluded = as_list(exclude)
    both = [c for c in wanted if c in excluded]
    if both:
        raise ValueError(f"codes {_preview(both)} of {item!r} are both positive and excluded")
    answered = answered_mask(data, item, excluded)
    if _is_boolean(values):
        if any(not isinstance(v, bool | np.bool_) for v in wanted):
            raise ValueError(
                f"item {item!r} is a yes/no (boolean) column; use positive=True, "
                f"got {_preview(wanted)}"
            )
        y = values.isin(wanted).to_numpy(dtype=bool, na_value=False).astype(float)
        return y, answered
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = list(values.cat.categories)
        unknown = [c for c in wanted if c not in categories]
        if unknown:
            raise ValueError(
                f"positive codes {_preview(unknown)} are not categories of {item!r} "
                f"(categories: {_preview(categories)})"
            )
        return _category_lookup(values, wanted).astype(float), answered
    y_mask = values.isin(wanted).to_numpy()
    if not y_mask.any():
        observed = sorted(pd.unique(values.dropna()).tolist(), key=str)
        raise ValueError(
            f"none of the positive codes {_preview(wanted)} occurs in {item!r} "
            f"(values present: {_preview(observed)})"
        )
    return y_mask.astype(float), answered
