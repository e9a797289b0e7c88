"""Statistical disclosure control for tables that leave the program.

Two rules from DOMAIN.md, applied before anything is published:

- **Primary suppression.** A share is not shown on a base ``n`` under
  ``min_n`` (10 by default): :func:`suppress_shares`. A count table shows no
  cell with fewer than ``k`` respondents (5 by default, never below
  Danmarks Statistik's floor of 3): :func:`suppress_counts`.
- **Secondary suppression.** When a count table is published with row and
  column totals, a hidden cell must not be recoverable by subtraction. Every
  row and column (the total row and column included) that holds a hidden cell
  gets a second one, the smallest non-zero cell still shown, until no line
  holds exactly one hidden cell; a hidden cell that could still be solved from
  several lines together (a "bridge" of the hidden pattern) gets the cheapest
  cycle of further cells hidden with it.

Every suppressed value comes with a reason: ``"n < 10"``, ``"celle < 5"``
(numbers follow the thresholds used) or ``"sekundær"``.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

__all__ = [
    "DST_MIN_K",
    "REASON_SECONDARY",
    "check_k",
    "suppress_counts",
    "suppress_shares",
]

#: Danmarks Statistik's floor for the minimum cell count.
DST_MIN_K = 3

#: Reason given for a cell hidden only to protect another one.
REASON_SECONDARY = "sekundær"


def check_k(k):
    """Validate the minimum cell count ``k`` of the threshold rule.

    Parameters
    ----------
    k : int
        Smallest number of respondents a published cell may hold. It may be
        raised above the default 5 but never set below Danmarks Statistik's
        floor of 3.

    Returns
    -------
    int
        ``k`` as a Python int.

    Raises
    ------
    ValueError
        If ``k`` is not an integer or is below 3.

    References
    ----------
    .. [1] Hundepool A, Domingo-Ferrer J, Franconi L, Giessing S, Nordholt ES,
       Spicer K, de Wolf PP (2012). Statistical Disclosure Control. Wiley
       (the threshold rule for frequency tables).
    .. [2] DOMAIN.md, "Statistical disclosure control": k = 5 by default, never
       below Danmarks Statistik's floor of 3.

    Examples
    --------
    >>> from analysis.disclosure import check_k
    >>> check_k(5)
    5
    >>> check_k(2)
    Traceback (most recent call last):
    ...
    ValueError: k must be at least 3 (Danmarks Statistik's floor), got 2
    """
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k must be an integer, got {k!r}")
    if k < DST_MIN_K:
        raise ValueError(f"k must be at least {DST_MIN_K} (Danmarks Statistik's floor), got {k}")
    return int(k)


def _check_min_n(min_n) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, numbers.Integral) or min_n < 1:
        raise ValueError(f"min_n must be a positive integer, got {min_n!r}")
    return int(min_n)


def suppress_shares(frame, *, n="n", min_n=10, columns=("p", "se", "ci_low", "ci_high")):
    """Hide shares whose base is too small (primary suppression).

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per share, for instance the result of ``analysis.estimate``.
    n : str, default "n"
        Column holding the base (number of respondents behind the share). A
        missing base counts as too small.
    min_n : int, default 10
        Smallest base on which a share may be shown.
    columns : sequence of str, default ("p", "se", "ci_low", "ci_high")
        Columns set to missing on a suppressed row. The base itself stays
        visible so the reader sees why the share is missing.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``columns`` set to missing where
        ``frame[n] < min_n``, a boolean column ``suppressed`` (combined with
        an existing ``suppressed`` column by "or") and a column ``reason``
        (``"n < 10"`` for the rows suppressed here; an existing reason is kept
        on the other rows; missing where nothing is suppressed).

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame, a named column is missing, the base
        column is not numeric or ``min_n`` is not a positive integer.

    References
    ----------
    .. [1] Hundepool A, Domingo-Ferrer J, Franconi L, Giessing S, Nordholt ES,
       Spicer K, de Wolf PP (2012). Statistical Disclosure Control. Wiley.
    .. [2] DOMAIN.md, "Statistical disclosure control": break results down by
       subgroup only when the subgroup has at least 10 respondents.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.disclosure import suppress_shares
    >>> table = pd.DataFrame({"area": ["A", "B"], "n": [120, 7],
    ...                       "p": [0.881, 0.571], "ci_low": [0.81, 0.25],
    ...                       "ci_high": [0.93, 0.84]})
    >>> out = suppress_shares(table, columns=("p", "ci_low", "ci_high"))
    >>> out[["area", "n", "p", "suppressed", "reason"]]
      area    n      p  suppressed  reason
    0    A  120  0.881       False    <NA>
    1    B    7    NaN        True  n < 10
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    min_n = _check_min_n(min_n)
    if isinstance(columns, str):
        columns = (columns,)
    missing = [name for name in (n, *columns) if name not in frame.columns]
    if missing:
        raise ValueError(
            f"unknown column(s) {', '.join(map(repr, missing))}; "
            f"the frame has {', '.join(map(str, frame.columns))}"
        )
    base = frame[n]
    if not pd.api.types.is_numeric_dtype(base):
        raise ValueError(f"column {n!r} must hold numbers (the base n), got dtype {base.dtype}")
    small = ((base < min_n) | base.isna()).fillna(True).astype(bool)
    result = frame.copy()
    for name in columns:
        result[name] = result[name].mask(small)
    if "suppressed" in result.columns:
        result["suppressed"] = result["suppressed"].fillna(False).astype(bool) | small
    else:
        result["suppressed"] = small
    reason = pd.Series(pd.NA, index=result.index, dtype="string")
    if "reason" in result.columns:
        reason = result["reason"].astype("string")
    result["reason"] = reason.mask(small, f"n < {min_n}")
    return result


# ----------------------------------------------------------------------------
# count tables


def _count_values(table) -> np.ndarray:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    if table.empty:
        raise ValueError("table is empty")
    if table.isna().any().any():
        row, column = np.argwhere(table.isna().to_numpy())[0]
        raise ValueError(
            f"table has a missing count at row {table.index[row]!r}, "
            f"column {table.columns[column]!r}"
        )
    try:
        values = table.to_numpy(dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError("table must hold counts (numbers)") from error
    bad = (values < 0) | (values != np.round(values))
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise ValueError(
            f"counts must be non-negative integers; row {table.index[row]!r}, "
            f"column {table.columns[column]!r} holds {values[row, column]:g}"
        )
    return values.astype(np.int64)


def _check_margins(table: pd.DataFrame, values: np.ndarray) -> None:
    if values.shape[0] < 2 or values.shape[1] < 2:
        raise ValueError("a table with totals needs at least one row and one column besides them")
    inner = values[:-1, :-1]
    row_sums = inner.sum(axis=1)
    wrong = np.flatnonzero(row_sums != values[:-1, -1])
    if wrong.size:
        i = wrong[0]
        raise ValueError(
            f"row {table.index[i]!r}: the total column {table.columns[-1]!r} holds "
            f"{values[i, -1]} but the cells sum to {row_sums[i]}"
        )
    column_sums = values[:-1, :].sum(axis=0)
    wrong = np.flatnonzero(column_sums != values[-1, :])
    if wrong.size:
        j = wrong[0]
        raise ValueError(
            f"column {table.columns[j]!r}: the total row {table.index[-1]!r} holds "
            f"{values[-1, j]} but the cells sum to {column_sums[j]}"
        )


def _lines(shape: tuple[int, int]):
    """Every row and every column of the table as arrays of flat cell indices."""
    rows, columns = shape
    flat = np.arange(rows * columns).reshape(shape)
    return [flat[i, :] for i in range(rows)] + [flat[:, j] for j in range(columns)]


def _cheapest_visible(cells: np.ndarray, values: np.ndarray, hidden: np.ndarray) -> int | None:
    """The visible cell with the smallest positive count among ``cells``."""
    candidates = cells[(~hidden[cells]) & (values[cells] > 0)]
    if candidates.size == 0:
        return None
    return int(candidates[np.argmin(values[candidates])])


def _complete_lines(values: np.ndarray, hidden: np.ndarray, lines) -> bool:
    """Hide a partner in every line holding exactly one hidden cell; True if anything changed."""
    changed = False
    stable = False
    while not stable:
        stable = True
        for cells in lines:
            if hidden[cells].sum() == 1:
                partner = _cheapest_visible(cells, values, hidden)
                if partner is not None:
                    hidden[partner] = True
                    changed = True
                    stable = False
    return changed


def _graph(cells: np.ndarray, shape: tuple[int, int], weights: np.ndarray) -> csr_matrix:
    """Bipartite graph: row nodes 0..r-1, column nodes r..r+c-1, one edge per cell."""
    rows, columns = shape
    size = rows + columns
    row_nodes, column_nodes = np.divmod(cells, columns)
    column_nodes = column_nodes + rows
    matrix = csr_matrix(
        (
            np.concatenate([weights, weights]),
            (np.concatenate([row_nodes, column_nodes]), np.concatenate([column_nodes, row_nodes])),
        ),
        shape=(size, size),
    )
    return matrix


def _is_bridge(cell: int, hidden_cells: np.ndarray, shape: tuple[int, int]) -> bool:
    """True if the hidden ``cell`` lies on no cycle of hidden cells (it is recoverable)."""
    others = hidden_cells[hidden_cells != cell]
    graph = _graph(others, shape, np.ones(others.size))
    _, labels = connected_components(graph, directed=False)
    row, column = divmod(cell, shape[1])
    return labels[row] != labels[shape[0] + column]


def _close_cycle(cell: int, values: np.ndarray, hidden: np.ndarray, shape) -> None:
    """Hide the cheapest path of cells that puts ``cell`` on a cycle of hidden cells."""
    usable = np.flatnonzero((values > 0) & (np.arange(values.size) != cell))
    # hidden cells cost (almost) nothing, visible ones their count
    weights = np.where(hidden[usable], 1e-9, values[usable].astype(float))
    graph = _graph(usable, shape, weights)
    row, column = divmod(cell, shape[1])
    _, predecessors = dijkstra(graph, directed=False, indices=row, return_predecessors=True)
    node = shape[0] + column
    if predecessors[node] < 0:
        return  # no other route: the line totals are zero apart from this cell
    lookup = {}
    for flat in usable:
        i, j = divmod(int(flat), shape[1])
        lookup[(i, shape[0] + j)] = lookup[(shape[0] + j, i)] = int(flat)
    while node != row:
        previous = predecessors[node]
        hidden[lookup[(previous, node)]] = True
        node = previous


def _secondary(values: np.ndarray, primary: np.ndarray) -> np.ndarray:
    """Secondary suppression on a table whose last row and column are totals.

    With the total row and column treated as ordinary lines, every row and
    column of the extended table obeys "total = sum of the other cells". A
    hidden cell is exactly recoverable from the published cells if and only if
    it is a bridge of the bipartite graph whose edges are the hidden cells
    (rows and columns as nodes); hidden counts are positive, so a cycle lets
    every cell on it move up and down.
    """
    shape = values.shape
    flat_values = values.ravel()
    hidden = primary.ravel().copy()
    lines = _lines(shape)
    while True:
        _complete_lines(flat_values, hidden, lines)
        hidden_cells = np.flatnonzero(hidden)
        bridges = [cell for cell in hidden_cells if _is_bridge(int(cell), hidden_cells, shape)]
        if not bridges:
            return hidden.reshape(shape)
        before = hidden.sum()
        _close_cycle(int(bridges[0]), flat_values, hidden, shape)
        if hidden.sum() == before:
            return hidden.reshape(shape)


def suppress_counts(table, *, k=5, totals=True, min_n=None):
    """Primary and secondary suppression of a two-way count table.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts of respondents, non-negative integers. With ``totals=True``
        its last row and last column are the totals (as
        ``pandas.crosstab(..., margins=True)`` makes them) and must equal the
        sums of the other cells.
    k : int, default 5
        Smallest count that may be shown; see :func:`check_k` (never below 3).
    totals : bool, default True
        Whether the table is published with its totals. Only then can a
        hidden cell be recovered by subtraction, so only then is secondary
        suppression applied. Without totals only primary suppression is done.
    min_n : int, optional
        When given, a row (group) whose base is under ``min_n`` shows none of
        its counts: every non-zero cell of the row is hidden as primary with
        reason ``"n < 10"`` (with the ``min_n`` used); the base itself (the
        row's total) stays visible unless it is under ``k``. The base is the
        total column with ``totals=True``, else the row sum.

    Returns
    -------
    table : pandas.DataFrame
        The counts as nullable integers (``Int64``) with hidden cells set to
        ``<NA>``; same index and columns.
    mask : pandas.DataFrame
        Boolean, True where a cell is hidden.
    reasons : pandas.DataFrame
        ``"celle < 5"`` (with the ``k`` used) for primary suppression of a
        small count, ``"n < 10"`` for a cell of a row with too small a base,
        ``"sekundær"`` for secondary suppression, ``<NA>`` for shown cells.

    Raises
    ------
    ValueError
        For ``k`` below 3, ``min_n`` not a positive integer, a table that is
        not a DataFrame of non-negative integer counts, or totals that do not
        add up (naming the row or column).

    Notes
    -----
    Primary suppression hides every cell, totals included, with
    ``0 < count < k``. Zero cells stay visible: they describe nobody. For
    secondary suppression, each row and each column (the total row and
    column too) that holds exactly one hidden cell gets its smallest positive
    visible cell hidden as well, repeated until stable. Lines with two hidden
    cells can still give a cell away in combination (a hidden cell that is a
    bridge between two otherwise separate groups of hidden cells); such a
    cell is put on a cycle by hiding the cheapest path of further cells
    (Dijkstra on the counts). Afterwards no hidden cell is determined by the
    published cells and totals: each lies on a cycle of positive hidden cells
    along which the counts can be shifted up or down by one.

    This protects one table. Tables derived from the same data (another
    cross-tabulation, a different grouping) must be suppressed consistently;
    publish margins from one table, not several.

    References
    ----------
    .. [1] Hundepool A, Domingo-Ferrer J, Franconi L, Giessing S, Nordholt ES,
       Spicer K, de Wolf PP (2012). Statistical Disclosure Control. Wiley
       (frequency tables: threshold rule, primary and secondary suppression,
       and the audit of a suppression pattern by linear programming).
    .. [2] DOMAIN.md, "Statistical disclosure control": no cell under 5
       respondents (k never below Danmarks Statistik's floor of 3), with
       secondary suppression where a hidden cell could be recovered from totals.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.disclosure import suppress_counts
    >>> counts = pd.DataFrame(
    ...     {"Tilfreds": [40, 3, 25], "Utilfreds": [12, 9, 6]},
    ...     index=["Glarbjergvej", "Gl. Jennumparken", "Vangdalen"])
    >>> counts["I alt"] = counts.sum(axis=1)
    >>> counts.loc["I alt"] = counts.sum()
    >>> shown, mask, reasons = suppress_counts(counts)
    >>> shown
                      Tilfreds  Utilfreds  I alt
    Glarbjergvej            40         12     52
    Gl. Jennumparken      <NA>       <NA>     12
    Vangdalen             <NA>       <NA>     31
    I alt                   68         27     95
    >>> reasons.loc["Gl. Jennumparken", "Tilfreds"]
    'celle < 5'
    >>> reasons.loc["Vangdalen", "Utilfreds"]
    'sekundær'
    """
    k = check_k(k)
    if not isinstance(totals, bool):
        raise ValueError(f"totals must be True or False, got {totals!r}")
    values = _count_values(table)
    if totals:
        _check_margins(table, values)
    small_count = (values > 0) & (values < k)
    small_base = np.zeros_like(small_count)
    if min_n is not None:
        min_n = _check_min_n(min_n)
        base = values[:, -1] if totals else values.sum(axis=1)
        cells = slice(None, -1) if totals else slice(None)
        small_base[base < min_n, cells] = values[base < min_n, cells] > 0
    primary = small_count | small_base
    hidden = _secondary(values, primary) if totals else primary
    mask = pd.DataFrame(hidden, index=table.index, columns=table.columns)
    reason = np.where(hidden, REASON_SECONDARY, None)
    reason = np.where(small_base, f"n < {min_n}", reason)
    reason = np.where(small_count, f"celle < {k}", reason)
    reasons = pd.DataFrame(reason, index=table.index, columns=table.columns).astype("string")
    shown = pd.DataFrame(values, index=table.index, columns=table.columns).astype("Int64")
    shown = shown.mask(mask)
    return shown, mask, reasons
