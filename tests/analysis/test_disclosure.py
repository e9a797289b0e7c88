"""Tests of analysis.disclosure: primary and secondary suppression."""

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from analysis import disclosure
from analysis.disclosure import check_k, suppress_counts, suppress_shares


def with_totals(inner: np.ndarray) -> pd.DataFrame:
    rows, columns = inner.shape
    table = pd.DataFrame(
        inner,
        index=[f"område {i}" for i in range(rows)],
        columns=[f"svar {j}" for j in range(columns)],
    )
    table["I alt"] = table.sum(axis=1)
    table.loc["I alt"] = table.sum()
    return table


def recoverable_cells(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells whose value is fixed by the published cells and totals.

    The attacker knows every shown cell, that every row and column of the
    table (total row and column included) sums to its total, and that counts
    are non-negative. For each hidden cell the smallest and largest value
    consistent with that is found by linear programming; the constraint
    matrix of a two-way table is totally unimodular, so both are integers and
    are reached by integer tables. A cell is recoverable when they coincide.
    """
    rows, columns = values.shape
    positions = list(zip(*np.nonzero(hidden), strict=True))
    index = {cell: number for number, cell in enumerate(positions)}
    equations, right = [], []
    lines = [[(i, j) for j in range(columns)] for i in range(rows)]
    lines += [[(i, j) for i in range(rows)] for j in range(columns)]
    for line in lines:
        *inner, total = line
        coefficients = np.zeros(len(positions))
        known = 0.0
        for cell, sign in [(cell, 1.0) for cell in inner] + [(total, -1.0)]:
            if cell in index:
                coefficients[index[cell]] += sign
            else:
                known += sign * values[cell]
        if coefficients.any():
            equations.append(coefficients)
            right.append(-known)
    found = []
    for cell, number in index.items():
        objective = np.zeros(len(positions))
        objective[number] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_eq=np.array(equations),
                b_eq=np.array(right),
                bounds=[(0, None)] * len(positions),
                method="highs",
            )
            if result.status == 3:  # unbounded: the cell can grow without limit
                bounds.append(-sign * np.inf)
                continue
            assert result.status == 0, result.message
            bounds.append(sign * result.fun)
        if bounds[1] - bounds[0] < 0.5:
            found.append(cell)
    return found


def test_doctests_run():
    result = doctest.testmod(disclosure, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# ----------------------------------------------------------------------------
# check_k


@pytest.mark.parametrize("k", [3, 4, 5, 10, np.int64(5)])
def test_check_k_accepts(k):
    assert check_k(k) == int(k)


@pytest.mark.parametrize(
    "k, message",
    [
        (2, "at least 3"),
        (0, "at least 3"),
        (-5, "at least 3"),
        (4.0, "must be an integer"),
        (True, "must be an integer"),
        ("5", "must be an integer"),
    ],
)
def test_check_k_rejects(k, message):
    with pytest.raises(ValueError, match=message):
        check_k(k)


def test_suppress_counts_refuses_k_below_floor():
    with pytest.raises(ValueError, match="Danmarks Statistik"):
        suppress_counts(with_totals(np.array([[10, 20], [30, 40]])), k=2)


# ----------------------------------------------------------------------------
# suppress_shares


def shares_frame():
    return pd.DataFrame(
        {
            "area": ["Glarbjergvej", "Gl. Jennumparken", "Vangdalen", "Ukendt"],
            "n": [120, 9, 10, None],
            "p": [0.881, 0.5, 0.6, 0.7],
            "se": [0.03, 0.17, 0.15, 0.1],
            "ci_low": [0.81, 0.2, 0.3, 0.4],
            "ci_high": [0.93, 0.8, 0.85, 0.9],
        }
    )


def test_suppress_shares_hides_small_bases():
    out = suppress_shares(shares_frame())
    assert out["suppressed"].tolist() == [False, True, False, True]
    assert out["reason"].isna().tolist() == [True, False, True, False]
    assert out.loc[1, "reason"] == "n < 10"
    for column in ("p", "se", "ci_low", "ci_high"):
        assert out[column].isna().tolist() == [False, True, False, True]
    assert out.loc[1, "n"] == 9  # the base stays visible
    assert out.loc[0, "p"] == 0.881


def test_suppress_shares_does_not_change_input():
    frame = shares_frame()
    before = frame.copy()
    suppress_shares(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_suppress_shares_threshold_and_columns():
    out = suppress_shares(shares_frame(), min_n=20, columns="p")
    assert out["suppressed"].tolist() == [False, True, True, True]
    assert set(out["reason"].dropna()) == {"n < 20"}
    assert out["se"].notna().all()


def test_suppress_shares_combines_existing_flags():
    frame = shares_frame()
    frame["suppressed"] = [True, False, False, False]
    frame["reason"] = pd.Series(["celle < 5", None, None, None], dtype="string")
    out = suppress_shares(frame)
    assert out["suppressed"].tolist() == [True, True, False, True]
    assert out["reason"].tolist()[:2] == ["celle < 5", "n < 10"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": "antal"}, "unknown column\\(s\\) 'antal'"),
        ({"columns": ("p", "ci")}, "unknown column\\(s\\) 'ci'"),
        ({"min_n": 0}, "min_n must be a positive integer"),
        ({"min_n": 9.5}, "min_n must be a positive integer"),
        ({"n": "area"}, "column 'area' must hold numbers"),
    ],
)
def test_suppress_shares_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        suppress_shares(shares_frame(), **kwargs)


def test_suppress_shares_needs_a_frame():
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        suppress_shares([1, 2, 3])


# ----------------------------------------------------------------------------
# suppress_counts


def test_primary_only_without_totals():
    table = pd.DataFrame({"a": [1, 0, 7], "b": [5, 4, 12]})
    shown, mask, reasons = suppress_counts(table, totals=False)
    assert mask.to_numpy().tolist() == [[True, False], [False, True], [False, False]]
    assert reasons.iloc[0, 0] == "celle < 5"
    assert reasons.iloc[1, 0] is pd.NA  # zero cells describe nobody
    assert shown.iloc[1, 0] == 0
    assert str(shown.dtypes.iloc[0]) == "Int64"


def test_k_threshold_used_in_reason():
    table = pd.DataFrame({"a": [3, 9], "b": [4, 12]})
    _, mask, reasons = suppress_counts(table, k=4, totals=False)
    assert mask.to_numpy().tolist() == [[True, False], [False, False]]
    assert reasons.iloc[0, 0] == "celle < 4"


def test_single_hidden_cell_gets_partners_in_both_dimensions():
    table = with_totals(np.array([[40, 12, 30], [3, 9, 20], [25, 6, 18]]))
    shown, mask, reasons = suppress_counts(table)
    assert reasons.loc["område 1", "svar 0"] == "celle < 5"
    # partner in the row: the smallest visible cell (9); in the column: 25
    assert reasons.loc["område 1", "svar 1"] == "sekundær"
    assert reasons.loc["område 2", "svar 0"] == "sekundær"
    assert recoverable_cells(table.to_numpy(), mask.to_numpy()) == []
    visible = ~mask.to_numpy()
    assert (shown.to_numpy()[visible] == table.to_numpy()[visible]).all()


def test_small_totals_are_suppressed_too():
    table = with_totals(np.array([[2, 1], [30, 40], [25, 35]]))
    _, mask, reasons = suppress_counts(table)
    assert reasons.loc["område 0", "I alt"] == "celle < 5"
    assert mask.loc["område 0"].all()
    assert recoverable_cells(table.to_numpy(), mask.to_numpy()) == []


def test_bridge_between_hidden_blocks_is_closed():
    # Two 2x2 blocks of small cells and one small cell joining them: every row
    # and column already holds two hidden cells, yet the joining cell could be
    # solved from the four block lines. The cycle step must hide more.
    inner = np.array(
        [
            [1, 2, 3, 20],
            [2, 1, 30, 25],
            [30, 40, 1, 2],
            [25, 35, 2, 1],
        ]
    )
    table = with_totals(inner)
    values = table.to_numpy()
    primary = (values > 0) & (values < 5)
    assert recoverable_cells(values, primary) == [(0, 2)]
    _, mask, reasons = suppress_counts(table)
    assert (reasons == "sekundær").fillna(False).to_numpy().sum() > 0
    assert recoverable_cells(values, mask.to_numpy()) == []


def test_rows_with_small_base_are_hidden():
    table = with_totals(np.array([[40, 12, 30], [6, 0, 2], [25, 6, 18]]))
    _, mask, reasons = suppress_counts(table, min_n=10)
    assert reasons.loc["område 1", "svar 0"] == "n < 10"
    assert reasons.loc["område 1", "svar 2"] == "celle < 5"
    assert not mask.loc["område 1", "svar 1"]  # zero
    assert not mask.loc["område 1", "I alt"]  # the base stays visible
    assert recoverable_cells(table.to_numpy(), mask.to_numpy()) == []
    _, mask, reasons = suppress_counts(table.iloc[:-1, :-1], totals=False, min_n=10)
    assert mask.loc["område 1"].tolist() == [True, False, True]
    assert reasons.loc["område 1", "svar 0"] == "n < 10"


def test_min_n_must_be_positive_integer():
    with pytest.raises(ValueError, match="min_n must be a positive integer"):
        suppress_counts(with_totals(np.array([[10, 20], [30, 40]])), min_n=0)


def test_everything_hidden_when_grand_total_is_small():
    table = with_totals(np.array([[1, 1], [0, 1]]))
    _, mask, _ = suppress_counts(table)
    values = table.to_numpy()
    assert mask.to_numpy()[values > 0].all()
    assert not mask.to_numpy()[values == 0].any()


def test_nothing_hidden_in_a_safe_table():
    table = with_totals(np.array([[10, 20], [0, 40]]))
    shown, mask, reasons = suppress_counts(table)
    assert not mask.to_numpy().any()
    assert reasons.isna().all().all()
    assert (shown.to_numpy() == table.to_numpy()).all()


@pytest.mark.parametrize(
    "table, totals, message",
    [
        (
            pd.DataFrame({"a": [1, 1], "I alt": [2, 2]}, index=["x", "I alt"]),
            True,
            "row 'x': the total column 'I alt' holds 2 but the cells sum to 1",
        ),
        (
            pd.DataFrame({"a": [5, 6, 11], "I alt": [5, 6, 12]}, index=["x", "y", "I alt"]),
            True,
            "column 'I alt': the total row 'I alt' holds 12 but the cells sum to 11",
        ),
        (pd.DataFrame({"a": [-1, 2]}), False, "non-negative integers; row 0, column 'a' holds -1"),
        (pd.DataFrame({"a": [1.5, 2]}), False, "non-negative integers"),
        (pd.DataFrame({"a": [1, None]}), False, "missing count at row 1, column 'a'"),
        (pd.DataFrame({"a": ["x", "y"]}), False, "must hold counts"),
        (pd.DataFrame(), False, "table is empty"),
        (pd.DataFrame({"I alt": [3]}), True, "at least one row and one column"),
    ],
)
def test_suppress_counts_errors(table, totals, message):
    with pytest.raises(ValueError, match=message):
        suppress_counts(table, totals=totals)


def test_suppress_counts_needs_a_frame():
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        suppress_counts(np.ones((2, 2)))


def test_totals_flag_must_be_boolean():
    with pytest.raises(ValueError, match="totals must be True or False"):
        suppress_counts(pd.DataFrame({"a": [5]}), totals="yes")


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def count_tables(draw):
    rows = draw(st.integers(2, 5))
    columns = draw(st.integers(2, 5))
    cells = draw(st.lists(counts, min_size=rows * columns, max_size=rows * columns))
    return np.array(cells).reshape(rows, columns)


@settings(max_examples=120, deadline=None)
@given(count_tables(), st.sampled_from([3, 4, 5, 6]), st.sampled_from([None, 10, 30]))
def test_no_hidden_cell_can_be_recovered(inner, k, min_n):
    table = with_totals(inner)
    values = table.to_numpy()
    shown, mask, reasons = suppress_counts(table, k=k, min_n=min_n)
    hidden = mask.to_numpy()
    # every small non-zero cell is hidden, and every cell of a small group
    assert hidden[(values > 0) & (values < k)].all()
    if min_n is not None:
        small = values[:, -1] < min_n
        assert hidden[small, :-1][values[small, :-1] > 0].all()
    # zero cells are never hidden
    assert not hidden[values == 0].any()
    # shown cells are unchanged, hidden cells are missing, reasons match
    assert (shown.to_numpy()[~hidden] == values[~hidden]).all()
    assert shown.isna().to_numpy().tolist() == hidden.tolist()
    assert reasons.notna().to_numpy().tolist() == hidden.tolist()
    # from the published cells and totals no hidden count can be pinned down
    assert recoverable_cells(values, hidden) == []


# ----------------------------------------------------------------------------
# suppress_counts(primary=...)


def test_extra_primary_cells_are_hidden_and_protected():
    table = with_totals(np.array([[40, 12, 20], [30, 9, 25], [22, 18, 30]]))
    given = pd.DataFrame(False, index=table.index, columns=table.columns)
    given.loc["område 1", "svar 1"] = True  # hidden in another table
    shown, mask, reasons = suppress_counts(table, primary=given)
    assert mask.loc["område 1", "svar 1"]
    assert reasons.loc["område 1", "svar 1"] == "sekundær"
    # no row or column holds it alone, so it cannot be recovered from the totals
    assert mask.loc["område 1"].sum() >= 2 and mask["svar 1"].sum() >= 2
    assert shown.isna().sum().sum() == mask.sum().sum()


def test_primary_accepts_an_array_and_checks_its_shape():
    table = with_totals(np.array([[40, 12], [30, 9]]))
    given = np.zeros(table.shape, dtype=bool)
    given[0, 0] = True
    _, mask, _ = suppress_counts(table, primary=given)
    assert mask.iloc[0, 0] and mask.to_numpy().sum() >= 4
    with pytest.raises(ValueError, match="shape"):
        suppress_counts(table, primary=np.zeros((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="True/False"):
        suppress_counts(table, primary=np.zeros(table.shape))
    with pytest.raises(ValueError, match="same index"):
        suppress_counts(table, primary=pd.DataFrame(given))
