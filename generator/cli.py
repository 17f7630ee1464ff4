"""The authors' command line: ``picks check`` (optionally --online), ``picks new`` and ``picks schema``."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import click
from mkdocs.exceptions import ConfigurationError

from . import posts, verify
from .config import ProjectConfig, collection_keys, collection_settings, load_settings, read_project_config
from .errors import PickError, count_line
from .loader import load_picks
from .metadata import MetadataClient, MetadataError, PaperMetadata, UnknownPapers, Unreachable
from .new_pick import draft_pick
from .paper_ids import NotAPaperId, PaperRef, parse_paper_ref
from .people import load_people
from .posts import NETWORKS
from .render import folder_url
from .schema import DATE_PATTERN, PAPER_FIELDS

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
    kind = "notice" if finding.severity == "note" else finding.severity
    return f"::{kind} {props}::{_github_escape(finding.message)}"


@click.group()
@click.version_option(package_name="daily-picks")
def main() -> None:
    """Write and check Daily Picks."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["plain", "github"]), default="plain", show_default=True)
@click.option("--online", is_flag=True, help="Also compare papers with arXiv and Crossref (warnings).")
@click.option("--refresh", is_flag=True, help="With --online: ask the APIs again instead of .cache/picks/.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def check(paths: tuple[Path, ...], output: str, online: bool, refresh: bool, config_file: str) -> None:
    """Validate every pick (default: the configured folder)."""
    project = _load_config(config_file)
    settings = load_settings(project.picks, project.markdown_extensions, project.mdx_configs, include_drafts=True)
    result = load_picks(list(paths) or [project.root / project.picks.dir], settings)
    _, people_findings = load_people(project.root / project.picks.people)
    result.findings = sorted(result.findings + people_findings)
    if online:
        result.findings = sorted(result.findings + _online_findings(result.picks, project.root, refresh))
    for finding in result.findings:
        click.echo(_github_line(finding) if output == "github" else str(finding))
    picks = "pick" if result.files == 1 else "picks"
    summary = f"{count_line(result.findings)} in {result.files} {picks}"
    click.echo(summary if output == "plain" else f"::notice::{summary}", err=output == "github")
    sys.exit(1 if any(f.severity == "error" for f in result.findings) else 0)


def _online_findings(picks: list, root: Path, refresh: bool) -> list[PickError]:
    refs = [ref for pick in picks for paper in pick.papers if (ref := verify.paper_ref(paper))]
    client = MetadataClient()
    try:
        found, unknown = verify.lookup(refs, client, verify.MetadataCache(root / verify.CACHE), refresh=refresh)
    except MetadataError as exc:
        click.echo(f"warning: --online: could not compare with the APIs ({exc})", err=True)
        return []
    click.echo(f"--online: {client.requests} request(s) to the APIs, {len(refs)} papers", err=True)
    return verify.compare(picks, found, unknown)


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


@main.command()
@click.argument("what", nargs=-1, required=True, metavar="TITLE | ID_OR_URL...")
@click.option("--title", "headline", help="The pick's headline (default: the paper's title).")
@click.option("--date", "day", callback=_parse_day, help="Publication date YYYY-MM-DD (default: today).")
@click.option(
    "--arxiv", multiple=True, callback=_check_arxiv_ids, help="arXiv id of a paper; repeat for an x2 edition."
)
@click.option("--tag", multiple=True, help="A topic tag; repeat for more.")
@click.option("--collection", help="Collection key (default: the configured default).")
@click.option("--offline", is_flag=True, help="Do not fetch metadata: write placeholders to fill in.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def new(
    what: tuple[str, ...],
    headline: str | None,
    day: date | None,
    arxiv: tuple[str, ...],
    tag: tuple[str, ...],
    collection: str | None,
    offline: bool,
    config_file: str,
) -> None:
    """Write a new pick from paper ids or URLs (metadata fetched), or from a TITLE; never overwrite a file.

    Papers: arXiv ids or abs/pdf/html URLs, huggingface.co/papers/ and alphaxiv URLs, DOIs or doi.org URLs.
    """
    project = _load_config(config_file)
    config, root = project.picks, project.root
    if collection is not None and collection not in collection_keys(config):
        raise click.BadParameter(f"'{collection}' is not declared in {config_file}", param_hint="--collection")
    refs, title = _papers_and_title(what, headline)
    refs += [PaperRef("arxiv", a) for a in arxiv]
    found = {} if offline or not refs else _fetch(refs)
    if offline and refs:
        click.echo("warning: --offline: papers' metadata left as placeholders for you to fill in", err=True)
    day = day or now(ZoneInfo(config.timezone)).date()
    draft = draft_pick(
        title=title, day=day, refs=refs, found=found, tags=tag, collection=collection or config.default_collection
    )
    path = root / config.dir / f"{day.isoformat()}-{draft.slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(draft.text)
    except FileExistsError:
        click.echo(f"error: {path} already exists; not overwriting it", err=True)
        sys.exit(1)
    click.echo(path)
    for line in draft.filled:
        click.echo(f"  filled in: {line}")
    for line in draft.to_write:
        click.echo(f"  yours to write: {line}")


def _papers_and_title(what: tuple[str, ...], headline: str | None) -> tuple[list[PaperRef], str | None]:
    """``picks new TITLE`` or ``picks new ID_OR_URL...``: which one the arguments are."""
    refs, rest = [], []
    for text in what:
        try:
            refs.append(parse_paper_ref(text))
        except NotAPaperId as exc:
            rest.append((text, exc))
    if not rest:
        return refs, headline
    if len(what) == 1 and headline is None:
        return [], what[0]
    raise click.BadParameter(str(rest[0][1]), param_hint="ID_OR_URL")


def _fetch(refs: list[PaperRef]) -> dict[PaperRef, PaperMetadata]:
    try:
        found = MetadataClient().fetch(refs)
    except UnknownPapers as exc:
        click.echo(f"error: {exc}: check the id; nothing written", err=True)
        sys.exit(1)
    except Unreachable as exc:
        click.echo(f"warning: could not fetch the papers' metadata ({exc}); writing placeholders", err=True)
        return {}
    except MetadataError as exc:
        click.echo(f"error: {exc}; nothing written", err=True)
        sys.exit(1)
    for meta in found.values():
        if meta.withdrawn:
            click.echo(f"warning: arXiv says {meta.ref.value} was withdrawn (comment on the abstract page)", err=True)
    return found


@main.command()
@click.argument("pick_id", metavar="ID")
@click.option("--to", "network", type=click.Choice(list(NETWORKS)), default="x", show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"network", "url", "posts"} for automation.')
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def post(pick_id: str, network: str, as_json: bool, config_file: str) -> None:
    """Print a pick as the post (or numbered thread) for a social network, in the curator's format."""
    project = _load_config(config_file)
    config = project.picks
    settings = load_settings(config, project.markdown_extensions, project.mdx_configs, include_drafts=True)
    result = load_picks(project.root / config.dir, settings)
    pick = next((p for p in result.picks if p.id == pick_id), None)
    if pick is None:
        problems = [str(f) for f in result.errors if Path(f.path).stem == pick_id]
        reason = problems[0] if problems else f"no pick with the id '{pick_id}' under {config.dir}/"
        click.echo(f"error: {reason}", err=True)
        sys.exit(1)
    people, people_findings = load_people(project.root / config.people)
    for finding in people_findings:
        click.echo(f"warning: {finding}", err=True)
    url = urljoin(project.site_url, folder_url(f"picks/{pick.id}", project.use_directory_urls))
    collection = collection_settings(config).get(pick.collection, (pick.collection, "", None))[0]
    thread = posts.posts(
        pick,
        network,
        collection=collection,
        url=url,
        people=people,
        header=config.post.header,
        header_x2=config.post.header_x2,
    )
    if as_json:
        click.echo(json.dumps({"network": network, "url": url, "posts": thread}, ensure_ascii=False))
    else:
        click.echo("\n\n---\n\n".join(thread))


@main.command()
def schema() -> None:
    """Print the JSON Schema of pick front matter (kept in schema/pick.schema.json)."""
    from .editor_schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))
