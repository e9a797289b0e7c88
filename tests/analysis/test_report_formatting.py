"""Danish and English number formatting (analysis.formatting)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.formatting import (  # noqa: E402
    MISSING,
    format_ci,
    format_int,
    format_n,
    format_number,
    format_pct,
    format_pp,
    int_formatter,
    percent_formatter,
    pp_formatter,
)

NBSP = "\u00a0"


def test_percent_danish_uses_comma_and_non_breaking_space():
    assert format_pct(0.881) == f"88,1{NBSP}%"
    assert format_pct(0.051, lang="da") == f"5,1{NBSP}%"
    assert format_pct(0.5, digits=0) == f"50{NBSP}%"


def test_percent_english():
    assert format_pct(0.881, lang="en") == "88.1%"


def test_percentage_points():
    assert format_pp(0.056) == "5,6 procentpoint"
    assert format_pp(-0.035) == "\u22123,5 procentpoint"
    assert format_pp(0.061, signed=True) == "+6,1 procentpoint"
    assert format_pp(0.056, lang="en") == "5.6 percentage points"


def test_percentage_points_never_negative_zero():
    assert format_pp(-0.0001, signed=True) == "0,0 procentpoint"


def test_confidence_interval():
    assert format_ci(0.852, 0.905) == f"95{NBSP}%-KI: 85,2–90,5"
    assert format_ci(0.852, 0.905, lang="en") == "95% CI: 85.2–90.5"
    assert format_ci(0.852, 0.905, label=False) == "85,2–90,5"
    assert format_ci(-0.012, 0.034, label=False) == "\u22121,2 til 3,4"
    assert format_ci(-0.216, -0.1, lang="en") == "95% CI: \u221221.6 to \u221210.0"


def test_integers_and_bases():
    assert format_int(3478) == "3.478"
    assert format_int(3478, lang="en") == "3,478"
    assert format_int(np.int64(1234567)) == "1.234.567"
    assert format_n(1234) == f"n{NBSP}={NBSP}1.234"
    assert format_number(1234.56) == "1.234,6"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, np.nan])
def test_missing_values_show_a_dash(missing):
    assert format_pct(missing) == MISSING
    assert format_int(missing) == MISSING
    assert format_pp(missing) == MISSING
    assert format_ci(missing, 0.5, label=False) == MISSING


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="unknown report language 'de'"):
        format_pct(0.5, lang="de")
    with pytest.raises(TypeError, match="value must be a number"):
        format_pct("0.5")
    with pytest.raises(ValueError, match="digits"):
        format_pct(0.5, digits=-1)
    with pytest.raises(ValueError, match="level"):
        format_ci(0.1, 0.2, level=95)


def test_tick_formatters_use_the_same_functions():
    fig, ax = plt.subplots()
    try:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(percent_formatter())
        fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert f"40{NBSP}%" in labels
        assert all(NBSP + "%" in label for label in labels)
    finally:
        plt.close(fig)
    assert pp_formatter()(0.05, 0) == "+5"
    assert pp_formatter()(-0.05, 0) == "\u22125"
    assert pp_formatter(digits=1)(-0.0001, 0) == "0,0"
    assert int_formatter()(12000, 0) == "12.000"
    assert percent_formatter(lang="en", digits=1)(0.25, 0) == "25.0%"


def test_negative_numbers_use_the_true_minus_sign():
    from analysis.formatting import format_number, format_pct

    for text in (format_pp(-0.05, signed=True), format_pct(-0.1), format_number(-3.2),
                 pp_formatter()(-0.1, 0)):
        assert text.startswith("\u2212") and "-" not in text


def test_scale_colours_differ_in_greyscale():
    import itertools

    from matplotlib.colors import to_rgb

    from analysis.charts import SCALE_COLOURS

    greys = [sum(w * c for w, c in zip((0.299, 0.587, 0.114), to_rgb(h), strict=True)) * 255
             for h in SCALE_COLOURS]
    assert min(abs(a - b) for a, b in itertools.combinations(greys, 2)) >= 35
