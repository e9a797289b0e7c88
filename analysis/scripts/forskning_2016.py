# %% [markdown]
# # Forskning 2016: gennemsnit, krydstabel med test og regression
#
# Tre spørgsmål en surveystatistiker stiller til beboerundersøgelsen 2016:
#
# 1. Hvor mange børn har husstandene i gennemsnit, og hvor præcist kender vi det?
# 2. Afhænger tilfredsheden med området af alder? (krydstabel med Rao–Scotts test)
# 3. Hvad hænger sammen med at være tilfreds? (logistisk regression)
#
# Designet: stratificeret efter område, med antallet af boliger i hvert område som
# endelig populationsstørrelse (`fpc`). Tallene er de samme, som R's `survey`-pakke
# giver (`svymean`, `svychisq`, `svyglm`). Boligtallene nedenfor er illustrative.
#
# Data: `BEBOER_SOURCE` (database-URL eller eksportfil), ellers appens database.
# Resultater skrives i `results/forskning_2016/`. Filen kører som script
# (`.venv/bin/python analysis/scripts/forskning_2016.py`) og som Jupyter-notebook
# (jupytext-parret, se `analysis/README.md`).

# %%
import os
from pathlib import Path

import numpy as np

import questionnaires
from analysis import crosstab, estimate, estimate_mean, load_responses, logit
from analysis.cli import default_source
from analysis.demo import is_synthetic

SOURCE = os.environ.get("BEBOER_SOURCE") or default_source()
OUT = Path("results") / "forskning_2016"
OUT.mkdir(parents=True, exist_ok=True)

q = questionnaires.load("beboerundersoegelse-2016")
data = load_responses(SOURCE, q)
if is_synthetic(data["id"]).any():
    print("OBS: syntetiske demodata – ikke rigtige svar.")
BOLIGER = {"glarbjergvej": 1400, "jennumparken": 1100, "vangdalen": 1500}
data["boliger"] = data["area"].map(BOLIGER).astype(float)
DESIGN = {"strata": "area", "fpc": "boliger"}
print(f"{len(data)} besvarelser; design: strata = område, fpc = boliger pr. område")

# %% [markdown]
# ## 1. Et gennemsnit med designeffekt
#
# `deff` sammenligner designets varians med en simpel tilfældig stikprøve af samme
# størrelse; den effektive stikprøvestørrelse er `n / deff`.

# %%
boern = estimate_mean(data, "antal_boern", by="area", deff=True, **DESIGN)
boern["n_effektiv"] = boern["n"] / boern["deff"]
print(boern.round(3).to_string(index=False))
boern_i_alt = estimate_mean(data, "antal_boern", deff=True, **DESIGN).iloc[0]
print(
    f"I alt {boern_i_alt['mean']:.2f} børn pr. husstand "
    f"(95 %-KI {boern_i_alt['ci_low']:.2f}–{boern_i_alt['ci_high']:.2f}; "
    f"n = {boern_i_alt['n']}, deff = {boern_i_alt['deff']:.2f})"
)
boern.to_csv(OUT / "antal_boern.csv", index=False)
tilfreds = estimate(data, "tilfreds_omraade", ["1", "2"], exclude="9", deff=True, **DESIGN)
print(tilfreds.round(3).to_string(index=False))

# %% [markdown]
# ## 2. Krydstabel: tilfredshed efter aldersgruppe
#
# "Ved ikke" (kode 9) er ikke et svar. Testen er Rao–Scotts andenordens F-test
# (R: `svychisq(~alder + tilfreds_omraade, design)`).

# %%
tabel = crosstab(data, "alder", "tilfreds_omraade", exclude="9", **DESIGN)
test = tabel.test
print(
    f"Rao–Scott F = {test.statistic:.3f} på {test.ndf:.2f} og {test.ddf:.1f} frihedsgrader, "
    f"p = {test.p_value:.3f}"
)
andele = tabel.table.pivot(index="alder", columns="tilfreds_omraade", values="p")
print(andele.round(3).to_string())
tabel.table.to_csv(OUT / "tilfredshed_efter_alder.csv", index=False)

# %% [markdown]
# ## 3. Logistisk regression: hvem er tilfredse?
#
# Udfaldet er "tilfreds eller meget tilfreds" (kode 1 og 2) mod de øvrige svar;
# aldersgruppe og antal børn forklarer. Estimaterne er log-odds-ratioer;
# `exp` giver odds-ratioer. Standardfejlene er designbaserede (R:
# `svyglm(..., family = quasibinomial())`).

# %%
model = logit(
    data, "tilfreds_omraade", ["alder", "antal_boern"], positive=["1", "2"], exclude="9", **DESIGN
)
model["odds_ratio"] = np.exp(model["estimate"])
print(f"{model.attrs['n']} besvarelser i modellen")
print(model.round(3).to_string(index=False))
model.to_csv(OUT / "regression_tilfredshed.csv", index=False)
