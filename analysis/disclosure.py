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

- **Consistency across tables.** Every table made from the same data must
  hide the same things, or one table gives away what another hides (a share
  times its base, a total minus the shown areas, one total minus another).
  :func:`plan_suppression` plans it once for all tables of a data set and
  returns a :class:`DisclosurePlan` that each table then follows.

Every suppressed value comes with a reason: ``"n < 10"``, ``"celle < 5"``
(numbers follow the thresholds used) or ``"sekundær"``.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

__all__ = [
    "DST_MIN_K",
    "REASON_SECONDARY",
    "DisclosurePlan",
    "check_k",
    "plan_suppression",
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


def _given_primary(primary, table: pd.DataFrame) -> np.ndarray:
    """The caller's extra primary cells as a boolean array shaped like ``table``."""
    if primary is None:
        return np.zeros(table.shape, dtype=bool)
    if isinstance(primary, pd.DataFrame):
        if not (primary.index.equals(table.index) and primary.columns.equals(table.columns)):
            raise ValueError("primary must have the same index and columns as table")
        primary = primary.to_numpy()
    mask = np.asarray(primary)
    if mask.shape != table.shape:
        raise ValueError(f"primary has shape {mask.shape}, table has shape {table.shape}")
    if mask.dtype != bool:
        raise ValueError(f"primary must hold True/False, got dtype {mask.dtype}")
    return mask.copy()


def suppress_counts(table, *, k=5, totals=True, min_n=None, primary=None):
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
    primary : pandas.DataFrame or array-like of bool, optional
        Further cells to hide from the start, with the shape of ``table``
        (a DataFrame must have its index and columns): typically cells hidden
        in another table made from the same data (see
        :class:`DisclosurePlan`). They get reason ``"sekundær"`` unless a rule
        of their own applies, and secondary suppression protects them too.

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
    cross-tabulation, a share of some of the categories, a second total) must
    be suppressed consistently: plan them together with
    :func:`plan_suppression`, or pass the cells hidden elsewhere as ``primary``.

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
    given = _given_primary(primary, table)
    primary = small_count | small_base | given
    hidden = _secondary(values, primary) if totals else primary
    mask = pd.DataFrame(hidden, index=table.index, columns=table.columns)
    reason = np.where(hidden, REASON_SECONDARY, None)
    reason = np.where(small_base, f"n < {min_n}", reason)
    reason = np.where(small_count, f"celle < {k}", reason)
    reasons = pd.DataFrame(reason, index=table.index, columns=table.columns).astype("string")
    shown = pd.DataFrame(values, index=table.index, columns=table.columns).astype("Int64")
    shown = shown.mask(mask)
    return shown, mask, reasons


# ----------------------------------------------------------------------------
# one plan for every table made from the same data


_ANY = object()


def view_key(view) -> object:
    """A hashable key of a view (None, or a mapping of column to categories)."""
    if view is None:
        return None
    return tuple(sorted((str(column), tuple(sorted(str(m) for m in (
        [members] if isinstance(members, str) else members)))) for column, members in
        view.items()))


@dataclass(frozen=True)
class DisclosurePlan:
    """Which groups, bases and totals are hidden in every table made from one data set.

    Made by :func:`plan_suppression`; a report builds one plan per wave before
    it writes anything and hides exactly what the plan says in every table,
    chart and sentence, so a value hidden in one table cannot be worked out
    from another (a share times its base, a total minus the shown groups, one
    total minus another).

    Attributes
    ----------
    k, min_n : int
        The thresholds used.
    groups : dict of str to frozenset
        For each item (question), the groups whose counts and shares are hidden.
    totals : dict of str to frozenset
        For each item, the names of the totals (see ``totals`` of
        :func:`plan_suppression`) whose counts, shares and base are hidden.
    bases : frozenset
        Groups whose base (number of respondents) is hidden in every table.
    reasons : dict
        ``(item, group)`` or ``(item, total name)`` to ``"n < 10"``,
        ``"celle < 5"`` or ``"sekundær"``.
    view_groups : dict
        ``(item, view key)`` to the groups hidden in that view (a share, a
        distribution): a group hidden in the distribution because one answer
        is rare keeps its share when the share gives nothing away.
    """

    k: int
    min_n: int
    groups: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)
    bases: frozenset = frozenset()
    reasons: dict = field(default_factory=dict)
    view_groups: dict = field(default_factory=dict)

    def hides(self, item: str, group, view=_ANY) -> bool:
        """True if the counts and shares of ``group`` for ``item`` are hidden.

        With ``view`` (as given to :func:`plan_suppression`: None or a mapping),
        whether they are hidden in that view; without it, in any view.
        """
        if view is not _ANY:
            key = (item, view_key(view))
            if key in self.view_groups:
                return str(group) in self.view_groups[key]
        return str(group) in self.groups.get(item, frozenset())

    def hides_total(self, item: str, total: str) -> bool:
        """True if the total named ``total`` of ``item`` is hidden (with its base)."""
        return total in self.totals.get(item, frozenset())

    def hides_base(self, group) -> bool:
        """True if the base of ``group`` is hidden in every table."""
        return str(group) in self.bases

    def reason(self, item: str, key, view=_ANY) -> object:
        """Why a group or total of ``item`` is hidden, ``<NA>`` when it is shown."""
        if view is not _ANY and (item, str(key), view_key(view)) in self.reasons:
            return self.reasons[(item, str(key), view_key(view))]
        return self.reasons.get((item, str(key)), pd.NA)


def _total_chain(totals: Mapping[str, frozenset], groups: frozenset) -> list[tuple[str, frozenset]]:
    chain = sorted(totals.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    for (name, members), (inner, inner_members) in zip(chain, chain[1:], strict=False):
        if not inner_members <= members:
            raise ValueError(
                f"totals must be nested: {inner!r} has groups outside {name!r} "
                f"({', '.join(sorted(inner_members - members))})"
            )
    unknown = set().union(*totals.values()) - groups if totals else set()
    if unknown:
        raise ValueError(f"totals name groups without data: {', '.join(sorted(unknown))}")
    return chain


def _atoms(chain, hidden: frozenset, groups: frozenset):
    """Blocks of groups whose sum is published, each with the total to hide for it.

    With visible totals S0 ⊃ S1 ⊃ ... the published sums are those of the
    blocks S0 - S1, S1 - S2, ..., and the last S; groups outside S0 form a
    block without a total (``None``). The third element is True when the
    block's sum is a published total itself rather than a difference of two.
    """
    visible = [(name, members) for name, members in chain if name not in hidden]
    blocks = []
    for i, (name, members) in enumerate(visible):
        inner = visible[i + 1] if i + 1 < len(visible) else None
        rows = members - inner[1] if inner else members
        # hiding the smaller total merges this block into the next one
        blocks.append((rows, inner[0] if inner else name, inner is None))
    outside = groups - (visible[0][1] if visible else frozenset())
    if outside:
        blocks.append((outside, None, False))
    return [block for block in blocks if block[0]]


def _check_counts(item: str, counts) -> pd.DataFrame:
    if not isinstance(counts, pd.DataFrame):
        raise ValueError(
            f"item {item!r}: the counts must be a DataFrame, got {type(counts).__name__}"
        )
    values = _count_values(counts)
    frame = pd.DataFrame(
        values, index=[str(g) for g in counts.index], columns=[str(c) for c in counts.columns]
    )
    return frame[frame.sum(axis=1) > 0]


def _view_matrix(item: str, view, categories: list[str]) -> np.ndarray:
    """Categories x view columns: which categories each published column adds up."""
    if view is None:
        return np.eye(len(categories))
    if not isinstance(view, Mapping) or not view:
        raise ValueError(
            f"item {item!r}: a view is None (the counts themselves) or a mapping of "
            f"column to categories, got {view!r}"
        )
    matrix = np.zeros((len(categories), len(view)))
    for j, members in enumerate(view.values()):
        members = [members] if isinstance(members, str) else [str(m) for m in members]
        unknown = sorted(set(members) - set(categories))
        if unknown:
            raise ValueError(f"item {item!r}: unknown categories {unknown} in view {view!r}")
        matrix[[categories.index(m) for m in members], j] = 1.0
    return matrix


@dataclass
class _Item:
    """One item's counts, its published views and what of it is sensitive."""

    counts: pd.DataFrame
    views: list[np.ndarray]
    sensitive: list[tuple[np.ndarray, str, object, int]] = field(default_factory=list)

    @property
    def groups(self) -> list[str]:
        return list(self.counts.index)

    def cell(self, group: str, column: np.ndarray) -> np.ndarray:
        """The functional of one group's view column over the flat fine cells."""
        vector = np.zeros(self.counts.shape)
        vector[self.groups.index(group), :] = column
        return vector.ravel()

    def block_sum(self, members, column: np.ndarray) -> np.ndarray:
        vector = np.zeros(self.counts.shape)
        rows = [i for i, g in enumerate(self.groups) if g in members]
        vector[rows, :] = column
        return vector.ravel()


def _published(item: _Item, hidden, hidden_totals, bases, chain) -> np.ndarray:
    """Every published count of an item as a linear functional of its fine cells."""
    rows = []
    visible_totals = [members for name, members in chain if name not in hidden_totals]
    for index, matrix in enumerate(item.views):
        columns = [matrix[:, j] for j in range(matrix.shape[1])]
        base = matrix.sum(axis=1)
        for group in item.groups:
            if group not in hidden[index]:
                rows += [item.cell(group, c) for c in columns]
            if group not in bases:
                rows.append(item.cell(group, base))
        for members in visible_totals:
            rows += [item.block_sum(members, c) for c in [*columns, base]]
    equations = np.array(rows) if rows else np.zeros((0, item.counts.size))
    # a published count of 0 says that every cell in it is 0
    truth = item.counts.to_numpy().ravel()
    zero = (equations @ truth == 0) & (equations >= 0).all(axis=1)
    known_zero = np.flatnonzero(equations[zero].any(axis=0))
    return np.vstack([equations, np.eye(item.counts.size)[known_zero]])


def _row_space(equations: np.ndarray) -> np.ndarray | None:
    """An orthonormal basis of the equations' row space (None when there are none)."""
    if equations.shape[0] == 0:
        return None
    _u, s, vt = np.linalg.svd(equations, full_matrices=False)
    return vt[s > 1e-9 * max(s.max(), 1.0)]


def _determined(equations: np.ndarray, vector: np.ndarray, basis=None) -> bool:
    """True if ``vector`` (a count) follows exactly from the published ``equations``.

    ``basis`` is the row space of ``equations`` when already computed (:func:`_row_space`).
    """
    if basis is None:
        basis = _row_space(equations)
    if basis is None:
        return False
    residual = vector - basis.T @ (basis @ vector)
    return bool(np.abs(residual).max() < 1e-7)


def _sensitive(item: _Item, chain, k: int, min_n: int) -> dict:
    """Primary suppression of one item: hidden groups (per view), bases, totals, reasons."""
    groups = [set() for _view in item.views]
    bases, totals, reasons = set(), set(), {}
    truth = item.counts.to_numpy().ravel()

    def add(vector, kind, owner, index):
        if 0 < vector @ truth < k or kind == "row":
            item.sensitive.append((vector, "cell" if kind == "row" else kind, owner, index))

    for index, matrix in enumerate(item.views):
        base = matrix.sum(axis=1)
        columns = [matrix[:, j] for j in range(matrix.shape[1])]
        for group, values in zip(item.groups, item.counts.to_numpy(), strict=True):
            n = values @ base
            cells = values @ matrix
            if n < min_n:
                reasons[(group, index)] = f"n < {min_n}"
                groups[index].add(group)
                for column, value in zip(columns, cells, strict=True):
                    if value > 0:
                        add(item.cell(group, column), "row", group, index)
            elif ((cells > 0) & (cells < k)).any():
                reasons.setdefault((group, index), f"celle < {k}")
                groups[index].add(group)
                for column in columns:
                    add(item.cell(group, column), "cell", group, index)
            if 0 < n < k:
                bases.add(group)
                add(item.cell(group, base), "base", group, index)
        for rows, total, own in _atoms(chain, frozenset(), frozenset(item.groups)):
            sums = [item.block_sum(rows, c) for c in [*columns, base]]
            if total is not None and any(0 < v @ truth < k for v in sums):
                totals.add(total)
                reasons.setdefault(total, f"celle < {k}" if own else REASON_SECONDARY)
                for vector in sums:
                    add(vector, "total", total, index)
    return {"groups": groups, "bases": bases, "totals": totals, "reasons": reasons}


def plan_suppression(counts, *, views=None, totals=None, k=5, min_n=10):
    """Plan disclosure control once for every table made from one data set.

    Parameters
    ----------
    counts : mapping of str to pandas.DataFrame
        For each item (a question), its counts: rows are groups (areas),
        columns answer categories (codes), no totals.
    views : mapping of str to sequence, optional
        What is published of each item, as a list of views: ``None`` for the
        counts themselves (an answer distribution), or a mapping of published
        column to the categories it adds up, e.g. ``{"yes": ["1", "2"],
        "no": ["3", "4", "5"]}`` behind a share. Each view is published per
        group with the group's base (the sum of its columns) and per total.
        Default: every item's counts themselves.
    totals : mapping of str to collection, optional
        Named sets of groups over which totals are published, e.g.
        ``{"all": all areas, "common": areas in both waves}``; they must be
        nested. Default: one total ``"all"`` over every group.
    k : int, default 5
        Smallest count shown (:func:`check_k`).
    min_n : int, default 10
        Smallest base on which a group's counts and shares are shown.

    Returns
    -------
    DisclosurePlan
        What every table made from the data must hide.

    Raises
    ------
    ValueError
        Bad thresholds, counts that are not counts, a view naming unknown
        categories, or totals that are not nested or name groups without data.

    Notes
    -----
    The plan hides whole rows: a group's counts and shares of an item in
    every view, a group's base in every item, or a total of an item.

    *Primary* (sensitive) values: every count of a group whose base in a view
    is under ``min_n`` (reason ``"n < 10"``), a count ``0 < count < k`` in a
    group (``"celle < 5"``) or in a total, also in the difference of two
    totals (the areas outside the common ones), and a base under ``k``.

    *Audit.* Every count still published (each shown group's cells and
    base in every view, each shown total, and zero for every cell inside a
    published zero) is a linear equation in the item's fine cells. A
    sensitive value is recoverable exactly when its functional lies in the
    row space of those equations (checked with an SVD). While one is
    recoverable, the smallest shown group of its block (the groups whose sum
    is published: all areas, or with a common-areas total the common and the
    other areas) is hidden too; with none left its base, and then the
    smaller total, which merges the block with the next. Values hidden only
    to protect others may themselves be recoverable; that gives nothing away.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.disclosure import plan_suppression
    >>> counts = pd.DataFrame({"yes": [80, 60, 6], "no": [20, 15, 1]},
    ...                       index=["glarbjergvej", "jennumparken", "vangdalen"])
    >>> plan = plan_suppression({"tilfreds": counts})
    >>> sorted(plan.groups["tilfreds"])
    ['jennumparken', 'vangdalen']
    >>> plan.reason("tilfreds", "vangdalen"), plan.reason("tilfreds", "jennumparken")
    ('n < 10', 'sekundær')
    """
    k = check_k(k)
    min_n = _check_min_n(min_n)
    if not isinstance(counts, Mapping) or not counts:
        raise ValueError("counts must be a non-empty mapping of item to a count table")
    views = dict(views or {})
    unknown = sorted(set(views) - set(counts))
    if unknown:
        raise ValueError(f"views name items without counts: {', '.join(unknown)}")
    items, views_given = {}, {}
    for name, table in counts.items():
        frame = _check_counts(name, table)
        categories = list(frame.columns)
        item_views = views.get(name, [None])
        if item_views is None or isinstance(item_views, Mapping):
            item_views = [item_views]
        items[name] = _Item(frame, [_view_matrix(name, v, categories) for v in item_views])
        views_given[name] = list(item_views)
    groups = frozenset(g for item in items.values() for g in item.groups)
    if totals is None:
        totals = {"all": groups}
    totals = {str(name): frozenset(str(g) for g in members) for name, members in totals.items()}
    chain = _total_chain(totals, groups)

    hidden, hidden_totals, reasons, bases = {}, {}, {}, set()
    for name, item in items.items():
        primary = _sensitive(item, chain, k, min_n)
        hidden[name], hidden_totals[name] = primary["groups"], primary["totals"]
        bases |= primary["bases"]
        for key, why in primary["reasons"].items():
            if isinstance(key, tuple):
                reasons[(name, key[0], key[1])] = why
                reasons.setdefault((name, key[0]), why)
            else:
                reasons[(name, key)] = why
    while True:
        leak = _first_leak(items, hidden, hidden_totals, bases, chain)
        if leak is None:
            break
        name, kind, owner, index = leak
        _protect(name, kind, owner, index, items[name], hidden, hidden_totals, bases, reasons,
                 chain)
    view_groups, view_reasons = {}, {}
    for name in items:
        for index, view in enumerate(views_given[name]):
            view_groups[(name, view_key(view))] = frozenset(hidden[name][index])
            for group in hidden[name][index]:
                why = reasons.get((name, group, index), REASON_SECONDARY)
                view_reasons[(name, group, view_key(view))] = why
    return DisclosurePlan(
        k=k,
        min_n=min_n,
        groups={name: frozenset().union(*g) for name, g in hidden.items()},
        totals={name: frozenset(t) for name, t in hidden_totals.items()},
        bases=frozenset(bases),
        reasons={key: why for key, why in reasons.items() if len(key) == 2} | view_reasons,
        view_groups=view_groups,
    )


def _first_leak(items, hidden, hidden_totals, bases, chain):
    """The first sensitive value some published counts give away: (item, kind, owner, view)."""
    for name, item in items.items():
        equations = _published(item, hidden[name], hidden_totals[name], bases, chain)
        basis = _row_space(equations)
        for vector, kind, owner, index in item.sensitive:
            if _determined(equations, vector, basis):
                return name, kind, owner, index
    return None


def _protect(name, kind, owner, index, item, hidden, hidden_totals, bases, reasons,
             chain) -> None:
    """Hide one more row so that the leaking value of ``owner`` (in view ``index``) is covered.

    In order: the smallest group of the owner's block shown in the views
    where the owner is hidden, the owner's own base, the block's total, any
    group shown in those views, the owner in every view, any group shown,
    then bases and totals.
    """
    blocks = _atoms(chain, frozenset(hidden_totals[name]), frozenset(item.groups))
    rows, total = frozenset(), None
    if kind == "total":
        total = owner
    else:
        rows, total, _own = next(b for b in blocks if owner in b[0])
    sizes = item.counts.sum(axis=1)

    def smallest(candidates):
        candidates = [g for g in item.groups if g in candidates]
        return min(candidates, key=lambda g: (sizes[g], g)) if candidates else None

    # the views where the owner is hidden: a partner is hidden in all of them, since the
    # owner's value may be worked out through any view that shows the partner
    owner_views = [v for v in range(len(item.views)) if owner in hidden[name][v]] or [index]

    def hide_in(views):
        def hide_group(group):
            for view in views:
                hidden[name][view].add(group)
                reasons.setdefault((name, group, view), REASON_SECONDARY)
            reasons.setdefault((name, group), REASON_SECONDARY)
        return hide_group

    def hide_total(which):
        hidden_totals[name].add(which)
        reasons.setdefault((name, which), REASON_SECONDARY)

    def shown_in(views):
        return set(item.groups) - set().union(*(hidden[name][v] for v in views))

    shown_groups = shown_in(owner_views)
    shown_bases = set(item.groups) - bases
    visible_totals = [t for t, _m in chain if t not in hidden_totals[name]]
    every = list(range(len(item.views)))
    steps = []
    if kind == "cell":
        steps += [(hide_in(owner_views), smallest(rows & shown_groups))]
        steps += [(bases.add, owner if owner in shown_bases else None)]
    elif kind == "base":
        steps += [(bases.add, smallest(rows & shown_bases))]
    steps += [(hide_total, total if total in visible_totals else None)]
    steps += [(hide_in(owner_views), smallest(shown_groups))]
    steps += [(hide_in(every), owner if owner in shown_in(every) else None)]
    steps += [(hide_in(every), smallest(shown_in(every)))]
    steps += [(bases.add, smallest(shown_bases))]
    steps += [(hide_total, visible_totals[-1] if visible_totals else None)]
    for action, target in steps:
        if target is not None:
            action(target)
            return
    raise RuntimeError(f"item {name!r}: nothing left to hide, yet {owner!r} is recoverable")
