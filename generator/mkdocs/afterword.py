"""Replies and citations on a pick's page and in the citing feeds, from the caches ``picks refresh`` writes."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from markupsafe import Markup

from ..core.afterword import Caches, Citations, Reply, Thread, read_caches, shown_replies, text_parts
from ..core.model import Paper, Pick
from .config import PicksConfig

NETWORK_NAMES = {"bluesky": "Bluesky", "mastodon": "Mastodon"}
REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class Afterword:
    """What a pick page shows below the pick: replies per network, citations per paper."""

    # (network name, thread, replies each with the replies to it, how many replies in all)
    threads: list[tuple[str, Thread, list[tuple[Reply, list[Reply]]], int]]
    cited: list[tuple[Paper, Citations]]
    citing_feed: bool


def load(config: PicksConfig, root: Path) -> Caches:
    """The caches, when the site shows replies or citations; nothing otherwise."""
    shows = config.conversation.bluesky or config.conversation.mastodon or config.citations.openalex
    return read_caches(root) if shows else Caches()


def for_pick(pick: Pick, caches: Caches, config: PicksConfig) -> Afterword:
    hidden = frozenset(config.conversation.hide)
    threads = []
    for thread in caches.threads.get(pick.id, []) if pick.replies else []:
        if getattr(config.conversation, thread.network, False) and (replies := shown_replies(thread, hidden)):
            count = sum(1 + len(answers) for _, answers in replies)
            threads.append((NETWORK_NAMES.get(thread.network, thread.network), thread, replies, count))
    cited = []
    if config.citations.openalex:
        for paper in pick.papers:
            found = caches.citations.get(paper.identities[0]) if paper.identities else None
            if found and found.cited_by_count > 0:
                cited.append((paper, found))
    return Afterword(threads, cited, any(c.citing for _, c in cited))


def reply_html(text: str) -> Markup:
    """A reply's text as HTML: every character escaped, links only where the text has an http(s) address."""
    pieces = [
        f'<a href="{escape(link)}" rel="{REL}">{escape(part)}</a>' if link else escape(part).replace("\n", "<br>")
        for part, link in text_parts(text)
    ]
    return Markup("".join(pieces))  # noqa: S704 - built above from escaped pieces only
