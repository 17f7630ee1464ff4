"""Past posts made picks: which posts are picks, their papers (links, else a checked title search), their text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Template

from ..core import limits
from ..core.archive_text import Body, Header, build_body, clean, header_patterns, read_header
from ..core.authors import compatible
from ..core.mentions import mention_problem
from ..core.model import identity, split_name, tag_problem
from ..core.paper_ids import NotAPaperId, PaperRef, parse_paper_ref
from ..core.people import People, valid_handle
from ..core.schema import PLACEHOLDER
from .metadata import PaperMetadata
from .new_pick import X2_HEADLINE, paper_fields, pick_slug, yaml_quote
from .past_posts import Post, Thread, threads

TEMPLATE = Path(__file__).parent.parent / "templates" / "imported-pick.md"
SOURCE_LINE = re.compile(r"^# source: (\S+)\s*$", re.MULTILINE)
_WORDS = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Settings:
    """What the site's config says an import needs."""

    timezone: ZoneInfo
    header: str
    header_x2: str
    titles: dict[str, str]  # collection title → key
    hf_collections: dict[str, str]  # Hub collection slug → key
    default: str | None  # --collection: the key for a header that names no collection title
    network: str | None  # whose handles the source's @names are (x, bluesky, mastodon), for people.yml


@dataclass
class Candidate:
    """A thread that opens with a header, on its way to a pick."""

    thread: Thread
    header: Header
    body: Body
    collection: str
    refs: list[PaperRef]
    searched: str | None = None  # the headline searched on arXiv when the post links no paper


@dataclass
class Planned:
    """A pick to write."""

    path: Path
    text: str
    source: str
    papers: list[str]
    todo: bool
    proposals: list[str] = field(default_factory=list)  # people.yml lines for the curator to confirm


@dataclass
class Plan:
    picks: list[Planned] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (post, why): not a pick, listed by --verbose
    refused: list[tuple[str, str]] = field(default_factory=list)  # (post, why): looked like a pick; always listed


def candidates(posts: list[Post], settings: Settings, since: date | None, plan: Plan) -> list[Candidate]:
    """The threads that are picks, with their collection and linked papers; every other post into ``plan``."""
    patterns = header_patterns(settings.header, settings.header_x2)
    found_threads, skipped = threads(posts)
    titles = {_fold(title): key for title, key in settings.titles.items()}
    plan.skipped += [(post.id, why) for post, why in skipped]
    out = []
    for thread in found_threads:
        first = thread.first
        if since and first.instant.astimezone(settings.timezone).date() < since:
            plan.skipped.append((first.id, f"before --since {since}"))
            continue
        if first.papers:  # a Hub collection's item is a pick by being there
            header = Header("", 1, "")
            body = build_body(header, ["", first.text])
            collection = settings.hf_collections.get(first.collection_hint or "") or settings.default
        else:
            texts = [clean(p.text) for p in thread.posts]
            header = read_header(texts[0].split("\n", 1)[0], patterns)
            if header is None:
                plan.skipped.append((first.id, "plain post (no pick header)"))
                continue
            body = build_body(header, texts)
            collection = titles.get(_fold(header.collection_title)) or settings.default
        if collection is None:
            plan.refused.append(
                (
                    first.id,
                    f"its header names the collection '{header.collection_title}', which mkdocs.yml does not "
                    "declare: add it to picks.collections with that title, or pass --collection KEY",
                )
            )
            continue
        refs = list(dict.fromkeys(_refs([link for post in thread.posts for link in post.links], first.papers)))
        searched = body.headline if not refs and body.headline and not body.headline.startswith("@") else None
        out.append(Candidate(thread, header, body, collection, refs, searched))
    return out


def _refs(links: Iterable[str], ids: tuple[str, ...]) -> Iterable[PaperRef]:
    for text in (*ids, *links):
        try:
            yield parse_paper_ref(text)
        except NotAPaperId:
            continue


def _fold(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.casefold()).split())


def named_authors(byline: str) -> list[str]:
    """The people a post's "by …" names, handles left out: ``T. Moskovitz, F. Hill (@gatsbyunit)``."""
    byline = re.sub(r"\(?@[\w.@-]+\)?", ",", byline)
    parts = re.split(r",|\band\b|&|;", byline)
    return [" ".join(p.split()) for p in parts if len(p.split()) >= 2]


def title_match(headline: str, named: list[str], candidates: list[PaperMetadata]) -> PaperMetadata | None:
    """The one candidate whose title is the headline and among whose authors is one the post names (family name
    and compatible given names or initials: a shared surname alone is no match); None when not exactly one."""
    matches = []
    for meta in candidates:
        if _fold(meta.title) != _fold(headline):
            continue
        for name in named:
            family, given = split_name(name)
            if any(
                _fold(family) == _fold(split_name(a)[0]) and given and compatible(given, split_name(a)[1])
                for a in meta.authors
            ):
                matches.append(meta)
                break
    return matches[0] if len(matches) == 1 else None


def proposals(body: Body, found: list[PaperMetadata], network: str | None, people: People) -> list[str]:
    """people.yml lines (commented, for the curator to confirm) for each handle of the byline that names one of
    the papers' authors: the handle holds the author's family name, and no other author's."""
    if network is None:
        return []
    out = []
    for handle in re.findall(r"@[\w.@-]+", body.byline):
        handle = handle.rstrip(".")
        if not valid_handle(handle, network):
            continue
        folded = _fold(handle).replace(" ", "")
        named = {
            a
            for meta in found
            for a in meta.authors
            if len(family := _fold(split_name(a)[0]).replace(" ", "")) >= 3 and family in folded
        }
        if len(named) == 1 and people.handle(author := named.pop(), network) is None:
            out.append(f"# {yaml_quote(author)}: {{{network}: {yaml_quote(handle)}}}")
    return out


Paper = PaperMetadata | PaperRef | None  # what is known of a paper: the API's answer, only its id, or nothing


def pick_text(candidate: Candidate, papers: list[Paper], settings: Settings) -> tuple[str, str]:
    """The pick file's text and its title."""
    body, first = candidate.body, candidate.thread.first
    known = [p for p in papers if isinstance(p, PaperMetadata)]
    title = body.headline if body.headline and not body.headline.startswith("@") else ""
    if not title and len(papers) == 1 and known:
        title = known[0].title
    elif not title and len(known) == len(papers) > 1:
        title = " and ".join(meta.title.split(":")[0].strip() for meta in known)
    elif not title:
        title = X2_HEADLINE if len(papers) > 1 else f"{PLACEHOLDER}: the pick's headline"
    mentions = [m for m in dict.fromkeys([*first.handles, *body.handles]) if mention_problem(m) is None]
    if first.handles:  # the network says who was meant (@user@host), the text only what shows (@user)
        mentions = [m for m in mentions if m in first.handles or not any(h.startswith(m + "@") for h in first.handles)]
    tags = [t for t in body.hashtags if tag_problem(t) is None]
    local = first.instant.astimezone(settings.timezone)
    fields = [
        paper_fields(p.ref if isinstance(p, PaperMetadata) else p, p if isinstance(p, PaperMetadata) else None)
        for p in papers
    ]
    text = Template(TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True).render(
        title=yaml_quote(title),
        date=local.isoformat(timespec="seconds"),
        collection=candidate.collection,
        source=first.id,
        tags=[yaml_quote(t) for t in tags[: limits.TAGS]],
        mentions=[yaml_quote(m) for m in mentions[: limits.MENTIONS]],
        papers=fields,
        searched=candidate.searched if any(p is None for p in papers) else None,
        body=body.markdown,
    )
    return text, title


def file_for(day: date, title: str, taken: Callable[[Path], bool], folder: Path) -> Path:
    """A file name for the pick that no file has: ``<day>-<slug>.md``, else ``-2``, ``-3``…"""
    slug = pick_slug(title) if PLACEHOLDER not in title else "imported-pick"
    path, number = folder / f"{day.isoformat()}-{slug}.md", 1
    while taken(path):
        number += 1
        path = folder / f"{day.isoformat()}-{slug}-{number}.md"
    return path


Fetch = Callable[[list[PaperRef]], dict[PaperRef, PaperMetadata]]
Search = Callable[[list[str]], list[PaperMetadata]]


def identities(paper: Paper) -> list[str]:
    """What makes two papers one, as Paper.identities says it of a pick's paper."""
    ref = paper.ref if isinstance(paper, PaperMetadata) else paper
    if ref is None:
        return []
    found = [identity(ref.kind, ref.value)]
    if isinstance(paper, PaperMetadata) and paper.doi:
        found.append(identity("doi", paper.doi))
    return found


def plan_import(
    posts: list[Post],
    settings: Settings,
    *,
    since: date | None,
    imported: dict[str, str],
    picked: dict[str, str],
    fetch: Fetch,
    search: Search,
    people: People,
    folder: Path,
    exists: Callable[[Path], bool],
) -> Plan:
    """What an import would write: ``imported`` maps source posts to the picks that name them, ``picked`` each
    paper identity to the pick that has it (both grow as the plan does, so one run never picks a paper twice)."""
    plan = Plan()
    fresh = []
    for candidate in candidates(posts, settings, since, plan):
        source = candidate.thread.first.id
        if source in imported:
            plan.duplicates.append(f"{source}: imported already, as {imported[source]}")
        else:
            fresh.append(candidate)
    # Papers picked already are known by their ids: only the others are looked up, in one batched request.
    refs = [ref for c in fresh for ref in c.refs if not any(i in picked for i in identities(ref))]
    found = fetch(refs) if refs else {}
    titles = [c.searched for c in fresh if c.searched]
    searched = search(titles) if titles else []
    planned_paths: set[Path] = set()
    for candidate in sorted(fresh, key=lambda c: (c.thread.first.instant, c.thread.first.id)):
        source = candidate.thread.first.id
        papers: list[Paper]
        if candidate.searched:
            papers = [title_match(candidate.body.headline, named_authors(candidate.body.byline), searched)]
        else:
            papers = [found.get(ref, ref) for ref in candidate.refs] or [None]
        new = [p for p in papers if not any(i in picked for i in identities(p))]
        for paper in papers:
            if paper is not None and (owner := next((picked[i] for i in identities(paper) if i in picked), None)):
                left = "not written" if not new else "written with the other paper(s) only"
                plan.duplicates.append(f"{source}: {_shown(paper)} is picked already, by {owner} ({left})")
        if not new:
            continue
        text, title = pick_text(candidate, new, settings)
        day = candidate.thread.first.instant.astimezone(settings.timezone).date()
        path = file_for(day, title, lambda p: exists(p) or p in planned_paths, folder)
        planned_paths.add(path)
        for paper in new:
            picked.update({i: path.stem for i in identities(paper)})
        imported[source] = path.stem
        known = [p for p in new if isinstance(p, PaperMetadata)]
        plan.picks.append(
            Planned(
                path,
                text,
                source,
                [
                    _shown(p) + ("" if isinstance(p, PaperMetadata) or p is None else " (TODO: no metadata)")
                    for p in new
                ],
                todo=any(not isinstance(p, PaperMetadata) for p in new),
                proposals=proposals(candidate.body, known, settings.network, people),
            )
        )
    return plan


def _shown(paper: Paper) -> str:
    if isinstance(paper, PaperMetadata):
        return f"{paper.ref.kind} {paper.ref.value}"
    if isinstance(paper, PaperRef):
        return f"{paper.kind} {paper.value}"
    return "TODO (no paper found)"
