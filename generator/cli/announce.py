"""``picks announce``: due picks posted as threads on the network, each once, found again on the network itself."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

import click

from ..core.listings import pick_folder
from ..core.people import load_people
from ..core.schedule import publishing_now
from ..outputs import bluesky_facets, posts
from ..sources.announcing import AnnounceError, SkipPick
from ..sources.bluesky_account import BlueskyAccount
from ..sources.mastodon_account import MastodonAccount
from .common import config_option, did_you_mean, load_config, pick_id_of, pick_thread, published_picks

DEFAULT_DAYS = 7  # without announce.since: how far back a first run on an existing site reaches


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--to", "network", type=click.Choice(["bluesky", "mastodon"]), required=True)
@click.option("--dry-run", is_flag=True, help="Say what would be posted; post nothing (reads the account when it can).")
@config_option
def announce(ids: tuple[str, ...], network: str, dry_run: bool, config_file: str) -> None:
    """Post published, due picks not yet announced, oldest first, as threads (README: Announcing)."""
    project = load_config(config_file)
    config = project.picks
    if network == "mastodon":
        url, token = os.environ.get("PICKS_MASTODON_URL", ""), os.environ.get("PICKS_MASTODON_TOKEN", "")
        missing = "" if url and token else "set PICKS_MASTODON_URL (https://your.server) and PICKS_MASTODON_TOKEN"
    else:
        url = os.environ.get("PICKS_BLUESKY_PDS") or "https://bsky.social"
        handle, password = os.environ.get("PICKS_BLUESKY_HANDLE", ""), os.environ.get("PICKS_BLUESKY_APP_PASSWORD", "")
        missing = (
            "" if handle and password else "set PICKS_BLUESKY_HANDLE and PICKS_BLUESKY_APP_PASSWORD (an app password)"
        )
    if missing and not dry_run:
        raise click.UsageError(missing)
    published = published_picks(project)
    if ids:
        wanted = [pick_id_of(i) for i in ids]
        by_id = {p.id: p for p in published}
        if unknown := [i for i in wanted if i not in by_id]:
            ids_known = [p.id for p in published]
            raise click.BadParameter(f"no published pick '{unknown[0]}'{did_you_mean(unknown[0], ids_known)}")
        candidates = [by_id[i] for i in wanted]
    else:
        since = date.fromisoformat(config.announce.since) if config.announce.since else None
        since = since or (publishing_now().date() - timedelta(days=DEFAULT_DAYS))
        candidates = [p for p in published if p.local_date >= since]  # oldest first: the loader's order
    people, _ = load_people(project.root / config.people)
    announced = 0
    skipped: list[str] = []
    account: MastodonAccount | BlueskyAccount | None = None
    try:
        if missing:
            raise AnnounceError("no credentials")
        if network == "mastodon":
            account = MastodonAccount(url, token)
        else:
            account = BlueskyAccount(url, handle, password, bluesky_facets.rich_text)
    except AnnounceError as error:
        if not dry_run:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        _unread(error, network, [(p.id, pick_thread(project, p, network, people)) for p in candidates])
        return
    try:
        for pick in candidates:
            page = project.page_url(pick_folder(pick))
            texts = pick_thread(project, pick, network, people)
            if problems := posts.overlong(texts, network):  # the network would refuse it on every run
                click.echo(f"error: {pick.id}: skipped: {problems[0]} (picks check says where)", err=True)
                skipped.append(pick.id)
                continue
            try:
                posted = account.posted(pick, page, texts)
            except SkipPick as error:
                click.echo(f"error: {pick.id}: skipped: {error}", err=True)
                skipped.append(pick.id)
                continue
            there = len(posted)
            if there >= len(texts):
                continue  # announced already, from this checkout or any other
            if not ids and announced >= config.announce.max_per_run:
                click.echo(f"{pick.id}: waits for the next run (announce.max_per_run is {config.announce.max_per_run})")
                continue
            state = f"completes its thread ({there} of {len(texts)} there)" if there else "posts it"
            if dry_run:
                click.echo(f"{pick.id}: would post {len(texts) - there} of {len(texts)} ({state})")
            else:
                account.complete(pick, page, texts, posted, config.announce.language)  # type: ignore[arg-type]
                click.echo(f"{pick.id}: {state}: {len(texts)} post(s) on {url}")
            announced += 1
    except AnnounceError as error:
        if dry_run and account is not None and not account.writes:
            _unread(error, network, [(p.id, pick_thread(project, p, network, people)) for p in candidates])
            return
        click.echo(f"error: {error}", err=True)
        if account is not None:
            click.echo(f"{network}: {account.writes} post(s) made, {account.requests} request(s)", err=True)
        sys.exit(1)
    assert account is not None
    made = f"{account.writes} post(s) made, {account.requests} request(s)"
    click.echo(f"{network}: {announced} pick(s) announced, {made}")
    if skipped:
        click.echo(f"error: {len(skipped)} pick(s) skipped: {', '.join(skipped)}", err=True)
        sys.exit(1)


def _unread(error: AnnounceError, network: str, threads: list[tuple[str, list[str]]]) -> None:
    """A dry run needs neither credentials nor the network: the posts as they would go out, said to be so."""
    click.echo(f"note: the {network} account was not read ({error}): which picks it already has is not known")
    for pick_id, texts in threads:
        click.echo(f"{pick_id}: would post {len(texts)} post(s)")
        click.echo("\n\n---\n\n".join(texts))
