"""What every command shares: reading mkdocs.yml, and the option that names it."""

from __future__ import annotations

from pathlib import Path

import click
from mkdocs.exceptions import ConfigurationError

from ..mkdocs.config import ProjectConfig, read_project_config


def load_config(config_file: str) -> ProjectConfig:
    path = Path(config_file)
    if not path.exists():
        raise click.UsageError(f"no {config_file} here: run picks in the project folder or pass --config-file")
    try:
        return read_project_config(path)
    except ConfigurationError as exc:
        raise click.UsageError(f"{config_file}: {exc}") from None


def config_option(function):
    """``-f/--config-file``: every command reads the site's mkdocs.yml."""
    return click.option(
        "-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config."
    )(function)
