"""``beboer report``: the annual report of a questionnaire, compared with earlier waves.

The data come from the app's database (``DATABASE_URL``, else ``beboer.db``
in ``INSTANCE_PATH`` or ``instance/``), another database URL or an export
file (``.csv``, ``.xlsx``, ``.sav`` written by ``beboer export``). The
questionnaire is a published id (from a database source), a bundled id or a
questionnaire file; ``--wave N`` is the short form for the questionnaire the
wave's responses were collected with.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click

from .sources import (
    SourceError,
    default_source,
    load_questionnaire,
    questionnaire_data,
    resolve_source,
    shown,
    wave_questionnaire,
)

__all__ = ["commands", "report", "default_source", "resolve_source", "SourceError"]


WEIGHT_COLUMN = "_population_weight"


def _stored_population(kind: str, source: str, questionnaire):
    """The population counts stored for ``questionnaire`` (empty without a database)."""
    import pandas as pd

    from analysis.population import load_population

    if kind != "database":
        return pd.DataFrame(columns=["area", "count"])
    try:
        return load_population(source, questionnaire.id)
    except ValueError as error:
        raise SourceError(f"cannot read the population counts: {error}") from None


def population_weighting(kind, source, waves, lang):
    """Weight every wave to its stored population counts (``--weights population``).

    Parameters
    ----------
    kind, source : str
        As :func:`analysis.sources.resolve_source` returns.
    waves : list of (DataFrame, Questionnaire)
        The wave reported on first, then the earlier waves.
    lang : {"da", "en"}

    Returns
    -------
    (list of DataFrame, str)
        Each wave's rows that could be weighted, with the weights in
        ``WEIGHT_COLUMN``, and the methods sentences. An earlier wave without
        population counts keeps weight 1 and the note says so.

    Raises
    ------
    click.UsageError
        Not a database source, or no usable counts for the wave reported on.
    """
    from analysis.population import population_weights
    from analysis.population_text import weighting_note

    if kind != "database":
        raise click.UsageError(
            "--weights population needs the database as --source: the population counts "
            "are stored there by `beboer frame population`"
        )
    weighted, notes = [], []
    for index, (data, questionnaire) in enumerate(waves):
        counts = _stored_population(kind, source, questionnaire)
        if counts.empty:
            if index == 0:
                raise click.UsageError(
                    f"--weights population: no population counts for {questionnaire.id}; import "
                    f"them with `beboer frame population FILE --questionnaire {questionnaire.id}`"
                )
            weighted.append(data.assign(**{WEIGHT_COLUMN: 1.0}))
            notes.append(_unweighted_wave_note(questionnaire.wave, lang))
            continue
        try:
            weights = population_weights(data, counts)
        except ValueError as error:
            raise click.UsageError(
                f"--weights population ({questionnaire.wave}): {error}"
            ) from None
        labels = {area.id: area.label for area in questionnaire.areas}
        notes.append(weighting_note(weights, data, counts, labels=labels, lang=lang,
                                    coverage=False))
        keep = weights.notna()
        weighted.append(data.assign(**{WEIGHT_COLUMN: weights})[keep].reset_index(drop=True))
    return weighted, " ".join(notes)


def _unweighted_wave_note(wave: int, lang: str) -> str:
    if lang == "da":
        return f"{wave}-runden har ingen befolkningstal og indgår uvægtet (vægt 1)."
    return f"The {wave} wave has no population counts and enters unweighted (weight 1)."


def _file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _progress_bar():
    holder: dict[str, object] = {}

    def progress(done: int, total: int, step: str) -> None:
        bar = holder.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label="Rapport", file=sys.stderr)
            bar.__enter__()
            holder["bar"] = bar
        bar.label = f"Rapport: {step}"
        bar.update(1)

    def close() -> None:
        bar = holder.get("bar")
        if bar is not None:
            bar.__exit__(None, None, None)

    return progress, close


@click.command("report")
@click.option(
    "--questionnaire",
    "questionnaire_ref",
    default=None,
    help="Questionnaire to report on: an id published in the source database (or bundled), "
    "or a questionnaire file (.yaml/.xlsx).",
)
@click.option(
    "--wave", type=int, default=None, help="Short form: the questionnaire of this survey year."
)
@click.option(
    "--compare",
    type=int,
    multiple=True,
    help="Earlier wave to compare with (repeat for several; the latest is compared in detail).",
)
@click.option(
    "--source",
    default=None,
    help="Database URL or export file (.csv/.xlsx/.sav). Default: DATABASE_URL, else "
    "beboer.db in INSTANCE_PATH (instance/).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: results/<wave>.",
)
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True)
@click.option(
    "--min-n",
    type=click.IntRange(min=5),
    default=10,
    show_default=True,
    help="Smallest base on which a share is shown.",
)
@click.option(
    "--weights",
    type=click.Choice(["population"]),
    default=None,
    help="Weight the shares to the population counts imported with `beboer frame population` "
    "(post-stratified by area, or raked when the counts also have age/sex columns).",
)
def report(
    questionnaire_ref: str | None,
    wave: int | None,
    compare: tuple[int, ...],
    source: str | None,
    out: Path | None,
    lang: str,
    min_n: int,
    weights: str | None,
) -> None:
    """Write the annual report: charts, tables, report.html, .pdf, .docx and manifest.json.

    With --compare, the waves are also compared on the areas they have in common.
    With --weights population, the shares are weighted to the population counts
    and the methods section gives the weighting, its design effect and effective n.
    """
    from analysis.population_text import population_by_area
    from analysis.report import build_report

    if (questionnaire_ref is None) == (wave is None):
        raise SourceError("give either --questionnaire ID_OR_FILE or --wave N")
    kind, resolved = resolve_source(source or default_source())
    files: dict = {}  # an export file is read once, whatever the number of waves
    if questionnaire_ref is not None:
        questionnaire = load_questionnaire(questionnaire_ref, kind, resolved)
        data = questionnaire_data(kind, resolved, questionnaire, wave=wave,
                                  label=f"wave {questionnaire.wave}", cache=files)
    else:
        questionnaire = wave_questionnaire(kind, resolved, wave)
        data = questionnaire_data(kind, resolved, questionnaire, wave=wave,
                                  label=f"wave {wave}", cache=files)
    current = questionnaire.wave
    if current in compare:
        raise SourceError(f"--compare {current}: must differ from the wave reported on")
    earlier = []
    for year in sorted(set(compare)):
        earlier_questionnaire = wave_questionnaire(kind, resolved, year)
        earlier_data = questionnaire_data(kind, resolved, earlier_questionnaire, wave=year,
                                          label=f"wave {year}", cache=files)
        earlier.append((earlier_data, earlier_questionnaire))
    weight_column = note = None
    if weights == "population":
        frames, note = population_weighting(kind, resolved, [(data, questionnaire), *earlier], lang)
        data = frames[0]
        earlier = [(frame, q) for frame, (_old, q) in zip(frames[1:], earlier, strict=True)]
        weight_column = WEIGHT_COLUMN
    population = _stored_population(kind, resolved, questionnaire)
    previous, previous_questionnaire = earlier[-1] if earlier else (None, None)
    out = out or Path("results") / str(current)
    description = shown(resolved) if kind == "database" else resolved
    if kind == "file":
        description = f"{resolved} (sha256 {_file_sha256(resolved)})"

    progress, close = _progress_bar()
    try:
        manifest = build_report(
            data,
            questionnaire,
            previous=previous,
            previous_questionnaire=previous_questionnaire,
            earlier=earlier[:-1],
            out_dir=out,
            lang=lang,
            min_n=min_n,
            progress=progress,
            source=description,
            weights=weight_column,
            weighting_note=note,
            population=population_by_area(population) if not population.empty else None,
        )
    except ValueError as error:
        raise SourceError(str(error).splitlines()[0]) from None
    finally:
        close()
    click.echo(
        f"Wrote {len(manifest['files']) + 1} files to {out}"
        + (" (synthetic demo data)" if manifest["synthetic"] else "")
    )
    for name in ("report.html", "report.pdf", "report.docx", "manifest.json"):
        click.echo(f"  {out / name}")


commands = [report]
