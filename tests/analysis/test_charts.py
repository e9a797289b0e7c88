"""Chart functions (analysis.charts): draw what the table says, Danish ticks, suppression marked."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from analysis import charts  # noqa: E402

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def shares_table():
    return pd.DataFrame(
        {
            "label": ["Glarbjergvej-området", "Lille område", "I alt"],
            "n": pd.array([310, 7, 317], dtype="Int64"),
            "p": [0.874, np.nan, 0.871],
            "ci_low": [0.833, np.nan, 0.83],
            "ci_high": [0.906, np.nan, 0.9],
            "suppressed": [False, True, False],
        }
    )


def test_plot_shares_draws_shares_bases_and_suppression():
    fig, ax = charts.new_figure(3)
    result = charts.plot_shares(shares_table(), total_last=True, ax=ax)
    assert result is ax and isinstance(ax, Axes)
    texts = _texts(ax)
    assert f"87,4{NBSP}%" in texts and f"87,1{NBSP}%" in texts
    assert any("For få svar (n < 10)" in t for t in texts)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert f"40{NBSP}%" in ticks
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == f"Glarbjergvej-området\nn{NBSP}={NBSP}310"
    assert labels[-1].startswith("I alt") and ax.get_yticklabels()[-1].get_fontweight() == "bold"
    # Only the two shown rows get a data bar; the hidden one is a hatched marker.
    purple = [p for p in ax.patches if p.get_facecolor()[:3] == matplotlib.colors.to_rgb("#5e3c99")]
    assert sorted(round(p.get_width(), 3) for p in purple) == [0.871, 0.874]


def test_plot_shares_english_and_current_axes():
    plt.figure()
    ax = charts.plot_shares(shares_table(), lang="en")
    assert ax is plt.gca()
    assert "87.4%" in _texts(ax)
    assert any("Too few answers" in t for t in _texts(ax))


def distribution_table(hide):
    codes = ["1", "2", "3", "4", "5", "9"]
    shares = {
        "A": [0.36, 0.52, 0.05, 0.03, 0.02, 0.02],
        "I alt": [0.35, 0.5, 0.07, 0.04, 0.02, 0.02],
    }
    rows = []
    for label, values in shares.items():
        for code, share in zip(codes, values, strict=True):
            hidden = (label, code) in hide
            rows.append(
                {
                    "label": label,
                    "code": code,
                    "share": np.nan if hidden else share,
                    "n": 300,
                    "suppressed": hidden,
                }
            )
    return pd.DataFrame(rows), codes


def draw_distribution(table, codes, code_labels=None):
    """``plot_distribution`` on a new Axes, 1-2 positive, 3 neutral, 4-5 negative, 9 missing."""
    ax = plt.figure().gca()
    charts.plot_distribution(
        table,
        codes=codes,
        code_labels=code_labels or {},
        positive=["1", "2"],
        neutral=["3"],
        negative=["4", "5"],
        missing=["9"],
        ax=ax,
    )
    return ax


def test_plot_distribution_marks_hidden_cells():
    table, codes = distribution_table({("A", "5"), ("A", "9")})
    ax = draw_distribution(table, codes, {c: f"kode {c}" for c in codes})
    texts = _texts(ax)
    assert texts.count("×") == 2
    assert f"52{NBSP}%" in texts and f"36{NBSP}%" in texts
    # Negative answers lie left of zero, positive right of it.
    bars = {round(p.get_width(), 2): p.get_x() for p in ax.patches if p.get_width() > 0}
    assert bars[0.52] > 0 and bars[0.04] < 0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"kode {c}" for c in codes]
    fig = ax.figure
    fig.canvas.draw()
    assert all("%" in t.get_text() for t in ax.get_xticklabels() if t.get_text())


def test_plot_distribution_whole_group_hidden_and_bad_sides():
    table, codes = distribution_table({("A", c) for c in ["1", "2", "3", "4", "5", "9"]})
    ax = draw_distribution(table, codes)
    assert any("For få svar" in t for t in _texts(ax))
    with pytest.raises(ValueError, match="codes"):
        charts.plot_distribution(
            table, codes=codes, code_labels={}, positive=["1"], negative=["4"], ax=ax
        )


def test_plot_comparison():
    table = pd.DataFrame(
        {
            "label": ["Glarbjergvej-området", "I alt (fælles områder)"],
            "n_1": [240, 500],
            "p_1": [0.8, 0.82],
            "n_2": [310, 590],
            "p_2": [0.874, 0.886],
            "diff": [0.074, 0.066],
            "ci_low": [0.012, 0.024],
            "ci_high": [0.138, 0.109],
            "suppressed": [False, False],
        }
    )
    fig, ax = charts.new_figure(2, row_height=0.85)
    charts.plot_comparison(table, first="2012", second="2016", ax=ax)
    assert "+6,6" in _texts(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert f"2012: 82,0{NBSP}% (n{NBSP}={NBSP}500)" in labels[1]
    assert "2016 − 2012" in ax.get_xlabel()
    table.loc[0, ["diff", "ci_low", "ci_high"]] = np.nan
    table.loc[0, "suppressed"] = True
    ax = plt.figure().gca()
    charts.plot_comparison(table, ax=ax)
    assert any("For få svar" in t for t in _texts(ax))


def test_finish_figure_title_caption_and_stamp():
    fig, ax = charts.new_figure(3)
    charts.plot_shares(shares_table(), ax=ax)
    height = fig.get_size_inches()[1]
    charts.finish_figure(
        fig,
        title="87,1 % er tilfredse med at bo i området",
        question="Hvor tilfreds er du?",
        note="Base: n = 317.",
        synthetic=True,
    )
    assert fig.get_size_inches()[1] > height
    texts = [t.get_text() for t in fig.texts]
    assert "87,1 % er tilfredse med at bo i området" in texts
    assert any(t.startswith("Spørgsmål: Hvor tilfreds er du?") for t in texts)
    assert any("SYNTETISKE DEMODATA" in t for t in texts)
    charts.strip_captions(fig)
    texts = [t.get_text() for t in fig.texts]
    assert texts == [t for t in texts if "SYNTETISKE" in t] and texts


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"lacks the columns \['ci_low'"):
        charts.plot_shares(shares_table().drop(columns=["ci_low"]))
    with pytest.raises(TypeError, match="DataFrame"):
        charts.plot_comparison([1, 2, 3])


def test_inner_hidden_cell_hides_the_bar_and_reasons_are_named():
    table, codes = distribution_table({("A", "2"), ("A", "3")})
    ax = draw_distribution(table, codes)
    assert any("Delvist skjult af hensyn til diskretion" in t for t in _texts(ax))
    shares = shares_table()
    shares["reason"] = [pd.NA, "sekundær", pd.NA]
    ax = plt.figure().gca()
    charts.plot_shares(shares, ax=ax)
    assert any("Skjult af hensyn til diskretion" in t for t in _texts(ax))
    assert not any("For få svar" in t for t in _texts(ax))
