"""A pick as social posts in the curator's format, each fitting its network as that network counts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import regex
from twitter_text import parse_tweet

from ..core.body import text_blocks
from ..core.model import Pick, split_name
from ..core.people import HANDLES, People, valid_handle

HEADER = "🔍 Today's pick in {collection}:"
ETAL_AUTHORS = 3  # authors named before "et al." when all of them would not leave the link in the first post
NUMBERING = len("\n99/99")
HEADER_X2 = "🔍 Today's pick in {collection}: x{count} edition!"
_URL = re.compile(r"https?://\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


# X (twitter-text) and Mastodon make "@name" a live mention wherever it stands. In a pick's own text (titles,
# author names, body) it is prose: a word joiner after the sign keeps it readable and inert. Handles a post
# means to mention come from `mentions` and people.yml, validated per network, and are not passed through this.
# twitter-text links "@x" after anything but ASCII letters, digits and _!#$%&*; Mastodon after any non-word but /.
_AT_SIGN = re.compile(r"(?<![A-Za-z0-9_/])([@＠])(?=\w)")


_HANDLE = re.compile(r"@\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)+)?")  # @user, or @user@host on Mastodon


def inert(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Post text from a pick, with every would-be mention made plain text, but the handles in ``keep`` (the
    pick's own mentions, valid on the network), which its author means to mention where they stand."""

    def plain(found: re.Match[str]) -> str:
        handle = _HANDLE.match(text, found.start())
        return found.group(1) if handle and handle.group() in keep else found.group(1) + "\u2060"

    return _AT_SIGN.sub(plain, text)


def _graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _with_short_urls(text: str) -> int:
    return len(_URL.sub("x" * 23, text))  # Mastodon counts every link as 23 characters


@dataclass(frozen=True)
class Network:
    name: str
    limit: int
    length: Callable[[str], int]


NETWORKS = {
    "x": Network("x", 280, lambda text: parse_tweet(text).weightedLength),  # twitter-text: URLs 23, CJK/emoji 2
    "bluesky": Network("bluesky", 300, _graphemes),
    "mastodon": Network("mastodon", 500, _with_short_urls),
    "linkedin": Network("linkedin", 3000, len),
}


def abbreviated(name: str) -> str:
    """``Stephanie C. Y. Chan`` → ``S. C. Y. Chan``, as the curator writes authors; family names stay whole."""
    family, given = split_name(name)
    initials = [
        "-".join(part[:1] + "." for part in word.split("-") if part) if not word.endswith(".") else word
        for word in given.split()
    ]
    return " ".join([*initials, family]).strip()


def blocks(
    pick: Pick,
    *,
    collection: str,
    url: str,
    people: People,
    network: str,
    header: str = HEADER,
    header_x2: str = HEADER_X2,
) -> list[str]:
    """The post's parts in order: header with papers and authors, the body's paragraphs and bullets, the links."""
    template = header_x2 if len(pick.papers) > 1 else header
    credited = {people.handle(name, network) for paper in pick.papers for name in paper.authors}
    mentions = [m for m in mentions_for(pick, people, network)[0] if m not in credited]
    # The first post carries the link, so a reader who sees only it can click through. When the whole author
    # list would push the link out of it, each paper names its first authors and "et al."; when even that is
    # too long (two long titles), the link goes right under the header line.
    for shown, link_first in ((None, False), (ETAL_AUTHORS, False), (ETAL_AUTHORS, True)):
        lines = [template.format(collection=collection, count=len(pick.papers))]
        for paper in pick.papers:
            authors = [people.handle(name, network) or inert(abbreviated(name)) for name in paper.authors]
            if shown is not None and len(authors) > shown:
                authors = [*authors[:shown], "et al."]
            lines.append(f"{inert(paper.title)} by {', '.join(authors)}")
        if mentions:
            lines[-1] += f" ({' '.join(mentions)})"
        lines.insert(1 if link_first else len(lines), f"🔗 {url}")
        if NETWORKS[network].length("\n".join(lines)) <= NETWORKS[network].limit - NUMBERING:
            break
    live = frozenset(m for m in pick.mentions if valid_handle(m, network))  # the body's own mentions stay live
    parts = ["\n".join(lines), *_headed_lists([inert(block, live) for block in text_blocks(pick.html)])]
    links = []
    for paper in pick.papers:
        links.append(f"📄 {paper.arxiv_abs_url or paper.doi_url or paper.url}")
        if paper.code:
            links.append(f"💻 {paper.code}")
    parts.append("\n".join(links))
    return [unicodedata.normalize("NFC", part) for part in parts]


def mentions_for(pick: Pick, people: People, network: str) -> tuple[list[str], list[str]]:
    """The pick's mentions as handles on one network, and why each one left out was left out.

    A mention is a handle valid on the network, or a person of people.yml (by name, or by one of their handles
    on any network), who is then mentioned by their handle here.
    """
    used, left_out = [], []
    for mention in pick.mentions:
        handle = people.handle(mention, network) or people.handle_for(mention, network)
        if handle is None and valid_handle(mention, network):
            handle = mention
        if handle is None:
            left_out.append(
                f"{mention}: not a {network} handle ({HANDLES[network][1]}), and people.yml gives no {network} "
                "handle for it"
            )
        elif handle not in used:
            used.append(handle)
    return used, left_out


def _headed_lists(blocks: list[str]) -> list[str]:
    """A line such as "Notable findings:" joined to the list it heads, so no post ends with it alone."""
    out: list[str] = []
    for block in blocks:
        if out and out[-1].endswith(":") and block.startswith("- "):
            out[-1] = f"{out[-1]}\n{block}"
        else:
            out.append(block)
    return out


def thread(parts: list[str], network: Network) -> list[str]:
    """The parts packed into as few posts as fit, numbered ``1/3`` when more than one; never a split word."""
    count = 1
    while True:
        posts = _pack(parts, network, reserve=len(f"\n{count}/{count}") if count > 1 else 0)
        if len(posts) == count or (count > 1 and len(posts) < count):
            break
        count = len(posts)
    if len(posts) == 1:
        return posts
    return [f"{post}\n{i}/{len(posts)}" for i, post in enumerate(posts, start=1)]


def _pack(parts: list[str], network: Network, reserve: int) -> list[str]:
    limit = network.limit - reserve
    pieces = [piece for part in parts for piece in _fitting(part, network, limit)]
    posts: list[str] = []
    for index, (piece, joiner) in enumerate(pieces):
        candidate = f"{posts[-1]}{joiner}{piece}" if posts else piece
        fits = bool(posts) and network.length(candidate) <= limit
        if fits and piece.endswith(":") and index + 1 < len(pieces):
            # A heading line ("Notable findings:") joins a post only if its list's first item does too.
            following, following_joiner = pieces[index + 1]
            fits = network.length(f"{candidate}{following_joiner}{following}") <= limit
        if fits:
            posts[-1] = candidate
        else:
            posts.append(piece)
    return posts


def _fitting(part: str, network: Network, limit: int) -> list[tuple[str, str]]:
    """(piece, joiner) pairs: the part whole if it fits, else its lines, sentences, then runs of whole words."""
    if network.length(part) <= limit:
        return [(part, "\n\n")]
    out: list[tuple[str, str]] = []
    for index, line in enumerate(part.split("\n")):
        joiner = "\n\n" if index == 0 else "\n"
        if network.length(line) <= limit:
            out.append((line, joiner))
            continue
        for number, sentence in enumerate(_SENTENCE_END.split(line)):
            sentence_joiner = joiner if number == 0 else " "
            for words_index, words in enumerate(_words(sentence, network, limit)):
                out.append((words, sentence_joiner if words_index == 0 else " "))
    return out


def _words(sentence: str, network: Network, limit: int) -> list[str]:
    runs: list[str] = []
    for word in sentence.split():
        if runs and network.length(f"{runs[-1]} {word}") <= limit:
            runs[-1] = f"{runs[-1]} {word}"
        else:
            runs.append(word)
    return runs


def posts(pick: Pick, network: str, **context: object) -> list[str]:
    """The pick as the post or thread for one network (see ``blocks`` for the context it needs)."""
    return thread(blocks(pick, network=network, **context), NETWORKS[network])  # type: ignore[arg-type]


# The networks whose posting stays by hand get a compose page with the text filled in (announce posts to the rest).
SHARE_URLS = {
    "x": "https://x.com/intent/post?text=",  # X's web intent: one post; the rest of a thread goes as replies
    "linkedin": "https://www.linkedin.com/feed/?shareActive=true&text=",
}


def share_url(network: str, text: str) -> str | None:
    """The network's compose page with ``text`` filled in, or None where there is none."""
    return SHARE_URLS[network] + quote(text, safe="") if network in SHARE_URLS else None
