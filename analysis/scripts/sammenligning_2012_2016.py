# %% [markdown]
# # Sammenligning 2012–2016
#
# Har tilfredsheden og omdømmet ændret sig? Runderne sammenlignes kun på de
# områder, der var med i begge (Vangdalen kom først med i 2016), og ændringen
# opgives i procentpoint med 95 %-konfidensinterval (Newcombe).
#
# Data: `BEBOER_SOURCE` (database-URL), ellers appens database.
# Resultater skrives i `results/sammenligning_2012_2016/`.

# %%
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import questionnaires  # noqa: E402
from analysis import compare_waves, load_responses  # noqa: E402
from analysis.charts import finish_figure, new_figure, plot_comparison  # noqa: E402
from analysis.cli import default_source  # noqa: E402
from analysis.demo import is_synthetic  # noqa: E402
from analysis.formatting import format_ci, format_pct, format_pp  # noqa: E402
from analysis.tables import wave_comparison  # noqa: E402

SOURCE = os.environ.get("BEBOER_SOURCE") or default_source()
OUT = Path("results") / "sammenligning_2012_2016"
OUT.mkdir(parents=True, exist_ok=True)

q2012 = questionnaires.load("beboerundersoegelse-2012")
q2016 = questionnaires.load("beboerundersoegelse-2016")
data2012 = load_responses(SOURCE, q2012)
data2016 = load_responses(SOURCE, q2016)
synthetic = bool(is_synthetic(data2012["id"]).any() or is_synthetic(data2016["id"]).any())
if synthetic:
    print("OBS: syntetiske demodata – ikke rigtige svar.")

# %% Tilfredshed: alle områder (ikke sammenlignelige) og de fælles områder
alle = compare_waves(data2012, data2016, "tilfreds_omraade", ["1", "2"])
faelles = compare_waves(data2012, data2016, "tilfreds_omraade", ["1", "2"], common="area")
print(
    f"Alle områder: {format_pct(alle['p_1'][0])} → {format_pct(alle['p_2'][0])} "
    "(ikke sammenligneligt: 2016 har et område mere)"
)
row = faelles.iloc[0]
print(
    f"Fælles områder: {format_pct(row['p_1'])} → {format_pct(row['p_2'])}: "
    f"{format_pp(row['diff'], signed=True)} ({format_ci(row['ci_low'], row['ci_high'])})"
)
print("Udeladt:", ", ".join(faelles.attrs["dropped"]) or "ingen")

# %% Pr. område og i alt, med diskretionskontrol, som figur
tabel = wave_comparison(data2012, data2016, q2016, "tilfreds_omraade", ["1", "2"])
tabel.to_csv(OUT / "tilfredshed_2012_2016.csv", index=False)
fig, ax = new_figure(len(tabel), row_height=0.85, bottom=0.6)
plot_comparison(tabel, first="2012", second="2016", ax=ax)
finish_figure(
    fig,
    title=f"Tilfredsheden ændrede sig {format_pp(row['diff'], signed=True)} i de fælles områder",
    question=q2016.question("tilfreds_omraade").text["da"],
    note="Kun områder med i begge runder. 95 %-konfidensinterval efter Newcombe.",
    synthetic=synthetic,
)
fig.savefig(OUT / "tilfredshed_2012_2016.png", dpi=300)

# %% Dårligt omdømme på de fælles områder
omdoemme = compare_waves(data2012, data2016, "daarligt_omdoemme", "1", common="area")
row = omdoemme.iloc[0]
print(
    f"Dårligt omdømme: {format_pct(row['p_1'])} i 2012, {format_pct(row['p_2'])} i 2016 "
    f"({format_pp(row['diff'], signed=True)})"
)
omdoemme.to_csv(OUT / "omdoemme_2012_2016.csv", index=False)
