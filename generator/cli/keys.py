"""``picks keys``: the registry of published BibTeX keys (.picks/bibkeys.json), added to and never changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..outputs import key_registry
from ..outputs.bibtex import Citations
from .common import config_option, load_config, published_picks


@click.command()
@click.option("--check", "only_check", is_flag=True, help="Change nothing; exit 1 if the registry lacks a paper.")
@click.option(
    "--base",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The registry as published (the base branch's): exit 1 if an entry of it is gone or changed.",
)
@config_option
def keys(only_check: bool, base: Path | None, config_file: str) -> None:
    """Record the key of every published paper not yet in .picks/bibkeys.json; an entry never changes."""
    project = load_config(config_file)
    path = project.root / key_registry.REGISTRY
    try:
        entries = key_registry.load(path)
        changed = key_registry.changes(key_registry.load(base), entries) if base is not None else []
    except key_registry.RegistryError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for message in changed:
        click.echo(f"{key_registry.REGISTRY}: error: {message}", err=True)
    if changed:
        sys.exit(1)
    picks = published_picks(project)
    if found := key_registry.conflicts(picks, entries):
        for pick, index, message in found:
            line = pick.papers[index].lines.get("key", pick.papers[index].line)
            click.echo(f"{pick.source}:{line}: error: papers[{index}].key: {message}", err=True)
        sys.exit(1)
    citations = Citations(picks, {identity: entry.key for identity, entry in entries.items()})
    owners = {id(citation): pick.id for pick in reversed(picks) for citation in map(citations.citation, pick.papers)}
    added = {}
    for citation in citations.entries:
        if not any(identity in entries for identity in citation.paper.identities):
            identity = citation.paper.identities[0]
            added[identity] = key_registry.Published(identity, citation.key, owners[id(citation)])
    for entry in added.values():
        click.echo(f"{'missing' if only_check else 'added'}: {entry.key} for {entry.identity} ({entry.pick})")
    if only_check:
        click.echo(f"{len(added)} published paper(s) missing from {key_registry.REGISTRY}", err=bool(added))
        sys.exit(1 if added else 0)
    if added:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key_registry.dump({**entries, **added}), "utf-8")
    click.echo(f"{key_registry.REGISTRY}: {len(added)} added, {len(entries)} kept as they were")
