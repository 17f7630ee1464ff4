"""``picks post``: a pick as the post or thread for one social network."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..core.listings import pick_folder
from ..core.people import load_people
from ..outputs import posts
from ..outputs.posts import NETWORKS
from .common import config_option, did_you_mean, load_config, pick_id_of, pick_thread, read_picks


@click.command()
@click.argument("pick_id", metavar="ID")
@click.option("--to", "network", type=click.Choice(list(NETWORKS)), default="x", show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"network", "url", "posts"} for automation.')
@click.option("--open", "share", is_flag=True, help="X, LinkedIn: print (and open) the compose page, text filled in.")
@config_option
def post(pick_id: str, network: str, as_json: bool, share: bool, config_file: str) -> None:
    """Print a pick as the post (or numbered thread) for a social network, in the curator's format."""
    project = load_config(config_file)
    config = project.picks
    result = read_picks(project, include_drafts=True)
    pick_id = pick_id_of(pick_id)
    pick = next((p for p in result.picks if p.id == pick_id), None)
    if pick is None:
        problems = [str(f) for f in result.errors if Path(f.path).stem == pick_id]
        reason = problems[0] if problems else f"no pick with the id '{pick_id}' under {config.dir}/"
        click.echo(f"error: {reason}{did_you_mean(pick_id, [p.id for p in result.picks])}", err=True)
        sys.exit(1)
    if pick.preview_only:
        state = "a draft" if pick.draft else f"scheduled for {pick.instant:%Y-%m-%d %H:%M} UTC"
        click.echo(
            f"warning: {pick.id} is {state}: its page is not on the site yet, so the link in this post is a 404 "
            "until it is published",
            err=True,
        )
    people, people_findings = load_people(project.root / config.people)
    for finding in people_findings:
        click.echo(f"warning: {finding}", err=True)
    url = project.page_url(pick_folder(pick))
    thread = pick_thread(project, pick, network, people)
    for reason in posts.mentions_for(pick, people, network)[1]:
        click.echo(f"note: left out of the {network} post: {reason}", err=True)
    if share:
        compose = posts.share_url(network, thread[0])
        if compose is None:
            raise click.UsageError(f"--open is for x and linkedin; {network} posts go out with `picks announce`")
        click.echo(compose)
        if len(thread) > 1:
            click.echo(f"then post the other {len(thread) - 1} as replies, in order (`picks post {pick.id}`)", err=True)
        if sys.stdout.isatty():
            click.launch(compose)
    elif as_json:
        click.echo(json.dumps({"network": network, "url": url, "posts": thread}, ensure_ascii=False))
    else:
        click.echo("\n\n---\n\n".join(thread))
