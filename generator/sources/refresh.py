"""One ``picks refresh`` run: replies and citations read oldest-refreshed first within a request budget, into the
caches; a source that fails keeps its last answer and is warned about once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.afterword import Caches, Citations, Thread
from ..core.model import Paper, Pick
from ..core.post_links import BLUESKY_POST, MASTODON_STATUS
from .openalex import citations
from .replies import Bluesky, FetchError, Mastodon, Reader

PER_PAPER = 2  # OpenAlex requests a paper takes: its work, then the works citing it


@dataclass
class Network:
    """One network's reader of a pick's thread, and the most requests that reading can take."""

    read: Callable[[Pick], Thread | None]
    cost: Callable[[Pick], int]


@dataclass
class Outcome:
    warnings: list[str] = field(default_factory=list)
    refreshed_picks: int = 0
    refreshed_papers: int = 0
    left: int = 0  # entries the budget did not reach: the next run's first


def refresh_conversation(
    picks: list[Pick], caches: Caches, networks: dict[str, Network], reader: Reader, now: str, out: Outcome
) -> None:
    """Each pick's threads, oldest-refreshed first, in whole picks: a pick is begun only when the budget left
    covers the most it can take, so a run never spends requests on a pick it cannot finish."""
    failed: set[str] = set()
    too_dear: list[int] = []
    for gone in set(caches.threads) - {p.id for p in picks if p.replies}:  # deleted, renamed or turned off
        caches.threads.pop(gone)
    order = sorted((p for p in picks if p.replies), key=lambda p: (caches.refreshed.get(f"pick:{p.id}", ""), p.id))
    for number, pick in enumerate(order):
        if failed == set(networks):
            out.left += len(order) - number
            break
        cost = sum(network.cost(pick) for name, network in networks.items() if name not in failed)
        if cost > reader.budget:  # no run could finish it: said once, and the queue goes on past it
            too_dear.append(cost)
            continue
        if cost > reader.budget - reader.requests:
            out.left += len(order) - number
            break
        threads = {t.network: t for t in caches.threads.get(pick.id, [])}
        for name, network in networks.items():
            if name in failed:
                continue
            try:
                found = network.read(pick)
            except FetchError as exc:
                failed.add(name)
                out.warnings.append(f"warning: {name}: {exc}; the cached replies stay")
                continue
            if found is None:
                threads.pop(name, None)
            else:
                threads[name] = found
        # Kept when empty too: when a pick was last read is what puts it at the back of the next run's queue.
        caches.threads[pick.id] = [threads[n] for n in sorted(threads)]
        if not failed:  # a pick a failing network could not read keeps its turn: first in the next run
            caches.refreshed[f"pick:{pick.id}"] = now
            out.refreshed_picks += 1
    if too_dear:
        out.warnings.append(
            f"warning: {len(too_dear)} picks not read: one can take up to {max(too_dear)} requests, more than"
            f" conversation.requests ({reader.budget}); raise it in mkdocs.yml"
        )


def refresh_citations(papers: dict[str, Paper], caches: Caches, reader: Reader, mailto: str, now: str, out: Outcome):
    """Each paper's citations, oldest-refreshed first, until the budget is spent or OpenAlex fails."""
    for gone in set(caches.citations) - set(papers):  # no longer picked
        caches.citations.pop(gone)
    order = sorted(papers, key=lambda key: (caches.refreshed.get(key, ""), key))
    for number, key in enumerate(order):
        if reader.budget - reader.requests < PER_PAPER:  # a paper half read would be a request spent for nothing
            out.left += len(order) - number
            return
        try:
            found = citations(reader, papers[key], mailto)
        except FetchError as exc:
            out.warnings.append(f"warning: OpenAlex: {exc}; the cached citations stay")
            out.left += len(order) - number
            return
        # A paper OpenAlex does not know is kept as such, so its turn comes again only after the others'.
        caches.citations[key] = found or Citations("", 0)
        caches.refreshed[key] = now
        out.refreshed_papers += 1


def network_readers(
    reader: Reader,
    bluesky: str | None,
    mastodon: str | None,
    page_of: Callable[[Pick], str],
    first_post_of: Callable[[Pick], str],
) -> dict[str, Network]:
    """The enabled networks' thread readers, for accounts named in config."""
    found: dict[str, Network] = {}
    if bluesky:
        sky = Bluesky(reader, bluesky)
        found["bluesky"] = Network(
            lambda pick: sky.thread(pick, page_of(pick), _bluesky_links(pick)),
            lambda pick: sky.cost(_bluesky_links(pick)),
        )
    if mastodon:
        toot = Mastodon(reader, mastodon)
        found["mastodon"] = Network(
            lambda pick: toot.thread(first_post_of(pick), _mastodon_links(pick)),
            lambda pick: toot.cost(_mastodon_links(pick)),
        )
    return found


def _bluesky_links(pick: Pick) -> list[str]:
    """The pick's ``announced`` links to a Bluesky post (front matter, for a thread posted by hand)."""
    return [url for url in pick.announced if BLUESKY_POST.match(url)]


def _mastodon_links(pick: Pick) -> list[str]:
    """The pick's ``announced`` links to a Mastodon status."""
    return [url for url in pick.announced if MASTODON_STATUS.match(url)]
