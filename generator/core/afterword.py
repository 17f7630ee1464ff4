"""What came after a pick, as the committed caches hold it: replies to its first posts and its papers' citations."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

CONVERSATION = ".picks/conversation.json"
CITATIONS = ".picks/citations.json"
CITING_LIMIT = 50  # citing works kept per paper and shown per feed
TEXT_LIMIT = 3000  # characters of a reply kept: Bluesky allows 300 graphemes, Mastodon servers up to a few thousand
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


@dataclass(frozen=True)
class Reply:
    """One public reply, as plain text: nothing from the network is ever markup."""

    network: str  # bluesky | mastodon
    uri: str  # at:// URI or the status's ActivityPub id
    url: str  # where a reader sees it (and replies to it)
    author: str  # display name
    handle: str
    created: str  # ISO 8601, UTC
    text: str
    parent: str | None = None  # the uri of the reply it answers, when it answers a reply


@dataclass
class Thread:
    """A pick's first post on one network, and its replies."""

    network: str
    uri: str
    url: str
    replies: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class CitingWork:
    id: str  # OpenAlex work id (https://openalex.org/W…): the feed item's id
    title: str
    date: str  # publication date, YYYY-MM-DD
    url: str  # its DOI link, else its OpenAlex page


@dataclass
class Citations:
    """A paper's OpenAlex work: how often it is cited, and the newest works citing it."""

    work: str
    cited_by_count: int
    citing: list[CitingWork] = field(default_factory=list)


@dataclass
class Caches:
    """Both caches, with when each entry was last refreshed (``refreshed``: key → ISO date-time)."""

    threads: dict[str, list[Thread]] = field(default_factory=dict)  # pick id → its threads
    citations: dict[str, Citations] = field(default_factory=dict)  # paper identity (arxiv:…, doi:…) → citations
    refreshed: dict[str, str] = field(default_factory=dict)  # "pick:<id>" or the paper identity → when


def read_caches(root: Path) -> Caches:
    """The committed caches under ``root`` (none yet: empty); an entry of the wrong shape is left out."""
    caches = Caches()
    conversation = _read(root / CONVERSATION)
    for pick_id, entry in conversation.items():
        try:
            caches.threads[pick_id] = [
                Thread(t["network"], t["uri"], t["url"], [Reply(**r) for r in t["replies"]]) for t in entry["threads"]
            ]
            caches.refreshed[f"pick:{pick_id}"] = str(entry["refreshed"])
        except (KeyError, TypeError):
            continue
    for paper, entry in _read(root / CITATIONS).items():
        try:
            citing = [CitingWork(**w) for w in entry["citing"]]
            caches.citations[paper] = Citations(str(entry["work"]), int(entry["cited_by_count"]), citing)
            caches.refreshed[paper] = str(entry["refreshed"])
        except (KeyError, TypeError, ValueError):
            continue
    return caches


def _read(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_caches(root: Path, caches: Caches) -> None:
    """Both caches, sorted and indented, so a refresh's commit shows only what changed."""
    conversation = {
        pick_id: {"refreshed": caches.refreshed.get(f"pick:{pick_id}", ""), "threads": [asdict(t) for t in threads]}
        for pick_id, threads in caches.threads.items()
    }
    citations = {
        paper: {"refreshed": caches.refreshed.get(paper, ""), **asdict(found)}
        for paper, found in caches.citations.items()
    }
    for name, data in ((CONVERSATION, conversation), (CITATIONS, citations)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def shown_replies(thread: Thread, hidden: frozenset[str]) -> list[tuple[Reply, list[Reply]]]:
    """The replies a page shows, oldest first, each with the replies to it (one level: a reply deeper down
    shows under the top-level reply it descends from); a hidden reply hides what answers it too."""
    by_uri = {r.uri: r for r in thread.replies}
    top: dict[str, list[Reply]] = {}

    def ancestor(reply: Reply) -> Reply | None:
        seen = set()
        while reply.parent and reply.parent in by_uri and reply.parent not in seen:
            if reply.uri in hidden or reply.url in hidden:
                return None
            seen.add(reply.uri)
            reply = by_uri[reply.parent]
        return None if reply.uri in hidden or reply.url in hidden else reply

    ordered = sorted(thread.replies, key=lambda r: (r.created, r.uri))
    for reply in ordered:
        if (root := ancestor(reply)) is not None and root is reply:
            top[reply.uri] = []
    for reply in ordered:
        if (root := ancestor(reply)) is not None and root is not reply and root.uri in top:
            top[root.uri].append(reply)
    return [(by_uri[uri], answers) for uri, answers in top.items()]


def text_parts(text: str) -> list[tuple[str, str | None]]:
    """A reply's text as (text, link or None) pieces: links only where the text has an http(s) address."""
    parts, last = [], 0
    for found in _URL.finditer(text):
        parts += [(text[last : found.start()], None), (found.group(), found.group())]
        last = found.end()
    return [p for p in [*parts, (text[last:], None)] if p[0]]
