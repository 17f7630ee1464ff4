"""``picks import``: a curator's past posts (X, LinkedIn, Mastodon archives; Bluesky, Mastodon accounts; a Hub
collection) become pick files; never twice, never over a file, nothing written when a source cannot be read."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from ..core.people import load_people
from ..mkdocs.config import ProjectConfig, collection_keys, collection_settings
from ..sources import archives, public_accounts
from ..sources.importer import SOURCE_LINE, Plan, Settings, plan_import
from ..sources.metadata import MetadataClient, MetadataError, PaperMetadata
from ..sources.past_posts import Post, SourceError, member_names
from .common import config_option, load_config, read_picks
from .new import _parse_day

# A source's form → (its reader, whose handles its @names are).
NETWORK_SOURCES: dict[str, tuple[Callable[[str], list[Post]], str | None]] = {
    "bluesky:": (public_accounts.bluesky_posts, "bluesky"),
    "mastodon:": (public_accounts.mastodon_posts, "mastodon"),
    "hf:": (public_accounts.hub_collection, None),
}


def read_source(source: str) -> tuple[list[Post], str | None]:
    """The posts of one SOURCE argument, and the network its handles belong to."""
    for prefix, (reader, network) in NETWORK_SOURCES.items():
        if source.startswith(prefix):
            return reader(source[len(prefix) :]), network
    path = Path(source)
    if not path.exists():
        raise click.UsageError(
            f"{source}: no such file or folder (a source is an archive's .zip or folder, its tweets.js, Shares.csv "
            "or outbox.json, or bluesky:HANDLE, mastodon:@user@server, hf:owner/slug)"
        )
    names = {path.name.lower()} | {n.lower() for n in member_names(path)}
    if names & {"tweets.js", "tweet.js", "account.js"} or any(n.startswith("tweets-part") for n in names):
        return archives.x_archive(path), "x"
    if "shares.csv" in names:
        return archives.linkedin_export(path), None
    if "outbox.json" in names:
        return archives.mastodon_archive(path), "mastodon"
    raise SourceError(
        f"{source}: neither an X archive (data/tweets.js), a LinkedIn export (Shares.csv) nor a "
        "Mastodon archive (outbox.json)"
    )


@click.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--since", callback=_parse_day, help="Only posts from this day on (YYYY-MM-DD, the site's time zone).")
@click.option("--collection", help="Collection key for posts whose header names no declared collection.")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--verbose", "-v", is_flag=True, help="Also list every post that is not a pick, and why.")
@config_option
def import_command(
    sources: tuple[str, ...], since: date | None, collection: str | None, dry_run: bool, verbose: bool, config_file: str
) -> None:
    """Turn past posts into picks. SOURCE: an X archive (.zip, folder or tweets.js), a LinkedIn export (.zip or
    Shares.csv), a Mastodon archive (.zip or outbox.json), bluesky:HANDLE, mastodon:@user@server or
    hf:owner/slug-id (a Hugging Face collection)."""
    project = load_config(config_file)
    if collection is not None and collection not in collection_keys(project.picks):
        raise click.BadParameter(f"'{collection}' is not declared in {config_file}", param_hint="--collection")
    read: list[tuple[list[Post], str | None]] = []
    for source in sources:  # every source read before anything is written
        try:
            read.append(read_source(source))
        except SourceError as exc:
            click.echo(f"error: {exc}; nothing written", err=True)
            sys.exit(1)
    folder = project.root / project.picks.dir
    imported = _imported(folder)
    existing = read_picks(project, include_drafts=True).picks
    picked = {identity: pick.id for pick in existing for paper in pick.papers for identity in paper.identities}
    people, _ = load_people(project.root / project.picks.people)
    client = MetadataClient()
    ids = {path.stem for path in folder.rglob("*.md")}  # a pick's id is its file name, in any subfolder
    plans = [
        plan_import(
            posts,
            _settings(project, collection, network),
            since=since,
            imported=imported,
            picked=picked,
            fetch=lambda refs: _fetch(client, refs),
            search=lambda titles: _search(client, titles),
            people=people,
            folder=folder,
            exists=lambda path: path.exists() or path.stem in ids,
        )
        for posts, network in read
    ]
    _report(plans, project, dry_run=dry_run, verbose=verbose)
    if not dry_run:
        _write(plans, project)
    written = sum(len(p.picks) for p in plans)
    click.echo(
        f"{'would write' if dry_run else 'wrote'} {written} pick{'s' * (written != 1)}, "
        f"{sum(len(p.duplicates) for p in plans)} duplicates, "
        f"{sum(len(p.skipped) + len(p.refused) for p in plans)} posts skipped, "
        f"{sum(pick.todo for p in plans for pick in p.picks)} papers left TODO"
    )


def _settings(project: ProjectConfig, fallback: str | None, network: str | None) -> Settings:
    config = project.picks
    titles = {key: title for key, (title, _, _) in collection_settings(config).items()}
    return Settings(
        timezone=ZoneInfo(config.timezone),
        header=config.post.header,
        header_x2=config.post.header_x2,
        titles={title: key for key, title in titles.items()},
        hf_collections={c.hf_collection: key for key, c in config.collections.items() if c.hf_collection},
        default=fallback,
        network=network,
    )


def _imported(folder: Path) -> dict[str, str]:
    """Each source post a pick file names (its ``# source:`` line) → that pick's id."""
    found = {}
    for path in sorted(folder.rglob("*.md")):
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        for source in SOURCE_LINE.findall(head):
            found[source] = path.stem
    return found


def _fetch(client: MetadataClient, refs: list) -> dict:
    try:
        found, unknown = client.fetch_known(refs)
    except MetadataError as exc:
        click.echo(f"warning: papers' metadata not fetched ({exc}); those papers are left TODO", err=True)
        return {}
    for ref in unknown:
        click.echo(f"warning: {ref.kind} {ref.value} is unknown to the API; its paper is left TODO", err=True)
    return found


def _search(client: MetadataClient, titles: list[str]) -> list[PaperMetadata]:
    try:
        return client.search_titles(titles)
    except MetadataError as exc:
        click.echo(f"warning: arXiv title search failed ({exc}); those papers are left TODO", err=True)
        return []


def _report(plans: list[Plan], project: ProjectConfig, *, dry_run: bool, verbose: bool) -> None:
    for plan in plans:
        for pick in plan.picks:
            if dry_run:
                click.echo(
                    f"would write {_relative(pick.path, project)}: {', '.join(pick.papers)} (from {pick.source})"
                )
        for line in plan.duplicates:
            click.echo(f"duplicate: {line}")
        for source, why in plan.refused:
            click.echo(f"not imported: {source}: {why}", err=True)
        if verbose:
            for source, why in plan.skipped:
                click.echo(f"skipped: {source}: {why}")


def _write(plans: list[Plan], project: ProjectConfig) -> None:
    proposals: list[str] = []
    for plan in plans:
        for pick in plan.picks:
            pick.path.parent.mkdir(parents=True, exist_ok=True)
            with open(pick.path, "x", encoding="utf-8") as stream:  # "x": never over a file
                stream.write(pick.text)
            click.echo(f"wrote {_relative(pick.path, project)}")
            proposals += pick.proposals
    people_file = project.root / project.picks.people
    present = people_file.read_text(encoding="utf-8") if people_file.exists() else ""
    new = [line for line in dict.fromkeys(proposals) if line not in present.split("\n")]
    if new:
        lead = "" if not present or present.endswith("\n") else "\n"
        with open(people_file, "a", encoding="utf-8") as stream:
            stream.write(
                f"{lead}# Proposed by picks import: uncomment each line that is right.\n" + "\n".join(new) + "\n"
            )
        click.echo(f"proposed {len(new)} handle(s) in {project.picks.people}: confirm them there")


def _relative(path: Path, project: ProjectConfig) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)
