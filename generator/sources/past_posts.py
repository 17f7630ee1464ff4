"""What every archive and account reader gives: past posts, each its own thread's place, and why one is no pick."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path
from zipfile import BadZipFile, ZipFile


class SourceError(Exception):
    """A source that cannot be read, said in one line naming the file (and line or record) or the service."""


@dataclass(frozen=True)
class Post:
    """One post as a source shows it; ``kind`` is empty for the account's own public post, else why it is no
    candidate ("repost", "quote post", "reply to another account", "not public")."""

    id: str  # the post's URL, or its at:// URI: what the pick names as its source
    instant: datetime
    text: str
    links: tuple[str, ...] = ()
    parent: str | None = None  # the id of the post it replies to
    own_parent: bool | None = None  # whether that post is the account's own; None: known by its being in the source
    kind: str = ""
    handles: tuple[str, ...] = ()  # mentions as the network resolves them (@user@host on Mastodon)
    papers: tuple[str, ...] = ()  # a Hub collection item names its paper itself
    collection_hint: str | None = None  # a Hub collection is one collection's already


@dataclass
class Thread:
    """A post and the account's own replies under it, oldest first."""

    posts: list[Post] = field(default_factory=list)

    @property
    def first(self) -> Post:
        return self.posts[0]


def threads(posts: list[Post]) -> tuple[list[Thread], list[tuple[Post, str]]]:
    """The threads the account's own posts make (each opened by a post that replies to nothing) and the posts
    that are no thread's: (post, why)."""
    by_id = {p.id: p for p in posts}
    own = {p.id for p in posts if not p.kind}
    opened: dict[str, Thread] = {}
    skipped: list[tuple[Post, str]] = []
    root_of: dict[str, str | None] = {}

    def root(post: Post) -> str | None:
        seen = []
        while post.id not in root_of:
            seen.append(post.id)
            if post.parent is None:
                root_of[post.id] = post.id
            elif post.parent in own and post.parent not in seen:
                post = by_id[post.parent]
                continue
            else:
                root_of[post.id] = None
        found = root_of[post.id]
        for one in seen:
            root_of[one] = found
        return found

    for post in sorted(posts, key=lambda p: (p.instant, p.id)):
        if post.kind:
            skipped.append((post, post.kind))
            continue
        top = root(post)
        if top is None:
            why = "reply to a post of the account not in this source" if post.own_parent else "reply to another account"
            skipped.append((post, why))
            continue
        opened.setdefault(top, Thread()).posts.append(post)
    for top, thread in opened.items():  # the opening post first, even when a clock put a reply before it
        thread.posts.sort(key=lambda p: (p.id != top, p.instant, p.id))
    return list(opened.values()), skipped


def open_member(source: Path, names: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The text of each file an export holds under one of ``names`` (its .zip, its folder, or the file itself):
    name → (where, text). Where names the file as the curator would find it (``archive.zip:data/tweets.js``)."""
    found: dict[str, tuple[str, str]] = {}
    try:
        if source.is_file() and source.suffix.lower() == ".zip":
            with ZipFile(source) as archive:
                for member in archive.namelist():
                    if any(fnmatch(member.rsplit("/", 1)[-1], n) for n in names):
                        found[member.rsplit("/", 1)[-1]] = (f"{source}:{member}", _decode(archive.read(member)))
            return found
        folder = source if source.is_dir() else source.parent
        for name in names:
            for path in sorted({*folder.glob(name), *folder.glob(f"data/{name}")}):
                found[path.name] = (str(path), _decode(path.read_bytes()))
    except (BadZipFile, OSError) as exc:
        raise SourceError(f"{source}: cannot be read ({exc})") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{source}: not UTF-8 text at byte {exc.start}") from None
    return found


def member_names(source: Path) -> list[str]:
    """The file names an export holds (its folder and data/ folder, or its .zip), to tell which export it is."""
    try:
        if source.is_dir():
            return [p.name for p in [*source.iterdir(), *(source / "data").glob("*")] if p.is_file()]
        if source.suffix.lower() == ".zip":
            with ZipFile(source) as archive:
                return [name.rsplit("/", 1)[-1] for name in archive.namelist()]
    except (BadZipFile, OSError) as exc:
        raise SourceError(f"{source}: cannot be read ({exc})") from None
    return []


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig")  # exports may open with a byte-order mark
