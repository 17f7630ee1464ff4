"""``picks announce``: due picks posted as threads on the network, each once, found again on the network itself."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

import click

from ..core.listings import pick_folder
from ..core.people import load_people
from ..core.schedule import publishing_now
from ..mkdocs.config import collection_settings
from ..outputs import posts
from ..sources.mastodon_account import AnnounceError, MastodonAccount
from .common import config_option, did_you_mean, load_config, pick_id_of, published_picks

DEFAULT_DAYS = 7  # without announce.since: how far back a first run on an existing site reaches


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--to", "network", type=click.Choice(["mastodon"]), required=True)
@click.option("--dry-run", is_flag=True, help="Say what would be posted; post nothing (still reads the account).")
@config_option
def announce(ids: tuple[str, ...], network: str, dry_run: bool, config_file: str) -> None:
    """Post published, due picks not yet announced, oldest first, as threads ($PICKS_MASTODON_URL, _TOKEN)."""
    project = load_config(config_file)
    config = project.picks
    url, token = os.environ.get("PICKS_MASTODON_URL", ""), os.environ.get("PICKS_MASTODON_TOKEN", "")
    if not url or not token:
        raise click.UsageError("set PICKS_MASTODON_URL (https://your.server) and PICKS_MASTODON_TOKEN (write:statuses)")
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
    collections = collection_settings(config)
    account = MastodonAccount(url, token)
    announced = 0
    try:
        for pick in candidates:
            page = project.page_url(pick_folder(pick))
            texts = posts.posts(
                pick,
                network,
                collection=collections.get(pick.collection, (pick.collection, "", None))[0],
                url=page,
                people=people,
                header=config.post.header,
                header_x2=config.post.header_x2,
            )
            thread = account.thread(page)
            if len(thread.ids) >= len(texts):
                continue  # announced already, from this checkout or any other
            if not ids and announced >= config.announce.max_per_run:
                click.echo(f"{pick.id}: waits for the next run (announce.max_per_run is {config.announce.max_per_run})")
                continue
            state = f"completes its thread ({len(thread.ids)} of {len(texts)} there)" if thread.ids else "posts it"
            if dry_run:
                click.echo(f"{pick.id}: would post {len(texts) - len(thread.ids)} of {len(texts)} ({state})")
            else:
                account.complete(pick.id, texts, thread, config.announce.language)
                click.echo(f"{pick.id}: {state}: {len(texts)} post(s) on {url}")
            announced += 1
    except AnnounceError as error:
        click.echo(f"error: {error}", err=True)
        click.echo(f"{network}: {account.writes} post(s) made, {account.requests} request(s)", err=True)
        sys.exit(1)
    made = f"{account.writes} post(s) made, {account.requests} request(s)"
    click.echo(f"{network}: {announced} pick(s) announced, {made}")
