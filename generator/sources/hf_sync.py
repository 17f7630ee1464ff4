"""A Hugging Face collection that follows a picks collection: its papers in the collection's order, newest on top."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import parse_ratelimit_headers

from ..core.model import Pick

NOTE_LIMIT = 500  # the Hub refuses longer notes
# Writes per run and collection: a free token has about 1,000 requests per 5 minutes (hub-docs rate-limits.md),
# and the reads and the site's other jobs need some; a first sync of 800 picks takes three daily runs.
WRITE_BUDGET = 300


@dataclass(frozen=True)
class Wanted:
    """One paper item as the collection should hold it."""

    paper: str  # arXiv id without version: the Hub's paper id
    note: str
    pick_id: str = ""  # the pick that brings it, for messages


@dataclass(frozen=True)
class HubItem:
    object_id: str
    item_id: str
    item_type: str
    note: str | None
    position: int = 0  # as the Hub stores it: not an index (deletions leave gaps)


@dataclass
class Plan:
    """The writes that make the Hub collection match; empty when it already does."""

    add: list[Wanted] = field(default_factory=list)
    notes: list[tuple[HubItem, str]] = field(default_factory=list)
    delete: list[HubItem] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # our papers, top first; moves() keeps the rest below, in order
    skipped: list[str] = field(default_factory=list)  # papers without an arXiv id

    def writes(self, current: list[HubItem]) -> int:
        """How many write calls the plan takes from this state (new items arrive at the bottom)."""
        deleted = {i.object_id for i in self.delete}
        after = [i.item_id for i in current if i.object_id not in deleted] + [w.paper for w in self.add]
        return len(self.add) + len(self.notes) + len(self.delete) + len(moves(after, self.order))

    def lines(self) -> list[str]:
        out = [f"add {w.paper}: {w.note}" for w in self.add]
        out += [f"note {item.item_id}: {note}" for item, note in self.notes]
        out += [f"remove {item.item_id} (added by this tool, no longer picked)" for item in self.delete]
        out += [f"skip: {reason}" for reason in self.skipped]
        return out


def note_for(pick: Pick, url: str) -> str:
    """The pick's title and its page's URL, the title cut so the whole note fits the Hub's limit."""
    room = NOTE_LIMIT - len(url) - 3
    title = pick.title if len(pick.title) <= room else pick.title[: room - 1].rstrip() + "…"
    return f"{title} · {url}"


def wanted_items(picks: list[Pick], url_for: Callable[[Pick], str]) -> tuple[list[Wanted], list[str]]:
    """Papers in the listing's order (an x2 edition's papers adjacent, in paper order), each once; and skips."""
    seen: set[str] = set()
    wanted, skipped = [], []
    for pick in picks:
        for paper in pick.papers:
            if not paper.arxiv_base:
                skipped.append(f"{pick.id}: '{paper.title}' has no arXiv id, so it cannot be a Hub paper item")
            elif paper.arxiv_base not in seen:
                seen.add(paper.arxiv_base)
                wanted.append(Wanted(paper.arxiv_base, note_for(pick, url_for(pick)), pick.id))
    return wanted, skipped


def ours(item: HubItem, picks_url: str) -> bool:
    """An item this tool added: its note points at one of the site's pick pages."""
    return item.item_type == "paper" and picks_url in (item.note or "")


def plan(current: list[HubItem], wanted: list[Wanted], picks_url: str, *, prune: bool) -> Plan:
    """What to write: missing papers, changed notes, stale items of ours (with prune), and the final order.

    The order puts our papers on top in the wanted order; every other item stays below them in its current
    order (moves() places the items an order does not name).
    """
    result = Plan()
    by_paper = {item.item_id: item for item in current if item.item_type == "paper"}
    wanted_ids = {w.paper for w in wanted}
    for item in wanted:
        if (existing := by_paper.get(item.paper)) is None:
            result.add.append(item)
        elif existing.note != item.note:
            result.notes.append((existing, item.note))
    if prune:
        result.delete = [i for i in current if ours(i, picks_url) and i.item_id not in wanted_ids]
    result.order = [w.paper for w in wanted]
    return result


@dataclass
class SyncReport:
    writes: int = 0
    requests: int = 0
    unknown: list[str] = field(default_factory=list)  # one line per paper the Hub has no page for
    left: int = 0  # writes not made: the budget ran out or the Hub said 429
    retry_in: int | None = None  # seconds, when the Hub said 429
    rate_limited: bool = False


class HubCollection:
    """One collection on the Hub through ``HfApi``: its items in display order, and the writes that change it.

    Every call is one request; huggingface_hub does not retry the collection calls, so a 429 reaches here.
    """

    def __init__(self, api: HfApi, slug: str) -> None:
        self.api, self.slug = api, slug
        self.report = SyncReport()

    def items(self) -> list[HubItem]:
        self.report.requests += 1
        collection = self.api.get_collection(self.slug)
        return [
            HubItem(i.item_object_id, i.item_id, i.item_type, i.note, i.position)
            for i in sorted(collection.items, key=lambda i: i.position)
        ]

    def apply(self, planned: Plan, budget: int) -> SyncReport:
        """Carry the plan out within ``budget`` writes: deletions, additions in the wanted order (so that into an
        empty collection they arrive in place), notes, then the fewest moves. A stopped run leaves the order no
        worse than it found it (new items only ever join the bottom) and the next run continues from the Hub's
        state. Each step reads that state first, so repeating a run is safe."""
        steps = [partial(self._delete, i) for i in planned.delete] + [partial(self._add, w) for w in planned.add]
        steps += [partial(self._note, item, note) for item, note in planned.notes]
        try:
            for number, step in enumerate(steps):
                if self.report.writes >= budget:
                    self.report.left = len(steps) - number  # and the moves they will need
                    return self.report
                step()
            current = self.items()
            needed = moves([i.item_id for i in current], planned.order)
            for number, (item_id, after) in enumerate(needed):
                if self.report.writes >= budget:
                    self.report.left = len(needed) - number
                    return self.report
                current = self._move(current, item_id, after)
        except HfHubHTTPError as error:
            if _status(error) != 429:
                raise
            self.report.rate_limited, self.report.retry_in = True, retry_after(error)
        return self.report

    def _write(self, call: Callable[[], object]) -> None:
        self.report.requests += 1
        call()
        self.report.writes += 1

    def _delete(self, item: HubItem) -> None:
        self._write(lambda: self.api.delete_collection_item(self.slug, item.object_id, missing_ok=True))

    def _add(self, wanted: Wanted) -> None:
        try:
            self._write(
                lambda: self.api.add_collection_item(self.slug, wanted.paper, "paper", note=wanted.note, exists_ok=True)
            )
        except HfHubHTTPError as error:
            if _status(error) != 404:  # the collection was just read, so a 404 is the paper
                raise
            self.report.unknown.append(
                f"{wanted.pick_id}: the Hub has no paper page for arXiv {wanted.paper} (404); left out until it has"
            )

    def _note(self, item: HubItem, note: str) -> None:
        self._write(lambda: self.api.update_collection_item(self.slug, item.object_id, note=note))

    def _move(self, current: list[HubItem], item_id: str, after: str | None) -> list[HubItem]:
        """Put ``item_id`` right below ``after`` (on top for None) by its stored position, and mirror the Hub."""
        item = next(i for i in current if i.item_id == item_id)
        rest = [i for i in current if i is not item]
        position = rest[0].position if after is None else next(i for i in rest if i.item_id == after).position + 1
        self._write(lambda: self.api.update_collection_item(self.slug, item.object_id, position=position))
        shifted = [replace(i, position=i.position + 1) if i.position >= position else i for i in rest]
        return sorted([*shifted, replace(item, position=position)], key=lambda i: i.position)


def moves(ids: list[str], order: list[str]) -> list[tuple[str, str | None]]:
    """The fewest moves that turn ``ids`` into ``order`` (items ``order`` does not name stay below, in their
    order): a longest run of items already in the wanted relative order stays; every other item is put right
    below the item that precedes it in the wanted order (None: on top). Empty when the order is already right.
    """
    present, named = set(ids), set(order)
    target = [i for i in order if i in present] + [i for i in ids if i not in named]
    rank = {item_id: index for index, item_id in enumerate(target)}
    kept = set(_longest_increasing([rank[i] for i in ids]))
    return [(target[i], target[i - 1] if i else None) for i in range(len(target)) if i not in kept]


def _longest_increasing(values: list[int]) -> list[int]:
    """A longest strictly increasing subsequence of ``values`` (patience sorting, O(n log n))."""
    tails: list[int] = []  # tails[k]: the index of the smallest last value of an increasing run of length k+1
    tail_values: list[int] = []
    parents: list[int | None] = [None] * len(values)
    for index, value in enumerate(values):
        slot = bisect_left(tail_values, value)
        parents[index] = tails[slot - 1] if slot else None
        if slot == len(tails):
            tails.append(index)
            tail_values.append(value)
        else:
            tails[slot], tail_values[slot] = index, value
    out, at = [], tails[-1] if tails else None
    while at is not None:
        out.append(values[at])
        at = parents[at]
    return out[::-1]


def _status(error: HfHubHTTPError) -> int:
    return error.response.status_code  # huggingface_hub 2.x: every HfHubHTTPError carries its response


def retry_after(error: HfHubHTTPError) -> int | None:
    """Seconds until the Hub's rate-limit window resets, from its RateLimit header or Retry-After."""
    if (info := parse_ratelimit_headers(error.response.headers)) is not None:
        return info.reset_in_seconds
    value = error.response.headers.get("Retry-After", "")
    return int(value) if value.isascii() and value.isdigit() else None


def describe(error: HfHubHTTPError, what: str) -> str:
    """One line for an HTTP error from the Hub, naming what failed; never the token."""
    status = _status(error)
    hint = {
        400: "the Hub refused the request",
        401: "check HF_TOKEN",
        403: "HF_TOKEN may not write this collection",
        404: "no such collection, or a private one and no HF_TOKEN that may read it",
    }.get(status, "")
    return f"{what}: the Hub answered HTTP {status}" + (f" ({hint})" if hint else "")
