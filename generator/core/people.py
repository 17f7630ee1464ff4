"""The people file: an author's name to their handle on each network, checked like a pick."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Invalid, PickError
from .frontmatter import Mapping, Scalar, Sequence, compose
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
    # Every spelling of a person (their entry's name and its `names:`), folded, to that entry's name as written.
    spellings: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str | None:
        """The entry name of the person written ``name``, if people.yml knows that spelling."""
        return self.spellings.get(" ".join(name.split()).casefold())

    def handle(self, name: str, network: str) -> str | None:
        folded = " ".join(name.split()).casefold()
        person = self.spellings.get(folded, folded).casefold()
        return self.handles.get(person, {}).get(network)

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
        text = path.read_text("utf-8")
        if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
            return People(), []  # only comments (handles picks import proposed, not yet confirmed): nobody known
        root = compose(text, first_line=1)
    except (Invalid, UnicodeDecodeError) as exc:
        line, where, message = (
            (exc.line, exc.field, exc.message) if isinstance(exc, Invalid) else (1, "encoding", str(exc))
        )
        return People(), [PickError(shown, line, where, message)]
    handles: dict[str, dict[str, str]] = {}
    spellings: dict[str, str] = {}
    problems = []
    for name, entry in root.items.items():
        if not isinstance(entry, Mapping):
            problems.append(
                PickError(shown, root.key_lines[name], name, "expected networks and handles: 'x: \"@handle\"'")
            )
            continue
        written = " ".join(name.split())
        spellings[written.casefold()] = written
        for network, value in entry.items.items():
            where, line = f"{name}.{network}", entry.key_lines[network]
            if network == "names":  # the other spellings of this person, for author pages
                items = value.items if isinstance(value, Sequence) else ()
                if not items or not all(isinstance(item, Scalar) and item.text.strip() for item in items):
                    problems.append(PickError(shown, line, where, "expected a list of spellings: [T. Moskovitz]"))
                for item in items:
                    if isinstance(item, Scalar) and item.text.strip():
                        spellings[" ".join(item.text.split()).casefold()] = written
                continue
            if network not in NETWORKS:
                problems.append(PickError(shown, line, where, f"unknown network (known: {', '.join(NETWORKS)})"))
            elif not isinstance(value, Scalar) or not valid_handle(value.text, network):
                shown_value = value.text if isinstance(value, Scalar) else "a list or mapping"
                problems.append(
                    PickError(shown, line, where, f"'{shown_value}' is not a {network} handle: {HANDLES[network][1]}")
                )
            else:
                handles.setdefault(" ".join(name.split()).casefold(), {})[network] = value.text
    return People(handles, spellings), problems
