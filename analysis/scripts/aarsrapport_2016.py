# %% [markdown]
# # Årsrapport 2016
#
# Beboerundersøgelsen 2016 i Glarbjergvej-området, Gl. Jennumparken og Vangdalen:
# tilfredshed, omdømme og tryghed, og den samlede rapport (HTML, PDF, figurer og
# tabeller). Kør filen fra projektets rod, eller celle for celle i en editor.
#
# Data: `BEBOER_SOURCE` (database-URL eller eksportfil), ellers appens database.
# Resultater skrives i `results/aarsrapport_2016/`.

# %%
import os
from pathlib import Path

import questionnaires
from analysis import distribution, estimate, load_responses
from analysis.cli import default_source
from analysis.demo import is_synthetic
from analysis.formatting import format_ci, format_n, format_pct
from analysis.report import build_report

SOURCE = os.environ.get("BEBOER_SOURCE") or default_source()
OUT = Path("results") / "aarsrapport_2016"
OUT.mkdir(parents=True, exist_ok=True)

q = questionnaires.load("beboerundersoegelse-2016")
data = load_responses(SOURCE, q)
if is_synthetic(data["id"]).any():
    print("OBS: syntetiske demodata – ikke rigtige svar.")
print(f"{format_n(len(data))} besvarelser")

# %% Tilfredshed med området, i alt og pr. område
tilfreds_i_alt = estimate(data, "tilfreds_omraade", ["1", "2"], min_n=10)
tilfreds = estimate(data, "tilfreds_omraade", ["1", "2"], by="area", min_n=10)
row = tilfreds_i_alt.iloc[0]
print(
    f"{format_pct(row['p'])} er tilfredse eller meget tilfredse med at bo i området "
    f"({format_ci(row['ci_low'], row['ci_high'])}; {format_n(row['n'])})"
)
tilfreds.to_csv(OUT / "tilfredshed_omraade.csv", index=False)
print(tilfreds[["area", "n", "p", "ci_low", "ci_high"]].to_string(index=False))

# %% Hele svarfordelingen, "Ved ikke" medregnet
fordeling = distribution(data, "tilfreds_omraade", q, min_n=10)
print(fordeling[["label", "count", "p"]].to_string(index=False))
fordeling.to_csv(OUT / "fordeling_tilfredshed.csv", index=False)

# %% Dårligt omdømme og grundene
omdoemme = estimate(data, "daarligt_omdoemme", "1", by="area", min_n=10)
grunde = distribution(data, "omdoemme_grunde", q, min_n=10).sort_values("p", ascending=False)
print(grunde[["label", "n", "p"]].head(3).to_string(index=False))
grunde.to_csv(OUT / "omdoemme_grunde.csv", index=False)

# %% Den samlede rapport: figurer, tabeller, report.html, report.pdf og manifest.json
manifest = build_report(data, q, out_dir=OUT / "rapport", source=SOURCE)
print(f"Rapport skrevet: {OUT / 'rapport' / 'report.html'} ({len(manifest['files'])} filer)")
