"""The authors' command line: ``picks check``, ``picks new`` and ``picks schema``."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from jinja2 import Template
from mkdocs.exceptions import ConfigurationError
from slugify import slugify

from .config import ProjectConfig, collection_keys, load_settings, read_project_config
from .errors import PickError, count_line
from .loader import load_picks
from .schema import DATE_PATTERN, PAPER_FIELDS

_TEMPLATE = Path(__file__).with_name("templates") / "new-pick.md"
now: Callable[[ZoneInfo], datetime] = datetime.now  # the one clock read; tests pin it


def _load_config(config_file: str) -> ProjectConfig:
    path = Path(config_file)
    if not path.exists():
        raise click.UsageError(f"no {config_file} here: run picks in the project folder or pass --config-file")
    try:
        return read_project_config(path)
    except ConfigurationError as exc:
        raise click.UsageError(f"{config_file}: {exc}") from None


def _github_escape(text: str, *, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def _github_line(finding: PickError) -> str:
    props = ",".join(
        f"{k}={_github_escape(str(v), property=True)}"
        for k, v in (("file", finding.path), ("line", finding.line), ("title", finding.field))
    )
    return f"::{finding.severity} {props}::{_github_escape(finding.message)}"


@click.group()
@click.version_option(package_name="daily-picks")
def main() -> None:
    """Write and check Daily Picks."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["plain", "github"]), default="plain", show_default=True)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def check(paths: tuple[Path, ...], output: str, config_file: str) -> None:
    """Validate every pick (default: the configured folder)."""
    project = _load_config(config_file)
    settings = load_settings(project.picks, project.markdown_extensions, project.mdx_configs, include_drafts=True)
    result = load_picks(list(paths) or [project.root / project.picks.dir], settings)
    for finding in result.findings:
        click.echo(_github_line(finding) if output == "github" else str(finding))
    picks = "pick" if result.files == 1 else "picks"
    summary = f"{count_line(result.findings)} in {result.files} {picks}"
    click.echo(summary if output == "plain" else f"::notice::{summary}", err=output == "github")
    sys.exit(1 if result.errors else 0)


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if re.match(DATE_PATTERN, value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise click.BadParameter(f"'{value}' is not a real date in YYYY-MM-DD form")


def _check_arxiv_ids(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    pattern, rule = next((re.compile(s.pattern or ""), s.hint) for s in PAPER_FIELDS if s.name == "arxiv")
    for arxiv_id in value:
        if not pattern.match(arxiv_id):
            raise click.BadParameter(f"'{arxiv_id}' {rule}")
    return value


def pick_slug(title: str) -> str:
    """A file-name slug from any title: ASCII-folded, at most 8 words, never empty."""
    # Possessives stay one word: "Gonçalo's heads" → goncalos-heads.
    return slugify(title.replace("'", "").replace("\u2019", ""), max_length=60, word_boundary=True) or "pick"


@main.command()
@click.argument("title")
@click.option("--date", "day", callback=_parse_day, help="Publication date YYYY-MM-DD (default: today).")
@click.option(
    "--arxiv", multiple=True, callback=_check_arxiv_ids, help="arXiv id of a paper; repeat for an x2 edition."
)
@click.option("--tag", multiple=True, help="A topic tag; repeat for more.")
@click.option("--collection", help="Collection key (default: the configured default).")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def new(
    title: str, day: date | None, arxiv: tuple[str, ...], tag: tuple[str, ...], collection: str | None, config_file: str
) -> None:
    """Write a new pick file from the template; never overwrite one."""
    project = _load_config(config_file)
    config, root = project.picks, project.root
    if collection is not None and collection not in collection_keys(config):
        raise click.BadParameter(f"'{collection}' is not declared in {config_file}", param_hint="--collection")
    day = day or now(ZoneInfo(config.timezone)).date()
    path = root / config.dir / f"{day.isoformat()}-{pick_slug(title)}.md"
    text = Template(_TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True).render(
        title=_yaml_quote(title),
        day=day.isoformat(),
        year=day.year,
        arxiv=arxiv or [None],
        tags=[_yaml_quote(t) for t in tag],
        collection=collection or config.default_collection,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        click.echo(f"error: {path} already exists; not overwriting it", err=True)
        sys.exit(1)
    click.echo(path)


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@main.command()
def schema() -> None:
    """Print the JSON Schema of pick front matter (kept in schema/pick.schema.json)."""
    import json

    from .editor_schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))
