"""The authors' command line: ``picks check`` (optionally --online), ``picks new`` and ``picks schema``."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import click
import httpx2
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from mkdocs.exceptions import ConfigurationError

from . import digest, email_issue, hf_sync, mailer, posts, verify
from .config import ProjectConfig, collection_keys, collection_settings, load_settings, read_project_config
from .errors import PickError, count_line
from .loader import load_picks, order_picks
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


class _WriteByDefault(click.Group):
    """``picks email [PERIOD]`` writes the files; ``picks email send ...`` sends."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["write", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_WriteByDefault)
def email() -> None:
    """Digest issues as email: `picks email [PERIOD] [--out DIR]` writes them, `picks email send` sends one."""


def _issue(project: ProjectConfig, period: str | None) -> tuple[digest.Issue, email_issue.Newsletter]:
    config = project.picks
    settings = load_settings(config, project.markdown_extensions, project.mdx_configs)
    result = load_picks(project.root / config.dir, settings)
    if result.errors:
        for finding in result.errors:
            click.echo(str(finding), err=True)
        click.echo("error: fix the picks first (picks check)", err=True)
        sys.exit(1)
    every = config.digest.every
    issues = digest.issues(result.picks, every, config.timezone, config.order)
    if period is not None and not digest.valid_period(period, every):
        example = {"week": "2024-W15", "day": "2024-04-12", "month": "2024-04"}[every]
        raise click.BadParameter(f"'{period}' is not a {every} such as {example}", param_hint="PERIOD")
    chosen = issues[0] if issues and period is None else next((i for i in issues if i.period == period), None)
    if chosen is None:
        click.echo(f"error: no published picks in {period or 'any period'}", err=True)
        sys.exit(1)
    newsletter = email_issue.Newsletter(
        title=config.digest.title or f"{project.site_name} digest",
        site_url=project.site_url,
        subject=config.digest.subject,
        sender=os.environ.get("PICKS_SMTP_FROM") or config.digest.sender,
        unsubscribe=config.digest.unsubscribe,
        directory_urls=project.use_directory_urls,
    )
    return chosen, newsletter


@email.command("write")
@click.argument("period", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("email"), show_default=True)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def email_write(period: str | None, out: Path, config_file: str) -> None:
    """Write PERIOD.html, PERIOD.txt and PERIOD.eml (default: the latest period with picks)."""
    issue, newsletter = _issue(_load_config(config_file), period)
    rendered = email_issue.compose(issue, newsletter)
    out.mkdir(parents=True, exist_ok=True)
    for suffix, data in (("html", rendered.html.encode()), ("txt", rendered.text.encode()), ("eml", rendered.eml)):
        (out / f"{issue.period}.{suffix}").write_bytes(data)
        click.echo(f"{out / f'{issue.period}.{suffix}'} ({len(data):,} bytes)")
    if len(rendered.html.encode()) > email_issue.MAX_BYTES:
        click.echo(f"warning: the HTML is over {email_issue.MAX_BYTES:,} bytes; Gmail will clip it", err=True)


@email.command("send")
@click.argument("period", required=False)
@click.option("--to", "to", multiple=True, help="A recipient; repeat for more.")
@click.option("--to-file", type=click.File("r", encoding="utf-8"), help="Recipients, one address a line.")
@click.option("--dry-run", is_flag=True, help="Print who would get the issue; send nothing.")
@click.option("--resend", is_flag=True, help="Send again to recipients already served.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), help="The state file (default: config).")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def email_send(
    period: str | None, to: tuple[str, ...], to_file, dry_run: bool, resend: bool, state: Path | None, config_file: str
) -> None:
    """Send an issue over SMTP ($PICKS_SMTP_URL, $PICKS_SMTP_FROM), one message per recipient, never twice."""
    project = _load_config(config_file)
    recipients = list(to) + (
        [line.strip() for line in to_file if line.strip() and not line.startswith("#")] if to_file else []
    )
    if not recipients:
        raise click.UsageError("give recipients with --to ADDR (repeatable) or --to-file FILE")
    issue, newsletter = _issue(project, period)
    if not newsletter.sender:
        raise click.UsageError("no sender: set PICKS_SMTP_FROM or digest.sender in mkdocs.yml")
    rendered = email_issue.compose(issue, newsletter)
    try:
        settings = mailer.SmtpSettings.from_url(os.environ.get("PICKS_SMTP_URL", "")) if not dry_run else None
        sent_state = mailer.SendState(state or project.root / project.picks.digest.state)
        report = mailer.send_issue(
            issue.period,
            recipients,
            lambda address: email_issue.email_message(
                issue, newsletter, rendered.subject, rendered.html, rendered.text, address
            ),
            settings,  # type: ignore[arg-type]
            sent_state,
            resend=resend,
            dry_run=dry_run,
        )
    except mailer.SendError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    verb = "would send to" if dry_run else "sent to"
    for address in report.sent:
        click.echo(f"{verb} {address}")
    for address, reason in report.failed:
        click.echo(f"error: {address}: {reason}", err=True)
    click.echo(
        f"{issue.period}: {verb} {len(report.sent)}, already served {len(report.skipped)}, failed {len(report.failed)}"
    )
    sys.exit(1 if report.failed else 0)


@main.command("hf-sync")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@click.option("--prune", is_flag=True, help="Also remove items this tool added whose paper is no longer picked.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help="The site's MkDocs config.")
def hf_sync_command(keys: tuple[str, ...], dry_run: bool, prune: bool, config_file: str) -> None:
    """Make each collection's Hugging Face collection (hf_collection) hold its papers in its order ($HF_TOKEN)."""
    project = _load_config(config_file)
    config = project.picks
    targets = {key: c.hf_collection for key, c in config.collections.items() if c.hf_collection}
    unknown = [key for key in keys if key not in targets]
    if unknown:
        raise click.BadParameter(f"no hf_collection for {', '.join(unknown)} in {config_file}", param_hint="KEY")
    token = os.environ.get("HF_TOKEN")
    if not token and not dry_run:
        raise click.UsageError("HF_TOKEN is not set: create a write token on huggingface.co/settings/tokens")
    settings = load_settings(config, project.markdown_extensions, project.mdx_configs)
    result = load_picks(project.root / config.dir, settings)
    if result.errors:
        for finding in result.errors:
            click.echo(str(finding), err=True)
        click.echo("error: fix the picks first (picks check)", err=True)
        sys.exit(1)
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token or False)
    picks_url = urljoin(project.site_url, "picks/")

    def url_for(pick) -> str:
        return urljoin(project.site_url, folder_url(f"picks/{pick.id}", project.use_directory_urls))

    failed = False
    for key in keys or sorted(targets):
        own_order = config.collections[key].order or config.order
        picks = order_picks([p for p in result.picks if p.collection == key], own_order)
        wanted, skipped = hf_sync.wanted_items(picks, url_for)
        hub = hf_sync.HubCollection(api, targets[key])
        try:
            current = hub.items()
            planned = hf_sync.plan(current, wanted, picks_url, prune=prune)
            planned.skipped = skipped
            for line in planned.lines():
                click.echo(f"{key}: {line}")
            if dry_run:
                click.echo(f"{key} → {targets[key]}: dry run, {planned.writes(current)} write(s) planned, none made")
                continue
            hub.apply(planned)
        except HfHubHTTPError as exc:
            click.echo(f"error: {key} → {targets[key]}: {hf_sync.describe(exc)}", err=True)
            failed = True
            continue
        except httpx2.TransportError as exc:  # huggingface_hub's HTTP client: no connection, time-out
            click.echo(f"error: {key}: cannot reach the Hub at {api.endpoint} ({exc.__class__.__name__})", err=True)
            failed = True
            continue
        click.echo(f"{key} → {targets[key]}: {len(wanted)} papers, {hub.writes} write(s)")
    sys.exit(1 if failed else 0)


@main.command()
def schema() -> None:
    """Print the JSON Schema of pick front matter (kept in schema/pick.schema.json)."""
    from .editor_schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))
