"""Commands that join the survey app and the analysis package.

``beboer load-demo`` stores the synthetic demo waves (:mod:`analysis.demo`)
through :func:`survey.storage.submit_payload`, the same path the API, the
form and ``beboer import`` use, so demo responses are checked and stored
exactly like real ones.
"""

from __future__ import annotations

import sys
from collections import Counter

import click
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError, ProgrammingError

__all__ = ["commands", "load_demo"]


@click.command("load-demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already holds submitted responses.",
)
@click.option(
    "--seed",
    type=int,
    default=2016,
    show_default=True,
    help="Seed of the random generator; the same seed gives the same responses.",
)
def load_demo(if_empty: bool, seed: int) -> None:
    """Store the synthetic demo waves 2012 and 2016 in the app's database.

    The responses are marked synthetic (their ids carry the demo prefix) and
    every report made from them says so. Run `beboer init-db` first.
    """
    from analysis import demo
    from survey import create_app
    from survey.extensions import db
    from survey.models import Response
    from survey.storage import Conflict, PayloadError, publish_file, submit_payload

    app = create_app()
    with app.app_context():
        try:
            existing = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Response)
                .where(Response.status == "submitted")
            )
        except (OperationalError, ProgrammingError) as error:
            click.echo(
                f"The database has no responses table ({error.orig}); run `beboer init-db` first.",
                err=True,
            )
            raise SystemExit(1) from None
        if if_empty and existing:
            click.echo(
                f"The database already holds {existing} submitted responses; no demo data loaded."
            )
            return

        for wave in sorted(demo.PLANS):
            questionnaire = demo.questionnaire_for_wave(wave)
            if questionnaire.path is None:
                click.echo(f"The bundled questionnaire of wave {wave} has no file.", err=True)
                raise SystemExit(1)
            try:
                publish_file(questionnaire.path)
            except ValueError as error:
                click.echo(f"Cannot publish {questionnaire.id}: {error}", err=True)
                raise SystemExit(1) from None
            payloads = demo.generate(wave, seed=seed, questionnaire=questionnaire)
            outcomes: Counter[str] = Counter()
            with click.progressbar(
                payloads,
                label=f"Wave {wave} ({questionnaire.id})",
                file=sys.stderr,
            ) as bar:
                for payload in bar:
                    try:
                        outcomes[submit_payload(payload).outcome] += 1
                    except PayloadError as error:
                        click.echo(
                            f"\nDemo response {payload['id']} was refused: {error.errors}", err=True
                        )
                        raise SystemExit(1) from None
                    except Conflict:
                        outcomes["conflict"] += 1
            areas = Counter(payload["area"] for payload in payloads)
            area_text = ", ".join(f"{area} {count}" for area, count in sorted(areas.items()))
            click.echo(
                f"Wave {wave}: {len(payloads)} synthetic responses ({area_text}): "
                f"{outcomes['created']} created, {outcomes['identical']} identical, "
                f"{outcomes['conflict']} conflict."
            )
            if outcomes["conflict"]:
                click.echo(
                    "Some demo ids are stored with other content; load-demo kept the stored rows.",
                    err=True,
                )


commands = [load_demo]
