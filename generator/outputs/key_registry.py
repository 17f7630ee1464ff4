"""The committed registry of published BibTeX keys (a lockfile): paper → key, each entry written once, never changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..core.model import Pick

REGISTRY = Path(".picks") / "bibkeys.json"


@dataclass(frozen=True)
class Published:
    """A registry entry: the paper's first identity, its key, and the pick that published it."""

    identity: str
    key: str
    pick: str


def load(path: Path) -> dict[str, Published]:
    """The entries by identity; an absent file is an empty registry (a site that never ran `picks keys`)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    return {identity: Published(identity, entry["key"], entry["pick"]) for identity, entry in data.items()}


def dump(entries: dict[str, Published]) -> str:
    """Sorted, one entry a line group, stable: the same registry gives the same bytes."""
    data = {identity: {"key": e.key, "pick": e.pick} for identity, e in sorted(entries.items())}
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def conflicts(picks: list[Pick], entries: dict[str, Published]) -> list[tuple[Pick, int, str]]:
    """(pick, paper index, message) for each paper whose pinned key would change an entry or take another
    paper's published key."""
    by_key = {e.key.lower(): e for e in entries.values()}
    found = []
    for pick in picks:
        for index, paper in enumerate(pick.papers):
            mine = next((entries[i] for i in paper.identities if i in entries), None)
            if mine is not None and paper.key and paper.key != mine.key:
                found.append(
                    (
                        pick,
                        index,
                        f"key '{paper.key}' would rename {mine.identity}, published as "
                        f"'{mine.key}' by {mine.pick} (.picks/bibkeys.json): remove key, or write '{mine.key}'",
                    )
                )
            owner = by_key.get(paper.key.lower()) if paper.key else None
            if owner is not None and owner.identity not in paper.identities:
                found.append(
                    (
                        pick,
                        index,
                        f"key '{paper.key}' is published for {owner.identity} by {owner.pick} "
                        "(.picks/bibkeys.json): choose another",
                    )
                )
    return found
