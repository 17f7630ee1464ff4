"""The people file: an author's name to their handle on each network, checked like a pick."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Invalid, PickError
from .frontmatter import Mapping, Scalar, compose
from .loader import display_path

NETWORKS = ("x", "bluesky", "mastodon", "linkedin")
# Each network's handle syntax, and how an error explains it.
HANDLES: dict[str, tuple[re.Pattern[str], str]] = {
    "x": (re.compile(r"^@[A-Za-z0-9_]{1,15}$"), "@ and 1-15 letters, digits or _ (e.g. @gatsbyunit)"),
    "bluesky": (
        re.compile(r"^@(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$"),
        "@ and a domain handle (e.g. @name.bsky.social)",
    ),
    "mastodon": (
        re.compile(r"^@[A-Za-z0-9_]{1,30}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"),
        "@user@server (e.g. @a@sigmoid.social)",
    ),
    "linkedin": (re.compile(r"^[A-Za-z0-9-]{3,100}$"), "the profile's vanity name (linkedin.com/in/<name>)"),
}


@dataclass(frozen=True)
class People:
    """Handles by author name and network; names compare without case or surrounding spaces."""

    handles: dict[str, dict[str, str]] = field(default_factory=dict)

    def handle(self, name: str, network: str) -> str | None:
        return self.handles.get(" ".join(name.split()).casefold(), {}).get(network)

    def handle_for(self, handle: str, network: str) -> str | None:
        """The network's handle of the person who has ``handle`` on some network (``@gatsbyunit`` on X)."""
        for by_network in self.handles.values():
            if handle in by_network.values():
                return by_network.get(network)
        return None


def valid_handle(handle: str, network: str) -> bool:
    return bool(HANDLES[network][0].match(handle))


def load_people(path: Path) -> tuple[People, list[PickError]]:
    """The people file (none: nobody known) and every problem in it, with its line."""
    if not path.exists():
        return People(), []
    shown = display_path(path)
    try:
        root = compose(path.read_text("utf-8"), first_line=1)
    except (Invalid, UnicodeDecodeError) as exc:
        line, where, message = (
            (exc.line, exc.field, exc.message) if isinstance(exc, Invalid) else (1, "encoding", str(exc))
        )
        return People(), [PickError(shown, line, where, message)]
    handles: dict[str, dict[str, str]] = {}
    problems = []
    for name, entry in root.items.items():
        if not isinstance(entry, Mapping):
            problems.append(
                PickError(shown, root.key_lines[name], name, "expected networks and handles: 'x: \"@handle\"'")
            )
            continue
        for network, value in entry.items.items():
            where, line = f"{name}.{network}", entry.key_lines[network]
            if network not in NETWORKS:
                problems.append(PickError(shown, line, where, f"unknown network (known: {', '.join(NETWORKS)})"))
            elif not isinstance(value, Scalar) or not valid_handle(value.text, network):
                shown_value = value.text if isinstance(value, Scalar) else "a list or mapping"
                problems.append(
                    PickError(shown, line, where, f"'{shown_value}' is not a {network} handle: {HANDLES[network][1]}")
                )
            else:
                handles.setdefault(" ".join(name.split()).casefold(), {})[network] = value.text
    return People(handles), problems
