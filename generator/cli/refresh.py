"""``picks refresh``: replies to the announced posts and the papers' citations into the committed caches (SPEC 14);
a fetch that fails is a warning, the last cached answer stays, the exit status is 0."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import click

from ..core.afterword import read_caches, write_caches
from ..core.listings import pick_folder
from ..core.people import load_people
from ..sources.openalex import SPACING
from ..sources.refresh import Outcome, network_readers, refresh_citations, refresh_conversation
from ..sources.replies import Reader
from .common import config_option, load_config, pick_thread, published_picks

now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731 - the one clock read; tests pin it


@click.command()
@config_option
def refresh(config_file: str) -> None:
    """Read replies (Bluesky, Mastodon) and citations (OpenAlex) into .picks/conversation.json and
    .picks/citations.json, for the build to show; run daily before the build."""
    project = load_config(config_file)
    config = project.picks
    conversation, cited = config.conversation, config.citations
    if not (conversation.bluesky or conversation.mastodon or cited.openalex):
        click.echo("nothing to refresh: turn on conversation.bluesky/.mastodon or citations.openalex in mkdocs.yml")
        return
    picks = published_picks(project)
    caches = read_caches(project.root)
    stamp = now().astimezone(UTC).isoformat(timespec="seconds")
    out = Outcome()
    if conversation.bluesky or conversation.mastodon:
        people, _ = load_people(project.root / config.people)
        reader = Reader(conversation.requests)
        networks = network_readers(
            reader,
            config.announce.bluesky_handle if conversation.bluesky else None,
            config.announce.mastodon_account if conversation.mastodon else None,
            page_of=lambda pick: project.page_url(pick_folder(pick)),
            first_post_of=lambda pick: pick_thread(project, pick, "mastodon", people)[0],
        )
        for network in ("bluesky", "mastodon"):
            if getattr(conversation, network) and network not in networks:
                key = "bluesky_handle" if network == "bluesky" else "mastodon_account"
                out.warnings.append(f"warning: {network}: set announce.{key} in mkdocs.yml to read its replies")
        refresh_conversation(picks, caches, networks, reader, stamp, out)
    if cited.openalex:
        papers = {identity: paper for pick in picks for paper in pick.papers for identity in paper.identities[:1]}
        papers = {key: paper for key, paper in papers.items() if not key.startswith("url:")}
        refresh_citations(papers, caches, Reader(cited.requests, SPACING), cited.mailto, stamp, out)
    write_caches(project.root, caches)
    for line in dict.fromkeys(out.warnings):
        click.echo(line, err=True)
    click.echo(
        f"refreshed {out.refreshed_picks} picks' replies and {out.refreshed_papers} papers' citations"
        + (f"; {out.left} left for the next run" if out.left else "")
    )
