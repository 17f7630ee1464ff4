"""What every command shares: reading mkdocs.yml and the picks, and the option that names the file."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click
from mkdocs.exceptions import ConfigurationError

from ..core.listings import pick_folder
from ..core.loader import LoadResult, load_picks
from ..core.model import Pick
from ..core.people import People
from ..mkdocs.config import ProjectConfig, collection_settings, load_settings, read_project_config


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


def read_picks(project: ProjectConfig, paths: list[Path] | None = None, *, include_drafts: bool = False) -> LoadResult:
    """The project's picks (or those under ``paths``) read with its own settings and body cache."""
    settings = load_settings(
        project.picks, project.markdown_extensions, project.mdx_configs, include_drafts=include_drafts
    )
    return load_picks(paths or [project.root / project.picks.dir], settings)


def published_picks(project: ProjectConfig) -> list[Pick]:
    """The published picks; every error printed and exit 1 when any pick is invalid."""
    result = read_picks(project)
    if result.errors:
        for finding in result.errors:
            click.echo(str(finding), err=True)
        click.echo("error: fix the picks first (picks check)", err=True)
        sys.exit(1)
    return result.picks


def pick_id_of(given: str) -> str:
    """A pick named by its id or by its file's path (``picks/2024/2024-04-11-x.md``): the id."""
    return Path(given).stem if given.endswith(".md") or "/" in given else given


def did_you_mean(given: str, ids: list[str]) -> str:
    """``; did you mean ...?`` with the closest ids (by spelling, or holding the words given), or nothing."""
    close = difflib.get_close_matches(given, ids, n=3, cutoff=0.6)
    close += [i for i in ids if given and given.lower() in i and i not in close]
    return f"; did you mean {', '.join(close[:3])}?" if close else ""


def pick_thread(project: ProjectConfig, pick: Pick, network: str, people: People) -> list[str]:
    """The pick's post or thread for a network (SPEC section 7), in the site's header, linking its page."""
    from ..outputs import posts  # twitter-text is imported only by the commands that post

    collections = collection_settings(project.picks)
    return posts.posts(
        pick,
        network,
        collection=collections.get(pick.collection, (pick.collection, "", None))[0],
        url=project.page_url(pick_folder(pick)),
        people=people,
        header=project.picks.post.header,
        header_x2=project.picks.post.header_x2,
    )
