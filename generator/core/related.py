"""Related picks: shared authors first, then shared tags, then the same collection; indexed, never all pairs."""

from __future__ import annotations

from collections import Counter

from .authors import person_of
from .model import Pick
from .people import People

RELATED = 3
# Candidates per author or tag: its newest 50. A tag on every pick would otherwise make each pick weigh every
# other (the square of the site); an older pick sharing only such tags loses to newer ones anyway.
BUCKET = 50


def related_picks(picks: list[Pick], people: People, count: int = RELATED) -> dict[str, list[Pick]]:
    """For each pick of ``picks`` (published, sorted by (instant, id)), up to ``count`` others: by shared authors,
    then shared tags, then the same collection, ties newest first; not padded with unrelated picks. Candidates
    come from an index by author, tag and collection, so the cost follows the overlaps, not the square of picks."""
    position = {pick.id: index for index, pick in enumerate(picks)}
    by_author: dict[str, list[Pick]] = {}
    by_tag: dict[str, list[Pick]] = {}
    by_collection: dict[str, list[Pick]] = {}
    persons = {pick.id: {person_of(n, people) for paper in pick.papers for n in paper.authors} for pick in picks}
    for pick in picks:
        for person in persons[pick.id]:
            by_author.setdefault(person, []).append(pick)
        for slug in pick.tag_slugs:
            by_tag.setdefault(slug, []).append(pick)
        by_collection.setdefault(pick.collection, []).append(pick)
    found: dict[str, list[Pick]] = {}
    for pick in picks:
        authors, tags = Counter[str](), Counter[str]()
        for person in persons[pick.id]:
            authors.update(other.id for other in by_author[person][-BUCKET:])
        for slug in pick.tag_slugs:
            tags.update(other.id for other in by_tag[slug][-BUCKET:])
        shared = set(authors) | set(tags)
        if len(shared) <= count:  # the same collection fills in, newest first, only as far as needed
            shared |= {other.id for other in by_collection[pick.collection][-(count + 1) :]}
        shared.discard(pick.id)
        same = {other.id for other in by_collection[pick.collection][-BUCKET:]}
        ranked = sorted(shared, key=lambda o: (-authors[o], -tags[o], o not in same, -position[o]))
        found[pick.id] = [picks[position[other]] for other in ranked[:count]]
    return found
