"""``picks hf-sync``: Hugging Face collections that follow the picks collections."""

from __future__ import annotations

import os
import sys
from urllib.parse import urljoin

import click
import httpx2
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from ..core.listings import pick_folder
from ..core.loader import order_picks
from ..sources import hf_sync
from .common import config_option, load_config, published_picks


@click.command("hf-sync")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
@click.option(
    "--dry-run", is_flag=True, help="Print the plan; write nothing (no token needed for a public collection)."
)
@click.option("--prune", is_flag=True, help="Also remove items this tool added whose paper is no longer picked.")
@click.option(
    "--max-writes",
    type=click.IntRange(min=1),
    default=hf_sync.WRITE_BUDGET,
    show_default=True,
    help="Writes per run and collection; the next run continues (the Hub allows about 1,000 requests per 5 minutes).",
)
@config_option
def hf_sync_command(keys: tuple[str, ...], dry_run: bool, prune: bool, max_writes: int, config_file: str) -> None:
    """Make each collection's Hugging Face collection (hf_collection) hold its papers in its order ($HF_TOKEN)."""
    project = load_config(config_file)
    config = project.picks
    targets = {key: c.hf_collection for key, c in config.collections.items() if c.hf_collection}
    if not targets:
        click.echo(f"nothing to sync: no collection in {config_file} has an hf_collection (README: Hugging Face)")
        return
    unknown = [key for key in keys if key not in targets]
    if unknown:
        raise click.BadParameter(f"no hf_collection for {', '.join(unknown)} in {config_file}", param_hint="KEY")
    token = os.environ.get("HF_TOKEN")
    if not token and not dry_run:
        raise click.UsageError("HF_TOKEN is not set: create a write token on huggingface.co/settings/tokens")
    published = published_picks(project)
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token or False)
    picks_url = urljoin(project.site_url, "picks/")

    def url_for(pick) -> str:
        return project.page_url(pick_folder(pick))

    failed = False
    for key in keys or sorted(targets):
        own_order = config.collections[key].order or config.order
        picks = order_picks([p for p in published if p.collection == key], own_order)
        wanted, skipped = hf_sync.wanted_items(picks, url_for)
        hub = hf_sync.HubCollection(api, targets[key])
        where = f"{key} → {targets[key]}"
        try:
            current = hub.items()
        except HfHubHTTPError as exc:
            anonymous = "" if token else " (anonymous: a private collection needs HF_TOKEN even for a dry run)"
            click.echo(f"error: {hf_sync.describe(exc, f'reading {where}')}{anonymous}", err=True)
            failed = True
            continue
        except httpx2.TransportError as exc:  # huggingface_hub 2.x's HTTP client: no connection, time-out
            click.echo(f"error: {key}: cannot reach the Hub at {api.endpoint} ({exc.__class__.__name__})", err=True)
            failed = True
            continue
        planned = hf_sync.plan(current, wanted, picks_url, prune=prune)
        planned.skipped = skipped
        for line in planned.lines():
            click.echo(f"{key}: {line}")
        if dry_run:
            click.echo(f"{where}: dry run, {planned.writes(current)} write(s) planned, none made")
            continue
        try:
            report = hub.apply(planned, max_writes)
        except HfHubHTTPError as exc:
            click.echo(f"error: {hf_sync.describe(exc, f'writing {where}')}", err=True)
            failed = True
            continue
        except httpx2.TransportError as exc:
            click.echo(f"error: {key}: lost the Hub at {api.endpoint} ({exc.__class__.__name__})", err=True)
            failed = True
            continue
        for line in report.unknown:
            click.echo(f"{key}: skip: {line}")
        summary = f"{where}: {len(wanted)} papers, {report.writes} write(s), {report.requests} request(s)"
        if report.rate_limited:
            retry = f"in {report.retry_in} s" if report.retry_in is not None else "later"
            click.echo(
                f"{summary}; stopped: the Hub rate-limited this token (HTTP 429). Run again {retry}: "
                "the next run continues from what is there",
                err=True,
            )
            failed = True
        elif report.left:
            click.echo(f"{summary}; budget of {max_writes} write(s) reached, {report.left} more for the next run")
        else:
            click.echo(summary)
    sys.exit(1 if failed else 0)
