"""A pick as social posts in the curator's format, each fitting its network as that network counts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import regex

from ..core.body import text_blocks
from ..core.model import Pick, split_name
from ..core.people import HANDLES, People, valid_handle
from .bluesky_facets import shown_text

HEADER = "🔍 Today's pick in {collection}:"
ETAL_AUTHORS = 3  # authors named before "et al." when all of them would not leave the link in the first post
NUMBERING = len("\n99/99")
HEADER_X2 = "🔍 Today's pick in {collection}: x{count} edition!"
URL = re.compile(r"https?://\S+")
_URL = URL
# A sentence ends at . ! ? … and a space, or at CJK's own full stops, which need no space after them.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？])\s*")


# X (twitter-text) and Mastodon make "@name" a live mention wherever it stands. In a pick's own text (titles,
# author names, body) it is prose: a word joiner after the sign keeps it readable and inert. Handles a post
# means to mention come from `mentions` and people.yml, validated per network, and are not passed through this.
# twitter-text links "@x" after anything but ASCII letters, digits and _!#$%&*; Mastodon after any non-word but /
# and =; every "@" outside a link is made inert whatever precedes it but a word character.
_AT_SIGN = re.compile(r"(?<![A-Za-z0-9_])([@＠])(?=\w)")


_HANDLE = re.compile(r"@\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)+)?")  # @user, or @user@host on Mastodon


def inert(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Post text from a pick, with every would-be mention made plain text, but the handles in ``keep`` (the
    pick's own mentions, valid on the network), which its author means to mention where they stand."""

    def plain(found: re.Match[str]) -> str:
        handle = _HANDLE.match(found.string, found.start())
        return found.group(1) if handle and handle.group() in keep else found.group(1) + "\u2060"

    # Inside a link ("medium.com/@name/post") the sign is part of the address, which a joiner would break; out
    # of one, X links "@name" even after "/" (twitter-text's valid preceding characters), so it goes inert there.
    pieces, last = [], 0
    for link in _URL.finditer(text):
        pieces += [_AT_SIGN.sub(plain, text[last : link.start()]), link.group()]
        last = link.end()
    return "".join([*pieces, _AT_SIGN.sub(plain, text[last:])])


def _graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _bluesky_length(text: str) -> int:
    """app.bsky.feed.post's text allows 300 graphemes and 3,000 bytes (lexicons/app/bsky/feed/post.json,
    maxGraphemes and maxLength): a tenth of the bytes stands for them, so one limit of 300 keeps both. Links
    count as the post shows them, shortened (bluesky_facets.shown_text)."""
    if "http" in text:
        text = shown_text(text)
    if text.isascii():  # one grapheme and one byte a character, but CR LF, which is one grapheme
        return len(text) - text.count("\r\n")
    return max(_graphemes(text), -(-len(text.encode("utf-8")) // 10))


def x_length(text: str) -> int:
    """twitter-text's weighted length. ASCII text weighs one a character, each link 23 (twitter-text's config
    v3): counted from its links alone, ten times faster than parse_tweet, whose emoji scan is the cost."""
    # Imported here: twitter-text takes 0.2 s to import, which picks check spends only on a pick that needs it.
    from twitter_text import parse_tweet
    from twitter_text.extract_urls import extract_urls_with_indices

    if not text.isascii():
        return parse_tweet(text).weightedLength
    links = extract_urls_with_indices(text)
    linked = sum(end - start for start, end in (link["indices"] for link in links))
    return len(text) - text.count("\r\n") - linked + 23 * len(links)  # CR LF counts as one, as in parse_tweet


def _with_short_urls(text: str) -> int:
    return len(_URL.sub("x" * 23, text))  # Mastodon counts every link as 23 characters


@dataclass(frozen=True)
class Network:
    name: str
    limit: int
    length: Callable[[str], int]
    # A cheap upper bound of length: text it keeps under a limit needs no exact count (packing a long body asks
    # thousands of times).
    bound: Callable[[str], int] = len
    additive: bool = True  # a plain ASCII word and a space add their length (not Bluesky's bytes-or-graphemes)

    def fits(self, text: str, limit: int) -> bool:
        return self.bound(text) <= limit or self.length(text) <= limit


NETWORKS = {
    # twitter-text: every character weighs 1 or 2 (CJK, emoji), a link 23, and a link holds at least one "."
    "x": Network("x", 280, x_length, lambda t: 2 * len(t) + 23 * t.count(".")),
    "bluesky": Network("bluesky", 300, _bluesky_length, additive=False),  # graphemes, bytes / 10: at most len
    "mastodon": Network("mastodon", 500, _with_short_urls, lambda t: len(t) + 23 * t.count("http")),
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


def _first_words(title: str, count: int | None) -> str:
    words = title.split()
    return title if count is None or len(words) <= count else " ".join(words[:count]) + "…"


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
    # When even that does not fit, the titles are shortened (to their first words and "…") until every paper of
    # an x2 edition is named in the first post.
    for shown, link_first, room in (
        (None, False, None),
        (ETAL_AUTHORS, False, None),
        (ETAL_AUTHORS, True, None),
        *((ETAL_AUTHORS, True, words) for words in (12, 8, 5, 3, 1)),
    ):
        lines = [template.format(collection=collection, count=len(pick.papers))]
        for paper in pick.papers:
            authors = [people.handle(name, network) or inert(abbreviated(name)) for name in paper.authors]
            if shown is not None and len(authors) > shown:
                authors = [*authors[:shown], "et al."]
            lines.append(f"{inert(_first_words(paper.title, room))} by {', '.join(authors)}")
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
        fits = bool(posts) and network.fits(candidate, limit)
        if fits and piece.endswith(":") and index + 1 < len(pieces):
            # A heading line ("Notable findings:") joins a post only if its list's first item does too.
            following, following_joiner = pieces[index + 1]
            fits = network.fits(f"{candidate}{following_joiner}{following}", limit)
        if fits:
            posts[-1] = candidate
        else:
            posts.append(piece)
    return posts


def _fitting(part: str, network: Network, limit: int) -> list[tuple[str, str]]:
    """(piece, joiner) pairs: the part whole if it fits, else its lines, sentences, then runs of whole words."""
    if network.fits(part, limit):
        return [(part, "\n\n")]
    out: list[tuple[str, str]] = []
    for index, line in enumerate(part.split("\n")):
        joiner = "\n\n" if index == 0 else "\n"
        if network.fits(line, limit):
            out.append((line, joiner))
            continue
        for number, sentence in enumerate(_SENTENCE_END.split(line)):
            sentence_joiner = joiner if number == 0 else " "
            for words_index, words in enumerate(_words(sentence, network, limit)):
                out.append((words, sentence_joiner if words_index == 0 else " "))
    return out


# A word no network counts but by its characters: ASCII, no "." (a link or a domain holds one), no @ or #.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9,;!?'\"()\-]+")


def _words(sentence: str, network: Network, limit: int) -> list[str]:
    """Runs of whole words that fit; the last run's length is kept as it grows (an exact count per word made
    packing a long body on X take seconds)."""
    runs: list[str] = []
    length = 0
    for word in sentence.split():
        if runs:
            simple = network.additive and _PLAIN_WORD.fullmatch(word)
            joined = length + 1 + len(word) if simple else network.length(f"{runs[-1]} {word}")
            if joined <= limit:
                runs[-1], length = f"{runs[-1]} {word}", joined
                continue
        if network.fits(word, limit):
            runs.append(word)
        else:
            runs += _cut(word, network, limit)
        length = network.length(runs[-1])
    return runs


def _cut(word: str, network: Network, limit: int) -> list[str]:
    """A word longer than a post (prose without spaces, a run of combining marks) in runs of whole graphemes.
    A link is never cut: its post stays too long, and `overlong` says so."""
    if _URL.fullmatch(word):
        return [word]
    runs = [""]
    for grapheme in regex.findall(r"\X", word):
        if runs[-1] and not network.fits(runs[-1] + grapheme, limit):
            runs.append("")
        runs[-1] += grapheme
    return runs


def may_overflow(pick: Pick, url: str) -> list[str]:
    """The networks whose posts of the pick could overflow them. Prose, titles and author lists are split or
    shortened to fit (tests/test_posts_fit.py); only a run of text without a space longer than half a post (a
    long link) may not. A cheap test, so that `picks check` builds the posts of those picks only."""
    texts = [pick.title, pick.body, url]
    texts += [
        text for paper in pick.papers for text in (paper.title, paper.url or "", paper.code or "", *paper.authors)
    ]
    # No network weighs a character more than 2 (X: CJK and emoji), so a run of a quarter of a post never
    # fills half of one: only longer runs are counted, and most picks have none.
    shortest = min(counted.limit for counted in NETWORKS.values()) // 4
    runs = [run for text in texts for run in text.split() if len(run) > shortest]
    return [
        name
        for name, counted in NETWORKS.items()
        if any(len(run) > counted.limit // 4 and counted.length(run) > counted.limit // 2 for run in runs)
    ]


def overlong(thread: list[str], network: str) -> list[str]:
    """What keeps a thread from fitting its network, one line per post over the limit (empty: it fits)."""
    counted = NETWORKS[network]
    found = []
    for number, text in enumerate(thread, start=1):
        if counted.length(text) > counted.limit:
            link = any(counted.length(link) > counted.limit // 2 for link in _URL.findall(text))
            reason = ": a link in it is too long to fit any post" if link else ""
            found.append(
                f"post {number} is {counted.length(text)} long as {network} counts, over {counted.limit}{reason}"
            )
    return found


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
