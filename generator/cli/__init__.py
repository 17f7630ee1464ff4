"""The authors' command line, ``picks``: one module per command (check, new, post, email, hf-sync)."""

from __future__ import annotations

import json

import click

from ..outputs.editor_schema import front_matter_schema
from . import check, email, hf_sync, new, post


@click.group()
@click.version_option(package_name="daily-picks")
def main() -> None:
    """Write, check and share Daily Picks."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of pick front matter (kept in schema/pick.schema.json)."""
    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))


for command in (check.check, new.new, post.post, email.email, hf_sync.hf_sync_command):
    main.add_command(command)
