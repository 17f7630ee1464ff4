"""``picks new``: a pick file from paper ids or URLs (metadata fetched) or from a title; never overwrites."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from ..core.paper_ids import NotAPaperId, PaperRef, id_shaped, parse_paper_ref
from ..core.schema import DATE_PATTERN, PAPER_FIELDS
from ..mkdocs.config import collection_keys
from ..sources.metadata import MetadataClient, MetadataError, PaperMetadata, UnknownPapers, Unreachable
from ..sources.new_pick import draft_pick
from .common import config_option, load_config

now: Callable[[ZoneInfo], datetime] = datetime.now  # the one clock read; tests pin it


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


@click.command()
@click.argument("what", nargs=-1, required=True, metavar="TITLE | ID_OR_URL...")
@click.option("--title", "headline", help="The pick's headline (default: the paper's title).")
@click.option("--date", "day", callback=_parse_day, help="Publication date YYYY-MM-DD (default: today).")
@click.option(
    "--arxiv", multiple=True, callback=_check_arxiv_ids, help="arXiv id of a paper; repeat for an x2 edition."
)
@click.option("--tag", multiple=True, help="A topic tag; repeat for more.")
@click.option("--collection", help="Collection key (default: the configured default).")
@click.option("--offline", is_flag=True, help="Do not fetch metadata: write placeholders to fill in.")
@config_option
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
    project = load_config(config_file)
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
    if draft.slug_from_ids:
        named = path.with_name(f"{day.isoformat()}-a-few-words-of-the-title.md")  # runs as written: no < >
        click.echo(f"  then rename it after its title (its name becomes the pick's permanent id): mv {path} {named}")


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
    if len(what) == 1 and headline is None and not id_shaped(what[0]):
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
