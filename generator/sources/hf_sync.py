"""A Hugging Face collection that follows a picks collection: its papers in the collection's order, newest on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from ..core.model import Pick

NOTE_LIMIT = 500  # the Hub refuses longer notes


@dataclass(frozen=True)
class Wanted:
    """One paper item as the collection should hold it."""

    paper: str  # arXiv id without version: the Hub's paper id
    note: str


@dataclass(frozen=True)
class HubItem:
    object_id: str
    item_id: str
    item_type: str
    note: str | None


@dataclass
class Plan:
    """The writes that make the Hub collection match; empty when it already does."""

    add: list[Wanted] = field(default_factory=list)
    notes: list[tuple[HubItem, str]] = field(default_factory=list)
    delete: list[HubItem] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # every item id, top first, once added
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
                wanted.append(Wanted(paper.arxiv_base, note_for(pick, url_for(pick))))
    return wanted, skipped


def ours(item: HubItem, picks_url: str) -> bool:
    """An item this tool added: its note points at one of the site's pick pages."""
    return item.item_type == "paper" and picks_url in (item.note or "")


def plan(current: list[HubItem], wanted: list[Wanted], picks_url: str, *, prune: bool) -> Plan:
    """What to write: missing papers, changed notes, stale items of ours (with prune), and the final order.

    The order puts our papers on top in the wanted order, then every other item in its current order.
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
    deleted = {i.object_id for i in result.delete}
    others = [i.item_id for i in current if i.item_id not in wanted_ids and i.object_id not in deleted]
    result.order = [w.paper for w in wanted] + others
    return result


class HubCollection:
    """One collection on the Hub through ``HfApi``; counts the writes it makes."""

    def __init__(self, api: HfApi, slug: str) -> None:
        self.api, self.slug = api, slug
        self.writes = 0

    def items(self) -> list[HubItem]:
        collection = self.api.get_collection(self.slug)
        return [
            HubItem(i.item_object_id, i.item_id, i.item_type, i.note)
            for i in sorted(collection.items, key=lambda i: i.position)
        ]

    def apply(self, planned: Plan) -> None:
        """Carry the plan out; each step reads the Hub's state first, so a stopped run is safe to repeat."""
        for item in planned.delete:
            self.writes += 1
            self.api.delete_collection_item(self.slug, item.object_id, missing_ok=True)
        for wanted in planned.add:  # the Hub puts new items at the bottom; the moves below put them in place
            self.writes += 1
            self.api.add_collection_item(self.slug, wanted.paper, "paper", note=wanted.note, exists_ok=True)
        for item, note in planned.notes:
            self.writes += 1
            self.api.update_collection_item(self.slug, item.object_id, note=note)
        items = self.items()
        by_id = {i.item_id: i for i in items}
        for position, item_id in moves([i.item_id for i in items], planned.order):
            self.writes += 1
            self.api.update_collection_item(self.slug, by_id[item_id].object_id, position=position)


def moves(ids: list[str], order: list[str]) -> list[tuple[int, str]]:
    """The (position, item) moves that turn ``ids`` into ``order``, as the Hub applies a move: take out, insert.

    None when the order is already right, so a second sync writes nothing.
    """
    ids = list(ids)
    target = [i for i in order if i in ids] + [i for i in ids if i not in order]
    out = []
    for position, item_id in enumerate(target):
        if ids[position] != item_id:
            out.append((position, item_id))
            ids.remove(item_id)
            ids.insert(position, item_id)
    return out


def describe(error: HfHubHTTPError) -> str:
    """One line for an HTTP error from the Hub; never the token."""
    status = error.response.status_code if error.response is not None else "?"
    hint = {
        401: "check HF_TOKEN",
        403: "HF_TOKEN may not write this collection",
        404: "no such collection",
        429: "rate limited: run again later (a stopped sync is safe to repeat)",
    }.get(status, "")
    return f"Hub answered HTTP {status}" + (f" ({hint})" if hint else "")
