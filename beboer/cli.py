"""The ``beboer`` command.

Each package contributes its own click commands; this module only gathers
them, so that ``survey`` and ``analysis`` never import each other.
"""

from __future__ import annotations

import importlib

import click

# (module, attribute) of every command group or command; imported lazily so that
# `beboer --help` stays fast and one package's missing optional part cannot break another's.
COMMAND_SOURCES: tuple[tuple[str, str], ...] = (
    ("questionnaires.cli", "commands"),
    ("survey.cli", "commands"),
    ("survey.frame.cli", "commands"),
    ("survey.ops_cli", "commands"),
    ("analysis.cli", "commands"),
    ("beboer.commands", "commands"),
)


class BeboerGroup(click.Group):
    """A click group that collects commands from every package on first use."""

    def _load(self) -> None:
        if getattr(self, "_loaded", False):
            return
        self._loaded = True
        for module_name, attribute in COMMAND_SOURCES:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            for command in getattr(module, attribute):
                self.add_command(command)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load()
        return super().get_command(ctx, cmd_name)


@click.group(cls=BeboerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="beboer")
def main() -> None:
    """beboer: resident surveys for Danish social-housing areas.

    Collect answers on tablets, describe questionnaires as data and analyse
    satisfaction with defensible confidence intervals.
    """
