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


class RegistryError(ValueError):
    """A registry file that is not one: ``line`` is where it goes wrong, as well as JSON can say."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: error: {message}")
        self.path, self.line, self.message = path, line, message


def load(path: Path) -> dict[str, Published]:
    """The entries by identity; an absent file is an empty registry (a site that never ran `picks keys`)."""
    try:
        text = path.read_text("utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        return {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(path, getattr(exc, "lineno", 1), f"not JSON ({exc}): write it with `picks keys`") from None
    if not isinstance(data, dict):
        raise RegistryError(path, 1, "not an object of paper → {key, pick}: write it with `picks keys`")
    entries: dict[str, Published] = {}
    holders: dict[str, str] = {}  # key, lower-cased as BibTeX compares them → the identity holding it
    for identity, entry in data.items():
        if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("key", "pick"))):
            raise RegistryError(
                path, _line(text, identity), f"{identity}: an entry holds a key and a pick, both strings"
            )
        if (holder := holders.setdefault(entry["key"].lower(), identity)) != identity:
            message = f"{identity}: the key '{entry['key']}' is {holder}'s: one key, one paper"
            raise RegistryError(path, _line(text, identity), message)
        entries[identity] = Published(identity, entry["key"], entry["pick"])
    return entries


def _line(text: str, identity: str) -> int:
    """The line of the file where an entry opens (the first line if JSON wrote it some other way)."""
    quoted = json.dumps(identity, ensure_ascii=False)
    return next((n for n, line in enumerate(text.split("\n"), start=1) if quoted in line), 1)


def changes(published: dict[str, Published], entries: dict[str, Published]) -> list[str]:
    """What ``entries`` changed of the ``published`` registry (the base branch's): each entry removed or altered."""
    found = []
    for identity, before in sorted(published.items()):
        after = entries.get(identity)
        if after is None:
            found.append(f"{identity}: the entry '{before.key}' ({before.pick}) is gone: restore it")
        elif after != before:
            found.append(
                f"{identity}: published as '{before.key}' by {before.pick}, now '{after.key}' by {after.pick}:"
                " a published entry never changes: restore it"
            )
    return found


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
