"""Authors as readers follow them: one listing per person, spellings merged only as people.yml says."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Pick, split_name, tag_slug
from .people import People


def written_form(name: str) -> str:
    """``Moskovitz, Ted`` and ``Ted Moskovitz`` are one name (SPEC section 1): the ``Given Family`` form."""
    family, given = split_name(" ".join(name.split()))
    return f"{given} {family}".strip()


def person_of(name: str, people: People) -> str:
    """The key that makes two spellings one author: the people.yml entry, else the name in its Given Family form,
    folded; nothing else is merged by guessing."""
    return (people.canonical(name) or written_form(name)).casefold()


@dataclass(frozen=True)
class Author:
    slug: str
    name: str  # as people.yml names them, else as most often written
    spellings: tuple[str, ...]  # every other way the picks write them
    picks: tuple[Pick, ...]  # newest first


def authors(picks: list[Pick], people: People) -> list[Author]:
    """Every author of the picks (sorted by (instant, id)), most-picked first, then by name. Slugs are the name
    folded like a tag; a second person with the same fold gets -2, in the order of first picks, so a slug never
    changes when another author appears later."""
    written: dict[str, Counter[str]] = {}
    picked: dict[str, list[Pick]] = {}
    for pick in picks:
        for paper in pick.papers:
            for name in paper.authors:
                person = person_of(name, people)
                written.setdefault(person, Counter())[written_form(name)] += 1
                if not picked.setdefault(person, []) or picked[person][-1] is not pick:
                    picked[person].append(pick)
    slugs: dict[str, str] = {}
    taken: Counter[str] = Counter()
    for person in picked:  # in the order of first picks
        name = _shown(person, written[person], people)
        base = tag_slug(name)
        taken[base] += 1
        slugs[person] = base if taken[base] == 1 else f"{base}-{taken[base]}"
    found = []
    for person, its_picks in picked.items():
        name = _shown(person, written[person], people)
        others = tuple(sorted(spelling for spelling in written[person] if spelling != name))
        found.append(Author(slugs[person], name, others, tuple(reversed(its_picks))))
    return sorted(found, key=lambda author: (-len(author.picks), author.name.casefold(), author.slug))


def _shown(person: str, spellings: Counter[str], people: People) -> str:
    if (entry := people.canonical(person)) is not None:
        return entry
    return max(spellings.items(), key=lambda item: (item[1], -list(spellings).index(item[0])))[0]


def _fold(text: str) -> str:
    return tag_slug(text).replace("-", " ")


def compatible(given_a: str, given_b: str) -> bool:
    """Given names that can be one person's: equal after folding accents and case, or one the initials of the
    other, word by word (``T.`` and ``Ted``, ``A. K.`` and ``Aaditya K.``)."""
    words_a, words_b = _fold(given_a).split(), _fold(given_b).split()
    if not words_a or not words_b or len(words_a) != len(words_b):
        return False
    return all(a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]) for a, b in zip(words_a, words_b, strict=True))


def likely_variants(picks: list[Pick], people: People) -> list[tuple[str, Pick, str, Pick]]:
    """Pairs of spellings that look like one person (the same family name whole, compatible given names) and
    that nothing merges: (name, its first pick, other name, its first pick), once per pair."""
    first: dict[str, tuple[str, Pick]] = {}  # person → (name as written, first pick)
    for pick in picks:
        for name in (n for paper in pick.papers for n in paper.authors):
            first.setdefault(person_of(name, people), (written_form(name), pick))
    by_family: dict[str, list[str]] = {}
    for person, (name, _) in first.items():
        by_family.setdefault(_fold(split_name(name)[0]), []).append(person)
    found = []
    for persons in by_family.values():
        for index, one in enumerate(persons):
            for other in persons[index + 1 :]:
                (name_a, pick_a), (name_b, pick_b) = first[one], first[other]
                if compatible(split_name(name_a)[1], split_name(name_b)[1]):
                    found.append((name_a, pick_a, name_b, pick_b))
    return found
