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
def report(
    questionnaire_ref: str | None,
    wave: int | None,
    compare: tuple[int, ...],
    source: str | None,
    out: Path | None,
    lang: str,
    min_n: int,
) -> None:
    """Write the annual report: charts, tables, report.html, .pdf, .docx and manifest.json.

    With --compare, the waves are also compared on the areas they have in common.
    """
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
