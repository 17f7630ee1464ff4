"""Posts that always fit (issue 33): text in any script is split into posts within every limit each network has,
and a pick whose posts cannot fit (a link longer than a post) is said by check and skipped by announce."""

from __future__ import annotations

import unicodedata

import pytest
import regex
from click.testing import CliRunner
from fake_pds import FakePds, serve_pds
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import load_one_pick, pick_text
from generator.cli import main
from generator.core.people import People
from generator.outputs.bluesky_facets import rich_text
from generator.outputs.posts import NETWORKS, _words, overlong, posts

# Pieces of prose in several scripts: CJK sentences with no space, combining marks heavier in bytes than in
# graphemes, emoji (weight 2 on X), long words, Latin text.
PIECES = [
    "これは注意機構の研究です。",
    "注意力头的形成",
    "e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308",
    "🔍",
    "Zoë",
    "antidisestablishmentarianism",
    "word",
    " ",
    "\n\n",
    " https://example.org/a-link-as-long-as-" + "x" * 100 + " ",  # a run of 140: under half a post, never split
]
BODY = st.lists(st.sampled_from(PIECES), min_size=1, max_size=600).map("".join)


def _shown(text: str) -> str:
    """What a reader reads, across posts: no spacing, no numbering, no invisible joiners."""
    return regex.sub(r"\s+", "", regex.sub(r"\n\d+/\d+$", "", text).replace("\u2060", ""))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODY)
@example(body="これは長い文章です。" * 60)  # Japanese prose: no spaces at all
@example(body="これは長い文章です" * 60)  # not even a full stop
@example(body=("e" + "\u0301" * 12) * 150)  # under 300 graphemes, over 3,000 bytes
@example(body=("e" + "\u0301" * 12 + " ") * 150)
def test_every_post_fits_every_limit_of_its_network_and_no_text_is_lost(body: str) -> None:
    if not body.strip():
        return
    pick = load_one_pick(pick_text(body=body + "\n"))
    for network, counted in NETWORKS.items():
        thread = posts(pick, network, collection="C", url="https://e.org/p/", people=People())
        assert overlong(thread, network) == [], network
        assert all(counted.length(post) <= counted.limit for post in thread)
        if network == "bluesky":  # app.bsky.feed.post: maxGraphemes 300 and maxLength 3,000 bytes, of the text
            stored = [rich_text(p, lambda handle: None)[0] for p in thread]  # posted: links shown short
            assert all(len(regex.findall(r"\X", p)) <= 300 and len(p.encode()) <= 3000 for p in stored)
        assert _shown(unicodedata.normalize("NFC", body)) in "".join(_shown(post) for post in thread)


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize(
    "word",
    [
        "これは長い文章です" * 60,  # one word of Japanese: no space, no full stop
        ("e" + "\u0301" * 12) * 150,  # graphemes heavy in bytes
        "🔍" * 400,  # weight 2 on X
    ],
    ids=["japanese", "combining", "emoji"],
)
def test_a_word_longer_than_a_post_is_cut_between_graphemes_and_read_whole(network: str, word: str) -> None:
    """One unbroken run of text, cut into posts that each fit, at grapheme boundaries, losing nothing (the
    property above with many more bodies; this runs in milliseconds, so mutation testing runs it too)."""
    counted = NETWORKS[network]
    pick = load_one_pick(pick_text(body=word + "\n"))
    thread = posts(pick, network, collection="C", url="https://e.org/p/", people=People())
    assert all(counted.length(post) <= counted.limit for post in thread)
    assert len(thread) > 1 or counted.length(word) < counted.limit  # LinkedIn's 3,000 hold some whole
    text = "\n".join(regex.sub(r"\n\d+/\d+$", "", post) for post in thread)
    framing = ("🔍 Today's pick", "A pick by ", "🔗 ", "📄 ")
    pieces = [line for line in text.split("\n") if line and not line.startswith(framing)]
    assert "".join(pieces) == unicodedata.normalize("NFC", word)  # every grapheme once, nothing added
    assert not any(piece[0] == "\u0301" for piece in pieces)  # no piece opens with a mark torn off its letter
    if network == "bluesky":  # app.bsky.feed.post: maxGraphemes 300 and maxLength 3,000 bytes, counted directly
        stored = [rich_text(post, lambda handle: None)[0] for post in thread]
        assert all(len(regex.findall(r"\X", post)) <= 300 and len(post.encode()) <= 3000 for post in stored)


@pytest.mark.parametrize("network", sorted(NETWORKS))
@pytest.mark.parametrize(
    "sentence",
    ["注意力 " * 300, "word " * 700, "intro " + "これは長い文章です" * 60 + " outro"],
    ids=["cjk-words", "ascii-words", "around-a-long-word"],
)
def test_runs_of_words_are_as_long_as_fit_and_lose_nothing(network: str, sentence: str) -> None:
    """Each run fits, takes every word the next one could not (packing is maximal), and together they are the
    sentence: the fast count of plain ASCII words (one per character) must agree with the network's own."""
    counted = NETWORKS[network]
    limit = (counted.limit - 10) // 5 * 5 - 1  # room for numbering; "word word …" fills exactly 5k - 1
    runs = _words(sentence, counted, limit)
    assert "".join(runs).replace(" ", "") == sentence.replace(" ", "")  # every character, once, in order
    assert all(counted.length(run) <= limit for run in runs)
    for run, following in zip(runs, runs[1:], strict=False):
        if " " not in following and not counted.fits(following, limit):
            continue  # the next is a piece of a word cut for being longer than a post
        assert counted.length(f"{run} {following.split()[0]}") > limit


LONG_LINK = "https://example.org/" + "a" * 340
HUGE_LINK = "https://example.org/" + "a" * 3100  # longer than a LinkedIn post, which counts every character


def test_check_names_the_line_of_a_link_no_post_can_hold(make_project, monkeypatch) -> None:
    text = pick_text(body=f"See the appendix:\n\n{HUGE_LINK}\n")
    monkeypatch.chdir(make_project({"2024-04-11-long.md": text}).parent)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0  # the site can show it: a warning
    [warning] = [line for line in result.output.splitlines() if ": warning: " in line]
    assert warning.startswith("picks/2024-04-11-long.md:13: warning: body: post ")
    assert warning.endswith(" long as linkedin counts, over 3000: a link in it is too long to fit any post")


def test_a_long_link_is_announced_on_bluesky_shown_short_with_its_uri_whole(make_project, monkeypatch) -> None:
    """Bluesky's app shows a link short and keeps its URI in the facet: a 360-character link fits a post."""
    for pds in serve_pds(FakePds()):
        monkeypatch.setenv("PICKS_BLUESKY_PDS", pds.url)
        monkeypatch.setenv("PICKS_BLUESKY_HANDLE", pds.handle)
        monkeypatch.setenv("PICKS_BLUESKY_APP_PASSWORD", pds.password)
        monkeypatch.setenv("PICKS_NOW", "2024-04-13T08:00:00Z")
        picks = {"2024-04-10-link.md": pick_text("Link", "2024-04-10", arxiv="2404.00010", body=f"{LONG_LINK}\n")}
        monkeypatch.chdir(make_project(picks, announce={"since": "2024-04-01"}).parent)
        assert CliRunner().invoke(main, ["check"]).output.endswith("0 errors, 0 warnings in 1 pick\n")
        result = CliRunner().invoke(main, ["announce", "--to", "bluesky"])
        assert result.exit_code == 0, result.output
        posted = [pds.records[key] for key in pds.order]
        [record] = [r for r in posted if "example.org/aaaaaaaaaaaa..." in r["text"]]
        [facet] = [f for f in record.get("facets", []) if f["features"][0].get("uri") == LONG_LINK]
        shown = record["text"].encode()[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
        assert shown == "example.org/aaaaaaaaaaaa..." and LONG_LINK not in record["text"]


def test_announce_skips_a_pick_the_network_would_refuse_and_posts_the_others(make_project, monkeypatch) -> None:
    """A pick whose thread the network would refuse (none is left since long links are shown short: the guard
    stays for what may come) is skipped by name, the picks after it are announced, and the run exits 1."""
    from generator.outputs import posts as post_texts

    real = post_texts.overlong
    monkeypatch.setattr(
        post_texts,
        "overlong",
        lambda thread, net: (
            real(thread, net) or (["post 1 is over the limit"] if any("Refused" in text for text in thread) else [])
        ),
    )
    for pds in serve_pds(FakePds()):
        monkeypatch.setenv("PICKS_BLUESKY_PDS", pds.url)
        monkeypatch.setenv("PICKS_BLUESKY_HANDLE", pds.handle)
        monkeypatch.setenv("PICKS_BLUESKY_APP_PASSWORD", pds.password)
        monkeypatch.setenv("PICKS_NOW", "2024-04-13T08:00:00Z")
        picks = {
            "2024-04-10-refused.md": pick_text("Refused", "2024-04-10", arxiv="2404.00010"),
            "2024-04-11-fine.md": pick_text("Fine", "2024-04-11", arxiv="2404.00011"),
        }
        monkeypatch.chdir(make_project(picks, announce={"since": "2024-04-01", "max_per_run": 5}).parent)
        result = CliRunner().invoke(main, ["announce", "--to", "bluesky"])
        assert result.exit_code == 1, result.output
        assert "error: 2024-04-10-refused: skipped: post 1 is over the limit" in result.output
        assert "2024-04-11-fine: posts it" in result.output and "error: 1 pick(s) skipped: 2024-04-10-refused" in (
            result.output
        )
        assert len(pds.records) == 1


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_overlong_names_each_post_past_the_limit_by_its_number_and_why(network: str) -> None:
    counted = NETWORKS[network]
    exact = "x" * counted.limit
    while counted.length(exact) > counted.limit:  # a network that weighs x more than 1 (none today) still fits
        exact = exact[:-1]
    link = "https://example.org/" + "a" * (counted.limit * 2)
    too_long = "y " * counted.limit
    assert overlong(["a", exact], network) == []  # exactly the limit fits
    # A link of 40% of a post, or of exactly half, in an overlong post: the words are too many, not the link.
    words_and_link = "b " * counted.limit + "https://example.org/" + "c" * (counted.limit * 2 // 5 - 20)
    half = "b " * counted.limit + "https://example.org/" + "c" * (counted.limit // 2 - 20)
    # X and Mastodon count a link as 23, Bluesky shows it short: only on LinkedIn is a long link an overlong post.
    link_post = [
        f"post 2 is {counted.length(link)} long as {network} counts, over {counted.limit}: a link in it is too long"
        " to fit any post"
    ]
    assert overlong(["a", link, too_long, words_and_link, half], network) == [
        *(link_post if network == "linkedin" else []),
        f"post 3 is {counted.length(too_long)} long as {network} counts, over {counted.limit}",
        f"post 4 is {counted.length(words_and_link)} long as {network} counts, over {counted.limit}",
        f"post 5 is {counted.length(half)} long as {network} counts, over {counted.limit}",
    ]


@pytest.mark.parametrize("network", sorted(NETWORKS))
def test_a_text_of_exactly_the_limit_fits_and_one_grapheme_more_does_not(network: str) -> None:
    counted = NETWORKS[network]
    heavy = "e" + "\u0301" * 12  # one grapheme of 25 bytes: Bluesky's 3,000 bytes hold 120 of them
    for unit in ("x", heavy):
        text = unit
        while counted.fits(text + unit, counted.limit):
            text += unit
        assert counted.length(text) <= counted.limit < counted.length(text + unit)
    exact = heavy * 120
    assert NETWORKS["bluesky"].fits(exact, 300) and not NETWORKS["bluesky"].fits(exact + "e", 300)


AUTHORS_10 = "[" + ", ".join(f"Author{i} Family{i}" for i in range(10)) + "]"


@pytest.mark.parametrize(
    ("letters", "words", "authors", "shown_authors"),
    [
        (3, 40, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),  # whole title, three authors, link last
        (8, 12, "[Ada Lovelace, Alan Turing, Grace Hopper]", "A. Lovelace, A. Turing, G. Hopper"),  # three: no et al.
        (8, 12, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),  # then the link first, the title cut...
        (18, 8, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),
        (25, 5, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),
        (40, 3, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),
        (90, 1, AUTHORS_10, "A. Family0, A. Family1, A. Family2, et al."),  # ... to its first word
    ],
)
def test_the_first_post_gives_up_authors_then_title_words_in_steps_to_keep_its_link(
    letters: int, words: int, authors: str, shown_authors: str
) -> None:
    """On X (280): all authors, then three and "et al.", then the link moved up and the title cut to 12, 8, 5, 3
    or 1 words, whichever first fits."""
    title = " ".join(f"{i:02d}" + "x" * (letters - 2) for i in range(40))
    pick = load_one_pick(pick_text(title, paper_title=title, authors=authors))
    first = posts(pick, "x", collection="C", url="https://e.org/p/", people=People())[0].split("\n")
    cut = words < 40
    shown_title = " ".join(title.split()[:words]) + ("…" if cut else "")
    paper_line, link_line = (2, 1) if cut else (1, 2)
    assert first[0] == "🔍 Today's pick in C:"
    assert first[paper_line] == f"{shown_title} by {shown_authors}"
    assert first[link_line] == "🔗 https://e.org/p/"


def test_pieces_of_a_part_keep_their_line_and_paragraph_breaks_where_they_share_a_post() -> None:
    from generator.outputs.posts import thread

    parts = ["Intro.", "A line.\nSecond line starts. Long sentence " + "word " * 60 + "ends. Short one."]
    assert thread(parts, NETWORKS["x"]) == [
        "Intro.\n\nA line.\nSecond line starts.\n1/3",  # a paragraph break, then the part's own line break
        "Long sentence " + "word " * 51 + "word\n2/3",  # 275 of X's 280, with room for the numbering
        "word " * 7 + "word ends. Short one.\n3/3",  # sentences of one line go on after a space
    ]


def test_every_would_be_mention_outside_a_link_goes_inert_and_every_link_stays_whole() -> None:
    from generator.outputs.posts import inert

    text = "mail @ada and https://x.org/@bob/1 then @carol https://x.org/@dan/2 end @eve"
    assert inert(text) == (
        "mail @\u2060ada and https://x.org/@bob/1 then @\u2060carol https://x.org/@dan/2 end @\u2060eve"
    )
    assert inert(text, frozenset({"@carol"})) == (
        "mail @\u2060ada and https://x.org/@bob/1 then @carol https://x.org/@dan/2 end @\u2060eve"
    )
