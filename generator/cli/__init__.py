"""The authors' command line, ``picks``: one module per command, imported only when that command runs."""

from __future__ import annotations

import importlib
import json

import click

# name → (module, function): `picks check` need not import the Hub client or twitter-text.
COMMANDS = {
    "check": ("check", "check"),
    "new": ("new", "new"),
    "post": ("post", "post"),
    "email": ("email", "email"),
    "hf-sync": ("hf_sync", "hf_sync_command"),
    "announce": ("announce", "announce"),
    "keys": ("keys", "keys"),
    "import": ("import_", "import_command"),
    "refresh": ("refresh", "refresh"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*COMMANDS, *self.commands])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return self.commands.get(name)
        module, function = COMMANDS[name]
        return getattr(importlib.import_module(f".{module}", __name__), function)


@click.group(cls=_LazyGroup)
@click.version_option(package_name="daily-picks")
def main() -> None:
    """Write, check and share Daily Picks."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of pick front matter (kept in schema/pick.schema.json)."""
    from ..outputs.editor_schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))
