"""One ``picks refresh`` run: replies and citations read oldest-refreshed first within a request budget, into the
caches; a source that fails keeps its last answer and is warned about once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..core.afterword import Caches, Citations, Thread
from ..core.model import Paper, Pick
from .openalex import citations
from .replies import Bluesky, BudgetSpent, FetchError, Mastodon, Reader

PER_PAPER = 2  # OpenAlex requests a paper takes: its work, then the works citing it
NetworkThread = Callable[[Pick], Thread | None]


@dataclass
class Outcome:
    warnings: list[str] = field(default_factory=list)
    refreshed_picks: int = 0
    refreshed_papers: int = 0
    left: int = 0  # entries the budget did not reach: the next run's first


def refresh_conversation(
    picks: list[Pick], caches: Caches, networks: dict[str, NetworkThread], reader: Reader, now: str, out: Outcome
) -> None:
    """Each pick's threads, oldest-refreshed first, until the budget is spent or every network has failed."""
    failed: set[str] = set()
    order = sorted((p for p in picks if p.replies), key=lambda p: (caches.refreshed.get(f"pick:{p.id}", ""), p.id))
    for number, pick in enumerate(order):
        if reader.spent or failed == set(networks):
            out.left += len(order) - number
            break
        threads = {t.network: t for t in caches.threads.get(pick.id, [])}
        complete = True
        for network, thread_of in networks.items():
            if network in failed:
                complete = False
                continue
            try:
                found = thread_of(pick)
            except BudgetSpent:
                complete = False
                break
            except FetchError as exc:
                failed.add(network)
                complete = False
                out.warnings.append(f"warning: {network}: {exc}; the cached replies stay")
                continue
            if found is None:
                threads.pop(network, None)
            else:
                threads[network] = found
        if threads:
            caches.threads[pick.id] = [threads[n] for n in sorted(threads)]
        else:
            caches.threads.pop(pick.id, None)
        if complete:
            caches.refreshed[f"pick:{pick.id}"] = now
            out.refreshed_picks += 1
        elif reader.spent:
            out.left += len(order) - number
            break


def refresh_citations(papers: dict[str, Paper], caches: Caches, reader: Reader, mailto: str, now: str, out: Outcome):
    """Each paper's citations, oldest-refreshed first, until the budget is spent or OpenAlex fails."""
    order = sorted(papers, key=lambda key: (caches.refreshed.get(key, ""), key))
    for number, key in enumerate(order):
        if reader.budget - reader.requests < PER_PAPER:  # a paper half read would be a request spent for nothing
            out.left += len(order) - number
            break
        try:
            found = citations(reader, papers[key], mailto)
        except BudgetSpent:
            out.left += len(order) - number
            break
        except FetchError as exc:
            out.warnings.append(f"warning: OpenAlex: {exc}; the cached citations stay")
            out.left += len(order) - number
            break
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
) -> dict[str, NetworkThread]:
    """The enabled networks' thread readers, for accounts named in config."""
    found: dict[str, NetworkThread] = {}
    if bluesky:
        sky = Bluesky(reader, bluesky)
        found["bluesky"] = lambda pick: sky.thread(pick, page_of(pick), [u for u in pick.announced if "bsky" in u])
    if mastodon:
        toot = Mastodon(reader, mastodon)
        found["mastodon"] = lambda pick: toot.thread(
            first_post_of(pick), [u for u in pick.announced if "bsky" not in u]
        )
    return found
